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
//
// Accept errors: one policy for every backend (classifyAcceptError() sorts them):
//  - Skip: the failure belongs to one incoming connection (reset or aborted before it was
//    taken, refused by a firewall rule (EPERM), a network error Linux passes on from the new
//    socket), or the call was interrupted. That connection is lost; the listener takes the next
//    one at once. Logged at debug level, summarised (AcceptErrorLog).
//  - BackOff: the system is short of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM;
//    WSAEMFILE, WSAENOBUFS, ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES...). The listener
//    stops asking for kAcceptBackOff, then tries again; meanwhile connections wait in the
//    system's backlog, and are taken once there is room again. Never a busy loop, never a
//    handler. A warning, summarised: one line at once, then a count per interval.
//  - Fatal: anything else (the socket was shut down, is not listening, is not a socket...).
//    The backend stops accepting and calls the listener's ListenErrorHandler once, from poll();
//    the owner closes the listener.
// A Skip error that comes before any connection was involved (IOCP: AcceptEx refused at once)
// is backed off instead: nothing was used up, so trying again at once could spin.

#include "platform/socket_ops.h"

#include <chatport/net/endpoint.h>
#include <chatport/net/stream_events.h>
#include <chatport/rate_limited_log.h>

#include <chrono>
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
/// Failed accepts are not reported here: see the accept-error policy above.
using AcceptHandler = std::function<void(NativeSocket, const Endpoint& peer)>;
/// Called at most once, from poll(), when the listener can no longer accept (a Fatal error).
/// No handler of the listener runs after it; the owner is expected to close the listener.
using ListenErrorHandler = std::function<void(std::error_code)>;
using ConnectHandler = std::function<void(std::error_code)>;
/// A stream's receive, as IOCP keeps it: see StreamEvents::onReceived.
using ReceiveHandler = std::function<void(std::error_code, std::span<const std::byte> data)>;
using SendHandler = std::function<void(std::error_code)>;

class IoStream {
 public:
  virtual ~IoStream() = default;

  /// Connects this (not yet connected) stream. Called at most once, before startReceive().
  virtual void connect(const Endpoint& remote, ConnectHandler onDone) = 0;
  /// Starts receiving continuously, reporting to events (StreamEvents::onReceived). Called once.
  virtual void startReceive(StreamEvents& events) = 0;
  /// Stops taking data from the socket until resumeReceive(): what the peer sends waits in the
  /// system's buffers, and once they are full TCP's flow control holds the peer back. What the
  /// system had handed over already may still be delivered after the call (io_uring: what a
  /// multishot receive completes before its cancel). Nothing is reported meanwhile, the end of
  /// the stream included. Either may be called before startReceive(), and repeatedly.
  virtual void pauseReceive() = 0;
  /// Takes data again, beginning with what waited.
  virtual void resumeReceive() = 0;
  /// Sends every byte of buffers, continuing after short writes, then tells events once
  /// (StreamEvents::onSent).
  /// At most one send is outstanding per stream. The caller keeps the bytes alive until onSent
  /// runs, or hands them to keepSendBytes() before closing; the array of buffers is copied: it
  /// need not outlive the call.
  virtual void send(std::span<const ConstBuffer> buffers, StreamEvents& events) = 0;
  /// owner keeps the bytes of the send in progress alive: the stream holds it until the system
  /// has given that send back, after close() too, since the system may read the bytes till then.
  virtual void keepSendBytes(std::shared_ptr<const void> owner) = 0;
  /// Cancels pending operations and closes the socket. Final: see the file comment.
  virtual void close() = 0;
  /// The socket, for options such as TCP_NODELAY; kInvalidSocket once closed.
  virtual NativeSocket nativeHandle() const noexcept = 0;
};

/// Called once per datagram received, or with an error. A truncated datagram (larger than the
/// buffer) comes with truncated set and must not be delivered. Errors that concern one
/// datagram (isTransientDatagramError) leave the socket receiving; after any other error
/// nothing more is received. Everything passed is valid only during the call.
using DatagramReceiveHandler = std::function<void(std::error_code, const Endpoint& from,
                                                  std::span<const std::byte> data,
                                                  unsigned interfaceIndex, bool truncated)>;

/// Errors on a datagram socket that concern one datagram or one destination, not the socket:
/// ICMP port, host or network unreachable (Linux: ECONNREFUSED...; Windows: WSAECONNRESET,
/// WSAENETRESET), a firewall's refusal, a datagram too large, a short-lived shortage.
bool isTransientDatagramError(std::error_code ec) noexcept;

/// A bound datagram socket. Rules as for IoStream: handlers run from poll(), never inside the
/// call that started the operation; close() is final.
class IoDatagram {
 public:
  virtual ~IoDatagram() = default;
  /// Starts receiving continuously into a buffer of kMaxDatagramSize bytes. Called once.
  virtual void startReceive(DatagramReceiveHandler onDatagram) = 0;
  /// Sends one datagram, then calls onDone once. At most one send is outstanding. The caller
  /// keeps data alive until onDone runs, or hands it to keepSendBytes() before closing.
  virtual void sendTo(const Endpoint& to, std::span<const std::byte> data, SendHandler onDone) = 0;
  /// As IoStream::keepSendBytes.
  virtual void keepSendBytes(std::shared_ptr<const void> owner) = 0;
  /// Cancels pending operations and closes the socket. Final.
  virtual void close() = 0;
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

  /// Takes ownership of a bound, listening socket and accepts on it until closed, or until a
  /// Fatal error, which goes to onError (from poll(), even when the socket cannot be watched
  /// at all: never from inside listen()).
  virtual std::unique_ptr<IoListener> listen(NativeSocket socket, int family,
                                             AcceptHandler onAccept, ListenErrorHandler onError) = 0;
  /// Takes ownership of a connected socket (from an accept, possibly on another loop).
  virtual std::unique_ptr<IoStream> adopt(NativeSocket socket) = 0;
  /// Creates an unconnected stream for the given family (AF_INET or AF_INET6).
  virtual std::unique_ptr<IoStream> createStream(int family, std::error_code& ec) = 0;
  /// Takes ownership of a bound datagram socket (see openDatagramSocket()). Failures to watch
  /// it come back through the receive handler, from poll().
  virtual std::unique_ptr<IoDatagram> adoptDatagram(NativeSocket socket, int family) = 0;
};

/// What the accept-error policy (see the file comment) does with a failed accept.
enum class AcceptErrorAction {
  Skip,     ///< that connection is lost; accept the next at once
  BackOff,  ///< out of descriptors or memory: pause kAcceptBackOff, then try again
  Fatal,    ///< the listener cannot accept any more: report it to its ListenErrorHandler
};

/// How long a listener short of descriptors or memory waits before it tries again: short, so
/// that accepting resumes soon after there is room; long enough that a shortage lasting
/// minutes costs ten wake-ups a second, not a core.
inline constexpr std::chrono::milliseconds kAcceptBackOff{100};

/// Sorts an accept failure, as reported by the backend (socketError() of errno, a Winsock or a
/// Win32 code). Thread-safe.
AcceptErrorAction classifyAcceptError(std::error_code ec) noexcept;

/// The log lines of the accept-error policy, the same words on every backend: skipped
/// connections at debug level, shortages as warnings, each summarised per interval (a storm of
/// 20,000 failures is a few lines). Fatal errors are the listener owner's to report.
/// Thread-safe.
class AcceptErrorLog {
 public:
  AcceptErrorLog();
  /// A Skip or BackOff failure. Interruptions and would-block are not failures: not logged.
  void note(AcceptErrorAction action, std::error_code ec);

 private:
  logging::RateLimitedLog skipped_;
  logging::RateLimitedLog shortage_;
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
