#pragma once
// The internal interface every completion backend implements (iocp, uring, epoll).
//
// A Backend belongs to one Loop and is used from that loop's thread only, except wake().
// It is a proactor: an operation is started, and its completion handler runs later, on the
// loop thread, from inside poll(). Readiness-based systems (epoll) turn readiness into
// completions behind this interface.
//
// Lifetime rules every backend keeps:
//  - close() on an IoStream or IoListener is final: no handler of that object runs after it
//    returns, even if the OS still completes operations that were pending. The backend keeps
//    whatever those operations reference (OVERLAPPED blocks, buffers, io_uring user_data
//    targets) alive until their completions have come back, then frees it.
//  - Destroying an IoStream or IoListener closes it.
//  - A backend's destructor runs after the loop has stopped; it cancels what is still pending
//    and waits for those completions (or tears down the ring/port) before freeing memory.
//  - A handler may close its own stream, or any other, from inside the handler.
//  - Handlers never run inside the call that started the operation (no inline completion):
//    they run from poll(), so callers may start an operation while holding their own state
//    half-updated. A backend that finishes an operation at once (epoll writing straight to a
//    ready socket, IOCP skipping the port on success) defers the handler to its next poll(),
//    and that poll() does not block.

#include "platform/socket_ops.h"

#include <chatport/net/endpoint.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>

namespace chatport::net::detail {

struct ConstBuffer {
  const std::byte* data;
  std::size_t size;
};

/// Called once per accepted connection with the new socket (already non-blocking where that
/// applies, and already given SO_UPDATE_ACCEPT_CONTEXT on Windows) and the peer's address.
/// A failed accept that leaves the listener usable is reported with the socket invalid and is
/// followed by more accepts; a failure that ends the listener is reported last.
using AcceptHandler = std::function<void(std::error_code, NativeSocket, const Endpoint& peer)>;
using ConnectHandler = std::function<void(std::error_code)>;
/// Called with each chunk received, in order, ec clear; then once with an error when receiving
/// ends (Error::PeerClosed at end of stream). data is valid only during the call.
using ReceiveHandler = std::function<void(std::error_code, std::span<const std::byte> data)>;
using SendHandler = std::function<void(std::error_code)>;

class IoStream {
 public:
  virtual ~IoStream() = default;

  /// Connects this (not yet connected) stream. Called at most once, before startReceive().
  virtual void connect(const Endpoint& remote, ConnectHandler onDone) = 0;
  /// Starts receiving continuously. Called once.
  virtual void startReceive(ReceiveHandler onData) = 0;
  /// Sends every byte of buffers, continuing after short writes, then calls onDone once.
  /// At most one send is outstanding per stream. The caller keeps the bytes alive until onDone
  /// runs, or hands them to keepSendBytes() before closing; the array of buffers is copied: it
  /// need not outlive the call.
  virtual void send(std::span<const ConstBuffer> buffers, SendHandler onDone) = 0;
  /// owner keeps the bytes of the send in progress alive: the stream holds it until the system
  /// has given that send back, after close() too, since the system may read the bytes till then.
  virtual void keepSendBytes(std::shared_ptr<const void> owner) = 0;
  /// Cancels pending operations and closes the socket. Final: see the file comment.
  virtual void close() = 0;
  /// The socket, for options such as TCP_NODELAY; kInvalidSocket once closed.
  virtual NativeSocket nativeHandle() const noexcept = 0;
};

class IoListener {
 public:
  virtual ~IoListener() = default;
  /// Stops accepting and closes the socket. Final.
  virtual void close() = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string_view name() const noexcept = 0;

  /// Waits up to timeoutMs (-1: without limit, 0: not at all) for completions and runs their
  /// handlers. Returns early when wake() is called.
  virtual void poll(int timeoutMs) = 0;
  /// Thread-safe. Makes a poll() in progress, or the next one, return promptly.
  virtual void wake() = 0;

  /// Takes ownership of a bound, listening socket and accepts on it until closed.
  virtual std::unique_ptr<IoListener> listen(NativeSocket socket, int family,
                                             AcceptHandler onAccept) = 0;
  /// Takes ownership of a connected socket (from an accept, possibly on another loop).
  virtual std::unique_ptr<IoStream> adopt(NativeSocket socket) = 0;
  /// Creates an unconnected stream for the given family (AF_INET or AF_INET6).
  virtual std::unique_ptr<IoStream> createStream(int family, std::error_code& ec) = 0;
};

/// Empties a per-connection list (the iovecs of a send) after a burst, giving its memory
/// back when it grew past a few entries: thousands of idle connections must stay cheap.
template <typename List>
void clearAndShrink(List& list) {
  constexpr std::size_t kKeptCapacity = 8;
  if (list.capacity() > kKeptCapacity)
    List().swap(list);
  else
    list.clear();
}

/// Creates the backend for kind ("iocp", "uring", "epoll"); nullptr with ec set if this system
/// cannot run it. Implemented by the backend factory.
std::unique_ptr<Backend> makeBackend(std::string_view kind, std::error_code& ec);

}  // namespace chatport::net::detail
