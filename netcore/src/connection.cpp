#include <chatport/net/connection.h>

#include <chatport/log.h>
#include <chatport/net/error.h>
#include <chatport/net/loop.h>
#include <chatport/rate_limited_log.h>

#include "backend/backend.h"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

namespace chatport::net {
namespace {

// Frames handed to one gathered send: enough to empty a busy queue in a few sends, well under
// the systems' limits on buffers per call (IOV_MAX is 1024 on Linux).
constexpr std::size_t kMaxGather = 256;

std::uint64_t nextConnectionId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// Why a peer's connection was closed, for the warnings a crowd of peers can cause by the
// thousand (a flood of garbage, of oversize frames, of clients that never read): summarised,
// one set for the whole process, shared by every loop thread.
struct ClosingWarnings {
  std::shared_ptr<spdlog::logger> log = logging::get("net");  // also for every other close
  logging::RateLimitedLog tooLarge{log, spdlog::level::warn,
                                   "closing a connection that sent a frame over the size limit"};
  logging::RateLimitedLog notOurProtocol{
      log, spdlog::level::warn,
      "closing a connection that sent a malformed frame header (not ChatPort's protocol)"};
  logging::RateLimitedLog notReading{log, spdlog::level::warn,
                                     "closing a connection that does not read what it is sent"};
};

ClosingWarnings& closingWarnings() {
  static ClosingWarnings warnings;
  return warnings;
}

}  // namespace

Connection::Connection(Loop& loop, std::unique_ptr<detail::IoStream> stream, Endpoint peer,
                       const ConnectionOptions& options)
    : loop_(loop),
      stream_(std::move(stream)),
      peer_(peer),
      id_(nextConnectionId()),
      maxQueuedBytes_(static_cast<std::uint32_t>(
          std::min<std::size_t>(options.maxQueuedBytes, std::numeric_limits<std::uint32_t>::max()))),
      decoder_(options.maxFrameSize) {}

// start(handlers)'s receiver. The close handler goes once called (it may hold the layer
// above); the frame handler stays, since the close may come from inside it.
class Connection::HandlerPair final : public Connection::Receiver {
 public:
  HandlerPair(Connection::FrameHandler onFrame, Connection::CloseHandler onClose)
      : onFrame_(std::move(onFrame)), onClose_(std::move(onClose)) {}
  void onFrame(Connection& c, std::span<const std::byte> payload) override { onFrame_(c, payload); }
  void onClose(Connection& c, std::error_code reason) override {
    if (auto handler = std::exchange(onClose_, nullptr)) handler(c, reason);
  }

 private:
  Connection::FrameHandler onFrame_;
  Connection::CloseHandler onClose_;
};

Connection::~Connection() = default;  // stream_'s destructor closes the socket if still open

void Connection::start(FrameHandler onFrame, CloseHandler onClose) {
  // The connection owns it (nothing on the loop touches ownReceiver_ but the destructor) and
  // holds it weakly like any receiver, through its own count.
  ownReceiver_ = std::make_unique<HandlerPair>(std::move(onFrame), std::move(onClose));
  start(std::shared_ptr<Receiver>(shared_from_this(), ownReceiver_.get()));
}

void Connection::start(std::weak_ptr<Receiver> receiver) {
  loop_.dispatch([self = shared_from_this(), receiver = std::move(receiver)]() mutable {
    self->receiver_ = std::move(receiver);
    self->started_ = true;
    if (!self->isOpen()) {  // closed before it was started: still report why, once
      self->reportClose();
      return;
    }
    self->stream_->startReceive(*self);
  });
}

void Connection::send(SharedBytes frame) {
  if (loop_.isInLoopThread()) {
    enqueue(std::move(frame));
  } else {
    loop_.post([self = shared_from_this(), frame = std::move(frame)]() mutable {
      self->enqueue(std::move(frame));
    });
  }
}

void Connection::pauseReading() {
  loop_.dispatch([self = shared_from_this()] {
    if (self->isOpen()) self->stream_->pauseReceive();
  });
}

void Connection::resumeReading() {
  loop_.dispatch([self = shared_from_this()] {
    if (self->isOpen()) self->stream_->resumeReceive();
  });
}

void Connection::close() {
  loop_.dispatch([self = shared_from_this()] { self->abort(make_error_code(Error::ClosedLocally)); });
}

void Connection::closeAfterFlush() {
  loop_.dispatch([self = shared_from_this()] {
    if (!self->isOpen()) return;
    if (self->sendingFrames_ > 0)
      self->closeWhenFlushed_ = true;
    else
      self->abort(make_error_code(Error::ClosedLocally));
  });
}

void Connection::enqueue(SharedBytes frame) {
  loop_.assertInLoopThread();
  if (!isOpen() || closeWhenFlushed_ || !frame || frame->empty()) return;
  const std::size_t queued = queuedBytes() + frame->size() + kQueueEntryCost;
  queuedBytes_.store(queued, std::memory_order_relaxed);
  if (queued > maxQueuedBytes_) {
    abort(make_error_code(Error::SendQueueFull));
    return;
  }
  queue_.push_back(std::move(frame));
  if (sendingFrames_ == 0) startSend();
}

void Connection::startSend() {
  // The backend copies the list of buffers, so one list serves every connection of the loop.
  // A plain array, not a vector: mingw-w64's emulated TLS may free a thread's variables before
  // their destructors run at thread exit, so a thread_local with a destructor frees a dangling
  // pointer there (seen under Wine as heap corruption when loop threads end).
  static_assert(std::is_trivially_destructible_v<detail::ConstBuffer>);
  thread_local std::array<detail::ConstBuffer, kMaxGather> gather;
  static_assert(kMaxGather <= UINT16_MAX);
  sendingFrames_ = static_cast<std::uint16_t>(std::min(queue_.size(), kMaxGather));
  for (std::size_t i = 0; i < sendingFrames_; ++i) gather[i] = {queue_[i]->data(), queue_[i]->size()};
  stream_->send(std::span(gather.data(), sendingFrames_), *this);
}

void Connection::onSent(std::error_code ec) {
  if (ec) {
    abort(ec);
    return;
  }
  std::size_t queued = queuedBytes();
  for (; sendingFrames_ > 0; --sendingFrames_) {
    queued -= queue_.front()->size() + kQueueEntryCost;
    queue_.pop_front();
  }
  queuedBytes_.store(queued, std::memory_order_relaxed);
  if (!queue_.empty()) {
    startSend();
  } else if (closeWhenFlushed_) {
    abort(make_error_code(Error::ClosedLocally));
    return;
  }
  if (drained_ && queued <= drained_->lowWater) drained_->handler(*this);
}

void Connection::setDrainedHandler(std::size_t lowWater, std::function<void(Connection&)> drained) {
  loop_.dispatch([self = shared_from_this(), lowWater, drained = std::move(drained)]() mutable {
    if (!self->isOpen()) return;
    self->drained_ = std::make_unique<Drained>(Drained{lowWater, std::move(drained)});
  });
}

void Connection::onReceived(std::error_code ec, std::span<const std::byte> data) {
  if (ec) {
    abort(ec);
    return;
  }
  const FrameError error = decoder_.feed(data, [this](std::span<const std::byte> payload) {
    if (!isOpen()) return;
    if (auto receiver = receiver_.lock()) receiver->onFrame(*this, payload);
  });
  if (error == FrameError::None || !isOpen()) return;
  if (error == FrameError::TooLarge) {
    if (auto& warning = closingWarnings().tooLarge; warning.enabled())
      warning.log(fmt::format("#{} from {} announced {} bytes; the limit is {}", id_,
                              peer_.toString(), decoder_.rejectedLength(), decoder_.maxPayload()));
    abort(make_error_code(Error::FrameTooLarge));
  } else {
    if (auto& warning = closingWarnings().notOurProtocol; warning.enabled())
      warning.log(fmt::format("#{} from {}", id_, peer_.toString()));
    abort(make_error_code(Error::BadFrameHeader));
  }
}

void Connection::abort(std::error_code reason) {
  loop_.assertInLoopThread();
  if (!open_.exchange(false, std::memory_order_acq_rel)) return;
  closeValue_ = reason.value();
  closeCategory_ = &reason.category();
  if (sendingFrames_ > 0) {
    // The system may still be reading the frames of the send in progress: the stream keeps
    // them until it has that send back.
    stream_->keepSendBytes(std::make_shared<const std::vector<SharedBytes>>(queue_.take(sendingFrames_)));
  }
  stream_->close();
  queue_.clear();
  queuedBytes_.store(0, std::memory_order_relaxed);
  drained_.reset();  // it may hold the layer above
  sendingFrames_ = 0;
  if (reason == Error::SendQueueFull) {
    if (auto& warning = closingWarnings().notReading; warning.enabled())
      warning.log(fmt::format("#{} to {}: more than {} bytes waiting to be sent", id_,
                              peer_.toString(), maxQueuedBytes_));
  } else {
    // Only if written: a crowd leaving at once closes thousands, and the address costs a string.
    if (const auto& log = closingWarnings().log; log->should_log(spdlog::level::debug))
      log->debug("connection #{} to {} closed: {}", id_, peer_.toString(), describe(reason));
  }
  if (started_) reportClose();
  loop_.removeConnection(*this);
}

void Connection::reportClose() {
  if (auto receiver = receiver_.lock()) receiver->onClose(*this, std::error_code(closeValue_, *closeCategory_));
}

}  // namespace chatport::net
