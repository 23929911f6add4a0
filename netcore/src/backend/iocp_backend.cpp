// I/O completion port backend.
//
// Design notes (the why; the what is in backend.h):
//  - One completion port per backend, so per loop thread; a socket is associated with exactly one
//    port for life. Completions are taken in batches with GetQueuedCompletionStatusEx.
//  - Every operation is an Op, which derives from OVERLAPPED: the LPOVERLAPPED a completion
//    carries is static_cast back to its Op. Ops are members of a refcounted per-socket state
//    (StreamState / ListenerState); an issued op holds a reference to its state (Op::keep) that
//    is dropped only when its completion packet has been taken from the port. close() therefore
//    never frees memory the kernel may still write.
//  - FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is deliberately NOT used: every completion, including
//    an immediate success, comes through the port. One completion path, and a handler never
//    runs inside the call that started its operation. A call that fails synchronously is turned
//    into a completion too (postSynthetic), for the same reason.
//  - Everything an operation's completion reads (op fields, the state reference, the pending
//    count, the handler) is written BEFORE the Winsock call that starts it. With one port per
//    loop the completion cannot run on another thread, but code written so stays correct if
//    ports are ever shared.
//  - Idle connections pin no memory: receiving is a zero-byte overlapped WSARecv; when it
//    completes, the data is read with non-blocking recv() into one per-loop buffer until
//    WSAEWOULDBLOCK (at most kReadsPerWakeup times, for fairness), then the zero-byte receive is
//    posted again. Sockets are put in non-blocking mode for that; overlapped calls ignore it.

#include "backend/iocp_backend.h"

#include <chatport/log.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/error.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <utility>

namespace chatport::net::detail {
namespace iocp {
namespace {

constexpr ULONG_PTR kIoKey = 1;         // completion of an operation on a socket
constexpr ULONG_PTR kWakeKey = 2;       // wake(); no OVERLAPPED
constexpr ULONG_PTR kSyntheticKey = 3;  // postSynthetic(); the error is in Op::syntheticError

constexpr ULONG kBatchSize = 128;
// Accepts kept posted per listener. Each holds a pre-created socket; enough that a burst of
// connects (a classroom joining at once) is taken in one wave instead of waiting for re-posts
// that queue behind data completions. (libuv uses the same number.)
constexpr std::size_t kAcceptsOutstanding = 32;
constexpr std::size_t kReadBufferSize = std::size_t{64} << 10;
constexpr int kReadsPerWakeup = 4;
// AcceptEx wants room for each address plus 16 bytes; sockaddr_in6 covers both families.
constexpr DWORD kAcceptAddressLength = sizeof(sockaddr_in6) + 16;
constexpr DWORD kDrainTimeoutMs = 5000;
constexpr ULONGLONG kStarvedRetryMs = static_cast<ULONGLONG>(kAcceptBackOff.count());

SOCKET toSocket(NativeSocket s) noexcept { return static_cast<SOCKET>(s); }
HANDLE toHandle(SOCKET s) noexcept { return reinterpret_cast<HANDLE>(s); }

// Closes socket (if open) under its pending operations: they complete with
// ERROR_OPERATION_ABORTED, and their ops keep what they use alive until then.
void closeUnderPendingIo(SOCKET& socket) noexcept {
  if (socket == INVALID_SOCKET) return;
  ::CancelIoEx(toHandle(socket), nullptr);
  ::closesocket(socket);
  socket = INVALID_SOCKET;
}

using RtlNtStatusToDosErrorFn = ULONG(WINAPI*)(LONG);

// ntdll's status translation, looked up once: used when there is no socket left to ask
// WSAGetOverlappedResult about (a closed socket's handle may already be reused).
ULONG ntStatusToWin32(ULONG_PTR status) {
  static const RtlNtStatusToDosErrorFn fn = [] {
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    const FARPROC proc = ntdll ? ::GetProcAddress(ntdll, "RtlNtStatusToDosError") : nullptr;
    // Through void(*)() so that the function-pointer conversion is explicit and warning-free.
    return reinterpret_cast<RtlNtStatusToDosErrorFn>(reinterpret_cast<void (*)()>(proc));
  }();
  if (!fn) return ERROR_GEN_FAILURE;
  return fn(static_cast<LONG>(status));
}

bool ntSuccess(ULONG_PTR status) noexcept { return static_cast<LONG>(status) >= 0; }

}  // namespace

struct Extensions {
  LPFN_ACCEPTEX acceptEx = nullptr;
  LPFN_CONNECTEX connectEx = nullptr;
  LPFN_GETACCEPTEXSOCKADDRS getAcceptExSockaddrs = nullptr;
};

enum class OpKind : std::uint8_t { Accept, Connect, Receive, Send, DatagramReceive, DatagramSend };

struct Op : OVERLAPPED {
  explicit Op(OpKind k) noexcept : OVERLAPPED{}, kind(k) {}
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  /// An OVERLAPPED must be zeroed before each reuse.
  void resetOverlapped() noexcept {
    static_cast<OVERLAPPED&>(*this) = OVERLAPPED{};
    syntheticError = 0;
  }

  const OpKind kind;
  int syntheticError = 0;
};

struct StreamOp : Op {
  StreamOp(OpKind k, StreamState& s) noexcept : Op(k), stream(s) {}
  StreamState& stream;
  std::shared_ptr<StreamState> keep;  // set while issued
};

struct SendOp : StreamOp {
  explicit SendOp(StreamState& s) noexcept : StreamOp(OpKind::Send, s) {}
  std::vector<WSABUF> buffers;  // the caller's gather list, copied; advanced after short writes
  std::size_t next = 0;         // first buffer not fully sent
  SendHandler onDone;
};

struct AcceptOp : Op {
  explicit AcceptOp(ListenerState& l) noexcept : Op(OpKind::Accept), listener(l) {}
  ListenerState& listener;
  std::shared_ptr<ListenerState> keep;  // set while issued
  SOCKET socket = INVALID_SOCKET;       // the socket AcceptEx accepts into
  bool starved = false;                 // backing off (the accept-error policy); retried from poll()
  alignas(8) std::array<char, 2 * kAcceptAddressLength> addresses{};
};

// The error an operation completed with: a Winsock code when the socket can still be asked,
// else the Win32 translation of the NTSTATUS.
int completionError(SOCKET s, Op& op, ULONG_PTR status) {
  if (ntSuccess(status)) return 0;
  if (s != INVALID_SOCKET) {
    DWORD bytes = 0;
    DWORD flags = 0;
    if (::WSAGetOverlappedResult(s, &op, &bytes, FALSE, &flags)) return 0;
    const int error = ::WSAGetLastError();
    if (error != 0 && error != WSAENOTSOCK) return error;
  }
  return static_cast<int>(ntStatusToWin32(status));
}

// ---------------------------------------------------------------------------------------------

struct StreamState : std::enable_shared_from_this<StreamState> {
  StreamState(IocpBackend& b, SOCKET s, int f) : backend(&b), socket(s), family(f) {}
  ~StreamState() {
    if (socket != INVALID_SOCKET) ::closesocket(socket);
  }

  void connect(const Endpoint& remote, ConnectHandler handler);
  void startReceive(ReceiveHandler handler);
  void pauseReceive() { paused = true; }
  void resumeReceive();
  void send(std::span<const ConstBuffer> buffers, SendHandler handler);
  void close();

  void complete(StreamOp& op, int error, DWORD bytes);

  IocpBackend* backend;  // not used once closed (the backend may be gone by then)
  SOCKET socket;
  int family;
  int setupError = 0;  // the socket could not be attached: every operation fails with this
  bool closed = false;
  bool receiving = false;
  // pauseReceive(): a zero-byte receive that completes meanwhile reads nothing and is not posted
  // again; resumeReceive() reads what waited, through the port.
  bool paused = false;
  int callbackDepth = 0;

  StreamOp connectOp{OpKind::Connect, *this};
  StreamOp receiveOp{OpKind::Receive, *this};
  SendOp sendOp{*this};
  std::shared_ptr<const void> sendBytes;  // see IoStream::keepSendBytes
  ConnectHandler onConnect;
  ReceiveHandler onReceive;

 private:
  void issue(StreamOp& op) {
    op.resetOverlapped();
    op.keep = shared_from_this();
    backend->operationStarted();
  }
  void postZeroByteReceive();
  void postSend();
  void completeConnect(int error);
  void completeReceive(int error);
  void completeSend(int error, DWORD bytes);
  void endReceive(std::error_code ec);

  template <typename Handler, typename... Args>
  void call(Handler& handler, Args&&... args) {
    if (!handler) return;
    ++callbackDepth;
    handler(std::forward<Args>(args)...);
    --callbackDepth;
    if (closed && callbackDepth == 0) dropHandlers();
  }
  /// Releases the handlers (and what they capture) once no handler of this stream is running.
  void dropHandlers() {
    auto self = shared_from_this();  // a released capture may own the IocpStream that owns us
    auto a = std::exchange(onConnect, nullptr);
    auto b = std::exchange(onReceive, nullptr);
    auto c = std::exchange(sendOp.onDone, nullptr);
  }
};

void StreamState::connect(const Endpoint& remote, ConnectHandler handler) {
  if (closed) return;
  onConnect = std::move(handler);
  issue(connectOp);
  if (setupError != 0) {
    backend->postSynthetic(connectOp, setupError);
    return;
  }
  const Extensions* ext = backend->extensions(static_cast<NativeSocket>(socket), family);
  if (ext == nullptr || ext->connectEx == nullptr) {
    backend->postSynthetic(connectOp, WSAEOPNOTSUPP);
    return;
  }
  // The socket was bound to the wildcard address in createStream(): ConnectEx requires it.
  if (!ext->connectEx(socket, static_cast<const sockaddr*>(remote.data()),
                      static_cast<int>(remote.size()), nullptr, 0, nullptr, &connectOp)) {
    const int error = ::WSAGetLastError();
    if (error != ERROR_IO_PENDING) backend->postSynthetic(connectOp, error);
  }
}

void StreamState::startReceive(ReceiveHandler handler) {
  if (closed || receiving) return;
  onReceive = std::move(handler);
  receiving = true;
  if (!paused) postZeroByteReceive();
}

void StreamState::resumeReceive() {
  if (!std::exchange(paused, false) || closed || !receiving) return;
  // The zero-byte receive still posted reads when it completes; otherwise read now, from the
  // port (never inside this call).
  if (!receiveOp.keep) {
    issue(receiveOp);
    backend->postSynthetic(receiveOp, 0);
  }
}

void StreamState::postZeroByteReceive() {
  issue(receiveOp);
  if (setupError != 0) {
    backend->postSynthetic(receiveOp, setupError);
    return;
  }
  // Zero bytes: completes when data (or FIN, or RST) arrives, pinning no buffer meanwhile.
  WSABUF none{0, nullptr};
  DWORD flags = 0;
  if (::WSARecv(socket, &none, 1, nullptr, &flags, &receiveOp, nullptr) == SOCKET_ERROR) {
    const int error = ::WSAGetLastError();
    if (error != WSA_IO_PENDING) backend->postSynthetic(receiveOp, error);
  }
}

void StreamState::send(std::span<const ConstBuffer> buffers, SendHandler handler) {
  if (closed) return;
  if (sendOp.keep) {
    backend->log_->error("iocp: send() while a send is outstanding; ignored");
    return;
  }
  sendOp.buffers.clear();
  for (const ConstBuffer& b : buffers) {
    // WSABUF lengths are ULONG: split anything larger.
    auto* data = const_cast<char*>(reinterpret_cast<const char*>(b.data));
    std::size_t left = b.size;
    while (left > 0) {
      const auto chunk = static_cast<ULONG>(
          std::min<std::size_t>(left, std::numeric_limits<ULONG>::max()));
      sendOp.buffers.push_back(WSABUF{chunk, data});
      data += chunk;
      left -= chunk;
    }
  }
  sendOp.next = 0;
  sendOp.onDone = std::move(handler);
  postSend();
}

void StreamState::postSend() {
  issue(sendOp);
  if (setupError != 0) {
    backend->postSynthetic(sendOp, setupError);
    return;
  }
  const std::size_t left = sendOp.buffers.size() - sendOp.next;
  if (left == 0) {  // nothing to send: complete through the port like any other send
    backend->postSynthetic(sendOp, 0);
    return;
  }
  // One WSASend in flight per socket, as a gather of everything queued.
  if (::WSASend(socket, sendOp.buffers.data() + sendOp.next, static_cast<DWORD>(left), nullptr, 0,
                &sendOp, nullptr) == SOCKET_ERROR) {
    const int error = ::WSAGetLastError();
    if (error != WSA_IO_PENDING) backend->postSynthetic(sendOp, error);
  }
}

void StreamState::close() {
  if (closed) return;
  closed = true;
  auto self = shared_from_this();
  backend->streams_.erase(this);
  closeUnderPendingIo(socket);  // complete() runs no handler for a closed stream
  if (callbackDepth == 0) dropHandlers();
}

void StreamState::complete(StreamOp& op, int error, DWORD bytes) {
  // Holds the state until this function returns, even if a handler drops the last IoStream.
  const std::shared_ptr<StreamState> keep = std::move(op.keep);
  if (closed) {
    // The send is back: the bytes kept for it since close() may go.
    std::shared_ptr<const void> released;
    if (&op == &sendOp) released = std::move(sendBytes);
    return;
  }
  switch (op.kind) {
    case OpKind::Connect:
      completeConnect(error);
      break;
    case OpKind::Receive:
      completeReceive(error);
      break;
    case OpKind::Send:
      completeSend(error, bytes);
      break;
    case OpKind::Accept:
    case OpKind::DatagramReceive:
    case OpKind::DatagramSend:
      break;
  }
}

void StreamState::completeConnect(int error) {
  if (error == 0 &&
      ::setsockopt(socket, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, nullptr, 0) != 0) {
    // Without it getpeername(), shutdown() and friends fail on the socket.
    error = ::WSAGetLastError();
  }
  auto handler = std::exchange(onConnect, nullptr);
  call(handler, socketError(error));
}

void StreamState::completeReceive(int error) {
  if (error != 0) {
    endReceive(socketError(error));
    return;
  }
  if (paused) return;  // resumeReceive() reads it
  std::vector<std::byte>& buffer = backend->readBuffer_;
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    const int n = ::recv(socket, reinterpret_cast<char*>(buffer.data()),
                         static_cast<int>(buffer.size()), 0);
    if (n > 0) {
      call(onReceive, std::error_code{},
           std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
      if (closed || paused) return;  // paused: resumeReceive() reads the rest
      if (static_cast<std::size_t>(n) < buffer.size()) break;  // most likely drained
      continue;
    }
    if (n == 0) {
      endReceive(make_error_code(Error::PeerClosed));
      return;
    }
    const int readError = ::WSAGetLastError();
    if (readError == WSAEWOULDBLOCK) break;
    endReceive(socketError(readError));
    return;
  }
  postZeroByteReceive();
}

void StreamState::endReceive(std::error_code ec) {
  receiving = false;
  auto handler = std::exchange(onReceive, nullptr);
  call(handler, ec, std::span<const std::byte>{});
}

void StreamState::completeSend(int error, DWORD bytes) {
  if (error == 0) {
    std::vector<WSABUF>& bufs = sendOp.buffers;
    const DWORD sent = bytes;
    while (bytes > 0 && sendOp.next < bufs.size()) {
      WSABUF& b = bufs[sendOp.next];
      if (bytes >= b.len) {
        bytes -= b.len;
        ++sendOp.next;
      } else {
        b.buf += bytes;
        b.len -= bytes;
        bytes = 0;
      }
    }
    if (sendOp.next < bufs.size()) {
      if (sent > 0) {
        // A short write: continue with the rest, still one WSASend in flight.
        postSend();
        return;
      }
      error = WSAESHUTDOWN;  // no progress and no error: retrying would spin
    }
  }
  sendOp.buffers.clear();
  auto handler = std::exchange(sendOp.onDone, nullptr);
  call(handler, socketError(error));
}

// ---------------------------------------------------------------------------------------------

// A datagram socket: one WSARecvFrom kept posted into the socket's own buffer (a datagram must
// land whole in one buffer to be told apart from a truncated one), one WSASendTo at a time.
// The arrival interface is not asked for (WSARecvMsg is missing or partial under Wine): 0.
struct DatagramOp : Op {
  DatagramOp(OpKind k, DatagramState& d) noexcept : Op(k), datagram(d) {}
  DatagramState& datagram;
  std::shared_ptr<DatagramState> keep;  // set while issued
};

struct DatagramState : std::enable_shared_from_this<DatagramState> {
  DatagramState(IocpBackend& b, SOCKET s) : backend(&b), socket(s) {}
  ~DatagramState() {
    if (socket != INVALID_SOCKET) ::closesocket(socket);
  }

  void startReceive(DatagramReceiveHandler handler) {
    if (closed || receiving) return;
    onDatagram = std::move(handler);
    receiving = true;
    postReceive();
  }

  void sendTo(const Endpoint& to, std::span<const std::byte> data, SendHandler handler) {
    if (closed) return;
    onSent = std::move(handler);
    sendTarget = to;
    sendBuffer = WSABUF{static_cast<ULONG>(data.size()),
                        const_cast<char*>(reinterpret_cast<const char*>(data.data()))};
    issue(sendOp);
    if (setupError != 0) {
      backend->postSynthetic(sendOp, setupError);
      return;
    }
    if (::WSASendTo(socket, &sendBuffer, 1, nullptr, 0,
                    static_cast<const sockaddr*>(sendTarget.data()),
                    static_cast<int>(sendTarget.size()), &sendOp, nullptr) == SOCKET_ERROR) {
      const int error = ::WSAGetLastError();
      if (error != WSA_IO_PENDING) backend->postSynthetic(sendOp, error);
    }
  }

  void close() {
    if (closed) return;
    closed = true;
    auto self = shared_from_this();
    backend->datagrams_.erase(this);
    closeUnderPendingIo(socket);  // the ops keep this state, its buffers and sendBytes alive
    if (callbackDepth == 0) dropHandlers();
  }

  void complete(DatagramOp& op, int error, DWORD bytes) {
    const std::shared_ptr<DatagramState> keep = std::move(op.keep);
    if (closed) {
      std::shared_ptr<const void> released;
      if (&op == &sendOp) released = std::move(sendBytes);
      return;
    }
    if (&op == &sendOp) {
      auto handler = std::exchange(onSent, nullptr);
      call(handler, socketError(error));
      return;
    }
    const Endpoint sender = Endpoint::fromSockaddr(&from, static_cast<std::size_t>(fromLength));
    if (error == 0 || error == WSAEMSGSIZE || error == ERROR_MORE_DATA) {
      // WSAEMSGSIZE: the datagram was larger than the buffer and was cut: not delivered.
      const bool truncated = error != 0;
      call(onDatagram, std::error_code{}, sender,
           std::span<const std::byte>(buffer.data(), truncated ? 0 : bytes), 0u, truncated);
    } else {
      const std::error_code ec = socketError(error);
      if (!isTransientDatagramError(ec)) receiving = false;
      call(onDatagram, ec, Endpoint{}, std::span<const std::byte>{}, 0u, false);
    }
    if (!closed && receiving) postReceive();
  }

  IocpBackend* backend;  // not used once closed
  SOCKET socket;
  int setupError = 0;
  bool closed = false;
  bool receiving = false;
  int callbackDepth = 0;
  DatagramOp receiveOp{OpKind::DatagramReceive, *this};
  DatagramOp sendOp{OpKind::DatagramSend, *this};
  DatagramReceiveHandler onDatagram;
  SendHandler onSent;
  std::shared_ptr<const void> sendBytes;  // see IoDatagram::keepSendBytes

 private:
  void issue(DatagramOp& op) {
    op.resetOverlapped();
    op.keep = shared_from_this();
    backend->operationStarted();
  }
  void postReceive() {
    issue(receiveOp);
    if (setupError != 0) {
      backend->postSynthetic(receiveOp, setupError);
      return;
    }
    receiveBuffer = WSABUF{static_cast<ULONG>(buffer.size()), reinterpret_cast<char*>(buffer.data())};
    fromLength = sizeof from;
    receiveFlags = 0;
    if (::WSARecvFrom(socket, &receiveBuffer, 1, nullptr, &receiveFlags,
                      reinterpret_cast<sockaddr*>(&from), &fromLength, &receiveOp,
                      nullptr) == SOCKET_ERROR) {
      const int error = ::WSAGetLastError();
      // A datagram too large for the buffer completes at once with WSAEMSGSIZE, yet its
      // completion (STATUS_BUFFER_OVERFLOW, a warning, not an error) is queued to the port
      // all the same: a synthetic one as well would complete the receive twice.
      if (error != WSA_IO_PENDING && error != WSAEMSGSIZE) backend->postSynthetic(receiveOp, error);
    }
  }
  template <typename Handler, typename... Args>
  void call(Handler& handler, Args&&... args) {
    if (!handler) return;
    ++callbackDepth;
    handler(std::forward<Args>(args)...);
    --callbackDepth;
    if (closed && callbackDepth == 0) dropHandlers();
  }
  void dropHandlers() {
    auto self = shared_from_this();
    auto a = std::exchange(onDatagram, nullptr);
    auto b = std::exchange(onSent, nullptr);
  }

  // Written by the system while receiveOp is issued.
  std::array<std::byte, kMaxDatagramSize> buffer{};
  sockaddr_storage from{};
  INT fromLength = 0;
  DWORD receiveFlags = 0;
  WSABUF receiveBuffer{};
  // Read by the system while sendOp is issued.
  Endpoint sendTarget;
  WSABUF sendBuffer{};
};

// ---------------------------------------------------------------------------------------------

struct ListenerState : std::enable_shared_from_this<ListenerState> {
  ListenerState(IocpBackend& b, SOCKET s, int f) : backend(&b), socket(s), family(f) {
    for (auto& op : ops) op = std::make_unique<AcceptOp>(*this);
  }
  ~ListenerState() {
    if (socket != INVALID_SOCKET) ::closesocket(socket);
  }

  void start();
  void close();
  /// synthetic: the error came from a call that failed at once, before any connection.
  void complete(AcceptOp& op, int error, bool synthetic);
  void retryStarved();

  IocpBackend* backend;  // not used once closed
  SOCKET socket;
  int family;
  bool closed = false;
  bool failed = false;  // a fatal error was reported; nothing more is accepted
  int setupError = 0;
  int callbackDepth = 0;
  AcceptHandler onAccept;
  ListenErrorHandler onError;
  std::array<std::unique_ptr<AcceptOp>, kAcceptsOutstanding> ops;

 private:
  void postAccept(AcceptOp& op);
  /// Makes an accepted socket usable; returns 0 or the Winsock error.
  int finishAccept(AcceptOp& op, SOCKET accepted, Endpoint& peer);
  void backOff(AcceptOp& op, std::error_code ec);
  template <typename Handler, typename... Args>
  void call(Handler& handler, Args&&... args) {
    if (!handler) return;
    ++callbackDepth;
    handler(std::forward<Args>(args)...);
    --callbackDepth;
    if (closed && callbackDepth == 0) dropHandlers();
  }
  /// Releases the handlers (and what they capture) once no handler of this listener is running.
  void dropHandlers() {
    auto self = shared_from_this();
    auto a = std::exchange(onAccept, nullptr);
    auto e = std::exchange(onError, nullptr);
  }
};

void ListenerState::start() {
  for (auto& op : ops) postAccept(*op);
}

void ListenerState::postAccept(AcceptOp& op) {
  op.resetOverlapped();
  op.keep = shared_from_this();
  op.starved = false;
  backend->operationStarted();
  if (setupError != 0) {
    backend->postSynthetic(op, setupError);
    return;
  }
  const Extensions* ext = backend->extensions(static_cast<NativeSocket>(socket), family);
  if (ext == nullptr || ext->acceptEx == nullptr || ext->getAcceptExSockaddrs == nullptr) {
    backend->postSynthetic(op, WSAEOPNOTSUPP);
    return;
  }
  std::error_code ec;
  const NativeSocket s = openTcpSocket(family, ec);
  if (ec) {
    // No socket to accept into is a shortage whatever the code says (Wine has answered
    // WSAEINVAL when out of descriptors): backed off, never fatal to the listener.
    const int error = ::WSAGetLastError();
    op.starved = true;
    backend->postSynthetic(op, error != 0 ? error : WSAENOBUFS);
    return;
  }
  op.socket = toSocket(s);
  DWORD received = 0;
  // A zero-length receive buffer: the accept completes on the handshake, so a client that
  // connects and stays silent cannot pin one of our outstanding accepts.
  if (!ext->acceptEx(socket, op.socket, op.addresses.data(), 0, kAcceptAddressLength,
                     kAcceptAddressLength, &received, &op)) {
    const int error = ::WSAGetLastError();
    if (error != ERROR_IO_PENDING) backend->postSynthetic(op, error);
  }
}

void ListenerState::complete(AcceptOp& op, int error, bool synthetic) {
  const std::shared_ptr<ListenerState> keep = std::move(op.keep);
  const SOCKET accepted = std::exchange(op.socket, INVALID_SOCKET);
  if (closed || failed) {
    if (accepted != INVALID_SOCKET) ::closesocket(accepted);
    return;
  }

  if (error == 0) {
    Endpoint peer;
    // Failures past this point concern the accepted socket only: the listener goes on.
    const int finishError = finishAccept(op, accepted, peer);
    postAccept(op);  // keep the accept backlog full before running user code
    if (finishError == 0 && onAccept) {
      call(onAccept, static_cast<NativeSocket>(accepted), peer);
    } else if (finishError == 0) {
      ::closesocket(accepted);  // nobody to hand it to
    } else {
      ::closesocket(accepted);
      backend->acceptLog_.note(AcceptErrorAction::Skip, socketError(finishError));
    }
    return;
  }

  if (accepted != INVALID_SOCKET) ::closesocket(accepted);
  const std::error_code ec = socketError(error);
  AcceptErrorAction action = op.starved ? AcceptErrorAction::BackOff : classifyAcceptError(ec);
  // AcceptEx refused at once: no connection was used up, so going on at once could spin.
  if (action == AcceptErrorAction::Skip && synthetic) action = AcceptErrorAction::BackOff;
  switch (action) {
    case AcceptErrorAction::Skip:
      // The client gave up before we took it (RST, ERROR_NETNAME_DELETED...): go on.
      backend->acceptLog_.note(action, ec);
      postAccept(op);
      return;
    case AcceptErrorAction::BackOff:
      backOff(op, ec);
      return;
    case AcceptErrorAction::Fatal:
      break;
  }
  // The listener is finished: stop the other accepts and report it, last.
  failed = true;
  ::CancelIoEx(toHandle(socket), nullptr);
  backend->log_->debug("iocp: accepting stopped (error {}): {}", error, ec.message());
  auto handler = std::exchange(onError, nullptr);
  call(handler, ec);
}

void ListenerState::backOff(AcceptOp& op, std::error_code ec) {
  // Keep the listener; poll() posts this accept again after kAcceptBackOff.
  backend->acceptLog_.note(AcceptErrorAction::BackOff, ec);
  op.starved = true;
  backend->starved_.insert(this);
}

int ListenerState::finishAccept(AcceptOp& op, SOCKET accepted, Endpoint& peer) {
  // The accepted socket takes the listener's properties only with this, and getpeername(),
  // shutdown() and setsockopt() misbehave without it. It must be given the LISTENING socket.
  if (::setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                   reinterpret_cast<const char*>(&socket), sizeof socket) != 0) {
    return ::WSAGetLastError();
  }
  const Extensions* ext = backend->extensions(static_cast<NativeSocket>(socket), family);
  sockaddr* local = nullptr;
  sockaddr* remote = nullptr;
  int localLength = 0;
  int remoteLength = 0;
  ext->getAcceptExSockaddrs(op.addresses.data(), 0, kAcceptAddressLength, kAcceptAddressLength,
                            &local, &localLength, &remote, &remoteLength);
  if (remote != nullptr && remoteLength > 0) {
    peer = Endpoint::fromSockaddr(remote, static_cast<std::size_t>(remoteLength));
  }
  // The receive path reads with non-blocking recv() after a zero-byte WSARecv.
  u_long on = 1;
  if (::ioctlsocket(accepted, FIONBIO, &on) != 0) return ::WSAGetLastError();
  return 0;
}

void ListenerState::retryStarved() {
  if (closed || failed) return;
  for (auto& op : ops) {
    if (op->starved && !op->keep) postAccept(*op);
  }
}

void ListenerState::close() {
  if (closed) return;
  closed = true;
  auto self = shared_from_this();
  backend->listeners_.erase(this);
  backend->starved_.erase(this);
  closeUnderPendingIo(socket);  // a pending AcceptEx's socket is closed when it completes
  if (callbackDepth == 0) dropHandlers();
}

// ---------------------------------------------------------------------------------------------

class IocpStream final : public IoStream {
 public:
  explicit IocpStream(std::shared_ptr<StreamState> state) : state_(std::move(state)) {}
  ~IocpStream() override { state_->close(); }
  IocpStream(const IocpStream&) = delete;
  IocpStream& operator=(const IocpStream&) = delete;

  void connect(const Endpoint& remote, ConnectHandler onDone) override {
    state_->connect(remote, std::move(onDone));
  }
  void startReceive(StreamEvents& events) override {
    state_->startReceive([&events](std::error_code ec, std::span<const std::byte> data) {
      events.onReceived(ec, data);
    });
  }
  void pauseReceive() override { state_->pauseReceive(); }
  void resumeReceive() override { state_->resumeReceive(); }
  void send(std::span<const ConstBuffer> buffers, StreamEvents& events) override {
    state_->send(buffers, [&events](std::error_code ec) { events.onSent(ec); });
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    if (state_->sendOp.keep) state_->sendBytes = std::move(owner);  // else nothing is in flight
  }
  void close() override { state_->close(); }
  NativeSocket nativeHandle() const noexcept override {
    return state_->socket == INVALID_SOCKET ? kInvalidSocket
                                            : static_cast<NativeSocket>(state_->socket);
  }

 private:
  std::shared_ptr<StreamState> state_;
};

class IocpDatagram final : public IoDatagram {
 public:
  explicit IocpDatagram(std::shared_ptr<DatagramState> state) : state_(std::move(state)) {}
  ~IocpDatagram() override { state_->close(); }
  IocpDatagram(const IocpDatagram&) = delete;
  IocpDatagram& operator=(const IocpDatagram&) = delete;

  void startReceive(DatagramReceiveHandler onDatagram) override {
    state_->startReceive(std::move(onDatagram));
  }
  void sendTo(const Endpoint& to, std::span<const std::byte> data, SendHandler onDone) override {
    state_->sendTo(to, data, std::move(onDone));
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    if (state_->sendOp.keep) state_->sendBytes = std::move(owner);
  }
  void close() override { state_->close(); }

 private:
  std::shared_ptr<DatagramState> state_;
};

class IocpListener final : public IoListener {
 public:
  explicit IocpListener(std::shared_ptr<ListenerState> state) : state_(std::move(state)) {}
  ~IocpListener() override { state_->close(); }
  IocpListener(const IocpListener&) = delete;
  IocpListener& operator=(const IocpListener&) = delete;

  void close() override { state_->close(); }

 private:
  std::shared_ptr<ListenerState> state_;
};

}  // namespace iocp

// ---------------------------------------------------------------------------------------------

using iocp::AcceptOp;
using iocp::DatagramOp;
using iocp::DatagramState;
using iocp::Extensions;
using iocp::ListenerState;
using iocp::Op;
using iocp::OpKind;
using iocp::StreamOp;
using iocp::StreamState;

std::unique_ptr<Backend> makeIocpBackend(std::error_code& ec) {
  initSockets();
  HANDLE port = ::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  if (port == nullptr) {
    ec = socketError(static_cast<int>(::GetLastError()));
    return nullptr;
  }
  ec.clear();
  return std::unique_ptr<Backend>(new IocpBackend(port));
}

IocpBackend::IocpBackend(void* port)
    : port_(port),
      log_(logging::get("net")),
      unadoptable_(log_, spdlog::level::err, "iocp: cannot adopt an accepted socket"),
      readBuffer_(iocp::kReadBufferSize) {}

IocpBackend::~IocpBackend() {
  // Close what the loop left open; their handlers are released and never run again.
  std::vector<std::shared_ptr<StreamState>> streams;
  for (StreamState* s : streams_) streams.push_back(s->shared_from_this());
  std::vector<std::shared_ptr<ListenerState>> listeners;
  for (ListenerState* l : listeners_) listeners.push_back(l->shared_from_this());
  std::vector<std::shared_ptr<DatagramState>> datagrams;
  for (DatagramState* d : datagrams_) datagrams.push_back(d->shared_from_this());
  for (auto& d : datagrams) d->close();
  datagrams.clear();
  for (auto& s : streams) s->close();
  for (auto& l : listeners) l->close();
  streams.clear();
  listeners.clear();

  // Wait for every issued operation to come back before the memory it points into goes away.
  const ULONGLONG deadline = ::GetTickCount64() + iocp::kDrainTimeoutMs;
  std::array<OVERLAPPED_ENTRY, iocp::kBatchSize> entries{};
  while (pendingOps_ > 0) {
    const ULONGLONG now = ::GetTickCount64();
    if (now >= deadline) {
      // Leak the states those operations reference rather than free memory still in use.
      log_->warn("iocp: {} operation(s) still pending after {} ms; leaking them", pendingOps_,
                 iocp::kDrainTimeoutMs);
      break;
    }
    ULONG count = 0;
    if (!::GetQueuedCompletionStatusEx(port_, entries.data(), iocp::kBatchSize, &count,
                                       static_cast<DWORD>(deadline - now), FALSE)) {
      continue;  // WAIT_TIMEOUT: the deadline check ends the loop
    }
    for (ULONG i = 0; i < count; ++i) {
      const OVERLAPPED_ENTRY& e = entries[i];
      if (e.lpCompletionKey == iocp::kWakeKey || e.lpOverlapped == nullptr) continue;
      --pendingOps_;
      // Every owner is closed: this only releases the op's reference.
      dispatch(*static_cast<Op*>(e.lpOverlapped), e.lpCompletionKey == iocp::kSyntheticKey,
               e.Internal, 0);
    }
  }
  ::CloseHandle(port_);
}

void IocpBackend::poll(int timeoutMs) {
  if (!starved_.empty()) {
    const ULONGLONG now = ::GetTickCount64();
    if (now - lastStarvedRetry_ >= iocp::kStarvedRetryMs) {
      lastStarvedRetry_ = now;
      retryStarvedAccepts();
    }
  }
  DWORD timeout = timeoutMs < 0 ? INFINITE : static_cast<DWORD>(timeoutMs);
  if (!starved_.empty()) timeout = std::min<DWORD>(timeout, iocp::kStarvedRetryMs);

  std::array<OVERLAPPED_ENTRY, iocp::kBatchSize> entries{};
  ULONG count = 0;
  if (!::GetQueuedCompletionStatusEx(port_, entries.data(), iocp::kBatchSize, &count, timeout,
                                     FALSE)) {
    const DWORD error = ::GetLastError();
    if (error != WAIT_TIMEOUT) {
      log_->error("iocp: GetQueuedCompletionStatusEx failed: {}",
                  socketError(static_cast<int>(error)).message());
    }
    return;
  }
  for (ULONG i = 0; i < count; ++i) {
    const OVERLAPPED_ENTRY& e = entries[i];
    if (e.lpCompletionKey == iocp::kWakeKey) {
      // Cleared when taken, so a wake() after this point posts a fresh packet. An exchange,
      // not a store: it synchronizes with the wake() whose packet this is, so the work posted
      // before that wake() is visible once poll() returns.
      wakePending_.exchange(false, std::memory_order_acq_rel);
      continue;
    }
    if (e.lpOverlapped == nullptr) continue;
    --pendingOps_;
    dispatch(*static_cast<Op*>(e.lpOverlapped), e.lpCompletionKey == iocp::kSyntheticKey,
             e.Internal, e.dwNumberOfBytesTransferred);
  }
}

void IocpBackend::dispatch(Op& op, bool synthetic, std::uintptr_t status, unsigned long bytes) {
  // The per-entry status is the operation's NTSTATUS, read from its OVERLAPPED_ENTRY; a
  // synthetic completion carries a Winsock code instead.
  switch (op.kind) {
    case OpKind::Accept: {
      auto& accept = static_cast<AcceptOp&>(op);
      ListenerState& listener = accept.listener;
      const int error = synthetic ? op.syntheticError
                        : listener.closed
                            ? ERROR_OPERATION_ABORTED
                            : iocp::completionError(listener.socket, op, status);
      listener.complete(accept, error, synthetic);
      break;
    }
    case OpKind::DatagramReceive:
    case OpKind::DatagramSend: {
      auto& datagramOp = static_cast<DatagramOp&>(op);
      DatagramState& datagram = datagramOp.datagram;
      const int error = synthetic ? op.syntheticError
                        : datagram.closed ? ERROR_OPERATION_ABORTED
                                          : iocp::completionError(datagram.socket, op, status);
      datagram.complete(datagramOp, error, error == 0 ? bytes : 0);
      break;
    }
    case OpKind::Connect:
    case OpKind::Receive:
    case OpKind::Send: {
      auto& streamOp = static_cast<StreamOp&>(op);
      StreamState& stream = streamOp.stream;
      const int error = synthetic ? op.syntheticError
                        : stream.closed ? ERROR_OPERATION_ABORTED
                                        : iocp::completionError(stream.socket, op, status);
      stream.complete(streamOp, error, error == 0 ? bytes : 0);
      break;
    }
  }
}

void IocpBackend::wake() {
  // Many wakes, one packet: only the first since the last one was taken posts.
  if (wakePending_.exchange(true, std::memory_order_acq_rel)) return;
  if (!::PostQueuedCompletionStatus(port_, 0, iocp::kWakeKey, nullptr)) {
    wakePending_.store(false, std::memory_order_release);
    log_->error("iocp: PostQueuedCompletionStatus (wake) failed: {}",
                socketError(static_cast<int>(::GetLastError())).message());
  }
}

void IocpBackend::postSynthetic(Op& op, int wsaError) {
  op.syntheticError = wsaError;
  if (!::PostQueuedCompletionStatus(port_, 0, iocp::kSyntheticKey, &op)) {
    // Cannot happen short of memory exhaustion in the kernel; the operation is lost, so at
    // least keep the count right for the destructor.
    log_->error("iocp: PostQueuedCompletionStatus failed: {}",
                socketError(static_cast<int>(::GetLastError())).message());
    operationNotStarted();
  }
}

int IocpBackend::associate(NativeSocket socket) {
  const HANDLE handle = iocp::toHandle(iocp::toSocket(socket));
  if (::CreateIoCompletionPort(handle, port_, iocp::kIoKey, 0) != port_) {
    const auto error = static_cast<int>(::GetLastError());
    return error != 0 ? error : ERROR_INVALID_PARAMETER;
  }
  // No event to set on completion: nothing waits on the socket handle. (Completions are still
  // queued to the port on immediate success: see the file comment.)
  ::SetFileCompletionNotificationModes(handle, FILE_SKIP_SET_EVENT_ON_HANDLE);
  return 0;
}

const Extensions* IocpBackend::extensions(NativeSocket socket, int family) {
  // Provider specific, so looked up per family, once, with a socket of that family.
  std::unique_ptr<Extensions>& slot = family == AF_INET6 ? extV6_ : extV4_;
  if (slot) return slot.get();
  auto ext = std::make_unique<Extensions>();
  const SOCKET s = iocp::toSocket(socket);
  DWORD bytes = 0;
  GUID acceptExId = WSAID_ACCEPTEX;
  GUID connectExId = WSAID_CONNECTEX;
  GUID sockaddrsId = WSAID_GETACCEPTEXSOCKADDRS;
  const bool ok =
      ::WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptExId, sizeof acceptExId,
                 &ext->acceptEx, sizeof ext->acceptEx, &bytes, nullptr, nullptr) == 0 &&
      ::WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connectExId, sizeof connectExId,
                 &ext->connectEx, sizeof ext->connectEx, &bytes, nullptr, nullptr) == 0 &&
      ::WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sockaddrsId, sizeof sockaddrsId,
                 &ext->getAcceptExSockaddrs, sizeof ext->getAcceptExSockaddrs, &bytes, nullptr,
                 nullptr) == 0;
  if (!ok) {
    log_->error("iocp: cannot load AcceptEx/ConnectEx: {}", lastSocketError().message());
    return nullptr;
  }
  slot = std::move(ext);
  return slot.get();
}

void IocpBackend::retryStarvedAccepts() {
  std::vector<std::shared_ptr<ListenerState>> starved;
  for (ListenerState* l : starved_) starved.push_back(l->shared_from_this());
  starved_.clear();
  for (auto& l : starved) l->retryStarved();
}

std::unique_ptr<IoListener> IocpBackend::listen(NativeSocket socket, int family,
                                                AcceptHandler onAccept,
                                                ListenErrorHandler onError) {
  auto state = std::make_shared<ListenerState>(*this, iocp::toSocket(socket), family);
  state->onAccept = std::move(onAccept);
  state->onError = std::move(onError);
  // On failure the accepts complete with the error, reported from poll() as ending the listener.
  state->setupError = associate(socket);
  if (state->setupError != 0) {
    log_->error("iocp: cannot attach a listener to the completion port: {}",
                socketError(state->setupError).message());
  }
  listeners_.insert(state.get());
  state->start();
  return std::make_unique<iocp::IocpListener>(std::move(state));
}

std::unique_ptr<IoStream> IocpBackend::adopt(NativeSocket socket) {
  auto state = std::make_shared<StreamState>(*this, iocp::toSocket(socket), AF_UNSPEC);
  // adopt() has no error channel: a socket that cannot be attached fails each operation instead.
  state->setupError = associate(socket);
  if (state->setupError == 0 && setNonBlocking(socket)) {
    state->setupError = ::WSAGetLastError();
    if (state->setupError == 0) state->setupError = WSAEINVAL;
  }
  if (state->setupError != 0 && unadoptable_.enabled())
    unadoptable_.log(describe(socketError(state->setupError)));
  streams_.insert(state.get());
  return std::make_unique<iocp::IocpStream>(std::move(state));
}

std::unique_ptr<IoDatagram> IocpBackend::adoptDatagram(NativeSocket socket, int /*family*/) {
  auto state = std::make_shared<DatagramState>(*this, iocp::toSocket(socket));
  // Failures come back through the receive (and each send), from poll().
  state->setupError = associate(socket);
  datagrams_.insert(state.get());
  return std::make_unique<iocp::IocpDatagram>(std::move(state));
}

std::unique_ptr<IoStream> IocpBackend::createStream(int family, std::error_code& ec) {
  const NativeSocket socket = openTcpSocket(family, ec);
  if (ec) return nullptr;
  // ConnectEx only works on a bound socket: bind to the wildcard address, any port.
  sockaddr_storage any{};
  int anyLength = 0;
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&any);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_any;
    anyLength = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&any);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_ANY);
    anyLength = sizeof(sockaddr_in);
  }
  if (::bind(iocp::toSocket(socket), reinterpret_cast<const sockaddr*>(&any), anyLength) != 0) {
    ec = lastSocketError();
  }
  if (!ec) {
    if (const int error = associate(socket); error != 0) ec = socketError(error);
  }
  if (!ec) ec = setNonBlocking(socket);
  if (ec) {
    closeSocket(socket);
    return nullptr;
  }
  auto state = std::make_shared<StreamState>(*this, iocp::toSocket(socket), family);
  streams_.insert(state.get());
  return std::make_unique<iocp::IocpStream>(std::move(state));
}

}  // namespace chatport::net::detail
