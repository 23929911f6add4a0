#include "backend/uring_backend.h"

#include "backend/arrival_interface.h"
#include "backend/buffer_lending.h"

#include <chatport/log.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/error.h>
#include <chatport/net/record_pool.h>

#include <liburing.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace chatport::net::detail {
namespace {

constexpr unsigned kSqEntries = 256;
// Multishot operations post completions without new submissions, so the completion queue is
// far larger than the submission queue; IORING_FEAT_NODROP keeps any excess in the kernel.
constexpr unsigned kCqEntries = 8192;
// The provided-buffer ring, shared by every stream of the loop. A buffer is lent to the
// kernel, filled, handed to one receive handler and given back right after it, so the count
// bounds only how much received data can wait between two turns of the loop (a turn with more
// receives than buffers re-arms the rest after it: see ENOBUFS in onRecv). The ring hands them
// out in turn, so every buffer lent is touched even by idle links' heartbeats: a loop lends
// kBuffersLent of them, and all of them while data streams in (BufferLending).
constexpr unsigned kBufferCount = 64;  // a power of two, as buffer rings require
constexpr unsigned kBuffersLent = 16;
constexpr std::size_t kBufferSize = 16 * 1024;
constexpr auto kBufferLendingPeriod = std::chrono::seconds(2);
constexpr std::uint16_t kBufferGroup = 0;
constexpr unsigned kReapBatch = 256;
// Without multishot accept, one accept completes per turn per armed accept: keep several armed
// so that a burst of connections is taken in a few turns, not one turn each.
constexpr std::size_t kAcceptSlots = 16;
// How long the destructor waits for cancelled operations to come back.
constexpr auto kTeardownWait = std::chrono::seconds(2);
constexpr int kAcceptFlags = SOCK_NONBLOCK | SOCK_CLOEXEC;
// liburing's own timeout entries (used only on kernels without IORING_FEAT_EXT_ARG) carry this
// user_data (LIBURING_UDATA_TIMEOUT, spelled out to avoid the header's C cast).
constexpr std::uint64_t kLiburingTimeout = ~std::uint64_t{0};

enum class OpKind : std::uint8_t {
  Wake,
  Cancel,
  Probe,
  Accept,
  AcceptBackoff,
  Connect,
  Recv,
  Send,
  RecvMsg,  // a datagram socket's
  SendMsg,
};

struct Socket;

// One kind of operation of one socket; the submission's user_data points here. armed means
// the kernel still owes the final completion (one without IORING_CQE_F_MORE).
// Packed into 16 bytes: every stream has two.
struct Op {
  Op() = default;
  Op(OpKind k, Socket* o) : owner(o), kind(k) {}
  Socket* owner = nullptr;  // null for the backend's own operations
  int result = 0;           // last result, for probes
  OpKind kind = OpKind::Probe;
  std::uint8_t slot = 0;  // which accept slot
  bool armed : 1 = false;
  bool cancelRequested : 1 = false;
  bool multishot : 1 = false;      // as armed
  bool sawCompletion : 1 = false;  // since armed
};
static_assert(sizeof(Op) == 16);
static_assert(kAcceptSlots <= 256, "an accept slot's index is a byte");

class UringBackend;

// State shared by a stream or listener handle and the kernel's operations on its socket.
// References: one for the handle until close(), one per armed operation, plus short holds
// while a handler runs. The fd is closed and the object freed when the last one goes.
struct Socket {
  enum class Kind : std::uint8_t { Stream, Listener, Datagram };
  Socket(UringBackend& b, int f, Kind k) : backend(b), fd(f), kind(k), isListener(k == Kind::Listener) {}
  virtual ~Socket() = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  UringBackend& backend;
  Socket** handleSlot = nullptr;  // the handle's pointer to this, cleared when detached
  Socket* prev = nullptr;         // the backend's list of live sockets
  Socket* next = nullptr;
  const int fd;
  int refs = 1;
  const Kind kind;
  const bool isListener;
  bool closed = false;
  // A stream's or a datagram socket's, here where they fill what would be padding. paused is
  // a stream's pauseReceive(): the receive is cancelled and not armed again until resumed.
  bool receiving = false;
  bool paused = false;
};

// A stream's send in progress: what the kernel reads until it completes. Only a stream that
// is sending holds one, so a host's thousands of idle joiners hold none.
struct SendState {
  msghdr msg{};
  std::vector<iovec> iov;
  std::size_t first = 0;  // the entries before it have gone out
  // The bytes iov points at, once the stream's handle has closed: set only then, and kept
  // until the kernel is done with them.
  std::shared_ptr<const void> bytes;
};

// The send states a loop's streams take and give back. Given-back ones are kept for the next
// sends, as many as were in flight at once in the last period: a steady load allocates none,
// and a surge's (a Welcome to each of thousands of joiners) go back once it has passed.
class SendStates {
 public:
  std::unique_ptr<SendState> take() {
    peak_ = std::max(peak_, ++inFlight_);
    if (spare_.empty()) return std::make_unique<SendState>();
    auto state = std::move(spare_.back());
    spare_.pop_back();
    return state;
  }

  void give(std::unique_ptr<SendState> state) {
    --inFlight_;
    if (spare_.size() + inFlight_ >= kept_) return;
    clearAndShrink(state->iov);
    state->first = 0;
    state->bytes.reset();
    spare_.push_back(std::move(state));
  }

  /// Called each turn: once a period has passed, what is kept follows the period's peak.
  void trim(std::chrono::steady_clock::time_point now) {
    if (now - periodStart_ < kPeriod) return;
    periodStart_ = now;
    kept_ = std::max(kMinKept, peak_);
    peak_ = inFlight_;
    const std::size_t spareKept = kept_ > inFlight_ ? kept_ - inFlight_ : 0;
    if (spare_.size() > spareKept) {
      spare_.resize(spareKept);
      clearAndShrink(spare_);
    }
  }

 private:
  static constexpr std::size_t kMinKept = 16;
  static constexpr auto kPeriod = std::chrono::seconds(2);

  std::vector<std::unique_ptr<SendState>> spare_;
  std::size_t inFlight_ = 0;
  std::size_t peak_ = 0;
  std::size_t kept_ = kMinKept;
  std::chrono::steady_clock::time_point periodStart_ = std::chrono::steady_clock::now();
};

struct Stream final : Socket, PooledNew<Stream> {
  Stream(UringBackend& b, int f) : Socket(b, f, Kind::Stream) {}

  // An outgoing connection's connect: made by the first connect(), and kept with the stream
  // (its operation's user_data points into it). An accepted stream, such as each of a host's
  // thousands of joiners, carries none of it.
  struct Connecting {
    explicit Connecting(Stream* s) : op(OpKind::Connect, s) {}
    Op op;
    ConnectHandler onConnected;
    Endpoint remote;  // the connect address, kept for the kernel
    bool polling = false;
  };

  Op recvOp{OpKind::Recv, this};
  Op sendOp{OpKind::Send, this};
  std::unique_ptr<Connecting> connecting;

  StreamEvents* events = nullptr;  // the owner, set by startReceive() or send()
  std::unique_ptr<std::byte[]> recvBuffer;  // only without a buffer ring

  std::unique_ptr<SendState> sending;  // the send in progress; none while idle
};

struct AcceptSlot {
  Op op;
  // Filled by a single-shot accept; multishot ones ask getpeername instead, because one
  // address buffer would be overwritten by the next connection before it is read.
  sockaddr_storage peer{};
  socklen_t peerLen = 0;
};

struct Listener final : Socket {
  Listener(UringBackend& b, int f) : Socket(b, f, Kind::Listener) {
    for (std::size_t i = 0; i < slots.size(); ++i) {
      slots[i].op = Op(OpKind::Accept, this);
      slots[i].op.slot = static_cast<std::uint8_t>(i);
    }
  }

  std::array<AcceptSlot, kAcceptSlots> slots;
  std::size_t slotsInUse = 1;  // 1 with multishot accept
  Op backoffOp{OpKind::AcceptBackoff, this};
  bool failed = false;  // a fatal error was reported: nothing more is
  AcceptHandler onAccept;
  ListenErrorHandler onError;
  __kernel_timespec backoff{};
};

// A datagram socket: one recvmsg kept armed into its own buffer (datagrams are small, and a
// whole one must land in one buffer to be told apart from a truncated one), one sendmsg at a time.
struct DatagramSocketState final : Socket {
  DatagramSocketState(UringBackend& b, int f)
      : Socket(b, f, Kind::Datagram), buffer(std::make_unique_for_overwrite<std::byte[]>(kMaxDatagramSize)) {}

  Op recvOp{OpKind::RecvMsg, this};
  Op sendOp{OpKind::SendMsg, this};
  DatagramReceiveHandler onDatagram;
  SendHandler onSent;

  // Read and written by the kernel while recvOp is armed.
  std::unique_ptr<std::byte[]> buffer;
  sockaddr_storage from{};
  alignas(cmsghdr) char control[kArrivalControlSize];
  iovec recvIov{};
  msghdr recvMsg{};

  // Read by the kernel while sendOp is armed; sendBytes keeps the payload after a close.
  Endpoint to;
  iovec sendIov{};
  msghdr sendMsg{};
  std::shared_ptr<const void> sendBytes;
};

struct Completion {
  std::uint64_t userData;
  std::int32_t res;
  std::uint32_t flags;
};

std::uint64_t userDataOf(Op& op) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&op));
}

class UringBackend final : public Backend {
 public:
  UringBackend() : log_(logging::get("net")) {}
  ~UringBackend() override;
  UringBackend(const UringBackend&) = delete;
  UringBackend& operator=(const UringBackend&) = delete;

  /// Sets up the ring; an error means this backend cannot run here.
  std::error_code init();

  std::string_view name() const noexcept override { return "uring"; }
  void poll(int timeoutMs) override;
  void wake() override;
  std::unique_ptr<IoListener> listen(NativeSocket socket, int family, AcceptHandler onAccept,
                                     ListenErrorHandler onError) override;
  std::unique_ptr<IoStream> adopt(NativeSocket socket) override;
  std::unique_ptr<IoStream> createStream(int family, std::error_code& ec) override;
  std::unique_ptr<IoDatagram> adoptDatagram(NativeSocket socket, int family) override;

  // Used by the handles.
  void closeHandle(Socket& socket);
  void connect(Stream& s, const Endpoint& remote, ConnectHandler onDone);
  void startReceive(Stream& s, StreamEvents& events);
  void pauseReceive(Stream& s);
  void resumeReceive(Stream& s);
  void send(Stream& s, std::span<const ConstBuffer> buffers, StreamEvents& events);
  void startDatagramReceive(DatagramSocketState& d, DatagramReceiveHandler onDatagram);
  void sendDatagram(DatagramSocketState& d, const Endpoint& to, std::span<const std::byte> data,
                    SendHandler onDone);

 private:
  bool setUpBufferRing();
  void probeMultishot();
  io_uring_sqe* getSqe();
  template <typename Prepare>
  void start(Op& op, Prepare&& prepare);
  void cancel(Op& op);
  void reap();
  void dispatchAll();
  void dispatch(const Completion& c);
  void release(Socket& socket);
  void link(Socket& socket);
  void unlink(Socket& socket);

  void armWake();
  void armAccept(Listener& l, AcceptSlot& slot);
  void armIdleAccepts(Listener& l);
  void armRecv(Stream& s);
  void submitSend(Stream& s);
  void lend(unsigned bufferId);
  void recycle(unsigned bufferId);
  void rearmStarved();

  void onAccept(Listener& l, AcceptSlot& slot, const Completion& c, bool last, bool first);
  void onRecv(Stream& s, const Completion& c, bool last, bool first);
  void onSend(Stream& s, int res);
  void onConnect(Stream& s, int res);
  void armRecvMsg(DatagramSocketState& d);
  void submitSendMsg(DatagramSocketState& d);
  void onRecvMsg(DatagramSocketState& d, int res);
  void onSendMsg(DatagramSocketState& d, int res);

  std::shared_ptr<spdlog::logger> log_;
  AcceptErrorLog acceptLog_;
  io_uring ring_{};
  bool ringReady_ = false;
  unsigned features_ = 0;

  int wakeFd_ = -1;
  std::atomic<bool> wakePending_{false};
  std::uint64_t wakeValue_ = 0;  // written by the kernel
  Op wakeOp_{OpKind::Wake, nullptr};
  Op cancelOp_{OpKind::Cancel, nullptr};  // shared by every cancel request
  Op probeAcceptOp_{OpKind::Probe, nullptr};
  Op probeRecvOp_{OpKind::Probe, nullptr};

  io_uring_buf_ring* bufRing_ = nullptr;
  std::byte* buffers_ = nullptr;
  BufferLending lending_{kBufferCount, kBuffersLent, kBufferSize, kBufferLendingPeriod,
                         BufferLending::Clock::now()};
  bool multishotAccept_ = false;
  bool multishotRecv_ = false;

  std::size_t inFlight_ = 0;            // submissions whose final completion is still due
  std::vector<Completion> completions_;  // taken off the ring, not yet dispatched
  std::vector<Stream*> starved_;         // receives stopped by an empty buffer ring (held)
  SendStates sendStates_;
  Socket* live_ = nullptr;
  bool tearingDown_ = false;
};

class UringStream final : public IoStream, public PooledNew<UringStream> {
 public:
  explicit UringStream(Stream* s) : socket_(s) { s->handleSlot = &socket_; }
  ~UringStream() override { close(); }
  UringStream(const UringStream&) = delete;
  UringStream& operator=(const UringStream&) = delete;

  void connect(const Endpoint& remote, ConnectHandler onDone) override {
    if (socket_) socket_->backend.connect(stream(), remote, std::move(onDone));
  }
  void startReceive(StreamEvents& events) override {
    if (socket_) socket_->backend.startReceive(stream(), events);
  }
  void pauseReceive() override {
    if (socket_) socket_->backend.pauseReceive(stream());
  }
  void resumeReceive() override {
    if (socket_) socket_->backend.resumeReceive(stream());
  }
  void send(std::span<const ConstBuffer> buffers, StreamEvents& events) override {
    if (socket_) socket_->backend.send(stream(), buffers, events);
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    if (socket_ && stream().sending) stream().sending->bytes = std::move(owner);
  }
  void close() override {
    // After this the handle touches nothing shared: it may be destroyed on any thread.
    if (Socket* s = std::exchange(socket_, nullptr)) {
      s->handleSlot = nullptr;
      s->backend.closeHandle(*s);
    }
  }
  NativeSocket nativeHandle() const noexcept override {
    return socket_ ? socket_->fd : kInvalidSocket;
  }

 private:
  Stream& stream() { return static_cast<Stream&>(*socket_); }
  Socket* socket_;
};

class UringDatagram final : public IoDatagram {
 public:
  explicit UringDatagram(DatagramSocketState* d) : socket_(d) { d->handleSlot = &socket_; }
  ~UringDatagram() override { close(); }
  UringDatagram(const UringDatagram&) = delete;
  UringDatagram& operator=(const UringDatagram&) = delete;

  void startReceive(DatagramReceiveHandler onDatagram) override {
    if (socket_) socket_->backend.startDatagramReceive(state(), std::move(onDatagram));
  }
  void sendTo(const Endpoint& to, std::span<const std::byte> data, SendHandler onDone) override {
    if (socket_) socket_->backend.sendDatagram(state(), to, data, std::move(onDone));
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    if (socket_ && state().sendOp.armed) state().sendBytes = std::move(owner);
  }
  void close() override {
    if (Socket* s = std::exchange(socket_, nullptr)) {
      s->handleSlot = nullptr;
      s->backend.closeHandle(*s);
    }
  }

 private:
  DatagramSocketState& state() { return static_cast<DatagramSocketState&>(*socket_); }
  Socket* socket_;
};

class UringListener final : public IoListener {
 public:
  explicit UringListener(Listener* l) : socket_(l) { l->handleSlot = &socket_; }
  ~UringListener() override { close(); }
  UringListener(const UringListener&) = delete;
  UringListener& operator=(const UringListener&) = delete;

  void close() override {
    if (Socket* s = std::exchange(socket_, nullptr)) {
      s->handleSlot = nullptr;
      s->backend.closeHandle(*s);
    }
  }

 private:
  Socket* socket_;
};

// --- setup and teardown ---

std::error_code UringBackend::init() {
  // Newest flags first: SUBMIT_ALL (5.18) keeps submitting past an entry that fails early,
  // CQSIZE (5.5) sizes the completion queue apart from the submission queue.
  struct Attempt {
    unsigned flags;
    unsigned cqEntries;
  };
  const Attempt attempts[] = {
      {IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL, kCqEntries},
      {IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, kCqEntries},
      {IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, kCqEntries / 8},  // a tight RLIMIT_MEMLOCK
      {0, 0},
  };
  int rc = -EINVAL;
  io_uring_params params{};
  for (const Attempt& a : attempts) {
    params = {};
    params.flags = a.flags;
    params.cq_entries = a.cqEntries;
    rc = io_uring_queue_init_params(kSqEntries, &ring_, &params);
    if (rc != -EINVAL && rc != -ENOMEM) break;
  }
  if (rc < 0) return socketError(-rc);
  ringReady_ = true;
  features_ = params.features;

  // The operations everything below depends on.
  io_uring_probe* probe = io_uring_get_probe_ring(&ring_);
  if (!probe) return std::make_error_code(std::errc::function_not_supported);
  struct Needed {
    int op;
    const char* name;
  };
  const Needed needed[] = {
      {IORING_OP_ACCEPT, "accept"},   {IORING_OP_CONNECT, "connect"},
      {IORING_OP_SENDMSG, "sendmsg"}, {IORING_OP_RECV, "recv"},
      {IORING_OP_RECVMSG, "recvmsg"},
      {IORING_OP_READ, "read"},       {IORING_OP_ASYNC_CANCEL, "async cancel"},
      {IORING_OP_TIMEOUT, "timeout"}, {IORING_OP_TIMEOUT_REMOVE, "timeout remove"},
      {IORING_OP_POLL_ADD, "poll"},
  };
  for (const Needed& n : needed) {
    if (!io_uring_opcode_supported(probe, n.op)) {
      log_->info("io_uring lacks the {} operation on this kernel", n.name);
      io_uring_free_probe(probe);
      return std::make_error_code(std::errc::function_not_supported);
    }
  }
  io_uring_free_probe(probe);

  if (!(features_ & IORING_FEAT_NODROP))
    log_->info("io_uring: kernel without IORING_FEAT_NODROP; relying on the large completion queue");

  // Blocking on purpose: a read of a non-blocking file comes back -EAGAIN from io_uring
  // instead of waiting. wake() never blocks on it: the counter cannot come near its limit.
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC);
  if (wakeFd_ < 0) return lastSocketError();

  // Turning features off by hand lets the fallbacks be tested on a kernel that has them all.
  const char* disabledEnv = std::getenv("CHATPORT_URING_DISABLE");
  const std::string_view disabled = disabledEnv ? disabledEnv : "";
  if (disabled.find("bufring") == std::string_view::npos) setUpBufferRing();
  probeMultishot();
  if (disabled.find("multishot-accept") != std::string_view::npos) multishotAccept_ = false;
  if (disabled.find("multishot-recv") != std::string_view::npos) multishotRecv_ = false;
  armWake();

  log_->debug(
      "io_uring ready: {} submission / {} completion entries, features {:#x}; multishot accept: "
      "{}, provided-buffer ring: {}, multishot recv: {}",
      ring_.sq.ring_entries, ring_.cq.ring_entries, features_, multishotAccept_ ? "yes" : "no",
      bufRing_ ? "yes" : "no", multishotRecv_ ? "yes" : "no");
  if (!multishotAccept_) log_->info("io_uring: no multishot accept; re-arming single accepts");
  if (!bufRing_)
    log_->info("io_uring: no provided-buffer ring; receiving into per-connection buffers");
  else if (!multishotRecv_)
    log_->info("io_uring: no multishot recv; re-arming single receives");
  return {};
}

bool UringBackend::setUpBufferRing() {
  const std::size_t ringBytes = kBufferCount * sizeof(io_uring_buf);
  void* ringMemory =
      ::mmap(nullptr, ringBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ringMemory == MAP_FAILED) return false;
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uintptr_t>(ringMemory);
  reg.ring_entries = kBufferCount;
  reg.bgid = kBufferGroup;
  if (io_uring_register_buf_ring(&ring_, &reg, 0) != 0) {  // before 5.19: -EINVAL
    ::munmap(ringMemory, ringBytes);
    return false;
  }
  void* bufferMemory = ::mmap(nullptr, kBufferCount * kBufferSize, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (bufferMemory == MAP_FAILED) {
    io_uring_unregister_buf_ring(&ring_, kBufferGroup);
    ::munmap(ringMemory, ringBytes);
    return false;
  }
  bufRing_ = static_cast<io_uring_buf_ring*>(ringMemory);
  buffers_ = static_cast<std::byte*>(bufferMemory);
  io_uring_buf_ring_init(bufRing_);
  for (unsigned i = 0; i < lending_.lent(); ++i) lend(i);
  return true;
}

// Multishot accept (5.19) and multishot recv (6.0) are flags of older opcodes, so the opcode
// probe cannot see them. Older kernels reject the flags with -EINVAL when the entry is
// prepared, so: arm both on throw-away sockets, cancel them, and look at how they ended.
void UringBackend::probeMultishot() {
  const int listenFd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // Binding just the family autobinds a unique abstract address: nothing on disk, no clashes.
  if (listenFd < 0 ||
      ::bind(listenFd, reinterpret_cast<const sockaddr*>(&address), sizeof(sa_family_t)) != 0 ||
      ::listen(listenFd, 1) != 0) {
    if (listenFd >= 0) ::close(listenFd);
    log_->info("io_uring: cannot create probe sockets; not using multishot operations");
    return;
  }
  int pair[2] = {-1, -1};
  const bool havePair =
      bufRing_ && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) == 0;

  start(probeAcceptOp_, [&](io_uring_sqe* sqe) {
    io_uring_prep_multishot_accept(sqe, listenFd, nullptr, nullptr, kAcceptFlags);
  });
  if (havePair) {
    start(probeRecvOp_, [&](io_uring_sqe* sqe) {
      io_uring_prep_recv_multishot(sqe, pair[0], nullptr, 0, 0);
      io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
      sqe->buf_group = kBufferGroup;
    });
  }
  io_uring_submit(&ring_);
  cancel(probeAcceptOp_);
  cancel(probeRecvOp_);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while ((probeAcceptOp_.armed || probeRecvOp_.armed) &&
         std::chrono::steady_clock::now() < deadline) {
    __kernel_timespec ts{0, 50'000'000};
    io_uring_cqe* cqe = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    reap();
    dispatchAll();
  }
  if (probeAcceptOp_.armed || probeRecvOp_.armed) {
    // Unheard of; the records are members, so a late completion still lands safely.
    log_->warn("io_uring: multishot probe did not finish; not using multishot operations");
  } else {
    multishotAccept_ = probeAcceptOp_.result != -EINVAL;
    multishotRecv_ = havePair && probeRecvOp_.result != -EINVAL;
  }
  ::close(listenFd);
  if (havePair) {
    ::close(pair[0]);
    ::close(pair[1]);
  }
}

UringBackend::~UringBackend() {
  if (ringReady_) {
    tearingDown_ = true;
    // Detach every open handle first, so that handlers freed below (which may own other
    // handles) find nothing left to close, then close the sockets as close() would.
    std::vector<Socket*> open;
    for (Socket* s = live_; s; s = s->next) {
      if (s->handleSlot) {
        *s->handleSlot = nullptr;
        s->handleSlot = nullptr;
        open.push_back(s);
      }
    }
    for (Socket* s : open) closeHandle(*s);
    cancel(wakeOp_);
    // Completes the wake-up read even where it cannot be cancelled (a kernel that runs it in a
    // worker thread and reports -EALREADY).
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd_, &one, sizeof one);

    // Wait for the cancelled operations: the kernel may write into their records and buffers
    // until their completions are out.
    const auto deadline = std::chrono::steady_clock::now() + kTeardownWait;
    while ((inFlight_ > 0 || !completions_.empty()) &&
           std::chrono::steady_clock::now() < deadline) {
      __kernel_timespec ts{0, 50'000'000};
      io_uring_cqe* cqe = nullptr;
      io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
      reap();
      dispatchAll();
      rearmStarved();  // only releases: every socket is closed
    }
    rearmStarved();
    const bool stuck = inFlight_ > 0;
    if (stuck)
      log_->warn("io_uring: {} operations still pending after {} s; leaking their memory",
                 inFlight_, std::chrono::duration_cast<std::chrono::seconds>(kTeardownWait).count());
    io_uring_queue_exit(&ring_);  // also unregisters the buffer ring
    if (stuck) {
      // The kernel may still finish them after the ring is gone: keep their memory, but give
      // the descriptors back.
      for (Socket* s = live_; s; s = s->next) closeSocket(s->fd);
      bufRing_ = nullptr;
      buffers_ = nullptr;
    }
  }
  if (bufRing_) ::munmap(bufRing_, kBufferCount * sizeof(io_uring_buf));
  if (buffers_) ::munmap(buffers_, kBufferCount * kBufferSize);
  if (wakeFd_ >= 0) ::close(wakeFd_);
}

// --- submission ---

io_uring_sqe* UringBackend::getSqe() {
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (io_uring_sqe* sqe = io_uring_get_sqe(&ring_)) return sqe;
    // The queue is full: hand the batch to the kernel now. If it refuses (older kernels say
    // -EBUSY while completions back up), take completions off the ring to make room.
    if (io_uring_submit(&ring_) < 0) reap();
  }
  return nullptr;
}

template <typename Prepare>
void UringBackend::start(Op& op, Prepare&& prepare) {
  op.armed = true;
  op.cancelRequested = false;
  op.sawCompletion = false;
  ++inFlight_;
  if (op.owner) ++op.owner->refs;
  io_uring_sqe* sqe = getSqe();
  if (!sqe) {
    // Cannot happen short of a wedged kernel; fail the operation through its usual path.
    log_->error("io_uring: no submission entry available; failing an operation");
    completions_.push_back({userDataOf(op), -EBUSY, 0});
    return;
  }
  prepare(sqe);
  io_uring_sqe_set_data64(sqe, userDataOf(op));
}

void UringBackend::cancel(Op& op) {
  if (!op.armed || op.cancelRequested) return;
  io_uring_sqe* sqe = getSqe();
  if (!sqe) {
    log_->error("io_uring: no submission entry available to cancel an operation");
    return;
  }
  op.cancelRequested = true;
  if (op.kind == OpKind::AcceptBackoff)
    io_uring_prep_timeout_remove(sqe, userDataOf(op), 0);
  else
    io_uring_prep_cancel64(sqe, userDataOf(op), 0);
  io_uring_sqe_set_data64(sqe, userDataOf(cancelOp_));
  ++inFlight_;
}

void UringBackend::wake() {
  // One write per wake-up is enough; the flag is cleared after the ring has read the counter.
  if (wakePending_.exchange(true, std::memory_order_acq_rel)) return;
  const std::uint64_t one = 1;
  while (::write(wakeFd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void UringBackend::armWake() {
  start(wakeOp_, [&](io_uring_sqe* sqe) {
    io_uring_prep_read(sqe, wakeFd_, &wakeValue_, sizeof wakeValue_, 0);
  });
}

// --- completion ---

void UringBackend::reap() {
  io_uring_cqe* cqes[kReapBatch];
  // Bounded, in case completions keep arriving while this runs.
  for (unsigned total = 0; total < 4 * kCqEntries;) {
    const unsigned n = io_uring_peek_batch_cqe(&ring_, cqes, kReapBatch);
    if (n == 0) break;
    // Copied out and the ring advanced before any handler runs: handlers submit and close
    // freely, and the completion queue has room again at once.
    for (unsigned i = 0; i < n; ++i)
      completions_.push_back({cqes[i]->user_data, cqes[i]->res, cqes[i]->flags});
    io_uring_cq_advance(&ring_, n);
    total += n;
  }
}

void UringBackend::dispatchAll() {
  // By index: dispatching can append (getSqe() reaps when the ring is congested).
  for (std::size_t i = 0; i < completions_.size(); ++i) {
    const Completion c = completions_[i];
    dispatch(c);
  }
  completions_.clear();
}

void UringBackend::poll(int timeoutMs) {
  if (!completions_.empty()) timeoutMs = 0;
  if (timeoutMs == 0) {
    io_uring_submit(&ring_);
  } else {
    // One system call submits this turn's batch and waits.
    __kernel_timespec ts{};
    ts.tv_sec = timeoutMs / 1000;
    ts.tv_nsec = static_cast<long long>(timeoutMs % 1000) * 1'000'000;
    io_uring_cqe* cqe = nullptr;
    const int rc =
        io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, timeoutMs < 0 ? nullptr : &ts, nullptr);
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN)
      log_->debug("io_uring wait: {}", socketError(-rc).message());
  }
  reap();
  dispatchAll();
  rearmStarved();
  const auto now = std::chrono::steady_clock::now();
  sendStates_.trim(now);
  lending_.tick(now);
}

void UringBackend::dispatch(const Completion& c) {
  if (c.userData == kLiburingTimeout || c.userData == 0) return;
  Op& op = *reinterpret_cast<Op*>(static_cast<std::uintptr_t>(c.userData));
  const bool last = (c.flags & IORING_CQE_F_MORE) == 0;
  const bool first = !op.sawCompletion;
  op.sawCompletion = true;
  op.result = c.res;
  if (last) {
    op.armed = false;
    --inFlight_;
  }
  switch (op.kind) {
    case OpKind::Cancel:
    case OpKind::Probe:
      return;
    case OpKind::Wake:
      // The ring has read the counter: a wake() from now on must write again.
      wakePending_.store(false, std::memory_order_release);
      if (last && !tearingDown_) {
        if (c.res < 0 && c.res != -EINTR && c.res != -EAGAIN)
          log_->warn("io_uring: wake-up read failed: {}", socketError(-c.res).message());
        armWake();
      }
      return;
    default:
      break;
  }

  Socket& socket = *op.owner;
  // A final completion hands over the operation's reference; otherwise take one, so that a
  // handler closing this socket cannot free it under us.
  if (!last) ++socket.refs;
  switch (op.kind) {
    case OpKind::Accept: {
      auto& l = static_cast<Listener&>(socket);
      onAccept(l, l.slots[op.slot], c, last, first);
      break;
    }
    case OpKind::AcceptBackoff:
      armIdleAccepts(static_cast<Listener&>(socket));
      break;
    case OpKind::Connect:
      onConnect(static_cast<Stream&>(socket), c.res);
      break;
    case OpKind::Recv:
      onRecv(static_cast<Stream&>(socket), c, last, first);
      break;
    case OpKind::Send:
      onSend(static_cast<Stream&>(socket), c.res);
      break;
    case OpKind::RecvMsg:
      onRecvMsg(static_cast<DatagramSocketState&>(socket), c.res);
      break;
    case OpKind::SendMsg:
      onSendMsg(static_cast<DatagramSocketState&>(socket), c.res);
      break;
    default:
      break;
  }
  release(socket);
}

// --- socket lifetime ---

void UringBackend::link(Socket& s) {
  s.next = live_;
  if (live_) live_->prev = &s;
  live_ = &s;
}

void UringBackend::unlink(Socket& s) {
  if (s.prev)
    s.prev->next = s.next;
  else
    live_ = s.next;
  if (s.next) s.next->prev = s.prev;
  s.prev = s.next = nullptr;
}

void UringBackend::release(Socket& s) {
  if (--s.refs > 0) return;
  // Nothing of this socket is left in the kernel: only now may its fd number be reused.
  unlink(s);
  closeSocket(s.fd);
  delete &s;  // drops the handlers, which may close other sockets
}

void UringBackend::closeHandle(Socket& s) {
  s.closed = true;
  if (s.kind == Socket::Kind::Datagram) {
    auto& d = static_cast<DatagramSocketState&>(s);
    const bool sending = d.sendOp.armed;
    cancel(d.recvOp);
    cancel(d.sendOp);
    if (sending) io_uring_submit(&ring_);
  } else if (s.isListener) {
    auto& l = static_cast<Listener&>(s);
    for (AcceptSlot& slot : l.slots) cancel(slot.op);
    cancel(l.backoffOp);
  } else {
    auto& st = static_cast<Stream&>(s);
    const bool sending = st.sendOp.armed;
    cancel(st.recvOp);
    cancel(st.sendOp);
    if (st.connecting) cancel(st.connecting->op);
    // The caller may free the bytes being sent as soon as close() returns: have the kernel
    // drop that send now rather than at the next turn.
    if (sending) io_uring_submit(&ring_);
  }
  release(s);  // the handle's reference; last, as it may free s
}

std::unique_ptr<IoStream> UringBackend::adopt(NativeSocket socket) {
  auto* s = new Stream(*this, static_cast<int>(socket));
  link(*s);
  return std::make_unique<UringStream>(s);
}

std::unique_ptr<IoStream> UringBackend::createStream(int family, std::error_code& ec) {
  const NativeSocket socket = openTcpSocket(family, ec);
  if (socket == kInvalidSocket) return nullptr;
  return adopt(socket);
}

// --- accept ---

std::unique_ptr<IoListener> UringBackend::listen(NativeSocket socket, int /*family*/,
                                                 AcceptHandler onAccept,
                                                 ListenErrorHandler onError) {
  auto* l = new Listener(*this, static_cast<int>(socket));
  link(*l);
  l->onAccept = std::move(onAccept);
  l->onError = std::move(onError);
  l->slotsInUse = multishotAccept_ ? 1 : kAcceptSlots;
  auto handle = std::make_unique<UringListener>(l);
  armIdleAccepts(*l);
  return handle;
}

void UringBackend::armIdleAccepts(Listener& l) {
  if (l.closed || l.failed) return;
  for (std::size_t i = 0; i < l.slotsInUse; ++i)
    if (!l.slots[i].op.armed) armAccept(l, l.slots[i]);
}

void UringBackend::armAccept(Listener& l, AcceptSlot& slot) {
  const bool multishot = multishotAccept_;
  slot.op.multishot = multishot;
  start(slot.op, [&](io_uring_sqe* sqe) {
    if (multishot) {
      io_uring_prep_multishot_accept(sqe, l.fd, nullptr, nullptr, kAcceptFlags);
    } else {
      slot.peerLen = sizeof slot.peer;
      io_uring_prep_accept(sqe, l.fd, reinterpret_cast<sockaddr*>(&slot.peer), &slot.peerLen,
                           kAcceptFlags);
    }
  });
}

void UringBackend::onAccept(Listener& l, AcceptSlot& slot, const Completion& c, bool last,
                            bool first) {
  if (c.res >= 0) {
    const int fd = c.res;
    if (l.closed || l.failed) {
      closeSocket(fd);  // accepted just before the cancel took effect
      return;
    }
    std::error_code ec;
    const Endpoint peer = slot.op.multishot ? peerEndpoint(fd, ec)
                                            : Endpoint::fromSockaddr(&slot.peer, slot.peerLen);
    if (ec) {
      closeSocket(fd);  // reset before we could ask: that connection is lost, as with Skip
      acceptLog_.note(AcceptErrorAction::Skip, ec);
    } else {
      l.onAccept(fd, peer);
    }
    if (last && !l.closed) armAccept(l, slot);
    return;
  }
  if (l.closed || l.failed) return;
  const int err = -c.res;
  // Cancelled by a back-off (below): it rests until the back-off timer re-arms it, or now if
  // the timer has fired already.
  if (err == ECANCELED && slot.op.cancelRequested) {
    if (last && !l.backoffOp.armed) armAccept(l, slot);
    return;
  }
  if (err == EINVAL && slot.op.multishot && first && last) {
    // Safety net behind the probe: a kernel that refuses the multishot flag.
    multishotAccept_ = false;
    log_->info("io_uring: multishot accept refused; re-arming single accepts");
    l.slotsInUse = kAcceptSlots;
    armIdleAccepts(l);
    return;
  }
  const std::error_code ec = socketError(err);
  switch (classifyAcceptError(ec)) {
    case AcceptErrorAction::Skip:
      acceptLog_.note(AcceptErrorAction::Skip, ec);
      if (last) armAccept(l, slot);
      return;
    case AcceptErrorAction::BackOff:
      // Back off instead of spinning on a connection we cannot take yet: this slot rests (a
      // multishot accept still armed is cancelled, or it would fail again at once) until the
      // timer re-arms every idle slot.
      acceptLog_.note(AcceptErrorAction::BackOff, ec);
      if (!last) cancel(slot.op);
      if (!l.backoffOp.armed) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(kAcceptBackOff).count();
        l.backoff.tv_sec = ns / 1'000'000'000;
        l.backoff.tv_nsec = ns % 1'000'000'000;
        start(l.backoffOp, [&](io_uring_sqe* sqe) { io_uring_prep_timeout(sqe, &l.backoff, 0, 0); });
      }
      return;
    case AcceptErrorAction::Fatal:
      log_->debug("io_uring: accepting stopped: {}", ec.message());
      l.failed = true;
      for (AcceptSlot& other : l.slots) cancel(other.op);
      cancel(l.backoffOp);
      if (auto onError = std::exchange(l.onError, nullptr)) onError(ec);  // the last report
      return;
  }
}

// --- connect ---

void UringBackend::connect(Stream& s, const Endpoint& remote, ConnectHandler onDone) {
  if (s.closed) return;
  if (!s.connecting) s.connecting = std::make_unique<Stream::Connecting>(&s);
  Stream::Connecting& c = *s.connecting;
  c.onConnected = std::move(onDone);
  c.remote = remote;
  c.polling = false;
  start(c.op, [&](io_uring_sqe* sqe) {
    io_uring_prep_connect(sqe, s.fd, static_cast<const sockaddr*>(c.remote.data()),
                          static_cast<socklen_t>(c.remote.size()));
  });
}

void UringBackend::onConnect(Stream& s, int res) {
  if (s.closed) return;
  Stream::Connecting& c = *s.connecting;
  if (!c.polling && (res == -EINPROGRESS || res == -EALREADY || res == -EAGAIN)) {
    // Some kernels return a non-blocking socket's in-progress connect as is: wait for it.
    c.polling = true;
    start(c.op, [&](io_uring_sqe* sqe) { io_uring_prep_poll_add(sqe, s.fd, POLLOUT); });
    return;
  }
  std::error_code ec;
  if (c.polling)
    ec = res < 0 ? socketError(-res) : pendingError(s.fd);
  else if (res < 0 && res != -EISCONN)
    ec = socketError(-res);
  if (auto done = std::exchange(c.onConnected, nullptr)) done(ec);
}

// --- receive ---

void UringBackend::startReceive(Stream& s, StreamEvents& events) {
  if (s.closed) return;
  s.events = &events;
  s.receiving = true;
  if (!s.recvOp.armed && !s.paused) armRecv(s);
}

void UringBackend::pauseReceive(Stream& s) {
  s.paused = true;
  // What the receive completes before the cancel lands is still delivered; its last completion
  // (cancelled) arms nothing while paused.
  if (s.recvOp.armed) cancel(s.recvOp);
}

void UringBackend::resumeReceive(Stream& s) {
  if (!std::exchange(s.paused, false)) return;
  // Still armed: its cancelled end is on its way, and arms the next receive (onRecv).
  if (!s.closed && s.receiving && !s.recvOp.armed) armRecv(s);
}

void UringBackend::armRecv(Stream& s) {
  if (bufRing_) {
    const bool multishot = multishotRecv_;
    s.recvOp.multishot = multishot;
    start(s.recvOp, [&](io_uring_sqe* sqe) {
      if (multishot)
        io_uring_prep_recv_multishot(sqe, s.fd, nullptr, 0, 0);
      else
        io_uring_prep_recv(sqe, s.fd, nullptr, kBufferSize, 0);
      io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
      sqe->buf_group = kBufferGroup;
    });
  } else {
    if (!s.recvBuffer) s.recvBuffer = std::make_unique_for_overwrite<std::byte[]>(kBufferSize);
    s.recvOp.multishot = false;
    start(s.recvOp, [&](io_uring_sqe* sqe) {
      io_uring_prep_recv(sqe, s.fd, s.recvBuffer.get(), kBufferSize, 0);
    });
  }
}

void UringBackend::lend(unsigned bufferId) {
  io_uring_buf_ring_add(bufRing_, buffers_ + bufferId * kBufferSize, kBufferSize,
                        static_cast<unsigned short>(bufferId), io_uring_buf_ring_mask(kBufferCount),
                        0);
  io_uring_buf_ring_advance(bufRing_, 1);
}

void UringBackend::recycle(unsigned bufferId) {
  if (!bufRing_ || bufferId >= kBufferCount) return;
  if (lending_.giveBack(bufferId)) {
    lend(bufferId);
  } else {
    // Parked: its pages go back to the system, and come back zeroed if it is lent again.
    ::madvise(buffers_ + bufferId * kBufferSize, kBufferSize, MADV_DONTNEED);
  }
}

void UringBackend::onRecv(Stream& s, const Completion& c, bool last, bool first) {
  const bool hasBuffer = (c.flags & IORING_CQE_F_BUFFER) != 0;
  const unsigned bufferId = c.flags >> IORING_CQE_BUFFER_SHIFT;
  if (s.closed || !s.receiving) {
    if (hasBuffer) recycle(bufferId);
    return;
  }
  if (c.res > 0) {
    const std::byte* data = hasBuffer ? buffers_ + bufferId * kBufferSize : s.recvBuffer.get();
    if (hasBuffer)
      lending_.received(static_cast<std::size_t>(c.res), [this](unsigned id) { lend(id); });
    if (data) s.events->onReceived({}, std::span<const std::byte>(data, static_cast<std::size_t>(c.res)));
    if (hasBuffer) recycle(bufferId);  // the handler is done with it
    if (last && !s.closed && s.receiving && !s.paused) armRecv(s);
    return;
  }
  // A buffer can be consumed even by a completion that carries no data.
  if (hasBuffer) recycle(bufferId);
  if (c.res == 0) {
    s.receiving = false;
    s.events->onReceived(make_error_code(Error::PeerClosed), {});
    return;
  }
  const int err = -c.res;
  if (err == ENOBUFS && bufRing_) {
    // The buffer ring ran dry. The data waits in the socket; re-arm at the end of this turn,
    // after this turn's handlers have given their buffers back.
    if (last) {
      log_->trace("io_uring: buffer ring empty; fd {} receives again after this turn", s.fd);
      ++s.refs;
      starved_.push_back(&s);
    }
    return;
  }
  if (err == EINVAL && s.recvOp.multishot && first && last) {
    multishotRecv_ = false;  // safety net behind the probe
    log_->info("io_uring: multishot recv refused; re-arming single receives");
    armRecv(s);
    return;
  }
  if (err == EAGAIN || err == EINTR || (err == ECANCELED && s.recvOp.cancelRequested)) {
    if (last && !s.paused) armRecv(s);  // a pause's cancel, resumed before it came back
    return;
  }
  s.receiving = false;
  s.events->onReceived(socketError(err), {});
}

void UringBackend::rearmStarved() {
  if (starved_.empty()) return;
  std::vector<Stream*> starved;
  starved.swap(starved_);
  for (Stream* s : starved) {
    if (!s->closed && s->receiving && !s->paused && !s->recvOp.armed) armRecv(*s);
    release(*s);
  }
}

// --- send ---

void UringBackend::send(Stream& s, std::span<const ConstBuffer> buffers, StreamEvents& events) {
  if (s.closed) return;
  s.events = &events;
  if (!s.sending) s.sending = sendStates_.take();
  SendState& state = *s.sending;
  state.iov.clear();
  state.first = 0;
  for (const ConstBuffer& b : buffers)
    if (b.size) state.iov.push_back({const_cast<std::byte*>(b.data), b.size});
  submitSend(s);  // even when empty: the handler then runs from poll(), like any other
}

// --- datagrams ---

std::unique_ptr<IoDatagram> UringBackend::adoptDatagram(NativeSocket socket, int /*family*/) {
  auto* d = new DatagramSocketState(*this, static_cast<int>(socket));
  link(*d);
  return std::make_unique<UringDatagram>(d);
}

void UringBackend::startDatagramReceive(DatagramSocketState& d, DatagramReceiveHandler onDatagram) {
  if (d.closed) return;
  d.onDatagram = std::move(onDatagram);
  d.receiving = true;
  if (!d.recvOp.armed) armRecvMsg(d);
}

void UringBackend::armRecvMsg(DatagramSocketState& d) {
  d.recvIov = {d.buffer.get(), kMaxDatagramSize};
  d.recvMsg = {};
  d.recvMsg.msg_name = &d.from;
  d.recvMsg.msg_namelen = sizeof d.from;
  d.recvMsg.msg_iov = &d.recvIov;
  d.recvMsg.msg_iovlen = 1;
  d.recvMsg.msg_control = d.control;
  d.recvMsg.msg_controllen = sizeof d.control;
  // MSG_TRUNC: the result is the datagram's full length, so a cut one is told apart.
  start(d.recvOp, [&](io_uring_sqe* sqe) { io_uring_prep_recvmsg(sqe, d.fd, &d.recvMsg, MSG_TRUNC); });
}

void UringBackend::onRecvMsg(DatagramSocketState& d, int res) {
  if (d.closed || !d.receiving) return;
  if (res >= 0) {
    const auto length = static_cast<std::size_t>(res);
    const bool truncated = length > kMaxDatagramSize;
    d.onDatagram({}, Endpoint::fromSockaddr(&d.from, d.recvMsg.msg_namelen),
                 std::span<const std::byte>(d.buffer.get(), truncated ? 0 : length),
                 arrivalInterface(d.recvMsg), truncated);
  } else if (res != -EAGAIN && res != -EINTR) {
    const std::error_code ec = socketError(-res);
    if (!isTransientDatagramError(ec)) d.receiving = false;
    d.onDatagram(ec, {}, {}, 0, false);
  }
  if (!d.closed && d.receiving && !d.recvOp.armed) armRecvMsg(d);
}

void UringBackend::sendDatagram(DatagramSocketState& d, const Endpoint& to,
                                std::span<const std::byte> data, SendHandler onDone) {
  if (d.closed) return;
  d.onSent = std::move(onDone);
  d.to = to;
  d.sendIov = {const_cast<std::byte*>(data.data()), data.size()};
  submitSendMsg(d);
}

void UringBackend::submitSendMsg(DatagramSocketState& d) {
  d.sendMsg = {};
  d.sendMsg.msg_name = d.to.data();
  d.sendMsg.msg_namelen = static_cast<socklen_t>(d.to.size());
  d.sendMsg.msg_iov = &d.sendIov;
  d.sendMsg.msg_iovlen = 1;
  start(d.sendOp, [&](io_uring_sqe* sqe) { io_uring_prep_sendmsg(sqe, d.fd, &d.sendMsg, MSG_NOSIGNAL); });
}

void UringBackend::onSendMsg(DatagramSocketState& d, int res) {
  if (d.closed) return;
  if (res == -EAGAIN || res == -EINTR) {
    submitSendMsg(d);
    return;
  }
  if (auto done = std::exchange(d.onSent, nullptr)) done(res < 0 ? socketError(-res) : std::error_code{});
}

void UringBackend::submitSend(Stream& s) {
  SendState& state = *s.sending;
  state.msg = {};
  state.msg.msg_iov = state.iov.data() + state.first;
  state.msg.msg_iovlen = std::min<std::size_t>(state.iov.size() - state.first, IOV_MAX);
  start(s.sendOp, [&](io_uring_sqe* sqe) { io_uring_prep_sendmsg(sqe, s.fd, &state.msg, MSG_NOSIGNAL); });
}

void UringBackend::onSend(Stream& s, int res) {
  if (s.closed) {
    sendStates_.give(std::move(s.sending));
    return;
  }
  SendState& state = *s.sending;
  std::error_code ec;
  if (res < 0) {
    if (res == -EAGAIN || res == -EINTR) {
      submitSend(s);
      return;
    }
    ec = socketError(-res);
  } else {
    // Skip what went out; a short write leaves a partly sent buffer at the front.
    auto left = static_cast<std::size_t>(res);
    while (left > 0 && state.first < state.iov.size()) {
      iovec& v = state.iov[state.first];
      if (left >= v.iov_len) {
        left -= v.iov_len;
        ++state.first;
      } else {
        v.iov_base = static_cast<std::byte*>(v.iov_base) + left;
        v.iov_len -= left;
        left = 0;
      }
    }
    if (state.first < state.iov.size()) {
      if (res > 0) {
        submitSend(s);
        return;
      }
      ec = socketError(EPIPE);  // no progress on a stream socket: it is not writable any more
    }
  }
  sendStates_.give(std::move(s.sending));
  s.events->onSent(ec);
}

}  // namespace

std::unique_ptr<Backend> makeUringBackend(std::error_code& ec) {
  auto backend = std::make_unique<UringBackend>();
  ec = backend->init();
  if (ec) return nullptr;
  return backend;
}

}  // namespace chatport::net::detail
