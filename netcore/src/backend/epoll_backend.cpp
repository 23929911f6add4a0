#include "backend/epoll_backend.h"

#include "backend/arrival_interface.h"

#include <chatport/log.h>
#include <chatport/net/record_pool.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/error.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace chatport::net::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;
// Reads one socket may do per turn before others get theirs.
constexpr int kReadsPerTurn = 16;
constexpr int kAcceptsPerTurn = 64;
// Datagrams one socket may take per turn before others get theirs.
constexpr int kDatagramsPerTurn = 64;
constexpr int kMaxEvents = 256;

// epoll refuses to watch a socket for want of kernel memory or of watches: shortages, waited
// out like any other. Anything else (EPERM: not a file epoll can watch) is final.
bool isWatchShortage(std::error_code ec) {
  return ec == std::errc::not_enough_memory || ec == std::errc::no_space_on_device;
}

class EpollBackend;

// One registered socket. The epoll event carries a pointer to it, never the fd, so a reused
// fd number cannot be mistaken for an old socket; a closed entry stays allocated until the
// turn in which it was closed has ended.
struct Entry : std::enable_shared_from_this<Entry> {
  int fd = -1;
  bool closed = false;
  bool listening = false;
  int family = 0;

  // A stream's owner, told what is received and when each send is done.
  StreamEvents* events = nullptr;

  // Receive side.
  bool receiving = false;
  bool readPending = false;  // data may remain unread (fairness budget spent)
  bool paused = false;       // pauseReceive(): nothing is read until resumed

  // Send side: one send at a time. Most go out whole at once; what a write could not take
  // waits in unsent, made only then, so a link that keeps up holds none.
  bool sending = false;
  struct Unsent {
    std::vector<iovec> iov;
    std::size_t first = 0;  // the entries before it have gone out
    std::shared_ptr<const void> bytes;  // see IoStream::keepSendBytes
  };
  std::unique_ptr<Unsent> unsent;

  // An outgoing connection's connect in progress.
  std::unique_ptr<ConnectHandler> onConnected;

  // A datagram socket's and a listener's own parts, made for those only: a host's thousands of
  // joiners' entries carry neither.
  struct DatagramPart {
    // Receives go to onDatagram; a send waiting for room is sendTo/sendData.
    DatagramReceiveHandler onDatagram;
    SendHandler onSent;
    Endpoint sendTo;
    std::span<const std::byte> sendData;
    bool sendWaiting = false;
    std::error_code watchError;  // epoll refused the socket
    std::shared_ptr<const void> sendBytes;  // see IoDatagram::keepSendBytes
  };
  struct ListenPart {
    AcceptHandler onAccept;
    ListenErrorHandler onListenError;
    bool listenFailed = false;  // reported to onListenError: accepts nothing more
    bool acceptPaused = false;  // backing off: out of the epoll set until resumeAt
    SteadyClock::time_point resumeAt;
  };
  bool datagram = false;
  std::unique_ptr<DatagramPart> dgram;  // set with datagram
  std::unique_ptr<ListenPart> listener;  // set with listening
};

class EpollBackend final : public Backend {
 public:
  EpollBackend(int epfd, int wakeFd)
      : epfd_(epfd),
        wakeFd_(wakeFd),
        log_(logging::get("net")),
        unwatched_(log_, spdlog::level::warn, "cannot watch an accepted socket") {}

  ~EpollBackend() override {
    // Close whatever is still open, then free every entry (handlers included).
    for (auto& weak : live_)
      if (auto entry = weak.lock(); entry && !entry->closed) closeEntry(entry);
    releaseClosed();
    ::close(epfd_);
    ::close(wakeFd_);
  }

  std::string_view name() const noexcept override { return "epoll"; }

  void poll(int timeoutMs) override;
  void wake() override {
    if (wakePending_.exchange(true, std::memory_order_acq_rel)) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeFd_, &one, sizeof one);
  }

  std::unique_ptr<IoListener> listen(NativeSocket socket, int family, AcceptHandler onAccept,
                                     ListenErrorHandler onError) override;
  std::unique_ptr<IoStream> adopt(NativeSocket socket) override;
  std::unique_ptr<IoStream> createStream(int family, std::error_code& ec) override;
  std::unique_ptr<IoDatagram> adoptDatagram(NativeSocket socket, int family) override;

  // Used by the stream and listener objects.
  std::shared_ptr<Entry> registerEntry(int fd, std::uint32_t events, std::error_code& ec);
  /// An entry for fd, not yet in the epoll set.
  std::shared_ptr<Entry> newEntry(int fd);
  /// Adds entry to the epoll set; false with ec set if the system refuses.
  bool watch(Entry& entry, std::uint32_t events, std::error_code& ec);
  void closeEntry(const std::shared_ptr<Entry>& entry);
  void startReceive(const std::shared_ptr<Entry>& entry, StreamEvents& events);
  void resumeReceive(const std::shared_ptr<Entry>& entry);
  void send(const std::shared_ptr<Entry>& entry, std::span<const ConstBuffer> buffers,
            StreamEvents& events);
  void connect(const std::shared_ptr<Entry>& entry, const Endpoint& remote, ConnectHandler onDone);
  void startDatagramReceive(const std::shared_ptr<Entry>& entry, DatagramReceiveHandler onDatagram);
  void sendDatagram(const std::shared_ptr<Entry>& entry, const Endpoint& to,
                    std::span<const std::byte> data, SendHandler onSent);

 private:
  struct Deferred {
    std::shared_ptr<Entry> entry;
    std::error_code ec;
    enum class Kind { Sent, Connected, ListenFailed, DatagramFailed } kind;
  };

  void handleEvents(Entry& entry, std::uint32_t events);
  // Reads until the socket is drained. mayStopShort: the event said nothing of a hang-up, so a
  // short read proves the socket empty without one more call.
  void readSome(const std::shared_ptr<Entry>& entry, bool mayStopShort);
  // Writes what it can; true when the whole send is done or failed (ec set).
  static bool writeSome(int fd, std::vector<iovec>& iov, std::size_t& first, std::error_code& ec);
  void acceptSome(Entry& entry);
  // Receives datagrams until the socket is drained or the turn's budget is spent.
  void readDatagrams(const std::shared_ptr<Entry>& entry);
  // Tries the waiting datagram send; true when it is done or failed (ec set).
  bool trySendDatagram(Entry& entry, std::error_code& ec);
  // A shortage (the accept-error policy in backend.h): entry's listener waits kAcceptBackOff.
  void pauseAccepting(Entry& entry, std::error_code ec);
  // Entry's listener has failed for good: it leaves the epoll set and reports it. poll() only.
  void failListener(Entry& entry, std::error_code ec);
  // Puts listeners whose back-off is over back in the epoll set; returns how long until the
  // next one is due (-1: none paused).
  int resumeAccepting();
  void runDeferred();
  void releaseClosed();

  const int epfd_;
  const int wakeFd_;
  std::atomic<bool> wakePending_{false};
  std::shared_ptr<spdlog::logger> log_;
  AcceptErrorLog acceptLog_;
  logging::RateLimitedLog unwatched_;  // a crowd of connections can fail so at once
  std::array<char, kReadChunk> readBuffer_;
  std::vector<std::weak_ptr<Entry>> live_;  // for the destructor
  std::vector<std::shared_ptr<Entry>> readReady_;  // receives to continue next turn
  std::vector<Deferred> deferred_;  // completions to deliver from poll(), never inline
  std::vector<std::shared_ptr<Entry>> closed_;  // closed this turn; freed when it ends
  std::vector<std::shared_ptr<Entry>> paused_;  // listeners backing off (acceptPaused)
  std::vector<iovec> sendList_;  // a send's buffers while it is first written (kept: one a loop)
};

class EpollStream final : public IoStream, public PooledNew<EpollStream> {
 public:
  EpollStream(EpollBackend& backend, std::shared_ptr<Entry> entry)
      : backend_(backend), entry_(std::move(entry)) {}
  ~EpollStream() override { close(); }

  void connect(const Endpoint& remote, ConnectHandler onDone) override {
    backend_.connect(entry_, remote, std::move(onDone));
  }
  void startReceive(StreamEvents& events) override {
    backend_.startReceive(entry_, events);
  }
  void pauseReceive() override { entry_->paused = true; }
  void resumeReceive() override { backend_.resumeReceive(entry_); }
  void send(std::span<const ConstBuffer> buffers, StreamEvents& events) override {
    backend_.send(entry_, buffers, events);
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    // Nothing reads the bytes once the socket is closed; kept with what was still to be written
    // until the end of the turn all the same.
    if (!entry_->closed && entry_->unsent) entry_->unsent->bytes = std::move(owner);
  }
  void close() override {
    if (!entry_->closed) backend_.closeEntry(entry_);
  }
  NativeSocket nativeHandle() const noexcept override {
    return entry_->closed ? kInvalidSocket : entry_->fd;
  }

 private:
  EpollBackend& backend_;
  std::shared_ptr<Entry> entry_;
};

class EpollListener final : public IoListener {
 public:
  EpollListener(EpollBackend& backend, std::shared_ptr<Entry> entry)
      : backend_(backend), entry_(std::move(entry)) {}
  ~EpollListener() override { close(); }
  void close() override {
    if (!entry_->closed) backend_.closeEntry(entry_);
  }

 private:
  EpollBackend& backend_;
  std::shared_ptr<Entry> entry_;
};

class EpollDatagram final : public IoDatagram {
 public:
  EpollDatagram(EpollBackend& backend, std::shared_ptr<Entry> entry)
      : backend_(backend), entry_(std::move(entry)) {}
  ~EpollDatagram() override { close(); }

  void startReceive(DatagramReceiveHandler onDatagram) override {
    backend_.startDatagramReceive(entry_, std::move(onDatagram));
  }
  void sendTo(const Endpoint& to, std::span<const std::byte> data, SendHandler onDone) override {
    backend_.sendDatagram(entry_, to, data, std::move(onDone));
  }
  void keepSendBytes(std::shared_ptr<const void> owner) override {
    if (!entry_->closed) entry_->dgram->sendBytes = std::move(owner);
  }
  void close() override {
    if (!entry_->closed) backend_.closeEntry(entry_);
  }

 private:
  EpollBackend& backend_;
  std::shared_ptr<Entry> entry_;
};

bool EpollBackend::watch(Entry& entry, std::uint32_t events, std::error_code& ec) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = &entry;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, entry.fd, &ev) != 0) {
    ec = lastSocketError();
    return false;
  }
  ec.clear();
  return true;
}

std::shared_ptr<Entry> EpollBackend::newEntry(int fd) {
  auto entry = std::allocate_shared<Entry>(PoolAllocator<Entry>());  // see record_pool.h
  entry->fd = fd;
  // Compact the weak list now and then so it does not grow with every connection ever made.
  if (live_.size() >= 64 && live_.size() % 64 == 0)
    std::erase_if(live_, [](const auto& weak) { return weak.expired(); });
  live_.push_back(entry);
  return entry;
}

std::shared_ptr<Entry> EpollBackend::registerEntry(int fd, std::uint32_t events, std::error_code& ec) {
  auto entry = newEntry(fd);
  if (!watch(*entry, events, ec)) return nullptr;  // its place in live_ expires with it
  return entry;
}

void EpollBackend::closeEntry(const std::shared_ptr<Entry>& entry) {
  entry->closed = true;
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, entry->fd, nullptr);
  ::close(entry->fd);
  // Handlers are released after this turn: one of them may be running right now.
  closed_.push_back(entry);
}

std::unique_ptr<IoListener> EpollBackend::listen(NativeSocket socket, int family,
                                                 AcceptHandler onAccept,
                                                 ListenErrorHandler onError) {
  auto entry = newEntry(static_cast<int>(socket));
  entry->listening = true;
  entry->listener = std::make_unique<Entry::ListenPart>();
  entry->family = family;
  entry->listener->onAccept = std::move(onAccept);
  entry->listener->onListenError = std::move(onError);
  std::error_code ec;
  // Level-triggered: a backlog left after the per-turn budget is reported again.
  if (!watch(*entry, EPOLLIN, ec)) {
    if (isWatchShortage(ec)) {
      pauseAccepting(*entry, ec);
    } else {
      // Reported from the next poll() like any other failure, never from inside this call.
      entry->listener->listenFailed = true;
      deferred_.push_back({entry, ec, Deferred::Kind::ListenFailed});
    }
  }
  return std::make_unique<EpollListener>(*this, std::move(entry));
}

std::unique_ptr<IoStream> EpollBackend::adopt(NativeSocket socket) {
  std::error_code ec;
  auto entry = registerEntry(static_cast<int>(socket), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, ec);
  if (!entry) {
    // Registration failed (out of memory for epoll): hand back a closed stream whose receive
    // reports the error at once, so the owner learns of it through the usual path.
    entry = std::make_shared<Entry>();
    entry->fd = static_cast<int>(socket);
    auto stream = std::make_unique<EpollStream>(*this, entry);
    if (unwatched_.enabled()) unwatched_.log(describe(ec));
    closeEntry(entry);
    return stream;
  }
  return std::make_unique<EpollStream>(*this, std::move(entry));
}

std::unique_ptr<IoStream> EpollBackend::createStream(int family, std::error_code& ec) {
  const NativeSocket socket = openTcpSocket(family, ec);
  if (socket == kInvalidSocket) return nullptr;
  return adopt(socket);
}

std::unique_ptr<IoDatagram> EpollBackend::adoptDatagram(NativeSocket socket, int family) {
  auto entry = newEntry(static_cast<int>(socket));
  entry->datagram = true;
  entry->dgram = std::make_unique<Entry::DatagramPart>();
  entry->family = family;
  // A socket that cannot be watched receives nothing: that is reported once receiving starts.
  watch(*entry, EPOLLIN | EPOLLOUT | EPOLLET, entry->dgram->watchError);
  return std::make_unique<EpollDatagram>(*this, std::move(entry));
}

void EpollBackend::startDatagramReceive(const std::shared_ptr<Entry>& entry,
                                        DatagramReceiveHandler onDatagram) {
  entry->dgram->onDatagram = std::move(onDatagram);
  entry->receiving = true;
  if (entry->dgram->watchError) {
    // Reported from the next poll(), never from inside this call.
    deferred_.push_back({entry, entry->dgram->watchError, Deferred::Kind::DatagramFailed});
    return;
  }
  // Datagrams may have arrived before receiving started; their edge is gone, so look now.
  if (!entry->closed) {
    entry->readPending = true;
    readReady_.push_back(entry);
  }
}

void EpollBackend::sendDatagram(const std::shared_ptr<Entry>& entry, const Endpoint& to,
                                std::span<const std::byte> data, SendHandler onSent) {
  entry->dgram->onSent = std::move(onSent);
  entry->dgram->sendTo = to;
  entry->dgram->sendData = data;
  entry->dgram->sendWaiting = true;
  if (entry->closed) return;
  std::error_code ec;
  if (trySendDatagram(*entry, ec)) deferred_.push_back({entry, ec, Deferred::Kind::Sent});
  // else: the output-ready edge continues it.
}

bool EpollBackend::trySendDatagram(Entry& entry, std::error_code& ec) {
  for (;;) {
    const ssize_t n = ::sendto(entry.fd, entry.dgram->sendData.data(), entry.dgram->sendData.size(), MSG_NOSIGNAL,
                               static_cast<const sockaddr*>(entry.dgram->sendTo.data()),
                               static_cast<socklen_t>(entry.dgram->sendTo.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    ec = n < 0 ? lastSocketError() : std::error_code{};
    entry.dgram->sendWaiting = false;
    entry.dgram->sendData = {};
    return true;
  }
}

void EpollBackend::readDatagrams(const std::shared_ptr<Entry>& entry) {
  entry->readPending = false;
  for (int i = 0; i < kDatagramsPerTurn; ++i) {
    if (entry->closed || !entry->receiving) return;
    sockaddr_storage from{};
    iovec iov{readBuffer_.data(), kMaxDatagramSize};
    alignas(cmsghdr) char control[kArrivalControlSize];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(entry->fd, &msg, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      const std::error_code ec = lastSocketError();
      const bool goesOn = isTransientDatagramError(ec);
      if (!goesOn) entry->receiving = false;
      entry->dgram->onDatagram(ec, {}, {}, 0, false);
      if (goesOn) continue;
      return;
    }
    const Endpoint sender = Endpoint::fromSockaddr(&from, msg.msg_namelen);
    entry->dgram->onDatagram({}, sender,
                      std::as_bytes(std::span(readBuffer_.data(), std::min(static_cast<std::size_t>(n), kMaxDatagramSize))),
                      arrivalInterface(msg), (msg.msg_flags & MSG_TRUNC) != 0);
  }
  // Budget spent with datagrams left: continue next turn, after the other sockets.
  if (!entry->closed && entry->receiving) {
    entry->readPending = true;
    readReady_.push_back(entry);
  }
}

void EpollBackend::connect(const std::shared_ptr<Entry>& entry, const Endpoint& remote,
                           ConnectHandler onDone) {
  entry->onConnected = std::make_unique<ConnectHandler>(std::move(onDone));
  if (::connect(entry->fd, static_cast<const sockaddr*>(remote.data()),
                static_cast<socklen_t>(remote.size())) == 0) {
    deferred_.push_back({entry, {}, Deferred::Kind::Connected});
  } else if (errno != EINPROGRESS) {
    deferred_.push_back({entry, lastSocketError(), Deferred::Kind::Connected});
  }
  // else: the output-ready edge reports the outcome.
}

void EpollBackend::startReceive(const std::shared_ptr<Entry>& entry, StreamEvents& events) {
  entry->events = &events;
  entry->receiving = true;
  // Data may have arrived before receiving started; its edge is gone, so look now.
  if (!entry->closed) {
    entry->readPending = true;
    readReady_.push_back(entry);
  }
}

void EpollBackend::resumeReceive(const std::shared_ptr<Entry>& entry) {
  if (!std::exchange(entry->paused, false)) return;
  // Edge-triggered: the edges that came while paused are gone, so look now.
  if (!entry->closed && entry->receiving && !entry->readPending) {
    entry->readPending = true;
    readReady_.push_back(entry);
  }
}

void EpollBackend::send(const std::shared_ptr<Entry>& entry, std::span<const ConstBuffer> buffers,
                        StreamEvents& events) {
  if (entry->closed) return;
  entry->events = &events;
  entry->sending = true;
  sendList_.clear();
  for (const auto& b : buffers)
    if (b.size) sendList_.push_back({const_cast<std::byte*>(b.data), b.size});
  std::size_t first = 0;
  std::error_code ec;
  if (writeSome(entry->fd, sendList_, first, ec)) {
    deferred_.push_back({entry, ec, Deferred::Kind::Sent});
  } else {
    // The output-ready edge continues it.
    entry->unsent = std::make_unique<Entry::Unsent>();
    entry->unsent->iov.assign(sendList_.begin() + static_cast<std::ptrdiff_t>(first), sendList_.end());
  }
}

bool EpollBackend::writeSome(int fd, std::vector<iovec>& iov, std::size_t& first, std::error_code& ec) {
  while (first < iov.size()) {
    msghdr msg{};
    msg.msg_iov = iov.data() + first;
    msg.msg_iovlen = std::min<std::size_t>(iov.size() - first, IOV_MAX);
    const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      ec = lastSocketError();
      return true;
    }
    // Skip what went out; a short write leaves a partly sent buffer at the front.
    auto left = static_cast<std::size_t>(n);
    while (left > 0) {
      iovec& v = iov[first];
      if (left >= v.iov_len) {
        left -= v.iov_len;
        ++first;
      } else {
        v.iov_base = static_cast<char*>(v.iov_base) + left;
        v.iov_len -= left;
        left = 0;
      }
    }
  }
  ec.clear();
  return true;
}

void EpollBackend::readSome(const std::shared_ptr<Entry>& entry, bool mayStopShort) {
  entry->readPending = false;
  for (int i = 0; i < kReadsPerTurn; ++i) {
    if (entry->closed || !entry->receiving || entry->paused) return;
    const ssize_t n = ::recv(entry->fd, readBuffer_.data(), readBuffer_.size(), 0);
    if (n > 0) {
      entry->events->onReceived({}, std::as_bytes(std::span(readBuffer_.data(), static_cast<std::size_t>(n))));
      if (mayStopShort && static_cast<std::size_t>(n) < readBuffer_.size()) return;  // drained
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    entry->receiving = false;
    entry->events->onReceived(n == 0 ? make_error_code(Error::PeerClosed) : lastSocketError(), {});
    return;
  }
  // Budget spent with data left: continue next turn, after the other sockets.
  if (!entry->closed && entry->receiving && !entry->paused) {
    entry->readPending = true;
    readReady_.push_back(entry);
  }
}

void EpollBackend::acceptSome(Entry& entry) {
  for (int i = 0; i < kAcceptsPerTurn && !entry.closed; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(entry.fd, reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      entry.listener->onAccept(fd, Endpoint::fromSockaddr(&peer, len));
      continue;
    }
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) return;
    const std::error_code ec = socketError(err);
    switch (classifyAcceptError(ec)) {
      case AcceptErrorAction::Skip:  // that connection is gone; the next may be fine
        acceptLog_.note(AcceptErrorAction::Skip, ec);
        continue;
      case AcceptErrorAction::BackOff:
        pauseAccepting(entry, ec);
        return;
      case AcceptErrorAction::Fatal:
        failListener(entry, ec);
        return;
    }
  }
}

void EpollBackend::failListener(Entry& entry, std::error_code ec) {
  // A dead listening socket stays readable: out of the epoll set, or it would spin.
  entry.listener->listenFailed = true;
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, entry.fd, nullptr);
  if (auto onError = std::exchange(entry.listener->onListenError, nullptr)) onError(ec);
}

void EpollBackend::pauseAccepting(Entry& entry, std::error_code ec) {
  acceptLog_.note(AcceptErrorAction::BackOff, ec);
  // Level-triggered, the connection still waiting would report the listener ready at every
  // turn: leave the epoll set until the back-off is over. The backlog keeps the connections.
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, entry.fd, nullptr);
  entry.listener->acceptPaused = true;
  entry.listener->resumeAt = SteadyClock::now() + kAcceptBackOff;
  paused_.push_back(entry.shared_from_this());
}

int EpollBackend::resumeAccepting() {
  if (paused_.empty()) return -1;
  const auto now = SteadyClock::now();
  auto next = SteadyClock::time_point::max();
  auto due = std::move(paused_);
  paused_.clear();
  for (auto& entry : due) {
    if (entry->closed) continue;
    if (entry->listener->resumeAt > now) {
      next = std::min(next, entry->listener->resumeAt);
      paused_.push_back(std::move(entry));
      continue;
    }
    entry->listener->acceptPaused = false;
    std::error_code ec;
    if (watch(*entry, EPOLLIN, ec)) continue;
    if (isWatchShortage(ec)) {
      pauseAccepting(*entry, ec);
      next = std::min(next, entry->listener->resumeAt);
    } else {
      failListener(*entry, ec);
    }
  }
  if (paused_.empty()) return -1;
  return static_cast<int>(
      std::chrono::ceil<std::chrono::milliseconds>(std::max(next - now, SteadyClock::duration{}))
          .count());
}

void EpollBackend::handleEvents(Entry& entry, std::uint32_t events) {
  if (entry.closed) return;
  if (entry.listening) {
    if (!entry.listener->listenFailed && !entry.listener->acceptPaused) acceptSome(entry);
    return;
  }
  if (entry.datagram) {
    if ((events & (EPOLLIN | EPOLLERR)) && entry.receiving && !entry.readPending) {
      readDatagrams(entry.shared_from_this());
      if (entry.closed) return;
    }
    if ((events & (EPOLLOUT | EPOLLERR)) && entry.dgram->onSent && entry.dgram->sendWaiting) {
      std::error_code ec;
      if (trySendDatagram(entry, ec))
        if (auto done = std::exchange(entry.dgram->onSent, nullptr)) done(ec);
    }
    return;
  }
  // Errors and hang-ups are reported through whatever read or write they affect. Input goes
  // first: data that arrived just before a reset must be delivered before the failure is.
  const bool failed = events & (EPOLLERR | EPOLLHUP);
  if (((events & (EPOLLIN | EPOLLRDHUP)) || failed) && entry.receiving && !entry.readPending) {
    readSome(entry.shared_from_this(), !(events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)));
    if (entry.closed) return;
  }
  if ((events & EPOLLOUT) || failed) {
    if (entry.onConnected) {
      const auto done = std::move(entry.onConnected);
      if (*done) (*done)(pendingError(entry.fd));
    } else if (entry.sending && entry.unsent) {
      std::error_code ec;
      if (writeSome(entry.fd, entry.unsent->iov, entry.unsent->first, ec)) {
        entry.unsent.reset();
        entry.sending = false;
        entry.events->onSent(ec);
      }
    }
  }
}

void EpollBackend::runDeferred() {
  // Completions queued while running these are delivered in the same loop.
  for (std::size_t i = 0; i < deferred_.size(); ++i) {
    Deferred d = std::move(deferred_[i]);
    if (d.entry->closed) continue;
    if (d.kind == Deferred::Kind::Sent) {
      if (d.entry->datagram) {
        if (auto done = std::exchange(d.entry->dgram->onSent, nullptr)) done(d.ec);
      } else if (std::exchange(d.entry->sending, false)) {
        d.entry->events->onSent(d.ec);
      }
    } else if (d.kind == Deferred::Kind::Connected) {
      const auto done = std::exchange(d.entry->onConnected, nullptr);
      if (done && *done) (*done)(d.ec);
    } else if (d.kind == Deferred::Kind::DatagramFailed) {
      if (d.entry->receiving) {
        d.entry->receiving = false;
        d.entry->dgram->onDatagram(d.ec, {}, {}, 0, false);
      }
    } else {
      if (auto onError = std::exchange(d.entry->listener->onListenError, nullptr)) onError(d.ec);
    }
  }
  deferred_.clear();
}

void EpollBackend::releaseClosed() {
  // Swap first: dropping handlers can destroy streams that close further entries.
  while (!closed_.empty()) {
    auto batch = std::move(closed_);
    closed_.clear();
    for (auto& entry : batch) {
      entry->unsent = nullptr;
      entry->onConnected = nullptr;
      if (entry->listener) {
        entry->listener->onAccept = nullptr;
        entry->listener->onListenError = nullptr;
      }
      if (entry->dgram) {
        entry->dgram->onDatagram = nullptr;
        entry->dgram->onSent = nullptr;
        entry->dgram->sendBytes = nullptr;
      }
    }
  }
}

void EpollBackend::poll(int timeoutMs) {
  // Listeners whose back-off is over: back in the set before waiting, so their waiting
  // connections are reported by this wait.
  if (const int untilResume = resumeAccepting(); untilResume >= 0)
    timeoutMs = timeoutMs < 0 ? untilResume : std::min(timeoutMs, untilResume);
  if (!deferred_.empty() || !readReady_.empty()) timeoutMs = 0;
  std::array<epoll_event, kMaxEvents> events;
  const int n = ::epoll_wait(epfd_, events.data(), kMaxEvents, timeoutMs);
  for (int i = 0; i < n; ++i) {
    void* ptr = events[i].data.ptr;
    if (ptr == nullptr) {  // the wake descriptor
      // Drain first, then clear: cleared first, a wake() in between would write, be drained
      // here and leave the flag set with nothing to report it, swallowing every later wake().
      std::uint64_t value;
      [[maybe_unused]] auto r = ::read(wakeFd_, &value, sizeof value);
      wakePending_.store(false, std::memory_order_release);
      continue;
    }
    handleEvents(*static_cast<Entry*>(ptr), events[i].events);
  }
  runDeferred();
  // Receives that spent their budget, or that started with data already waiting.
  auto ready = std::move(readReady_);
  readReady_.clear();
  for (auto& entry : ready) {
    if (entry->datagram)
      readDatagrams(entry);
    else
      readSome(entry, false);
  }
  releaseClosed();
}

}  // namespace

std::unique_ptr<Backend> makeEpollBackend(std::error_code& ec) {
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    ec = lastSocketError();
    return nullptr;
  }
  const int wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd < 0) {
    ec = lastSocketError();
    ::close(epfd);
    return nullptr;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;
  if (::epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFd, &ev) != 0) {
    ec = lastSocketError();
    ::close(wakeFd);
    ::close(epfd);
    return nullptr;
  }
  ec.clear();
  return std::make_unique<EpollBackend>(epfd, wakeFd);
}

}  // namespace chatport::net::detail
