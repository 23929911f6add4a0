#include "joiner_session.h"

#include "data_file.h"

#include <chatport/chat/history.h>

#include <chatport/net/error.h>

#include "event_queue.h"
#include "key_store.h"
#include "name_resolver.h"
#include "recent_rooms.h"

#include <algorithm>

namespace chatport::chat {
namespace {

// How long a leaving joiner waits for its goodbye to be sent before it just closes.
constexpr std::chrono::milliseconds kLeaveLinger{500};

ErrorCode connectErrorCode(std::error_code ec) {
  if (ec == std::errc::connection_refused) return ErrorCode::ConnectionRefused;
  if (ec == net::Error::ConnectTimedOut || ec == std::errc::timed_out) return ErrorCode::ConnectTimedOut;
  return ErrorCode::HostUnreachable;
}

TimePoint fromMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace

JoinerSession::JoinerSession(SessionContext context)
    : ctx_(std::move(context)), random_(std::random_device{}()), presence_(ctx_.presence),
      picture_(ctx_.picture), pictureDue_(!picture_.empty()) {
  publisher_ = std::make_shared<ClientListPublisher>(ctx_.coreLoop, ctx_.events,
                                                     [this] { return roster(); });
}

JoinerSession::~JoinerSession() {
  if (connection_) connection_->close();
}

void JoinerSession::emit(Event event) { ctx_.events.push(std::move(event)); }

void JoinerSession::start(const JoinCommand& command) {
  ctx_.coreLoop.assertInLoopThread();
  target_ = command;
  name_ = command.name;
  if (auto bad = validateName(name_)) {
    end(DisconnectedEvent{*bad, "the nickname must be 1-32 characters without control characters"});
    return;
  }
  if (command.host.empty()) {
    end(DisconnectedEvent{ErrorCode::HostUnreachable, "no host address given"});
    return;
  }
  std::string problem;
  identity_ = ctx_.keys.identity(problem);
  if (!identity_) {
    end(DisconnectedEvent{ErrorCode::DataFolder, problem});
    return;
  }
  attempt();
  scheduleStats();
}

// ---- connecting ------------------------------------------------------------------------------

void JoinerSession::attempt() {
  state_ = State::Connecting;
  const std::uint64_t generation = ++generation_;
  if (auto numeric = net::Endpoint::parse(target_.host, target_.port)) {
    connectTo(std::make_shared<const std::vector<net::Endpoint>>(1, *numeric), 0, {});
    return;
  }
  ctx_.log->debug("resolving {}", target_.host);
  net::Loop& coreLoop = ctx_.coreLoop;
  ctx_.resolver.resolve(
      target_.host, target_.port,
      [weak = weak_from_this(), generation, &coreLoop](std::vector<net::Endpoint> found, std::error_code ec) {
        coreLoop.post([weak, generation, found = std::move(found), ec]() mutable {
          auto self = weak.lock();
          if (!self || self->generation_ != generation || self->state_ != State::Connecting) return;
          if (ec || found.empty()) {
            self->attemptFailed(ErrorCode::HostUnreachable,
                                "cannot find a computer called '" + self->target_.host + "'", true);
            return;
          }
          self->connectTo(std::make_shared<const std::vector<net::Endpoint>>(std::move(found)), 0, {});
        });
      });
}

void JoinerSession::connectTo(Endpoints endpoints, std::size_t index, std::error_code lastError) {
  if (index >= endpoints->size()) {
    attemptFailed(connectErrorCode(lastError), net::describe(lastError), true);
    return;
  }
  const std::uint64_t generation = generation_;
  const net::Endpoint remote = (*endpoints)[index];
  ctx_.log->debug("connecting to {}", remote.toString());
  net::Loop& coreLoop = ctx_.coreLoop;
  ctx_.engine.connect(
      remote, ctx_.options.connectTimeout,
      [weak = weak_from_this(), generation, endpoints, index, &coreLoop](
          std::error_code ec, std::shared_ptr<net::Connection> connection) {
        coreLoop.post([weak, generation, endpoints, index, ec, connection = std::move(connection)]() mutable {
          auto self = weak.lock();
          if (!self) {
            if (connection) connection->close();
            return;
          }
          self->onConnected(generation, endpoints, index, ec, std::move(connection));
        });
      });
}

void JoinerSession::onConnected(std::uint64_t generation, Endpoints endpoints, std::size_t index,
                                std::error_code ec, std::shared_ptr<net::Connection> connection) {
  ctx_.coreLoop.assertInLoopThread();
  if (generation != generation_ || state_ != State::Connecting) {
    if (connection) connection->close();
    return;
  }
  if (ec) {
    connectTo(std::move(endpoints), index + 1, ec);
    return;
  }
  connection_ = std::move(connection);
  remote_ = (*endpoints)[index];
  state_ = State::Handshaking;
  pendingWelcome_.reset();

  std::weak_ptr<JoinerSession> weak = weak_from_this();
  net::Loop& coreLoop = ctx_.coreLoop;
  connection_->setDrainedHandler(secure::kBulkLowWater, [weak, generation, &coreLoop](net::Connection&) {
    coreLoop.post([weak, generation] {
      if (auto self = weak.lock(); self && self->generation_ == generation && !self->bulk_.empty())
        self->feedBulk();
    });
  });
  connection_->start(
      // Opened on the core loop, where the channel's keys live.
      [weak, generation, &coreLoop](net::Connection&, std::span<const std::byte> payload) {
        coreLoop.post([weak, generation, bytes = net::Bytes(payload.begin(), payload.end())] {
          if (auto self = weak.lock()) self->onFrame(generation, bytes);
        });
      },
      [weak, generation, &coreLoop](net::Connection&, std::error_code reason) {
        coreLoop.post([weak, generation, reason] {
          if (auto self = weak.lock()) self->onClosed(generation, reason);
        });
      });

  // The secure handshake comes first: the hello travels inside its last message, once the
  // host's key has been checked.
  channelOpen_ = false;
  roomKey_ = secure::RoomOpener();
  noise::HandshakeConfig config;
  const bool withPassword = !target_.password.empty();
  config.protocol = withPassword ? noise::kXXpsk3 : noise::kXX;
  config.role = noise::Role::Initiator;
  config.prologue = secure::prologue();
  config.localStatic = *identity_;
  config.pskLater = withPassword;
  std::vector<std::byte> first;
  if (auto failed = handshake_.initialize(config); failed || (failed = handshake_.writeMessage({}, first))) {
    attemptFailed(ErrorCode::HandshakeFailed, "the secure handshake could not start: " + failed.message(), false);
    return;
  }
  connection_->send(secure::helloFrame(withPassword, first));
  lastSent_ = lastHeard_ = net::Clock::now();
  handshakeTimer_ = ctx_.coreLoop.runAfter(ctx_.options.handshakeTimeout, [weak, generation] {
    auto self = weak.lock();
    if (!self || self->generation_ != generation || self->state_ != State::Handshaking) return;
    self->handshakeTimer_ = 0;
    self->attemptFailed(ErrorCode::ConnectTimedOut, "the host accepted the connection but did not answer", true);
  });
}

void JoinerSession::onClosed(std::uint64_t generation, std::error_code reason) {
  ctx_.coreLoop.assertInLoopThread();
  if (state_ == State::Ended) {
    finishLeave();
    return;
  }
  if (generation != generation_) return;
  connection_.reset();
  if (state_ == State::Handshaking) {
    attemptFailed(ErrorCode::ConnectionLost,
                  "the host closed the connection during the handshake: " + net::describe(reason), true);
  } else if (state_ == State::Connected) {
    lost(ErrorCode::ConnectionLost, net::describe(reason), true);
  }
}

void JoinerSession::attemptFailed(ErrorCode code, std::string detail, bool retriable) {
  dropConnection();
  if (everWelcomed_ && retriable && ctx_.options.autoReconnect) {
    ctx_.log->info("reconnecting failed: {}", detail);
    scheduleReconnect();
    return;
  }
  end(DisconnectedEvent{code, std::move(detail)});
}

// ---- the session -----------------------------------------------------------------------------

void JoinerSession::onFrame(std::uint64_t generation, const net::Bytes& payload) {
  ctx_.coreLoop.assertInLoopThread();
  if (generation != generation_ || state_ == State::Ended || state_ == State::Waiting) return;
  lastHeard_ = net::Clock::now();
  const auto type = payload.empty() ? secure::Envelope{0} : secure::Envelope(payload[0]);
  proto::HostMessage message;
  proto::ParseError error = proto::ParseError::None;
  if (type == secure::Envelope::Handshake && state_ == State::Handshaking && !channelOpen_) {
    onHandshakeReply(std::span(payload).subspan(1));
    return;
  }
  if (type == secure::Envelope::Refuse && state_ == State::Handshaking) {
    // In clear: a refusal before (or instead of) the channel, such as a wrong password.
    error = proto::parse(payload, message);
  } else if ((type == secure::Envelope::Sealed || type == secure::Envelope::RoomSealed) && channelOpen_) {
    net::Bytes plaintext;
    const auto ec = type == secure::Envelope::Sealed ? secure::open(receiveCipher_, payload, plaintext)
                                                     : roomKey_.open(payload, plaintext);
    if (ec) {
      ctx_.log->warn("a message from the host did not decrypt (altered or replayed in transit): "
                     "closing the connection");
      if (state_ == State::Handshaking)
        attemptFailed(ErrorCode::HandshakeFailed, "a message from the host did not decrypt", true);
      else
        lost(ErrorCode::ConnectionLost, "a message from the host did not decrypt (altered in transit?)", true);
      return;
    }
    error = proto::parse(plaintext, message);
  } else {
    error = proto::ParseError::UnknownType;
  }
  onReceived(error, std::move(message));
}

void JoinerSession::onHandshakeReply(std::span<const std::byte> reply) {
  std::vector<std::byte> payload;
  if (auto ec = handshake_.readMessage(reply, payload)) {
    attemptFailed(ErrorCode::HandshakeFailed, "the secure handshake with the host failed (" + ec.message() + ")", false);
    return;
  }
  const noise::PublicKey hostKey = *handshake_.remoteStatic();
  hostKey_ = hostKey;
  hostFingerprint_ = noise::fingerprint(hostKey);
  if (ctx_.history) {
    historyRoom_ = historyRoomOf(hostKey);
    // Back in a room after a restart: the host sends what was said since the last message
    // kept here.
    if (lastSeq_ == 0) lastSeq_ = ctx_.history->lastSeq(historyRoom_);
  }
  // Trust on first use: the key met at this address the first time is the one expected ever
  // after. Checked before our own key and name go out in message 3.
  const std::string keyId = target_.host + ":" + std::to_string(target_.port);
  if (target_.expectedHostKey && *target_.expectedHostKey != hostKey) {
    const std::string announced = noise::fingerprint(*target_.expectedHostKey);
    std::string detail = "the host at " + keyId + " is not the room you chose: it shows the key " +
                         hostFingerprint_ + ", the room announced " + announced +
                         ". Someone on the network may be posing as it.";
    ctx_.log->warn("{}", detail);
    DisconnectedEvent refused{ErrorCode::NotAnnouncedRoom, std::move(detail), false};
    refused.pinnedFingerprint = announced;
    refused.offeredFingerprint = hostFingerprint_;
    end(std::move(refused));
    return;
  }
  const auto pinned = ctx_.keys.pinned(keyId);
  if (pinned && *pinned != hostKey && !target_.acceptNewHostKey) {
    const std::string was = noise::fingerprint(*pinned);
    std::string detail = "the host at " + keyId + " shows a different key (" + hostFingerprint_ +
                         ") from the one it had before (" + was + "). Someone may be posing as it. "
                         "If its owner confirms the new fingerprint (ChatPort reinstalled, say), "
                         "accept the new key deliberately.";
    ctx_.log->warn("{}", detail);
    DisconnectedEvent refused{ErrorCode::HostKeyChanged, std::move(detail), false};
    refused.pinnedFingerprint = was;
    refused.offeredFingerprint = hostFingerprint_;
    end(std::move(refused));
    return;
  }
  // Pinned once the host has welcomed us: a refusal (a wrong password, a name taken) leaves
  // the next attempt's contact still the first.
  pendingPin_.reset();
  if (!pinned || *pinned != hostKey) pendingPin_ = PendingPin{keyId, hostKey, !pinned};
  const auto host = secure::decodeHostHandshake(payload);
  if (!host) {
    attemptFailed(ErrorCode::ProtocolError, "the host's handshake is not one this version understands", false);
    return;
  }
  if (!target_.password.empty()) {
    const auto& cost = host->passwordCost;
    if (cost.memoryKiB > noise::kMaxPasswordCost.memoryKiB || cost.iterations > noise::kMaxPasswordCost.iterations) {
      attemptFailed(ErrorCode::HandshakeFailed, "the host asks for an unreasonably costly password check", false);
      return;
    }
    if (pskSalt_ != hostKey) {
      if (noise::derivePsk(target_.password, hostKey, cost, psk_)) {
        attemptFailed(ErrorCode::HandshakeFailed, "the password could not be prepared (out of memory?)", false);
        return;
      }
      pskSalt_ = hostKey;
    }
    handshake_.setPsk(psk_);
  }
  proto::Hello hello;
  hello.name = name_;
  hello.resumeToken = token_;
  hello.lastSeq = lastSeq_;
  hello.lastPrivateSeq = lastPrivateSeq_;
  std::vector<std::byte> last;
  if (auto ec = handshake_.writeMessage(proto::toPayload(hello), last);
      ec || (ec = handshake_.split(sendCipher_, receiveCipher_))) {
    attemptFailed(ErrorCode::HandshakeFailed, "the secure handshake failed: " + ec.message(), false);
    return;
  }
  handshake_ = noise::HandshakeState();
  channelOpen_ = true;
  connection_->send(secure::handshakeFrame(last));
  lastSent_ = net::Clock::now();
}

void JoinerSession::sendToHost(const net::Bytes& payload) {
  if (!connection_ || !channelOpen_) return;
  auto frame = std::make_shared<net::Bytes>();
  if (secure::seal(sendCipher_, payload, *frame)) return;  // 2^64 messages: not in this life
  connection_->send(std::move(frame));
}

void JoinerSession::sendBulkToHost(net::Bytes payload) {
  if (!connection_ || !channelOpen_) return;
  bulk_.push_back(std::move(payload));
  feedBulk();
}

void JoinerSession::feedBulk() {
  // The connection may live on another loop: what this turn handed over may not be counted in
  // its queue yet, so it is counted here.
  std::size_t handed = 0;
  while (!bulk_.empty() && connection_ && connection_->queuedBytes() + handed <= secure::kBulkLowWater) {
    handed += bulk_.front().size();
    sendToHost(bulk_.front());
    bulk_.pop_front();
  }
}

void JoinerSession::startFiles() {
  FileEndpoint::Hooks hooks;
  hooks.send = [this](proto::ClientMessage&& message, bool bulk) {
    auto payload = std::visit([](const auto& m) { return proto::toPayload(m); }, message);
    if (bulk)
      sendBulkToHost(std::move(payload));
    else
      sendToHost(payload);
  };
  hooks.emit = [this](Event event) { emit(std::move(event)); };
  hooks.nameOf = [this](ClientId id) { return nameOf(id); };
  hooks.self = [this] { return self_; };
  // What this installation sends and receives in this room is noted per host key: a program
  // stopped in the middle takes it up again when it is back in the same room. One program at a
  // time: another one using the same data folder in the same room goes without.
  if (!ctx_.keys.folder().empty()) {
    const auto records = data_file::pathOf(ctx_.keys.folder()) / "transfers" / data_file::toHex(hostKey_);
    std::error_code ec;
    std::filesystem::create_directories(records, ec);
    recordsLock_ = files::NativeFile::holdExclusively(records / "lock", ec);
    if (recordsLock_.isOpen())
      hooks.records = records;
    else if (ec == std::errc::device_or_resource_busy)
      ctx_.log->warn("another ChatPort program with this data folder is in this room: this one's transfers will not "
                     "be taken up if it stops in the middle of them");
    else
      ctx_.log->warn("transfers will not be taken up after a restart: {}: {}", data_file::utf8Of(records), ec.message());
  }
  files_ = std::make_shared<FileEndpoint>(ctx_.coreLoop, std::move(hooks), ctx_.log);
  files_->resumeRecorded();
}

void JoinerSession::onReceived(proto::ParseError error, proto::HostMessage&& message) {
  if (error != proto::ParseError::None) {
    ctx_.log->warn("the host sent a malformed message ({}): disconnecting", proto::parseErrorName(error));
    if (state_ == State::Handshaking)
      attemptFailed(ErrorCode::ProtocolError, "the host sent something this version does not understand", false);
    else
      lost(ErrorCode::ProtocolError, "the host sent something this version does not understand", false);
    return;
  }
  if (state_ == State::Handshaking) {
    if (auto* welcome = std::get_if<proto::Welcome>(&message)) {
      onWelcome(std::move(*welcome));
    } else if (auto* part = std::get_if<proto::RosterPart>(&message); part && pendingWelcome_) {
      onRosterPart(std::move(*part));
    } else if (auto* refuse = std::get_if<proto::Refuse>(&message)) {
      const ErrorCode code = proto::toErrorCode(refuse->code);
      ctx_.log->info("the host refused: {}", refuse->detail);
      // A full room may have space later; the other refusals will not change by retrying.
      attemptFailed(code, refuse->detail, code == ErrorCode::RoomFull || code == ErrorCode::ConnectTimedOut);
    } else if (!std::holds_alternative<proto::Heartbeat>(message)) {
      attemptFailed(ErrorCode::ProtocolError, "the host did not start with a welcome", false);
    }
    return;
  }
  onMessage(std::move(message));
}

void JoinerSession::onWelcome(proto::Welcome&& welcome) {
  pendingWelcome_ = std::move(welcome);
  if (pendingWelcome_->clients.size() >= pendingWelcome_->totalClients) welcomed();
}

void JoinerSession::onRosterPart(proto::RosterPart&& part) {
  auto& list = pendingWelcome_->clients;
  list.insert(list.end(), std::make_move_iterator(part.clients.begin()),
              std::make_move_iterator(part.clients.end()));
  if (list.size() > pendingWelcome_->totalClients) {
    attemptFailed(ErrorCode::ProtocolError, "the host sent a longer client list than announced", false);
    return;
  }
  if (list.size() == pendingWelcome_->totalClients) welcomed();
}

void JoinerSession::welcomed() {
  proto::Welcome welcome = std::move(*pendingWelcome_);
  pendingWelcome_.reset();
  if (handshakeTimer_) ctx_.coreLoop.cancelTimer(std::exchange(handshakeTimer_, 0));
  state_ = State::Connected;
  if (!std::exchange(everWelcomed_, true)) {
    // Listed again next time, and probed where the beacon does not reach (discovery.h).
    RememberedRoom room{target_.host, target_.port, welcome.hostName, hostKey_, hostFingerprint_,
                        std::chrono::system_clock::now()};
    if (std::string problem; !rememberRoom(ctx_.keys.folder(), room, problem))
      ctx_.log->warn("the room was not remembered: {}", problem);
  }
  if (pendingPin_) {
    std::string problem;
    if (!ctx_.keys.pin(pendingPin_->keyId, pendingPin_->key, problem))
      ctx_.log->warn("the host's key was not pinned: {}", problem);
    firstContact_ = pendingPin_->firstContact;
    target_.acceptNewHostKey = false;  // accepted once, pinned from now on
    pendingPin_.reset();
  }
  attempt_ = 0;
  self_ = welcome.you;
  // The same token back: the host took our session over, and sends what we missed next.
  // Otherwise a new session begins with the messages said from now on, after the History of
  // what came before (what we missed since lastSeq_, if we were here before).
  const bool resumed = token_ == welcome.token;
  if (!resumed) {
    lastSeq_ = welcome.roomSeq;
    lastPrivateSeq_ = 0;  // private messages before this session were not for us
  } else {
    replayThrough_ = welcome.roomSeq;  // a Heartbeat marks the end of the replay
  }
  token_ = welcome.token;
  roster_.clear();
  for (auto& p : welcome.clients) roster_[p.id] = std::move(p);
  if (auto it = roster_.find(self_); it != roster_.end()) {
    name_ = it->second.name;
    // A new session starts available; a resumed one as we left it.
    if (it->second.presence != presence_) sendToHost(proto::toPayload(proto::SetPresence{presence_}));
  }
  // A new session has no picture at the host; a resumed one has the last one it was told.
  if (!resumed) pictureDue_ = !picture_.empty();
  if (std::exchange(pictureDue_, false)) sendToHost(proto::toPayload(proto::SetPicture{picture_}));

  heartbeatEvery_ = ctx_.options.heartbeatInterval;
  if (welcome.heartbeatIntervalMs > 0)
    heartbeatEvery_ = std::min(heartbeatEvery_, std::chrono::milliseconds(welcome.heartbeatIntervalMs));
  if (heartbeatTimer_) ctx_.coreLoop.cancelTimer(heartbeatTimer_);
  heartbeatTick();

  ctx_.log->info("joined {} as '{}' (client {})", remote_.toString(), name_, self_);
  const bool showKept = ctx_.history && !std::exchange(shownKept_, true);
  if (ctx_.history) ctx_.history->setRoomName(historyRoom_, welcome.hostName);
  ConnectedEvent connected{Role::Joiner, self_, name_, remote_.addressString(), remote_.port(), 0,
                           hostFingerprint_, std::exchange(firstContact_, false), !target_.password.empty(),
                           welcome.sendRateMilli / 1000.0, static_cast<double>(welcome.sendBurst)};
  connected.historyRoom = historyRoom_;
  emit(std::move(connected));
  publisher_->publishNow();
  if (!files_)
    startFiles();
  else
    files_->linkUp(resumed);
  if (showKept) showKeptHistory();
}

void JoinerSession::showKeptHistory() {
  // What this installation kept of the room, before what the host sends of what came after.
  for (auto& m : ctx_.history->latest(historyRoom_, ctx_.options.historyForNewcomers)) {
    if (m.kind == StoredMessage::Kind::Chat) {
      MessageEvent event{kNoClient, std::move(m.from), m.seq, fromMs(m.timeMs), std::move(m.text)};
      event.history = true;
      emit(std::move(event));
    } else if (m.kind == StoredMessage::Kind::Private) {
      PrivateMessageEvent event{kNoClient, std::move(m.from), kNoClient, std::move(m.to), fromMs(m.timeMs),
                                std::move(m.text)};
      event.history = true;
      emit(std::move(event));
    }
  }
}

void JoinerSession::keep(StoredMessage message) {
  if (!ctx_.history || historyRoom_.empty()) return;
  message.room = historyRoom_;
  ctx_.history->append(std::move(message));
}

void JoinerSession::onMessage(proto::HostMessage&& message) {
  if (files_ && files_->onMessage(message)) return;
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, proto::ChatMessage>) {
          ++messagesIn_;
          // Seqs run without gaps, except where a resumed session's missed messages were no
          // longer on the host.
          if (m.seq > lastSeq_ + 1) emit(MissedEvent{m.seq - lastSeq_ - 1});
          lastSeq_ = m.seq;
          keep({{}, m.seq, m.timeMs, StoredMessage::Kind::Chat, nameOf(m.from), {}, m.text, m.from == self_});
          emit(MessageEvent{m.from, nameOf(m.from), m.seq, fromMs(m.timeMs), std::move(m.text)});
        } else if constexpr (std::is_same_v<M, proto::PrivateMessage>) {
          ++messagesIn_;
          lastPrivateSeq_ = m.pseq;
          keep({{}, 0, m.timeMs, StoredMessage::Kind::Private, nameOf(m.from), nameOf(m.to), m.text, m.from == self_});
          emit(PrivateMessageEvent{m.from, nameOf(m.from), m.to, nameOf(m.to), fromMs(m.timeMs),
                                   std::move(m.text)});
        } else if constexpr (std::is_same_v<M, proto::Joined>) {
          // Who joined in the host's last tick; those this side knows already (it joined in that
          // tick itself, and they are in its Welcome) are not news.
          bool news = false;
          for (auto& who : m.who) {
            if (!roster_.emplace(who.id, who).second) continue;
            news = true;
            emit(JoinedEvent{std::move(who)});
          }
          if (news) publisher_->changed();
        } else if constexpr (std::is_same_v<M, proto::Left>) {
          auto it = roster_.find(m.id);
          if (it == roster_.end()) return;
          Participant who = std::move(it->second);
          roster_.erase(it);
          emit(LeftEvent{std::move(who), m.reason});
          publisher_->changed();
        } else if constexpr (std::is_same_v<M, proto::Renamed>) {
          auto it = roster_.find(m.id);
          if (it == roster_.end()) return;
          std::string oldName = std::exchange(it->second.name, m.name);
          if (m.id == self_) name_ = m.name;
          emit(RenamedEvent{m.id, std::move(oldName), m.name});
          publisher_->changed();
        } else if constexpr (std::is_same_v<M, proto::PresenceChanged>) {
          auto it = roster_.find(m.id);
          if (it == roster_.end() || it->second.presence == m.presence) return;
          it->second.presence = m.presence;
          emit(PresenceEvent{m.id, it->second.name, m.presence});
          publisher_->changed();
        } else if constexpr (std::is_same_v<M, proto::PictureChanged>) {
          if (auto it = roster_.find(m.id); it != roster_.end())
            emit(PictureEvent{m.id, it->second.name, std::move(m.picture)});
        } else if constexpr (std::is_same_v<M, proto::Limits>) {
          emit(RateLimitEvent{self_, name_, m.sendRateMilli / 1000.0, static_cast<double>(m.sendBurst)});
        } else if constexpr (std::is_same_v<M, proto::ErrorReply>) {
          emit(ErrorEvent{proto::toErrorCode(m.code), m.detail});
        } else if constexpr (std::is_same_v<M, proto::Closing>) {
          const ErrorCode code = proto::toErrorCode(m.code);
          ctx_.log->info("the host is closing this session: {}", m.detail);
          // Lost in transit (the host heard nothing from us): come back. Ended on purpose
          // (kicked, the chat ended, too fast, resumed elsewhere): stay away.
          lost(code, m.detail, m.code == proto::Code::Timeout);
        } else if constexpr (std::is_same_v<M, proto::RoomKey>) {
          roomKey_.setKey(m.epoch, m.key);
        } else if constexpr (std::is_same_v<M, proto::History>) {
          // Said before this session (all at or below the Welcome's roomSeq); what is missing
          // of it comes first, where it would have been.
          if (m.missed > 0) emit(MissedEvent{m.missed});
          for (auto& e : m.entries) {
            keep({{}, e.seq, e.timeMs, StoredMessage::Kind::Chat, e.from, {}, e.text, e.from == name_});
            MessageEvent event{kNoClient, std::move(e.from), e.seq, fromMs(e.timeMs), std::move(e.text)};
            event.history = true;
            emit(std::move(event));
          }
        } else if constexpr (std::is_same_v<M, proto::Heartbeat>) {
          // Otherwise lastHeard_ is enough.
          if (replayThrough_) {
            // The replay is over: what it did not bring is lost.
            if (*replayThrough_ > lastSeq_) emit(MissedEvent{*replayThrough_ - lastSeq_});
            lastSeq_ = std::max(lastSeq_, *replayThrough_);
            replayThrough_.reset();
          }
        } else {
          // Welcome, RosterPart or Refuse outside the handshake
          lost(ErrorCode::ProtocolError, "the host sent a handshake message mid-session", false);
        }
      },
      message);
}

void JoinerSession::lost(ErrorCode code, std::string detail, bool mayReconnect) {
  dropConnection();
  if (files_) files_->linkDown();
  if (!mayReconnect || !ctx_.options.autoReconnect) {
    end(DisconnectedEvent{code, std::move(detail)});
    return;
  }
  ctx_.log->info("lost the host: {}", detail);
  emit(DisconnectedEvent{code, std::move(detail), true});
  scheduleReconnect();
}

void JoinerSession::end(DisconnectedEvent ended) {
  dropConnection();
  if (files_) files_->end();
  state_ = State::Ended;
  publisher_->stop();
  if (reconnectTimer_) ctx_.coreLoop.cancelTimer(std::exchange(reconnectTimer_, 0));
  if (statsTimer_) ctx_.coreLoop.cancelTimer(std::exchange(statsTimer_, 0));
  ended.willReconnect = false;
  emit(std::move(ended));
  ctx_.ended(this);
}

void JoinerSession::scheduleReconnect() {
  state_ = State::Waiting;
  ++attempt_;
  // Doubling from the initial delay up to the maximum, with +-20% jitter so that a room full of
  // joiners does not come back in one burst.
  const double base = static_cast<double>(ctx_.options.reconnectInitialDelay.count()) *
                      static_cast<double>(1u << std::min(attempt_ - 1, 16));
  const double capped = std::min(base, static_cast<double>(ctx_.options.reconnectMaxDelay.count()));
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  const auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(capped * jitter(random_)));
  emit(ReconnectingEvent{attempt_, delay});
  reconnectTimer_ = ctx_.coreLoop.runAfter(delay, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->state_ != State::Waiting) return;
    self->reconnectTimer_ = 0;
    self->attempt();
  });
}

void JoinerSession::dropConnection() {
  ++generation_;
  if (connection_) {
    connection_->close();
    connection_.reset();
  }
  if (handshakeTimer_) ctx_.coreLoop.cancelTimer(std::exchange(handshakeTimer_, 0));
  if (heartbeatTimer_) ctx_.coreLoop.cancelTimer(std::exchange(heartbeatTimer_, 0));
  pendingWelcome_.reset();
  bulk_.clear();  // sealed for that connection's channel, never for the next
}

void JoinerSession::heartbeatTick() {
  const auto now = net::Clock::now();
  if (now - lastHeard_ > ctx_.options.heartbeatTimeout) {
    heartbeatTimer_ = 0;
    lost(ErrorCode::ConnectionLost, "the host stopped answering", true);
    return;
  }
  if (connection_ && now - lastSent_ >= heartbeatEvery_) {
    sendToHost(proto::toPayload(proto::Heartbeat{}));
    lastSent_ = now;
  }
  const auto period = std::max<std::chrono::milliseconds>(
      std::chrono::milliseconds(20), std::min(heartbeatEvery_, ctx_.options.heartbeatTimeout / 4));
  heartbeatTimer_ = ctx_.coreLoop.runAfter(period, [weak = weak_from_this()] {
    if (auto self = weak.lock(); self && self->state_ == State::Connected) self->heartbeatTick();
  });
}

void JoinerSession::scheduleStats() {
  if (ctx_.options.statsInterval.count() <= 0) return;
  statsTimer_ = ctx_.coreLoop.runAfter(ctx_.options.statsInterval, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->state_ == State::Ended) return;
    StatsEvent stats;
    stats.clients = self->roster_.size();
    stats.messagesIn = self->messagesIn_;
    stats.messagesOut = self->messagesOut_;
    self->emit(stats);
    self->scheduleStats();
  });
}

// ---- commands --------------------------------------------------------------------------------

bool JoinerSession::sendable(std::string_view text) {
  if (state_ != State::Connected || !connection_) {
    emit(ErrorEvent{ErrorCode::NotConnected, "not connected to the host"});
    return false;
  }
  if (auto bad = validateText(text)) {
    emit(ErrorEvent{*bad, "the message was not sent"});
    return false;
  }
  return true;
}

void JoinerSession::say(std::string text) {
  ctx_.coreLoop.assertInLoopThread();
  if (!sendable(text)) return;
  sendToHost(proto::toPayload(proto::Say{std::move(text)}));
  lastSent_ = net::Clock::now();
  ++messagesOut_;
}

void JoinerSession::whisper(ClientId to, std::string text) {
  ctx_.coreLoop.assertInLoopThread();
  if (!sendable(text)) return;
  // The host checks the recipient: this copy of the list may be a moment behind.
  sendToHost(proto::toPayload(proto::Whisper{to, std::move(text)}));
  lastSent_ = net::Clock::now();
  ++messagesOut_;
}

void JoinerSession::rename(std::string name) {
  ctx_.coreLoop.assertInLoopThread();
  if (state_ != State::Connected || !connection_) {
    emit(ErrorEvent{ErrorCode::NotConnected, "not connected to the host"});
    return;
  }
  if (auto bad = validateName(name)) {
    emit(ErrorEvent{*bad, "that nickname cannot be used"});
    return;
  }
  sendToHost(proto::toPayload(proto::Rename{std::move(name)}));
  lastSent_ = net::Clock::now();
}

void JoinerSession::kick(ClientId, bool) {
  ctx_.coreLoop.assertInLoopThread();
  emit(ErrorEvent{ErrorCode::NotAllowed, "only the host can remove someone"});
}

void JoinerSession::exempt(ClientId, bool) {
  ctx_.coreLoop.assertInLoopThread();
  emit(ErrorEvent{ErrorCode::NotAllowed, "only the host can change someone's rate limit"});
}

void JoinerSession::unban(const std::string&) {
  ctx_.coreLoop.assertInLoopThread();
  emit(ErrorEvent{ErrorCode::NotAllowed, "only the host can lift a ban"});
}

void JoinerSession::setPresence(Presence presence) {
  ctx_.coreLoop.assertInLoopThread();
  presence_ = presence;
  // Before the Welcome it goes with it (welcomed()); the host's PresenceChanged confirms it.
  if (state_ == State::Connected) sendToHost(proto::toPayload(proto::SetPresence{presence}));
}

void JoinerSession::setPicture(const Picture& picture) {
  ctx_.coreLoop.assertInLoopThread();
  picture_ = picture;
  // Before the Welcome it goes after it (welcomed()); the host's PictureChanged confirms it.
  pictureDue_ = state_ != State::Connected;
  if (!pictureDue_) sendToHost(proto::toPayload(proto::SetPicture{picture_}));
}

void JoinerSession::leave(std::function<void()> done) {
  ctx_.coreLoop.assertInLoopThread();
  if (state_ == State::Ended) {
    if (done) done();
    return;
  }
  // Once the Hello is on its way the host may have let us in before its Welcome reaches us:
  // a goodbye then tells the room we left, where a bare close would look like a broken link.
  const bool saysGoodbye = connection_ && channelOpen_;
  const bool cancelled = state_ != State::Connected;
  state_ = State::Ended;
  publisher_->stop();
  if (reconnectTimer_) ctx_.coreLoop.cancelTimer(std::exchange(reconnectTimer_, 0));
  if (statsTimer_) ctx_.coreLoop.cancelTimer(std::exchange(statsTimer_, 0));
  if (handshakeTimer_) ctx_.coreLoop.cancelTimer(std::exchange(handshakeTimer_, 0));
  if (heartbeatTimer_) ctx_.coreLoop.cancelTimer(std::exchange(heartbeatTimer_, 0));
  ++generation_;
  if (files_) files_->end();
  emit(DisconnectedEvent{ErrorCode::Left, cancelled ? "you cancelled joining" : "you left the chat", false});
  leaveDone_ = std::move(done);
  if (!saysGoodbye) {
    if (connection_) connection_->close();
    connection_.reset();
    finishLeave();
    return;
  }
  // Say goodbye, then close once it is sent; the close handler (or the linger) finishes.
  sendToHost(proto::toPayload(proto::Bye{}));
  connection_->closeAfterFlush();
  leaveTimer_ = ctx_.coreLoop.runAfter(kLeaveLinger, [self = shared_from_this()] {
    self->leaveTimer_ = 0;
    self->finishLeave();
  });
}

void JoinerSession::finishLeave() {
  if (leaveTimer_) ctx_.coreLoop.cancelTimer(std::exchange(leaveTimer_, 0));
  if (connection_) {
    connection_->close();
    connection_.reset();
  }
  if (auto done = std::exchange(leaveDone_, nullptr)) done();
}

// ---- helpers ---------------------------------------------------------------------------------

std::string JoinerSession::nameOf(ClientId id) const {
  auto it = roster_.find(id);
  return it == roster_.end() ? std::string() : it->second.name;
}

std::vector<Participant> JoinerSession::roster() const {
  std::vector<Participant> out;
  out.reserve(roster_.size());
  for (const auto& [id, p] : roster_) out.push_back(p);
  return out;
}

}  // namespace chatport::chat
