#pragma once
// A plain blocking socket for tests that must control the exact bytes on the wire: partial
// frames, garbage, resets. Portable between POSIX and Winsock.

#include <chatport/net/endpoint.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

namespace chatport::test {

class RawSocket {
 public:
  RawSocket() = default;
  ~RawSocket();
  RawSocket(RawSocket&& other) noexcept;
  RawSocket& operator=(RawSocket&& other) noexcept;

  /// Blocking connect; false on failure.
  bool connect(const net::Endpoint& remote);
  /// Blocking connect from a chosen local address (e.g. 127.0.0.2, to stand for another
  /// machine); false on failure.
  bool connectFrom(const net::Endpoint& local, const net::Endpoint& remote);
  /// Creates the socket now, for a connectOpened() that must not need a descriptor later.
  bool open(int family);
  /// Blocking connect of the socket open() created; false on failure.
  bool connectOpened(const net::Endpoint& remote);
  /// Starts a non-blocking connect and does not wait for it.
  bool connectNoWait(const net::Endpoint& remote);
  /// A listener with the given backlog on 127.0.0.1, any port.
  bool listenLoopback(int backlog);
  net::Endpoint localEndpoint() const;

  bool sendAll(std::span<const std::byte> data);
  /// Sends what the system takes of data at once, waiting at most timeout for room: the bytes
  /// taken, kTimedOut if there was no room, -1 on error.
  long sendSome(std::span<const std::byte> data, std::chrono::milliseconds timeout);
  /// Receives up to buffer.size() bytes; 0 at end of stream, -1 on error.
  long receive(std::span<std::byte> buffer);
  /// Without blocking: true once the peer has closed or reset the connection (nothing is read).
  bool peerHasClosed();
  /// As receive(), waiting at most timeout for something to read: kTimedOut if nothing came.
  long receive(std::span<std::byte> buffer, std::chrono::milliseconds timeout);
  static constexpr long kTimedOut = -2;
  void setNoDelay();
  /// A receive that waits longer than this fails (-1), so that a test never hangs on it.
  void setReceiveTimeout(std::chrono::milliseconds timeout);
  /// Sends FIN: the peer reads the end of the stream, and this side can still receive.
  void shutdownWrite();
  /// Ends both directions without closing: a send or receive blocked in another thread returns.
  void shutdownBoth();
  /// Closes with a reset (SO_LINGER 0) instead of an orderly FIN.
  void resetClose();
  void close();
  bool valid() const { return handle_ != kInvalid; }

  /// Sends one UDP datagram of any size from a fresh socket, bypassing the engine's limits.
  static bool sendDatagram(const net::Endpoint& to, std::span<const std::byte> data);

 private:
  static constexpr std::intptr_t kInvalid = -1;
  std::intptr_t handle_ = kInvalid;
};

/// A UDP port nobody on this machine uses now: a test's own discovery port, so that rooms
/// other tests host at the same time are not heard.
std::uint16_t freeUdpPort();

}  // namespace chatport::test
