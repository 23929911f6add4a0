#pragma once
// A UDP socket owned by one Loop: the engine's datagrams (room discovery beacons).
//
//   std::error_code ec;
//   DatagramOptions options;
//   options.reuseAddress = true;  // several programs on this machine share the port
//   options.broadcast = true;
//   auto socket = engine.openDatagram(Endpoint::anyV4(5151), options,
//       [](DatagramSocket& s, const Datagram& d) { /* on s's loop thread */ }, ec);
//   socket->sendTo(Endpoint::parse("255.255.255.255", 5151).value(), beacon);
//
// Rules, the same on every backend (docs/ARCHITECTURE.md, "Datagrams"):
//  - Handlers run on the socket's loop thread, one at a time.
//  - A datagram larger than kMaxDatagramSize is dropped and counted, never delivered in part.
//  - Errors a network reports about one datagram (ICMP port or host unreachable, a
//    send refused by a firewall) never end the socket: a send's error goes to that send's
//    handler; a receive's is counted and receiving goes on.
//  - Sends wait in a bounded queue (DatagramOptions::maxQueuedDatagrams); a send that finds it
//    full is dropped, counted, logged (summarised) and answered Error::DatagramDropped.
//  - close() is final: on the loop thread, no handler of the socket runs after it returns; from
//    another thread, none runs after the close has reached the loop.

#include <chatport/net/buffer.h>
#include <chatport/net/endpoint.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <system_error>

#include <spdlog/logger.h>

namespace chatport::net {

namespace detail {
class IoDatagram;
}
class Loop;

/// The largest datagram delivered, in bytes; larger ones are dropped and counted
/// (DatagramStats::truncated). It is also the largest one sendTo() takes.
inline constexpr std::size_t kMaxDatagramSize = 2048;

struct DatagramOptions {
  /// SO_REUSEADDR: other sockets on this machine may bind the same port (each one that asked
  /// for it too). Each of them receives the broadcasts and multicasts sent to the port; a
  /// unicast datagram goes to one of them only.
  bool reuseAddress = false;
  /// SO_BROADCAST: sendTo() may send to a broadcast address (IPv4).
  bool broadcast = false;
  /// Multicast TTL (IPv4) or hop limit (IPv6): 1 keeps the datagrams on the local link.
  int multicastHops = 1;
  /// Multicasts sent are also delivered to sockets of this machine that joined the group.
  bool multicastLoopback = true;
  /// Datagrams waiting to be sent, beyond which a send is dropped (Error::DatagramDropped).
  std::size_t maxQueuedDatagrams = 64;
};

/// One datagram received. payload is valid only during the handler's call.
struct Datagram {
  Endpoint from;
  std::span<const std::byte> payload;
  /// The interface it arrived on (an index as NetworkInterface::index has it), or 0 where the
  /// engine cannot tell: Linux tells (IP_PKTINFO / IPV6_PKTINFO); on Windows it is always 0
  /// (the IOCP backend receives with WSARecvFrom, not WSARecvMsg).
  unsigned interfaceIndex = 0;
};

/// Counters since the socket was opened. Thread-safe to read.
struct DatagramStats {
  std::uint64_t received = 0;    ///< delivered to the handler
  std::uint64_t truncated = 0;   ///< larger than kMaxDatagramSize: dropped
  std::uint64_t receiveErrors = 0;  ///< errors reported while receiving (ICMP...): skipped
  std::uint64_t sent = 0;        ///< handed to the system
  std::uint64_t sendErrors = 0;  ///< refused by the system (each send's handler was told)
  std::uint64_t dropped = 0;     ///< the send queue was full: never sent
};

class DatagramSocket : public std::enable_shared_from_this<DatagramSocket> {
 public:
  /// Runs on the socket's loop thread for each datagram. It receives the socket as an argument
  /// and must not capture it strongly (that would keep it alive after it closed).
  using Handler = std::function<void(DatagramSocket&, const Datagram&)>;
  /// Runs once, on the loop thread, if receiving fails for good (the socket is then closed).
  using ErrorHandler = std::function<void(DatagramSocket&, std::error_code)>;
  /// How one send went; runs on the loop thread.
  using SendHandler = std::function<void(std::error_code)>;

  /// Made by Engine::openDatagram().
  DatagramSocket(Loop& loop, std::intptr_t nativeHandle, Endpoint local,
                 const DatagramOptions& options);
  ~DatagramSocket();
  DatagramSocket(const DatagramSocket&) = delete;
  DatagramSocket& operator=(const DatagramSocket&) = delete;

  /// Thread-safe. Copies payload (at most kMaxDatagramSize bytes, else std::errc::message_size)
  /// and queues it for to; onDone, if given, runs on the loop thread, never inside this call,
  /// once it was sent, refused or dropped. Sends go out in the order queued. After close()
  /// nothing is sent and onDone does not run.
  void sendTo(const Endpoint& to, std::span<const std::byte> payload, SendHandler onDone = nullptr);

  /// Thread-safe. Joins a multicast group (IPv4: IP_ADD_MEMBERSHIP; IPv6: IPV6_JOIN_GROUP) on
  /// the interface with that index; 0 lets the system choose.
  std::error_code joinGroup(const Endpoint& group, unsigned interfaceIndex);
  /// Thread-safe. The interface multicasts are sent from (IP_MULTICAST_IF, IPV6_MULTICAST_IF).
  std::error_code setMulticastInterface(unsigned interfaceIndex);

  /// Thread-safe, idempotent. Stops receiving and sending; queued sends are dropped unsent and
  /// their handlers do not run.
  void close();

  /// The bound address, with the port the system chose when asked for port 0.
  const Endpoint& localEndpoint() const noexcept { return local_; }
  Loop& loop() const noexcept { return loop_; }
  bool isOpen() const noexcept { return open_.load(std::memory_order_acquire); }
  DatagramStats stats() const noexcept;

  // --- used by Engine ---
  /// Loop thread only. Takes the backend's socket and starts receiving; called once.
  void start(std::unique_ptr<detail::IoDatagram> io, Handler onDatagram, ErrorHandler onError);

 private:
  struct Pending {
    Endpoint to;
    Bytes payload;
    SendHandler onDone;
  };
  void enqueue(Pending pending);
  void startSend();
  void onSent(std::error_code ec);
  void onReceived(std::error_code ec, const Datagram& datagram, bool truncated);
  void closeOnLoop();
  void countDropped(const Endpoint& to);
  /// Runs fn(socket) under the handle guard while the socket is open.
  template <typename Fn>
  std::error_code withHandle(Fn&& fn);

  Loop& loop_;
  std::unique_ptr<detail::IoDatagram> io_;  // loop thread only; set by start()
  const Endpoint local_;
  const DatagramOptions options_;
  std::shared_ptr<spdlog::logger> log_;

  mutable std::mutex handleMutex_;
  std::intptr_t handle_;  // guarded by handleMutex_; invalid once closed

  std::atomic<bool> open_{true};
  std::atomic<std::size_t> queued_{0};  // sends accepted and not yet answered
  std::atomic<std::uint64_t> received_{0}, truncated_{0}, receiveErrors_{0}, sent_{0},
      sendErrors_{0}, dropped_{0};

  // Loop thread only from here on.
  Handler onDatagram_;
  ErrorHandler onError_;
  std::deque<Pending> queue_;  // the front one is being sent while sending_
  bool sending_ = false;
};

}  // namespace chatport::net
