#include "host_session.h"

#include <chatport/chat/history.h>

#include <algorithm>

#include <chatport/net/error.h>
#include <chatport/net/record_pool.h>
#include <chatport/net/secure_random.h>

#include "client_link.h"
#include "event_queue.h"
#include "fanout.h"
#include "file_endpoint.h"
#include "file_relay.h"
#include "handshake_budget.h"
#include "host_security.h"
#include "key_store.h"
#include "loop_shard.h"
#include "name_key.h"
#include "room_flow.h"
#include "token_bucket.h"

#include <algorithm>

namespace chatport::chat {

struct HostSession::Member::Picture {
  net::SharedBytes frame;  // PictureChanged; null while the member has none
  TokenBucket budget{proto::kPictureChangesPerMinute / 60.0, proto::kPictureChangeBurst, net::Clock::now()};
};

namespace {

// Joins that follow another within this long are announced together at its end
// (announceLater): at most four Joined a second to everyone, however many join.
constexpr std::chrono::milliseconds kJoinedEvery{250};
// Queued bytes across all joiners under which the host counts as quiet.
constexpr std::size_t kQuietQueuedBytes = 1 << 20;
// A host whose port is taken (HostCommand::anyPortIfTaken) tries this many following ports
// before the system's choice.
constexpr unsigned kNextPortsTried = 10;

std::int64_t nowMs(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint fromMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Where a token is filed: its first 8 bytes. The whole token is then compared in constant time,
// so how long a wrong guess takes to refuse says nothing about how close it came.
std::uint64_t tokenSlot(const proto::Token& token) {
  std::uint64_t slot = 0;
  for (std::size_t i = 0; i < 8; ++i) slot = (slot << 8) | std::to_integer<std::uint64_t>(token[i]);
  return slot;
}

}  // namespace

HostSession::HostSession(SessionContext context)
    : ctx_(std::move(context)) {
  for (std::size_t i = 0; i < ctx_.engine.loopCount(); ++i)
    shards_.push_back(std::make_shared<LoopShard>(ctx_.engine.loop(i), ctx_.options));
  fanout_ = std::make_shared<Fanout>(ctx_.coreLoop, shards_);
  publisher_ = std::make_shared<ClientListPublisher>(ctx_.coreLoop, ctx_.events,
                                                     [this] { return roster(); });
}

HostSession::~HostSession() {
  if (listener_) listener_->close();
}

void HostSession::emit(Event event) { ctx_.events.push(std::move(event)); }

void HostSession::start(const HostCommand& command) {
  ctx_.coreLoop.assertInLoopThread();
  auto fail = [&](ErrorCode code, std::string detail) {
    ended_ = true;
    emit(DisconnectedEvent{code, std::move(detail), false});
    ctx_.ended(this);
  };
  if (auto bad = validateName(command.name)) {
    fail(*bad, "the nickname must be 1-32 characters without control characters");
    return;
  }
  std::string problem;
  const noise::KeyPair* identity = ctx_.keys.identity(problem);
  if (!identity) {
    fail(ErrorCode::DataFolder, problem);
    return;
  }
  security_ = std::make_shared<HostSecurity>(*identity);
  security_->passwordCost = {ctx_.options.passwordMemoryKiB, ctx_.options.passwordIterations};
  if (!command.password.empty()) {
    // Once per room, salted with the host's key: never once per connection.
    noise::Psk psk;
    if (noise::derivePsk(command.password, identity->publicKey(), security_->passwordCost, psk)) {
      fail(ErrorCode::BindFailed, "the password could not be prepared (out of memory?)");
      return;
    }
    security_->psk = psk;
  }
  roomKey_ = std::make_unique<secure::RoomSealer>(1);
  // Where to listen, in order. No address asked for: every address, IPv6 and IPv4 on one
  // dual-stack socket, or IPv4 alone where the system has no IPv6 (or no dual stack).
  std::vector<net::Endpoint> candidates;
  if (command.bindAddress.empty()) {
    candidates = {net::Endpoint::anyDualStack(command.port), net::Endpoint::anyV4(command.port)};
  } else {
    auto local = net::Endpoint::parse(command.bindAddress, command.port);
    if (!local) {
      fail(ErrorCode::BindFailed, "'" + command.bindAddress + "' is not an address of this computer");
      return;
    }
    local->setPort(command.port);  // an address with its own port ("1.2.3.4:80") does not win
    candidates = {*local};
  }

  std::weak_ptr<HostSession> weak = weak_from_this();
  // When the host falls behind the room: the room holds what it gets, every link stops reading.
  std::vector<std::weak_ptr<LoopShard>> weakShards(shards_.begin(), shards_.end());
  flow_ = std::make_shared<RoomFlow>(shards_.size(), ctx_.options.maxQueuedBytesPerClient,
                                     [weak, weakShards, &roomLoop = ctx_.coreLoop](bool congested) {
    if (!congested)  // the room notices congestion at once (onRequest), and its end from here
      roomLoop.post([weak] {
        if (auto self = weak.lock()) self->handleHeld();
      });
    for (const auto& w : weakShards)
      if (auto shard = w.lock())
        shard->loop().post([w, congested] {
          if (auto s = w.lock()) s->setReading(!congested);
        });
  });
  fanout_->setFlow(flow_);
  auto links = std::make_shared<const LinkContext>(LinkContext{
      weak, ctx_.coreLoop,
      std::make_shared<HandshakeBudget>(ctx_.options.maxPendingHandshakes,
                                        ctx_.options.maxPendingHandshakesPerAddress),
      security_, ctx_.log, flow_});
  // Shards first: a connection may be accepted the moment the socket listens.
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    shards_[i]->setLinkContext(links);
    shards_[i]->loop().dispatch([shard = shards_[i], flow = flow_, i] { shard->start(flow, i); });
  }

  auto shards = shards_;
  net::Loop& roomLoop = ctx_.coreLoop;
  auto onAccept = [shards](std::shared_ptr<net::Connection> c) {
    auto& shard = shards.at(c->loop().index());
    auto link = std::allocate_shared<ClientLink>(net::PoolAllocator<ClientLink>(), std::move(c), shard);
    shard->attach(link);
    link->start();
  };
  auto onListenError = [weak, &roomLoop](std::error_code why) {
    roomLoop.dispatch([weak, why] {
      if (auto self = weak.lock()) self->onListenerFailed(why);
    });
  };
  std::error_code ec;
  net::Endpoint last;
  for (const net::Endpoint& local : candidates) {
    last = local;
    listener_ = ctx_.engine.listen(local, onAccept, onListenError, ec);
    // A port in use is in use for the next candidate too.
    if (listener_ || ec == std::errc::address_in_use) break;
    if (&local != &candidates.back())
      ctx_.log->info("cannot host on {} ({}); hosting on IPv4 only", local.toString(), net::describe(ec));
  }
  if (!listener_ && ec == std::errc::address_in_use && command.anyPortIfTaken) {
    // The following ports first (a room on 5151 is easy to tell about), then one the system
    // picks, on the address that found the port taken.
    net::Endpoint local = last;
    for (unsigned step = 1; step <= kNextPortsTried + 1 && !listener_; ++step) {
      const unsigned next = step <= kNextPortsTried ? command.port + step : 0;
      if (next > 65535) continue;
      local.setPort(static_cast<std::uint16_t>(next));
      listener_ = ctx_.engine.listen(local, onAccept, onListenError, ec);
      if (!listener_ && ec != std::errc::address_in_use) break;
    }
    if (listener_)
      ctx_.log->info("port {} is in use; hosting on port {} instead", command.port, listener_->localEndpoint().port());
  }
  if (!listener_) {
    const bool inUse = ec == std::errc::address_in_use;
    fail(inUse ? ErrorCode::PortInUse : ErrorCode::BindFailed, net::describe(ec));
    return;
  }
  const net::Endpoint bound = listener_->localEndpoint();

  rules_ = loadRoomRules(ctx_.keys.folder(), problem);
  if (!problem.empty()) ctx_.log->warn("{}", problem);  // like a damaged line of recent_rooms

  Member self;
  self.who = Participant{hostId_, command.name, true, ctx_.presence};
  members_.emplace(hostId_, std::move(self));
  names_.add(nameKey(command.name), hostId_);

  if (ctx_.history) {
    // The room goes on where it stopped: the same key, its seqs continuing, its past for
    // newcomers.
    store_ = ctx_.history;
    historyRoom_ = historyRoomOf(identity->publicKey());
    store_->setRoomName(historyRoom_, command.name);
    seq_ = publishedSeq_ = store_->lastSeq(historyRoom_);
    std::uint64_t older = 0;
    const std::size_t most = std::max(ctx_.options.historyForNewcomers, ctx_.options.historyForReturning);
    for (auto& m : store_->since(historyRoom_, 0, most, older))
      keepPast({m.seq, m.timeMs, std::move(m.from), std::move(m.text)});
  }

  const std::string fingerprint = noise::fingerprint(identity->publicKey());
  ctx_.log->info("hosting as '{}' on {}; this host's key: {}", command.name, bound.toString(), fingerprint);
  ConnectedEvent connected{Role::Host, hostId_, command.name, bound.addressString(), bound.port(),
                           bound.port() != command.port && command.port != 0 ? command.port : std::uint16_t{0},
                           fingerprint, false, security_->psk.has_value()};
  connected.historyRoom = historyRoom_;
  emit(std::move(connected));
  if (!rules_.banned.empty()) reportBans();
  startFiles();
  publisher_->publishNow();
  if (!ctx_.picture.empty()) changePicture(hostId_, ctx_.picture);  // nobody to tell yet: kept for newcomers
  scheduleStats();
  if (command.announce) {
    room_.protocolVersion = proto::kProtocolVersion;
    room_.passwordRequired = security_->psk.has_value();
    room_.hostKey = identity->publicKey();
    room_.tcpPorts = {bound.port()};
    room_.people = 1;
    room_.hostName = command.name;
    beacon_ = RoomBeacon::start(ctx_.engine, ctx_.coreLoop, command.discovery, room_, ctx_.log);
  }
}

void HostSession::startFiles() {
  std::weak_ptr<HostSession> weak = weak_from_this();
  FileRelay::Hooks relayHooks;
  relayHooks.send = [this](ClientId to, proto::HostMessage&& message, bool bulk) {
    sendFileMessage(to, std::move(message), bulk);
  };
  relayHooks.present = [this] {
    std::vector<ClientId> ids;
    for (const auto& [id, m] : members_)
      if (id == hostId_ || welcomed(m)) ids.push_back(id);
    return ids;
  };
  relayHooks.isMember = [this](ClientId id) { return members_.contains(id); };
  relayHooks.keyOf = [this](ClientId id) {
    auto it = members_.find(id);
    return it == members_.end() ? FileRelay::Key{} : keyOf(it->second);
  };
  relayHooks.nowMs = [] { return nowMs(std::chrono::system_clock::now()); };
  relay_ = std::make_unique<FileRelay>(ctx_.options, std::move(relayHooks), ctx_.log);

  FileEndpoint::Hooks own;
  // The host's own files go to the relay as a member's would, one loop turn later (never
  // from inside the relay's own call).
  own.send = [weak, &loop = ctx_.coreLoop](proto::ClientMessage&& message, bool) {
    loop.post([weak, message = std::move(message)]() mutable {
      if (auto self = weak.lock(); self && !self->ended_) self->relay_->onMessage(self->hostId_, std::move(message));
    });
  };
  own.emit = [this](Event event) { emit(std::move(event)); };
  own.nameOf = [this](ClientId id) {
    auto it = members_.find(id);
    return it == members_.end() ? std::string() : it->second.who.name;
  };
  files_ = std::make_shared<FileEndpoint>(ctx_.coreLoop, std::move(own), ctx_.log);
  expireTransfers();
}

void HostSession::expireTransfers() {
  relay_->expireOrphans(nowMs(std::chrono::system_clock::now()));
  const auto every = std::clamp<std::chrono::milliseconds>(ctx_.options.transferResumeWindow / 4,
                                                          std::chrono::milliseconds(50), std::chrono::minutes(1));
  transferTimer_ = ctx_.coreLoop.runAfter(every, [weak = weak_from_this()] {
    if (auto self = weak.lock(); self && !self->ended_) self->expireTransfers();
  });
}

void HostSession::sendFileMessage(ClientId to, proto::HostMessage&& message, bool bulk) {
  if (to == hostId_) {
    ctx_.coreLoop.post([weak = std::weak_ptr<FileEndpoint>(files_), message = std::move(message)]() mutable {
      if (auto files = weak.lock()) files->onMessage(message);
    });
    return;
  }
  auto it = members_.find(to);
  if (it == members_.end() || !it->second.link) return;
  auto frame = proto::toFrame(message);
  if (bulk) {
    fanout_->sendBulk(it->second.link, frame);
    return;
  }
  // In the room's order: never ahead of the member's Welcome, nor of what was said before.
  inOrder([this, to, link = it->second.link, frame = std::move(frame)] {
    announceJoins();  // an offer names its sender
    auto m = members_.find(to);
    if (m != members_.end() && m->second.link == link) fanout_->send(link, frame);
  });
}

void HostSession::announceRoom() {
  if (!beacon_) return;
  room_.people = static_cast<std::uint32_t>(members_.size());
  room_.hostName = members_.at(hostId_).who.name;
  beacon_->update(room_);
}

void HostSession::stopAnnouncing() {
  if (beacon_) beacon_->stop();
  beacon_.reset();
}

std::vector<Participant> HostSession::roster() const {
  std::vector<Participant> out;
  out.reserve(members_.size());
  for (const auto& [id, m] : members_) out.push_back(m.who);
  return out;
}

ClientId HostSession::nameHolder(std::string_view key) const {
  return names_.find(key, [this](ClientId id) {
    const auto m = members_.find(id);
    return m == members_.end() ? std::string() : nameKey(m->second.who.name);
  });
}

const noise::PublicKey& HostSession::keyOf(const Member& m) {
  static const noise::PublicKey kNone{};
  return m.link ? m.link->peerKey() : kNone;
}

bool HostSession::welcomed(const Member& m) { return m.link && m.link->welcomed(); }

HostSession::Member* HostSession::findByLink(const ClientLink& link) {
  auto m = members_.find(link.roomMember());
  return m == members_.end() || m->second.link.get() != &link ? nullptr : &m->second;
}

proto::Token HostSession::newToken() {
  proto::Token token;
  do net::fillSecureRandom(token);
  while (tokens_.count(tokenSlot(token)));  // two equal 64-bit slots: practically never
  return token;
}

HostSession::Member* HostSession::findByToken(const proto::Token& token) {
  auto t = tokens_.find(tokenSlot(token));
  if (t == tokens_.end()) return nullptr;
  Member& m = members_.at(t->second);
  return net::constantTimeEqual(m.token, token) ? &m : nullptr;
}

void HostSession::onMessage(const std::shared_ptr<ClientLink>& link, proto::ClientMessage&& message) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  if (auto* hello = std::get_if<proto::Hello>(&message)) {
    if (!findByLink(*link)) onHello(link, std::move(*hello));
    return;
  }
  Member* from = findByLink(*link);
  if (!from) return;  // refused, replaced, or removed meanwhile
  const ClientId fromId = from->who.id;
  if (relay_) relay_->onMessage(fromId, std::move(message));  // a file message, or nothing
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, proto::Say>) {
          ++messagesIn_;
          chat(fromId, std::move(m.text));
        } else if constexpr (std::is_same_v<M, proto::Whisper>) {
          ++messagesIn_;
          if (!members_.count(m.to)) {
            reply(*from, proto::Code::UnknownRecipient, "no client has that id");
            return;
          }
          privateMessage(fromId, m.to, std::move(m.text));
        } else if constexpr (std::is_same_v<M, proto::Rename>) {
          if (auto error = renameMember(fromId, std::move(m.name)))
            reply(*from, *error == ErrorCode::NameTaken ? proto::Code::NameTaken : proto::Code::InvalidName,
                  "that nickname is taken");
        } else if constexpr (std::is_same_v<M, proto::Kick>) {
          reply(*from, proto::Code::NotAllowed, "only the host can remove someone");
        } else if constexpr (std::is_same_v<M, proto::SetPresence>) {
          changePresence(fromId, m.presence);
        } else if constexpr (std::is_same_v<M, proto::SetPicture>) {
          changePicture(fromId, std::move(m.picture));
        }
      },
      message);
}

void HostSession::onRequest(const std::shared_ptr<ClientLink>& link, proto::ClientMessage&& message,
                            std::size_t cost) {
  ctx_.coreLoop.assertInLoopThread();
  if (flow_->congested() || !held_.empty()) {  // behind those held: each joiner's requests keep their order
    held_.push_back({link, std::move(message), cost});
    return;
  }
  onMessage(link, std::move(message));
  link->roomHandled(cost);
}

void HostSession::handleHeld() {
  if (ended_) return;
  if (!held_.empty()) ctx_.log->debug("the room takes requests again: {} held", held_.size());
  // Until the room is congested again, which these may well make it.
  while (!flow_->congested() && !held_.empty()) {
    Held next = std::move(held_.front());
    held_.pop_front();
    onMessage(next.link, std::move(next.message));
    next.link->roomHandled(next.cost);
  }
}

void HostSession::onHello(const std::shared_ptr<ClientLink>& link, proto::Hello&& hello) {
  // A known resume token: the same joiner on a new connection. It takes over its session (the
  // old connection is most likely dead and not yet noticed); nobody else sees a change.
  if (hello.resumeToken) {
    // Bound to the key it joined with: a token alone resumes nobody.
    if (Member* found = findByToken(*hello.resumeToken); found && keyOf(*found) == link->peerKey()) {
      Member& m = *found;
      ctx_.log->info("'{}' (client {}) resumed its session from {}", m.who.name, m.who.id, link->peer());
      if (m.link) {
        m.link->setRoomMember(kNoClient);
        // Most likely dead; if not, it learns why it is being dropped.
        fanout_->close(m.link, proto::toFrame(proto::Closing{proto::Code::Replaced, "you resumed on a new connection"}),
                       LeaveReason::Quit, true);
      }
      m.link = link;
      link->setRoomMember(m.who.id);
      const ClientId id = m.who.id;
      welcome(link, id, *hello.resumeToken, ResumePoint{hello.lastSeq, hello.lastPrivateSeq});
      // What it had on its way through the old link is lost: its transfers pause, and resume
      // from where the data ends (the messages go after the Welcome: sendFileMessage).
      relay_->memberResumed(id);
      return;
    }
  }
  if (rules_.banned.count(link->peerKey())) {
    refuse(link, proto::Code::Banned, "the host has banned you from this room");
    return;
  }
  const std::string key = nameKey(hello.name);
  if (nameHolder(key) != kNoClient) {
    refuse(link, proto::Code::NameTaken, "someone here is already called " + hello.name);
    return;
  }
  if (members_.size() - 1 >= ctx_.options.maxClients) {
    refuse(link, proto::Code::RoomFull, "the room is full");
    return;
  }
  const ClientId id = nextId_++;
  const proto::Token token = newToken();
  Member m;
  m.who = Participant{id, hello.name, false};
  m.link = link;
  m.token = token;
  const Participant who = m.who;
  tokens_.emplace(tokenSlot(token), id);
  names_.add(key, id);
  link->setRoomMember(id);
  members_.emplace(id, std::move(m));
  fanout_->setRoomSize(members_.size());

  // Everyone already here hears of the newcomer within a tick; the newcomer gets the whole list
  // instead.
  inOrder([this, who] { announceLater(who); });
  welcome(link, id, token, std::nullopt, hello.lastSeq);

  ctx_.log->info("'{}' joined as client {} from {}", who.name, id, link->peer());
  emit(JoinedEvent{who});
  publisher_->changed();
  announceRoom();
}

void HostSession::welcome(const std::shared_ptr<ClientLink>& link, ClientId id,
                          const proto::Token& token, std::optional<ResumePoint> from, std::uint64_t lastSeq) {
  proto::Welcome head;
  head.you = id;
  head.token = token;
  head.hostName = members_.at(hostId_).who.name;
  // Every message numbered so far goes out before this Welcome does (inOrder, below).
  head.roomSeq = seq_;
  head.heartbeatIntervalMs = static_cast<std::uint32_t>(ctx_.options.heartbeatInterval.count());
  const bool exempt = rules_.exempt.count(keyOf(members_.at(id))) > 0;
  const proto::Limits limits = limitsFor(keyOf(members_.at(id)));
  head.sendRateMilli = limits.sendRateMilli;
  head.sendBurst = limits.sendBurst;
  std::vector<Participant> rest;
  for (auto it = members_.upper_bound(welcomes_.keptThrough()); it != members_.end(); ++it)
    rest.push_back(it->second.who);
  // The list as it stands now; sent where the room's order has got to this join.
  inOrder([this, link, id, from, lastSeq, exempt,
           frames = welcomes_.frames(std::move(head), members_.size(), rest)] {
    auto it = members_.find(id);
    if (it == members_.end() || it->second.link != link) return;  // gone, or resumed again
    // A new room key due since someone left: for those here before, not for the newcomer.
    if (newEpochDue_) startNewEpoch();
    for (const auto& frame : frames) fanout_->send(link, frame);
    // The key of the broadcasts from now on, inside the joiner's own channel.
    fanout_->send(link, roomKeyFrame());
    if (from) {
      // What it missed while away, in the order it was said, before anything said from now on.
      for (const Said& s : replay_) {
        const bool missed = s.to == kNoClient ? s.seq > from->seq
                                              : (s.from == id || s.to == id) && s.seq > from->pseq;
        if (missed) fanout_->send(link, s.frame);
      }
      // The end of the replay: what it did not bring up to the Welcome's roomSeq is gone.
      fanout_->send(link, heartbeat_);
    } else {
      sendHistory(link, lastSeq);
    }
    link->setWelcomed();
    fanout_->admit(link, id);
    sendPictures(link, id);
    if (exempt) {
      fanout_->setExempt(link, true);
      emit(RateLimitEvent{id, it->second.who.name, 0, 0});  // back: the host's list marks it again
    }
  });
}

void HostSession::sendHistory(const std::shared_ptr<ClientLink>& link, std::uint64_t lastSeq) {
  // lastSeq past the room's end: the joiner's was another room (or this one before a restart
  // that kept no history); it is a newcomer here.
  const std::uint64_t roomSeq = publishedSeq_;
  const bool returning = lastSeq > 0 && lastSeq <= roomSeq;
  const std::uint64_t wanted = returning ? roomSeq - lastSeq : roomSeq;
  const std::size_t most = returning ? ctx_.options.historyForReturning : ctx_.options.historyForNewcomers;
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(wanted, most));
  if (want == 0) return;

  // The latest messages are in memory (past_ ends at roomSeq); older ones, for a joiner back
  // after a long while, in the store.
  std::vector<proto::HistoryEntry> entries;
  if (past_.size() < want && store_) {
    std::uint64_t beyond = 0;
    for (auto& m : store_->since(historyRoom_, roomSeq - want, want + static_cast<std::size_t>(seq_ - roomSeq), beyond))
      if (m.seq <= roomSeq) entries.push_back({m.seq, m.timeMs, std::move(m.from), std::move(m.text)});
  } else {
    const std::size_t n = std::min(want, past_.size());
    entries.assign(past_.end() - static_cast<std::ptrdiff_t>(n), past_.end());
  }

  std::vector<proto::History> parts(1);
  // Messages after lastSeq not sent: beyond what is sent at once, or no longer kept.
  if (returning) parts[0].missed = wanted - entries.size();
  std::size_t bytes = 0;
  for (auto& entry : entries) {
    const std::size_t size = entry.from.size() + entry.text.size();
    if (bytes + size > proto::kHistoryPartBytes && !parts.back().entries.empty()) {
      parts.emplace_back();
      bytes = 0;
    }
    parts.back().entries.push_back(std::move(entry));
    bytes += size;
  }
  if (parts[0].entries.empty() && parts[0].missed == 0) return;
  for (const auto& part : parts) fanout_->send(link, proto::toFrame(part));
}

void HostSession::keepPast(proto::HistoryEntry entry) {
  const std::size_t most = std::max(ctx_.options.historyForNewcomers, ctx_.options.historyForReturning);
  if (most == 0) return;
  pastBytes_ += entry.from.size() + entry.text.size();
  past_.push_back(std::move(entry));
  while (past_.size() > most || (pastBytes_ > ctx_.options.historyBytes && past_.size() > 1)) {
    pastBytes_ -= past_.front().from.size() + past_.front().text.size();
    past_.pop_front();
  }
}

void HostSession::remember(std::uint64_t seq, const net::SharedBytes& frame, ClientId from, ClientId to) {
  // A replay must fit in the joiner's queue beside what else is waiting for it.
  const std::size_t bound =
      std::min(ctx_.options.resumeHistoryBytes, ctx_.options.maxQueuedBytesPerClient / 2);
  if (frame->size() > bound) return;
  replay_.push_back({seq, frame, from, to});
  replayBytes_ += frame->size();
  while (replayBytes_ > bound) {
    replayBytes_ -= replay_.front().frame->size();
    replay_.pop_front();
  }
}

void HostSession::refuse(const std::shared_ptr<ClientLink>& link, proto::Code code, std::string detail) {
  ctx_.log->info("refusing {}: {}", link->peer(), detail);
  fanout_->close(link, proto::toFrame(proto::Refuse{code, std::move(detail)}), LeaveReason::Error, true);
}

void HostSession::broadcast(const net::Bytes& payload, bool mayStartEpoch) {
  announceJoins(mayStartEpoch);
  if (newEpochDue_ && mayStartEpoch) startNewEpoch();
  fanout_->broadcast(roomKey_->seal(payload));
}

void HostSession::announceLater(const Participant& who) {
  unannounced_.push_back(who);
  // A join after a quiet tick is told at once, and starts a tick; the ones that follow it
  // within the tick wait for its end, and are told together.
  if (!joinedTimer_) joinedTick();
}

void HostSession::joinedTick() {
  joinedTimer_ = 0;
  if (ended_ || unannounced_.empty()) return;
  announceJoins();
  joinedTimer_ = ctx_.coreLoop.runAfter(kJoinedEvery, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->joinedTick();
  });
}

void HostSession::announceJoins(bool mayStartEpoch) {
  if (unannounced_.empty()) return;
  if (newEpochDue_) {
    if (!mayStartEpoch) return;
    startNewEpoch();
  }
  for (std::size_t i = 0; i < unannounced_.size(); i += proto::kRosterPartEntries) {
    const auto first = unannounced_.begin() + static_cast<std::ptrdiff_t>(i);
    const auto n = static_cast<std::ptrdiff_t>(std::min(proto::kRosterPartEntries, unannounced_.size() - i));
    fanout_->broadcast(roomKey_->seal(proto::toPayload(proto::Joined{{first, first + n}})));
  }
  unannounced_.clear();
}

void HostSession::startNewEpoch() {
  // Someone left since the last broadcast: a key they never see, for everyone still here.
  newEpochDue_ = false;
  roomKey_ = std::make_unique<secure::RoomSealer>(roomKey_->epoch() + 1);
  const auto frame = roomKeyFrame();
  for (const auto& [id, m] : members_)
    if (welcomed(m)) fanout_->send(m.link, frame);
}

net::SharedBytes HostSession::roomKeyFrame() const {
  proto::RoomKey key;
  key.epoch = roomKey_->epoch();
  const auto bytes = roomKey_->key().bytes();
  std::copy(bytes.begin(), bytes.end(), key.key.begin());
  return proto::toFrame(key);
}

void HostSession::reply(const Member& to, proto::Code code, std::string detail) {
  if (to.link) fanout_->send(to.link, proto::toFrame(proto::ErrorReply{code, std::move(detail)}));
}

void HostSession::chat(ClientId from, std::string text) {
  const std::int64_t ms = nowMs(std::chrono::system_clock::now());
  proto::ChatMessage message{from, ++seq_, ms, std::move(text)};
  std::string name = members_.at(from).who.name;
  if (!store_) {
    publish(std::move(message), std::move(name));
    return;
  }
  // The callback runs on the store's writer thread, in seq order.
  std::weak_ptr<HostSession> weak = weak_from_this();
  store_->append({historyRoom_, message.seq, ms, StoredMessage::Kind::Chat, name, {}, message.text, from == hostId_},
                 [weak, &loop = ctx_.coreLoop, seq = message.seq] {
    loop.post([weak, seq] {
      if (auto self = weak.lock()) self->onDurable(seq);
    });
  });
  const std::uint64_t seq = message.seq;
  unpublishedBytes_ += message.text.size();
  flow_->waiting(unpublishedBytes_);
  outbox_.push_back({seq, [this, message = std::move(message), name = std::move(name)]() mutable {
                       unpublishedBytes_ -= message.text.size();
                       flow_->waiting(unpublishedBytes_);
                       publish(std::move(message), std::move(name));
                     }});
}

void HostSession::onDurable(std::uint64_t seq) {
  if (ended_) return;
  durableSeq_ = std::max(durableSeq_, seq);
  runReadySteps();
}

void HostSession::inOrder(std::function<void()> step) {
  if (outbox_.empty())
    step();
  else
    outbox_.push_back({0, std::move(step)});
}

void HostSession::runReadySteps() {
  while (!outbox_.empty() && outbox_.front().seq <= durableSeq_) {
    auto step = std::move(outbox_.front().run);
    outbox_.pop_front();
    step();
  }
  if (!held_.empty()) handleHeld();  // what the store had still to take may have held them
}

void HostSession::publish(proto::ChatMessage message, std::string fromName) {
  const auto payload = proto::toPayload(message);
  broadcast(payload);
  remember(message.seq, net::encodeFrame(payload));  // sent again inside a resumed link
  publishedSeq_ = message.seq;
  messagesOut_ += members_.size() - 1;
  keepPast({message.seq, message.timeMs, fromName, message.text});
  emit(MessageEvent{message.from, std::move(fromName), message.seq, fromMs(message.timeMs), std::move(message.text)});
}

void HostSession::privateMessage(ClientId from, ClientId to, std::string text) {
  const std::int64_t ms = nowMs(std::chrono::system_clock::now());
  const Member& sender = members_.at(from);
  const Member& recipient = members_.at(to);
  proto::PrivateMessage message{from, to, ++privateSeq_, ms, std::move(text)};
  const bool hostIsParty = from == hostId_ || to == hostId_;
  if (hostIsParty && store_) {
    // The host's own: kept by the host as each joiner keeps its own (never anyone else's).
    store_->append({historyRoom_, 0, ms, StoredMessage::Kind::Private, sender.who.name, recipient.who.name,
                    message.text, from == hostId_});
  }
  // To these two links, whoever is here by the time it goes out.
  inOrder([this, message = std::move(message), toLink = recipient.link, fromLink = sender.link,
           fromName = sender.who.name, toName = recipient.who.name, hostIsParty]() mutable {
    announceJoins();  // the recipient knows the sender before it reads it
    const auto frame = proto::toFrame(message);
    remember(message.pseq, frame, message.from, message.to);
    if (toLink) {
      fanout_->send(toLink, frame);
      ++messagesOut_;
    }
    if (fromLink && message.from != message.to) {
      fanout_->send(fromLink, frame);  // the sender sees what was delivered, and when
      ++messagesOut_;
    }
    if (hostIsParty)
      emit(PrivateMessageEvent{message.from, std::move(fromName), message.to, std::move(toName),
                               fromMs(message.timeMs), std::move(message.text)});
  });
}

std::optional<ErrorCode> HostSession::renameMember(ClientId id, std::string name) {
  if (auto bad = validateName(name)) return bad;
  Member& m = members_.at(id);
  const std::string newKey = nameKey(name);
  const std::string oldKey = nameKey(m.who.name);
  if (const ClientId holder = nameHolder(newKey); holder != kNoClient && holder != id)
    return ErrorCode::NameTaken;
  if (m.who.name == name) return std::nullopt;
  names_.remove(oldKey, id);
  names_.add(newKey, id);
  std::string oldName = std::exchange(m.who.name, name);
  welcomes_.forget(id);
  inOrder([this, payload = proto::toPayload(proto::Renamed{id, name})] { broadcast(payload); });
  emit(RenamedEvent{id, std::move(oldName), std::move(name)});
  publisher_->changed();
  announceRoom();
  return std::nullopt;
}

void HostSession::setPresence(Presence presence) {
  ctx_.coreLoop.assertInLoopThread();
  if (!ended_) changePresence(hostId_, presence);
}

void HostSession::changePresence(ClientId id, Presence presence) {
  Member& m = members_.at(id);
  if (m.who.presence == presence) return;
  m.who.presence = presence;
  welcomes_.forget(id);
  inOrder([this, payload = proto::toPayload(proto::PresenceChanged{id, presence})] { broadcast(payload); });
  emit(PresenceEvent{id, m.who.name, presence});
  publisher_->changed();
}

void HostSession::setPicture(const Picture& picture) {
  ctx_.coreLoop.assertInLoopThread();
  if (!ended_) changePicture(hostId_, picture);
}

void HostSession::changePicture(ClientId id, Picture picture) {
  Member& m = members_.at(id);
  if (!m.picture) m.picture = std::make_unique<Member::Picture>();
  if (id != hostId_ && !m.picture->budget.take(net::Clock::now())) {
    reply(m, proto::Code::PictureRefused, "you changed your picture too often: wait a minute");
    return;
  }
  auto frame = proto::toFrame(proto::PictureChanged{id, picture});
  m.picture->frame = picture.empty() ? nullptr : frame;
  // Joined first: everyone hears of the member before of its picture. Bulk: chat goes ahead.
  inOrder([this, frame = std::move(frame)] {
    announceJoins();
    for (const auto& [other, member] : members_)
      if (welcomed(member)) fanout_->sendBulk(member.link, frame);
  });
  emit(PictureEvent{id, m.who.name, std::move(picture)});
}

void HostSession::sendPictures(const std::shared_ptr<ClientLink>& link, ClientId id) {
  for (const auto& [other, member] : members_)
    if (other != id && member.picture && member.picture->frame) fanout_->sendBulk(link, member.picture->frame);
}

void HostSession::removeMember(ClientId id, LeaveReason reason) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Member m = std::move(it->second);
  members_.erase(it);
  fanout_->setRoomSize(members_.size());
  // A link lost (not a goodbye, not sent away): its transfers wait for it to come back.
  const bool mayReturn = reason == LeaveReason::Error || reason == LeaveReason::Timeout;
  if (relay_) relay_->memberLeft(id, mayReturn ? std::optional<FileRelay::Key>(keyOf(m)) : std::nullopt);
  welcomes_.forget(id);
  names_.remove(nameKey(m.who.name), id);
  tokens_.erase(tokenSlot(m.token));
  if (m.link) m.link->setRoomMember(kNoClient);
  // Under the key of the epoch in force: the one leaving still reads its own Left (a kicked
  // joiner then reads why), and a crowd leaving at once starts no epoch per leave.
  inOrder([this, id, payload = proto::toPayload(proto::Left{id, reason})] {
    // Gone before the room heard it came (nothing about it went out meanwhile): the room hears
    // nothing of it, and ignores the Left of someone it does not know.
    std::erase_if(unannounced_, [id](const Participant& p) { return p.id == id; });
    broadcast(payload, false);
    newEpochDue_ = true;  // what is said from now on is not for the one who left
  });
  ctx_.log->info("'{}' (client {}) left: {}", m.who.name, id, leaveReasonName(reason));
  emit(LeftEvent{m.who, reason});
  publisher_->changed();
  announceRoom();
}

void HostSession::onLinkClosed(const std::shared_ptr<ClientLink>& link, LeaveReason reason,
                               std::string detail) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  Member* m = findByLink(*link);
  if (!m) return;  // never admitted, or replaced by a resumed session
  ctx_.log->debug("client {} connection closed: {}", m->who.id, detail);
  removeMember(m->who.id, reason);
}

// ---- the host's own commands -------------------------------------------------------------

void HostSession::say(std::string text) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  if (auto bad = validateText(text)) {
    emit(ErrorEvent{*bad, "the message was not sent"});
    return;
  }
  ++messagesIn_;
  chat(hostId_, std::move(text));
}

void HostSession::whisper(ClientId to, std::string text) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  if (auto bad = validateText(text)) {
    emit(ErrorEvent{*bad, "the message was not sent"});
    return;
  }
  if (!members_.count(to)) {
    emit(ErrorEvent{ErrorCode::UnknownRecipient, "that person is no longer here"});
    return;
  }
  privateMessage(hostId_, to, std::move(text));
}

void HostSession::rename(std::string name) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  if (auto error = renameMember(hostId_, std::move(name)))
    emit(ErrorEvent{*error, *error == ErrorCode::NameTaken ? "someone here already has that nickname"
                                                            : "that nickname cannot be used"});
}

HostSession::Member* HostSession::someoneElse(ClientId who, const char* notTheHost) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return nullptr;
  if (who == hostId_) {
    emit(ErrorEvent{ErrorCode::NotAllowed, notTheHost});
    return nullptr;
  }
  auto it = members_.find(who);
  if (it == members_.end()) {
    emit(ErrorEvent{ErrorCode::UnknownRecipient, "that person is no longer here"});
    return nullptr;
  }
  return &it->second;
}

void HostSession::kick(ClientId who, bool ban) {
  Member* m = someoneElse(who, "the host cannot remove itself; leave instead");
  if (!m) return;
  auto link = m->link;
  if (ban) {
    rules_.banned.insert_or_assign(keyOf(*m), RoomRule{m->who.name, std::chrono::system_clock::now()});
    ctx_.log->info("'{}' (client {}) is banned from this room", m->who.name, who);
    saveRules();
    reportBans();
  }
  removeMember(who, LeaveReason::Kicked);
  if (link)
    fanout_->close(link, proto::toFrame(proto::Closing{proto::Code::Kicked, "the host removed you"}),
                   LeaveReason::Kicked, true);
}

proto::Limits HostSession::limitsFor(const noise::PublicKey& key) const {
  if (rules_.exempt.count(key)) return {};
  return {static_cast<std::uint32_t>(std::clamp(ctx_.options.ratePerSecond * 1000, 0.0, 4e9)),
          static_cast<std::uint32_t>(std::clamp(ctx_.options.rateBurst, 0.0, 4e9))};
}

void HostSession::exempt(ClientId who, bool exempt) {
  Member* member = someoneElse(who, "the host has no rate limit to lift");
  if (!member) return;
  Member& m = *member;
  if (exempt)
    rules_.exempt.insert_or_assign(keyOf(m), RoomRule{m.who.name, std::chrono::system_clock::now()});
  else
    rules_.exempt.erase(keyOf(m));
  saveRules();
  const proto::Limits limits = limitsFor(keyOf(m));
  ctx_.log->info("'{}' (client {}) {}", m.who.name, who,
                 exempt ? "may send without a rate limit" : "is under the room's rate limit again");
  // Told in the room's order (never ahead of its Welcome); the link goes by it from then.
  inOrder([this, who, link = m.link, exempt, frame = proto::toFrame(limits)] {
    auto found = members_.find(who);
    if (found == members_.end() || found->second.link != link || !link) return;
    fanout_->setExempt(link, exempt);
    fanout_->send(link, frame);
  });
  emit(RateLimitEvent{who, m.who.name, limits.sendRateMilli / 1000.0, static_cast<double>(limits.sendBurst)});
}

void HostSession::unban(const std::string& fingerprint) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) return;
  const auto it = std::find_if(rules_.banned.begin(), rules_.banned.end(),
                               [&](const auto& rule) { return noise::fingerprint(rule.first) == fingerprint; });
  if (it == rules_.banned.end()) {
    emit(ErrorEvent{ErrorCode::UnknownRecipient, "nobody with the key fingerprint " + fingerprint + " is banned"});
    return;
  }
  ctx_.log->info("'{}' ({}) may join this room again", it->second.name, fingerprint);
  rules_.banned.erase(it);
  saveRules();
  reportBans();
}

void HostSession::saveRules() {
  std::string error;
  if (!saveRoomRules(ctx_.keys.folder(), rules_, error)) {
    ctx_.log->warn("bans and lifted rate limits are kept only until the room ends: {}", error);
    emit(ErrorEvent{ErrorCode::RulesNotKept, "bans and lifted rate limits are kept only until the room ends: " + error});
  }
}

void HostSession::reportBans() {
  BansEvent bans;
  for (const auto& [key, rule] : rules_.banned)
    bans.banned.push_back({rule.name, noise::fingerprint(key), rule.since});
  std::stable_sort(bans.banned.begin(), bans.banned.end(),
                   [](const BannedPerson& a, const BannedPerson& b) { return a.since < b.since; });
  emit(std::move(bans));
}

void HostSession::leave(std::function<void()> done) {
  ctx_.coreLoop.assertInLoopThread();
  if (ended_) {
    if (done) done();
    return;
  }
  if (store_ && !outbox_.empty()) {
    // What was said before the end reaches everyone: it is on disk in a moment.
    store_->flush();
    onDurable(seq_);
  }
  ended_ = true;
  if (files_) files_->end();
  if (transferTimer_) ctx_.coreLoop.cancelTimer(std::exchange(transferTimer_, 0));
  if (joinedTimer_) ctx_.coreLoop.cancelTimer(std::exchange(joinedTimer_, 0));
  stopAnnouncing();
  publisher_->stop();
  if (statsTimer_) ctx_.coreLoop.cancelTimer(std::exchange(statsTimer_, 0));
  if (listener_) listener_->close();
  fanout_->closeAll(proto::toFrame(proto::Closing{proto::Code::HostClosing, "the host ended the chat"}));
  fanout_->flush();
  ctx_.log->info("the chat has ended");
  emit(DisconnectedEvent{ErrorCode::Left, "you ended the chat", false});

  // done once every loop has let its links go (each lingers at most a moment for a flush).
  struct Countdown {
    std::size_t left;
    std::function<void()> done;
  };
  auto countdown = std::make_shared<Countdown>(Countdown{shards_.size(), std::move(done)});
  net::Loop& coreLoop = ctx_.coreLoop;
  for (auto& shard : shards_) {
    shard->loop().post([shard, countdown, &coreLoop] {
      shard->whenEmpty([countdown, &coreLoop] {
        coreLoop.post([countdown] {
          if (--countdown->left == 0 && countdown->done) countdown->done();
        });
      });
    });
  }
}

void HostSession::onListenerFailed(std::error_code why) {
  if (ended_) return;
  // Nobody can join any more: the chat ends for everyone, as a failed start would for the front
  // end, rather than go on looking hosted. Its joiners are told that the host closed it.
  ended_ = true;
  if (joinedTimer_) ctx_.coreLoop.cancelTimer(std::exchange(joinedTimer_, 0));
  stopAnnouncing();
  publisher_->stop();
  if (statsTimer_) ctx_.coreLoop.cancelTimer(std::exchange(statsTimer_, 0));
  listener_.reset();  // closed already by the engine
  fanout_->closeAll(proto::toFrame(proto::Closing{proto::Code::HostClosing, "the host stopped hosting"}));
  fanout_->flush();
  const std::string detail =
      "the chat has ended: nobody could join it any more (" + net::describe(why) + ")";
  ctx_.log->error("{}", detail);
  emit(DisconnectedEvent{ErrorCode::ConnectionLost, detail, false});
  ctx_.ended(this);
}

void HostSession::scheduleStats() {
  if (ctx_.options.statsInterval.count() <= 0) return;
  statsTimer_ = ctx_.coreLoop.runAfter(ctx_.options.statsInterval, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->ended_) return;
    StatsEvent stats;
    stats.clients = self->members_.size();
    stats.messagesIn = self->messagesIn_;
    stats.messagesOut = self->messagesOut_;
    for (auto& shard : self->shards_) {
      stats.queuedBytes += shard->queuedBytes();
      stats.peakQueuedBytesPerClient = std::max(stats.peakQueuedBytesPerClient, shard->peakQueuedBytes());
    }
    if (stats.queuedBytes < kQuietQueuedBytes && self->freeMemory_.releaseIfGrown())
      self->ctx_.log->debug("returned free memory to the system after a surge");
    self->emit(std::move(stats));
    self->scheduleStats();
  });
}

}  // namespace chatport::chat
