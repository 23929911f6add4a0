#pragma once
// The networking engine: a pool of Loops, each driving one completion backend on its own thread.
//
//   chatport::net::Engine engine;                         // one loop per core
//   std::error_code ec;
//   auto listener = engine.listen(Endpoint::anyV4(5150), [](std::shared_ptr<Connection> c) {
//     c->start(onFrame, onClose);                         // on c's loop thread
//   }, [](std::error_code why) { /* nobody can connect any more: say so */ }, ec);

#include <chatport/net/connection.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/endpoint.h>
#include <chatport/net/loop.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::net {

enum class BackendKind {
  Auto,   ///< CHATPORT_BACKEND if set, else the best the system offers (iocp; uring, then epoll)
  Iocp,
  Uring,
  Epoll,
};

struct EngineOptions {
  std::size_t threads = 0;  ///< 0: one per core
  BackendKind backend = BackendKind::Auto;
  ConnectionOptions connection;
  /// Each runs on every loop thread, before its first task and after its last (after stop()
  /// has closed its connections): for state a thread keeps for its handlers and must release
  /// itself before it ends (the chat core keeps a cipher handle per thread). Either may be empty.
  std::function<void()> onThreadStart;
  std::function<void()> onThreadEnd;
};

class Listener;

class Engine {
 public:
  using AcceptHandler = std::function<void(std::shared_ptr<Connection>)>;
  using ConnectHandler = std::function<void(std::error_code, std::shared_ptr<Connection>)>;
  using ListenErrorHandler = std::function<void(std::error_code)>;

  /// Starts the loops. Throws std::system_error when no backend can start.
  explicit Engine(EngineOptions options = {});
  /// Stops: see stop().
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// "iocp", "uring" or "epoll".
  std::string_view backendName() const noexcept { return backendName_; }
  std::size_t loopCount() const noexcept { return loops_.size(); }
  Loop& loop(std::size_t index) { return *loops_.at(index); }
  /// Thread-safe. The loops in turn, for spreading new work.
  Loop& nextLoop() noexcept;

  /// Thread-safe. Binds and listens now, so "address in use" is reported to the caller at once;
  /// then accepts on loop 0 and hands each connection to a loop in turn. onAccept runs on the
  /// new connection's loop thread. Returns nullptr and sets ec on failure. A listener on an
  /// IPv6 address is dual-stack (IPV6_V6ONLY off): on [::] (Endpoint::anyDualStack) it takes
  /// IPv4 connections too; on Windows as far as the stack allows.
  ///
  /// Accept failures that leave the listener usable are not reported: one connection that
  /// failed before it was taken is skipped, and a shortage of descriptors or memory makes the
  /// listener pause briefly and try again (connections wait in the system's backlog). Both are
  /// logged, summarised. A failure that ends the listener (its socket shut down or closed under
  /// it...) is logged as an error, the listener is closed (its port is free again), and then
  /// onError runs, once, on loop 0's thread. It does not run for a listener that close() or
  /// stop() closed first. The policy is written down in docs/ARCHITECTURE.md.
  std::shared_ptr<Listener> listen(const Endpoint& local, AcceptHandler onAccept,
                                   ListenErrorHandler onError, std::error_code& ec);
  /// Thread-safe. As above, for a caller that needs no word of a listener that dies: it is
  /// only logged.
  std::shared_ptr<Listener> listen(const Endpoint& local, AcceptHandler onAccept,
                                   std::error_code& ec);

  /// Thread-safe. Connects with a deadline; onDone runs on the new connection's loop thread.
  /// Refused, unreachable and timed out (Error::ConnectTimedOut) are reported distinctly; an
  /// attempt still going when the engine stops gets Error::EngineStopped. onDone runs once.
  void connect(const Endpoint& remote, std::chrono::milliseconds timeout, ConnectHandler onDone);

  /// Thread-safe. Opens a UDP socket bound to local (port 0: the system picks one) on one of
  /// the loops, and starts receiving: onDatagram runs on that loop's thread for each datagram.
  /// Options are applied before binding, so "address in use" is reported here. Returns
  /// nullptr and sets ec on failure. See DatagramSocket for the rules; the socket must not
  /// outlive the Engine, and destroying its last reference closes it.
  std::shared_ptr<DatagramSocket> openDatagram(const Endpoint& local, const DatagramOptions& options,
                                               DatagramSocket::Handler onDatagram,
                                               std::error_code& ec);
  /// Thread-safe. As above; onError runs once, on the loop thread, if receiving fails for good
  /// (an error that is not about one datagram), after the socket has been closed.
  std::shared_ptr<DatagramSocket> openDatagram(const Endpoint& local, const DatagramOptions& options,
                                               DatagramSocket::Handler onDatagram,
                                               DatagramSocket::ErrorHandler onError,
                                               std::error_code& ec);

  /// Thread-safe, idempotent. Closes listeners, datagram sockets and connections and ends connects in progress
  /// (handlers see Error::EngineStopped), waits for pending I/O to come back and joins the threads.
  /// Must not be called from a loop thread.
  void stop();

  const EngineOptions& options() const noexcept { return options_; }

 private:
  EngineOptions options_;
  std::string backendName_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> nextLoop_{0};
  std::atomic<bool> stopped_{false};
  std::mutex listenersMutex_;
  std::vector<std::weak_ptr<Listener>> listeners_;  // guarded by listenersMutex_
  std::vector<std::weak_ptr<DatagramSocket>> datagrams_;  // guarded by listenersMutex_
};

/// An open listening socket. Closing it (or destroying the last reference) stops accepting;
/// so does a failure that ends it (see Engine::listen). A Listener must not outlive the Engine
/// that made it.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  virtual ~Listener() = default;
  /// The bound address, with the port the system chose when asked for port 0.
  virtual Endpoint localEndpoint() const = 0;
  /// Thread-safe, idempotent.
  virtual void close() = 0;
};

}  // namespace chatport::net
