#include "client_link.h"

#include <chatport/net/error.h>
#include <chatport/rate_limited_log.h>

#include "handshake_budget.h"
#include "host_security.h"
#include "host_session.h"
#include "loop_shard.h"
#include "room_flow.h"

namespace chatport::chat {
namespace {

// How long a closing link waits for the joiner to read its last frame and close.
constexpr std::chrono::seconds kLinger{2};

// The warnings a crowd of hostile joiners can cause by the thousand: summarised (the first at
// once, then a count per interval), one set for the whole process.
struct JoinerWarnings {
  explicit JoinerWarnings(const std::shared_ptr<spdlog::logger>& log)
      : earlyFlood(log, spdlog::level::warn, "dropping a joiner that sent too much before it was admitted"),
        undecryptable(log, spdlog::level::warn,
                      "closing a link whose message does not decrypt (altered, replayed, or not from its peer)"),
        malformed(log, spdlog::level::warn, "closing a joiner that sent a malformed message"),
        flooding(log, spdlog::level::warn, "dropping a joiner that keeps sending too fast"),
        guessing(log, spdlog::level::warn, "refusing an address that gave too many wrong passwords"),
        tooSlow(log, spdlog::level::warn, "dropping a joiner that could not keep up (its send queue filled)") {}
  logging::RateLimitedLog earlyFlood, undecryptable, malformed, flooding, guessing, tooSlow;
};

JoinerWarnings& warnings(const std::shared_ptr<spdlog::logger>& log) {
  static JoinerWarnings w(log);
  return w;
}

// What a joiner may send behind its hello before the room has answered it. A client sends a
// message or two there at most; more is held no further, and the joiner is dropped once
// admitted.
constexpr std::size_t kMaxEarlyBytes = 64 * 1024;

// What a request costs in the room's inbox beyond its payload: the posted task, its heap
// block and the parsed message.
constexpr std::size_t kInboxEntryCost = 256;

}  // namespace

ClientLink::ClientLink(std::shared_ptr<net::Connection> connection, std::shared_ptr<LoopShard> shard)
    : connection_(std::move(connection)),
      shard_(std::move(shard)),
      lastHeard_(net::Clock::now()),
      bucket_(options().ratePerSecond, options().rateBurst, lastHeard_) {}

void ClientLink::start() {
  loop().assertInLoopThread();
  std::weak_ptr<ClientLink> weak = weak_from_this();
  connection_->start(std::weak_ptr<net::Connection::Receiver>(weak));
  if (auto dropped = context().handshakes->add(shared_from_this(), connection_->peer().addressString())) {
    auto& loop = dropped->loop();
    loop.dispatch([weakDropped = std::weak_ptr<ClientLink>(dropped)] {
      if (auto d = weakDropped.lock()) d->dropIfSilent();
    });
  }
  timer_ = loop().runAfter(options().handshakeTimeout, [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->timer_ = 0;
    if (self->phase_ == Phase::AwaitingHello || self->phase_ == Phase::Handshaking ||
        self->phase_ == Phase::Joining) {
      self->context().log->info("{} did not complete the handshake in time", self->peer());
      self->refuse(proto::Code::HandshakeTimeout, "no complete hello in time");
    }
  });
}

std::string ClientLink::who() const { return peer() + " (client " + std::to_string(id_) + ")"; }

void ClientLink::dropIfSilent() {
  loop().assertInLoopThread();
  if (phase_ != Phase::AwaitingHello) return;
  context().log->debug("{} has said nothing yet and the host has too many such connections: dropping it", peer());
  close(nullptr, LeaveReason::Error, false);
}

const CoreOptions& ClientLink::options() const noexcept { return shard_->options(); }

const LinkContext& ClientLink::context() const noexcept { return shard_->linkContext(); }

std::size_t ClientLink::queuedBytes() const noexcept { return connection_->queuedBytes(); }

void ClientLink::admit(ClientId id) {
  loop().assertInLoopThread();
  if (phase_ != Phase::Joining) return;  // closed or closing meanwhile
  phase_ = Phase::Member;
  id_ = id;
  lastHeard_ = net::Clock::now();
  if (timer_) connection_->loop().cancelTimer(std::exchange(timer_, 0));
  // The Welcome is queued: now what came behind the hello, in order.
  const std::unique_ptr<EarlyFrames> early = std::move(early_);
  if (!early) return;
  for (const auto& frame : early->frames) {
    if (phase_ != Phase::Member) return;
    onMemberFrame(frame);
  }
  if (early->overflow && phase_ == Phase::Member) {
    warnings(context().log).earlyFlood.log([this] { return who(); });
    leaveDetail_ = "sent too much before it was admitted";
    close(proto::toFrame(proto::Closing{proto::Code::RateLimited, "the host removed you for sending too fast"}),
          LeaveReason::TooFast, true);
  }
}

// Nothing goes out after a link's last words (they went out with close()).
void ClientLink::send(const net::SharedBytes& frame) {
  loop().assertInLoopThread();
  if (phase_ != Phase::Closing && phase_ != Phase::Closed) deliver(frame);
}

void ClientLink::sendBulk(const net::SharedBytes& frame) {
  loop().assertInLoopThread();
  if (phase_ != Phase::Member) return;
  if (!bulk_) {
    // The first file data: from now on the link has a lane for it, and the connection says when
    // its queue has drained (a member that never receives a file carries neither).
    bulk_ = std::make_unique<net::FrameQueue>();
    connection_->setDrainedHandler(secure::kBulkLowWater, [weak = weak_from_this()](net::Connection&) {
      if (auto self = weak.lock(); self && !self->bulk_->empty()) self->feedBulk();
    });
  }
  bulk_->push_back(frame);
  feedBulk();
}

void ClientLink::feedBulk() {
  while (!bulk_->empty() && phase_ == Phase::Member &&
         connection_->queuedBytes() <= secure::kBulkLowWater) {
    deliver(bulk_->front());
    bulk_->pop_front();
  }
}

void ClientLink::sendSealed(const net::SharedBytes& frames) {
  loop().assertInLoopThread();
  if (phase_ != Phase::Closing && phase_ != Phase::Closed) connection_->send(frames);
}

void ClientLink::deliver(const net::SharedBytes& frame) {
  if (!channelOpen_) {
    connection_->send(frame);  // a Refuse before the channel is up: in clear
    return;
  }
  auto sealed = std::make_shared<net::Bytes>();
  const auto payload = std::span<const std::byte>(*frame).subspan(net::kFrameHeaderSize);
  if (auto ec = secure::seal(sendCipher_, payload, *sealed)) {
    context().log->error("{} (client {}): cannot seal a message ({}): closing", peer(), id_, ec.message());
    connection_->close();
    return;
  }
  connection_->send(std::move(sealed));
}

void ClientLink::close(const net::SharedBytes& lastFrame, LeaveReason reason, bool flush) {
  loop().assertInLoopThread();
  if (phase_ == Phase::Closed) return;
  if (!leaveReasonSet_) {
    leaveReasonSet_ = true;
    leaveReason_ = reason;
  }
  if (phase_ == Phase::Closing && flush) return;  // already on its way out
  phase_ = Phase::Closing;
  if (!flush) {
    connection_->close();
    return;
  }
  // The last words go out, and then the joiner is left to close: closing here while it is
  // still sending would leave unread bytes in our receive buffer, and the system would answer
  // with a reset that can destroy those last words before they are read. Whatever it sends
  // meanwhile is ignored. A joiner that does not close in time is cut off.
  if (lastFrame) deliver(lastFrame);
  std::weak_ptr<ClientLink> weak = weak_from_this();
  auto& loop = connection_->loop();
  if (timer_) loop.cancelTimer(timer_);  // a handshake deadline: the link is leaving anyway
  timer_ = loop.runAfter(kLinger, [weak] {
    if (auto self = weak.lock()) {
      self->timer_ = 0;
      self->connection_->close();
    }
  });
}

void ClientLink::setPaused(std::uint8_t reason, bool paused) {
  loop().assertInLoopThread();
  if (phase_ == Phase::Closing || phase_ == Phase::Closed) return;
  const std::uint8_t was = pausedFor_;
  pausedFor_ = paused ? (was | reason) : (was & ~reason);
  if (!was && pausedFor_) {
    connection_->pauseReading();
  } else if (was && !pausedFor_) {
    lastHeard_ = net::Clock::now();  // what it said meanwhile was not read: not its silence
    connection_->resumeReading();
  }
}

void ClientLink::roomHandled(std::size_t cost) {
  const std::size_t left = inboxBytes_.fetch_sub(cost, std::memory_order_relaxed) - cost;
  if (left > options().maxQueuedBytesPerClient / 2 || !inboxFull_.load(std::memory_order_relaxed)) return;
  if (!inboxFull_.exchange(false, std::memory_order_acq_rel)) return;
  loop().post([self = shared_from_this()] {
    // Full again meanwhile (what was received before the pause): the room wakes it next time.
    if (!self->inboxFull_.load(std::memory_order_acquire)) self->setPaused(kPausedForInbox, false);
  });
}

std::optional<net::Clock::duration> ClientLink::behindFor(bool over, net::Clock::time_point now) {
  if (!over) {
    behindSince_ = {};
    return std::nullopt;
  }
  if (behindSince_ == net::Clock::time_point{}) behindSince_ = now;
  return now - behindSince_;
}

void ClientLink::checkSilence(net::Clock::time_point now) {
  loop().assertInLoopThread();
  if (phase_ != Phase::Member || pausedFor_ || now - lastHeard_ <= options().heartbeatTimeout) return;
  context().log->info("{} (client {}) has been silent for over {} ms: dropping it", peer(), id_,
             options().heartbeatTimeout.count());
  close(nullptr, LeaveReason::Timeout, false);  // it is not listening: nothing to tell it
}

void ClientLink::refuse(proto::Code code, std::string detail) {
  close(proto::toFrame(proto::Refuse{code, std::move(detail)}), LeaveReason::Error, true);
}

void ClientLink::onFrame(std::span<const std::byte> payload) {
  loop().assertInLoopThread();
  if (phase_ == Phase::Closing || phase_ == Phase::Closed) return;
  lastHeard_ = net::Clock::now();
  if (phase_ == Phase::AwaitingHello) {
    onFirstFrame(payload);
    return;
  }
  if (phase_ == Phase::Handshaking) {
    onHandshakeFrame(payload);
    return;
  }
  // Each message decrypts with the next nonce: one altered, dropped, replayed or reordered
  // fails, and nothing of it is ever acted on.
  // Opened into a buffer of this call's own: an idle link keeps no plaintext buffer.
  net::Bytes opened;
  if (auto ec = secure::open(receiveCipher_, payload, opened)) {
    warnings(context().log).undecryptable.log([this] { return who(); });
    leaveDetail_ = "sent a message that does not decrypt";
    close(nullptr, LeaveReason::Error, false);
    return;
  }
  if (phase_ == Phase::Joining)
    holdEarlyFrame(opened);
  else
    onMemberFrame(opened);
}

void ClientLink::holdEarlyFrame(std::span<const std::byte> payload) {
  if (!early_) early_ = std::make_unique<EarlyFrames>();
  if (early_->overflow) return;
  if (early_->bytes + payload.size() > kMaxEarlyBytes) {
    early_->overflow = true;
    return;
  }
  early_->bytes += payload.size();
  early_->frames.emplace_back(payload.begin(), payload.end());
}

void ClientLink::onMemberFrame(std::span<const std::byte> payload) {
  proto::ClientMessage message;
  const auto error = proto::parse(payload, message);
  if (error == proto::ParseError::InvalidName) {
    // A Rename (or a repeated Hello) with a name the rules refuse: a request that failed, not
    // a malformed message. It is answered, and it costs what any request costs.
    if (spend(true))
      answer(proto::Code::InvalidName, "nicknames are 1-32 visible characters, without "
                                       "control, format or invisible characters");
    return;
  }
  if (error != proto::ParseError::None) {
    warnings(context().log).malformed.log([&] { return who() + ": " + std::string(proto::parseErrorName(error)); });
    close(proto::toFrame(proto::Closing{proto::Code::ProtocolError,
                                        std::string("malformed message: ") +
                                            std::string(proto::parseErrorName(error))}),
          LeaveReason::Error, true);
    return;
  }
  if (std::holds_alternative<proto::Bye>(message)) {
    close(nullptr, LeaveReason::Quit, false);
    return;
  }
  // A file stream's own messages (data, acknowledgements, its end) are bounded by the stream's
  // window, which the room enforces, not by the request budget: a 2 GiB file is 32768 chunks.
  // They still count against the room's inbox (postToRoom).
  const bool stream = std::holds_alternative<proto::Chunk>(message) ||
                      std::holds_alternative<proto::Ack>(message) ||
                      std::holds_alternative<proto::ChunksEnd>(message) ||
                      std::holds_alternative<proto::Received>(message);
  if (stream) {
    // Over the inbox's bound one is dropped without a word: the stream runs again from a gap.
    postToRoom(std::move(message), payload.size() + kInboxEntryCost, false);
    return;
  }
  // Every other message costs the joiner one request from its budget, whatever it is: a
  // heartbeat or a repeated hello is cheap, but a flood of them is still a flood.
  const bool request = !std::holds_alternative<proto::Heartbeat>(message) &&
                       !std::holds_alternative<proto::Hello>(message);
  if (!spend(request) || !request) return;  // a heartbeat or a harmless repeat: done
  postToRoom(std::move(message), payload.size() + kInboxEntryCost);
}

void ClientLink::setExempt(bool exempt) {
  exempt_ = exempt;
  strikes_ = 0;
  bucket_ = TokenBucket(options().ratePerSecond, options().rateBurst, net::Clock::now());
}

bool ClientLink::spend(bool answerIfOver) {
  if (exempt_) return true;
  const auto now = net::Clock::now();
  if (strikes_ > 0 && bucket_.full(now)) strikes_ = 0;  // it paused: forgiven
  if (bucket_.take(now)) return true;
  // A flooder is slowed first (its requests are refused), then dropped if it keeps on.
  if (++strikes_ > static_cast<std::size_t>(options().rateBurst)) {
    warnings(context().log).flooding.log([this] { return who(); });
    leaveDetail_ = "sent too fast";
    close(proto::toFrame(proto::Closing{proto::Code::RateLimited, "the host removed you for sending too fast"}),
          LeaveReason::TooFast, true);
  } else if (answerIfOver) {
    answer(proto::Code::RateLimited, "sending too fast");
  }
  return false;
}

void ClientLink::answer(proto::Code code, std::string detail) {
  send(proto::toFrame(proto::ErrorReply{code, std::move(detail)}));
}

void ClientLink::onFirstFrame(std::span<const std::byte> payload) {
  context().handshakes->remove(*this);  // it spoke: it is answered, one way or the other
  const auto first = secure::parseFirstFrame(payload);
  if (!first) {
    context().log->info("{} did not start with a hello: refused", peer());
    refuse(proto::Code::ProtocolError, "expected a hello");
    return;
  }
  if (first->version != secure::kVersion) {
    context().log->info("{} speaks protocol version {}, this host {}: refused", peer(), first->version, secure::kVersion);
    refuse(proto::Code::VersionMismatch,
           "this host speaks protocol version 3 (encrypted): update ChatPort to join");
    return;
  }
  const bool roomHasPassword = context().security->psk.has_value();
  if (roomHasPassword && !first->withPassword) {
    refuse(proto::Code::PasswordRequired, "this room has a password");
    return;
  }
  if (!roomHasPassword && first->withPassword) {
    refuse(proto::Code::WrongPassword, "this room has no password: join without one");
    return;
  }
  if (roomHasPassword && !context().security->guesses.mayTry(connection_->peer().addressString())) {
    warnings(context().log).guessing.log([this] { return peer(); });
    refuse(proto::Code::RateLimited, "too many wrong passwords from your address: wait a minute");
    return;
  }
  noise::HandshakeConfig config;
  config.protocol = roomHasPassword ? noise::kXXpsk3 : noise::kXX;
  config.role = noise::Role::Responder;
  config.prologue = secure::prologue();
  config.localStatic = context().security->identity;
  config.psk = context().security->psk;
  std::vector<std::byte> ignored, reply;
  handshake_ = std::make_unique<noise::HandshakeState>();
  std::error_code ec = handshake_->initialize(config);
  if (!ec) ec = handshake_->readMessage(first->noise, ignored);
  if (!ec) ec = handshake_->writeMessage(secure::encode(secure::HostHandshake{context().security->passwordCost}), reply);
  if (ec) {
    handshake_.reset();
    context().log->info("{}: the handshake's first message failed ({}): refused", peer(), ec.message());
    refuse(proto::Code::HandshakeFailed, "the secure handshake failed");
    return;
  }
  phase_ = Phase::Handshaking;
  connection_->send(secure::handshakeFrame(reply));
}

void ClientLink::onHandshakeFrame(std::span<const std::byte> payload) {
  if (payload.empty() || payload[0] != std::byte(secure::Envelope::Handshake)) {
    refuse(proto::Code::ProtocolError, "expected the handshake's last message");
    return;
  }
  // Done with however this message ends: a member does not carry its handshake.
  const std::unique_ptr<noise::HandshakeState> handshake = std::move(handshake_);
  std::vector<std::byte> hello;
  if (auto ec = handshake->readMessage(payload.subspan(1), hello)) {
    if (context().security->psk) {
      // With a password, a wrong one is what makes the last message fail to decrypt.
      context().security->guesses.failed(connection_->peer().addressString());
      context().log->info("{}: wrong password: refused", peer());
      refuse(proto::Code::WrongPassword, "wrong password");
    } else {
      context().log->info("{}: the handshake's last message failed ({}): refused", peer(), ec.message());
      refuse(proto::Code::HandshakeFailed, "the secure handshake failed");
    }
    return;
  }
  if (auto ec = handshake->split(sendCipher_, receiveCipher_)) {
    refuse(proto::Code::HandshakeFailed, "the secure handshake failed");
    return;
  }
  peerKey_ = *handshake->remoteStatic();
  channelOpen_ = true;
  onHello(hello);
}

void ClientLink::onHello(std::span<const std::byte> payload) {
  proto::ClientMessage message;
  const auto error = proto::parse(payload, message);
  if (error == proto::ParseError::UnsupportedVersion) {
    refuse(proto::Code::VersionMismatch, "this host speaks protocol version " +
                                             std::to_string(proto::kProtocolVersion));
    return;
  }
  if (error == proto::ParseError::InvalidName) {
    refuse(proto::Code::InvalidName, "nicknames are 1-32 visible characters, without control, "
                                     "format or invisible characters");
    return;
  }
  auto* hello = std::get_if<proto::Hello>(&message);
  if (error != proto::ParseError::None || !hello) {
    context().log->info("{} did not start with a valid hello ({}): refused", peer(),
               error == proto::ParseError::None ? "another message"
                                                : proto::parseErrorName(error));
    refuse(proto::Code::ProtocolError, "expected a hello");
    return;
  }
  phase_ = Phase::Joining;
  postToRoom(std::move(message), payload.size() + kInboxEntryCost);
}

void ClientLink::postToRoom(proto::ClientMessage&& message, std::size_t cost, bool mayHoldBack) {
  // The room's inbox holds a joiner's queue bound of its requests. When the room falls behind,
  // file data over it is dropped (its stream runs again from a gap); anything else is taken,
  // and nothing more is read from the joiner until the room has caught up with it: it is held
  // back by TCP, and the inbox grows by no more than what had arrived already.
  const std::size_t bound = options().maxQueuedBytesPerClient;
  if (inboxBytes_.load(std::memory_order_relaxed) + cost > bound) {
    if (!mayHoldBack) return;
    if (!inboxFull_.exchange(true, std::memory_order_acq_rel)) setPaused(kPausedForInbox, true);
  }
  // The room is congested: this joiner stops at once, not when its shard hears of it (which
  // resumes it with the others when the room is clear).
  if (context().flow && context().flow->congested()) setPaused(kPausedForRoom, true);
  inboxBytes_.fetch_add(cost, std::memory_order_relaxed);
  context().roomLoop.post([room = context().room, self = shared_from_this(), m = std::move(message), cost]() mutable {
    if (auto r = room.lock())
      r->onRequest(self, std::move(m), cost);
    else
      self->roomHandled(cost);
  });
}

void ClientLink::onClose(std::error_code reason) {
  loop().assertInLoopThread();
  if (phase_ == Phase::Closed) return;
  phase_ = Phase::Closed;
  handshake_.reset();
  context().handshakes->remove(*this);
  auto& loop = connection_->loop();
  if (timer_) loop.cancelTimer(std::exchange(timer_, 0));
  LeaveReason why = leaveReason_;
  if (!leaveReasonSet_) why = reason == net::Error::SendQueueFull ? LeaveReason::TooSlow : LeaveReason::Error;
  if (why == LeaveReason::TooSlow)
    warnings(context().log).tooSlow.log([this] { return who(); });
  std::string detail = leaveDetail_ ? leaveDetail_ : net::describe(reason);
  shard_->detach(*this);
  context().roomLoop.post([room = context().room, self = shared_from_this(), why, detail = std::move(detail)]() mutable {
    if (auto r = room.lock()) r->onLinkClosed(self, why, std::move(detail));
  });
}

}  // namespace chatport::chat
