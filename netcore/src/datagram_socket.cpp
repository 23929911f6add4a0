#include <chatport/net/datagram_socket.h>

#include <chatport/log.h>
#include <chatport/net/error.h>
#include <chatport/net/loop.h>
#include <chatport/rate_limited_log.h>

#include "backend/backend.h"

#include <fmt/format.h>

namespace chatport::net {
namespace {

// A socket asked to send faster than the network takes it, a storm of ICMP reports: summarised,
// one set for the whole process.
struct DatagramWarnings {
  logging::RateLimitedLog dropped{logging::get("net"), spdlog::level::warn,
                                  "dropping a datagram: the socket's send queue is full"};
  logging::RateLimitedLog sendFailed{logging::get("net"), spdlog::level::debug,
                                     "a datagram could not be sent"};
  logging::RateLimitedLog receiveFailed{logging::get("net"), spdlog::level::debug,
                                        "an error was reported while receiving datagrams"};
  logging::RateLimitedLog truncated{logging::get("net"), spdlog::level::debug,
                                    "dropping a datagram larger than the receive buffer"};
};

DatagramWarnings& warnings() {
  static DatagramWarnings w;
  return w;
}

}  // namespace

DatagramSocket::DatagramSocket(Loop& loop, std::intptr_t nativeHandle, Endpoint local,
                               const DatagramOptions& options)
    : loop_(loop),
      local_(local),
      options_(options),
      log_(logging::get("net")),
      handle_(nativeHandle) {}

DatagramSocket::~DatagramSocket() {
  if (!isOpen() || !io_) return;
  // The last reference went without a close(). The backend's handlers hold this socket weakly,
  // so none of them reaches it from now on; the backend object is closed on its own thread,
  // keeping the datagram being sent, which the system may still read.
  std::shared_ptr<Pending> sending;
  if (sending_) sending = std::make_shared<Pending>(std::move(queue_.front()));
  loop_.dispatch([io = std::shared_ptr<detail::IoDatagram>(std::move(io_)), sending] {
    if (sending) io->keepSendBytes(sending);
    io->close();
  });
}

void DatagramSocket::start(std::unique_ptr<detail::IoDatagram> io, Handler onDatagram,
                           ErrorHandler onError) {
  loop_.assertInLoopThread();
  io_ = std::move(io);
  onDatagram_ = std::move(onDatagram);
  onError_ = std::move(onError);
  io_->startReceive([weak = weak_from_this()](std::error_code ec, const Endpoint& from,
                                              std::span<const std::byte> data,
                                              unsigned interfaceIndex, bool truncated) {
    if (auto self = weak.lock()) self->onReceived(ec, Datagram{from, data, interfaceIndex}, truncated);
  });
}

void DatagramSocket::onReceived(std::error_code ec, const Datagram& datagram, bool truncated) {
  if (!isOpen()) return;
  if (truncated) {
    truncated_.fetch_add(1, std::memory_order_relaxed);
    if (auto& w = warnings().truncated; w.enabled())
      w.log(fmt::format("from {} on {}; the limit is {} bytes", datagram.from.toString(),
                        local_.toString(), kMaxDatagramSize));
    return;
  }
  if (ec) {
    receiveErrors_.fetch_add(1, std::memory_order_relaxed);
    if (detail::isTransientDatagramError(ec)) {
      if (auto& w = warnings().receiveFailed; w.enabled())
        w.log(fmt::format("on {}: {}", local_.toString(), describe(ec)));
      return;
    }
    log_->error("no longer receiving datagrams on {}: {}", local_.toString(), describe(ec));
    auto onError = std::exchange(onError_, nullptr);
    closeOnLoop();
    if (onError) onError(*this, ec);
    return;
  }
  received_.fetch_add(1, std::memory_order_relaxed);
  if (onDatagram_) onDatagram_(*this, datagram);
}

void DatagramSocket::sendTo(const Endpoint& to, std::span<const std::byte> payload,
                            SendHandler onDone) {
  if (!isOpen()) return;
  if (payload.size() > kMaxDatagramSize || !to.valid()) {
    // Answered from the loop, never inside this call, like every other send.
    loop_.post([onDone = std::move(onDone)] {
      if (onDone) onDone(std::make_error_code(std::errc::message_size));
    });
    return;
  }
  // Counted here, before the copy crosses threads, so that no thread can queue past the bound.
  if (queued_.fetch_add(1, std::memory_order_acq_rel) >= options_.maxQueuedDatagrams) {
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    countDropped(to);
    loop_.post([onDone = std::move(onDone)] {
      if (onDone) onDone(make_error_code(Error::DatagramDropped));
    });
    return;
  }
  Pending pending{to, Bytes(payload.begin(), payload.end()), std::move(onDone)};
  if (loop_.isInLoopThread()) {
    enqueue(std::move(pending));
  } else {
    loop_.post([self = shared_from_this(), pending = std::move(pending)]() mutable {
      self->enqueue(std::move(pending));
    });
  }
}

void DatagramSocket::countDropped(const Endpoint& to) {
  dropped_.fetch_add(1, std::memory_order_relaxed);
  if (auto& w = warnings().dropped; w.enabled())
    w.log(fmt::format("{} to {}: {} datagrams are waiting", local_.toString(), to.toString(),
                      options_.maxQueuedDatagrams));
}

void DatagramSocket::enqueue(Pending pending) {
  loop_.assertInLoopThread();
  if (!isOpen() || !io_) return;
  queue_.push_back(std::move(pending));
  if (!sending_) startSend();
}

void DatagramSocket::startSend() {
  sending_ = true;
  const Pending& next = queue_.front();
  io_->sendTo(next.to, next.payload, [weak = weak_from_this()](std::error_code ec) {
    if (auto self = weak.lock()) self->onSent(ec);
  });
}

void DatagramSocket::onSent(std::error_code ec) {
  sending_ = false;
  Pending done = std::move(queue_.front());
  queue_.pop_front();
  queued_.fetch_sub(1, std::memory_order_acq_rel);
  if (ec) {
    sendErrors_.fetch_add(1, std::memory_order_relaxed);
    if (auto& w = warnings().sendFailed; w.enabled())
      w.log(fmt::format("{} to {}: {}", local_.toString(), done.to.toString(), describe(ec)));
  } else {
    sent_.fetch_add(1, std::memory_order_relaxed);
  }
  // A failed send never ends the socket: datagram errors concern one datagram.
  if (done.onDone) done.onDone(ec);
  if (isOpen() && !sending_ && !queue_.empty()) startSend();
}

template <typename Fn>
std::error_code DatagramSocket::withHandle(Fn&& fn) {
  std::lock_guard lock(handleMutex_);
  if (handle_ == detail::kInvalidSocket) return make_error_code(Error::ClosedLocally);
  return fn(handle_);
}

std::error_code DatagramSocket::joinGroup(const Endpoint& group, unsigned interfaceIndex) {
  return withHandle([&](std::intptr_t s) {
    auto ec = detail::joinMulticastGroup(s, group, interfaceIndex);
    if (ec)
      log_->warn("cannot join multicast group {} on interface {}: {}", group.addressString(),
                 interfaceIndex, describe(ec));
    return ec;
  });
}

std::error_code DatagramSocket::setMulticastInterface(unsigned interfaceIndex) {
  return withHandle([&](std::intptr_t s) {
    return detail::setMulticastInterface(s, local_.family(), interfaceIndex);
  });
}

void DatagramSocket::close() {
  if (!isOpen()) return;
  if (loop_.isInLoopThread())
    closeOnLoop();
  else
    loop_.post([self = shared_from_this()] { self->closeOnLoop(); });
}

void DatagramSocket::closeOnLoop() {
  loop_.assertInLoopThread();
  {
    // From here on no other thread touches the socket; the backend closes it below or later.
    std::lock_guard lock(handleMutex_);
    if (handle_ == detail::kInvalidSocket) return;
    handle_ = detail::kInvalidSocket;
  }
  open_.store(false, std::memory_order_release);
  if (sending_ && io_) {
    // The system may still read the datagram being sent: the backend keeps it till then.
    io_->keepSendBytes(std::make_shared<Pending>(std::move(queue_.front())));
    sending_ = false;
  }
  if (io_) io_->close();
  queued_.fetch_sub(queue_.size(), std::memory_order_acq_rel);
  queue_.clear();
  onError_ = nullptr;
  // onDatagram_ stays: this may be running inside it. It goes with the socket.
  log_->debug("datagram socket on {} closed", local_.toString());
}

DatagramStats DatagramSocket::stats() const noexcept {
  DatagramStats s;
  s.received = received_.load(std::memory_order_relaxed);
  s.truncated = truncated_.load(std::memory_order_relaxed);
  s.receiveErrors = receiveErrors_.load(std::memory_order_relaxed);
  s.sent = sent_.load(std::memory_order_relaxed);
  s.sendErrors = sendErrors_.load(std::memory_order_relaxed);
  s.dropped = dropped_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace chatport::net
