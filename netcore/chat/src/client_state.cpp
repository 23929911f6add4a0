#include <chatport/chat/client_state.h>

#include <algorithm>
#include <type_traits>
#include <utility>

namespace chatport::chat {

namespace {

bool sameIgnoringAsciiCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

ClientState::Change ClientState::starting(Role role, std::string name) {
  Change change;
  change.phase = phase_ != Phase::Connecting;
  change.roster = !roster_.empty();
  change.pictures = !pictures_.empty();
  change.name = name_ != name || !pendingName_.empty();
  *this = ClientState{};
  phase_ = Phase::Connecting;
  role_ = role;
  name_ = std::move(name);
  return change;
}

ClientState::Change ClientState::leaving() {
  if (phase_ == Phase::Idle || phase_ == Phase::Ended) return {};
  leftFrom_ = phase_;
  lastDisconnect_ = DisconnectedEvent{ErrorCode::Left, {}, false};
  Change change = linkGone(setPhase(Phase::Ended));
  if (!pendingName_.empty()) {
    pendingName_.clear();
    change.name = true;
  }
  return change;
}

void ClientState::renaming(std::string name) { pendingName_ = std::move(name); }

ClientState::Change ClientState::setPhase(Phase phase) {
  Change change;
  change.phase = phase != phase_;
  phase_ = phase;
  return change;
}

ClientState::Change ClientState::linkGone(Change change) {
  change.roster = change.roster || !roster_.empty();
  change.pictures = change.pictures || !pictures_.empty();
  roster_.clear();
  pictures_.clear();
  haveList_ = false;
  reconnectAttempt_ = 0;
  reconnectAt_.reset();
  return change;
}

int ClientState::secondsToReconnect(Clock::time_point now) const {
  if (phase_ != Phase::Reconnecting || !reconnectAt_ || *reconnectAt_ <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::seconds>(*reconnectAt_ - now);
  return static_cast<int>(left.count());
}

ClientState::Change ClientState::apply(const Event& event, Clock::time_point now) {
  // Left: whatever the core still says of that session is news of a session this side is done with.
  if (leftFrom_) return {};
  return std::visit(
      [this, now](const auto& e) -> Change {
        using E = std::decay_t<decltype(e)>;
        constexpr bool kAboutTheRoom = std::is_same_v<E, ClientListEvent> || std::is_same_v<E, JoinedEvent> ||
                                       std::is_same_v<E, LeftEvent> || std::is_same_v<E, RenamedEvent> ||
                                       std::is_same_v<E, PresenceEvent> || std::is_same_v<E, PictureEvent>;
        Change change;
        if constexpr (kAboutTheRoom) {
          if (phase_ != Phase::Connected) return change;  // of a link gone already
        }
        if constexpr (std::is_same_v<E, ConnectedEvent>) {
          resumed_ = phase_ == Phase::Reconnecting && e.self == self_;
          change = setPhase(Phase::Connected);
          role_ = e.role;
          self_ = e.self;
          change.name = name_ != e.name;
          name_ = e.name;
          if (e.role == Role::Host) host_ = e.self;  // a joiner learns it from the list that follows
          lastDisconnect_.reset();
          reconnectAttempt_ = 0;
          reconnectAt_.reset();
        } else if constexpr (std::is_same_v<E, ClientListEvent>) {
          roster_.clear();
          for (const auto& p : e.clients) {
            roster_.emplace(p.id, p);
            if (p.isHost) host_ = p.id;
          }
          haveList_ = true;
          change.roster = true;
          change.pictures = std::erase_if(pictures_, [this](const auto& p) { return !roster_.contains(p.first); }) > 0;
          if (const Participant* me = find(self_); me && me->name != name_) {
            name_ = me->name;
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, JoinedEvent>) {
          roster_.insert_or_assign(e.who.id, e.who);
          if (e.who.isHost) host_ = e.who.id;
          change.roster = true;
        } else if constexpr (std::is_same_v<E, LeftEvent>) {
          change.roster = roster_.erase(e.who.id) > 0;
          change.pictures = pictures_.erase(e.who.id) > 0;
        } else if constexpr (std::is_same_v<E, RenamedEvent>) {
          if (auto it = roster_.find(e.id); it != roster_.end()) {
            it->second.name = e.newName;
            change.roster = true;
          }
          if (e.id == self_) {
            name_ = e.newName;
            pendingName_.clear();
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, PresenceEvent>) {
          if (auto it = roster_.find(e.id); it != roster_.end() && it->second.presence != e.presence) {
            it->second.presence = e.presence;
            change.roster = true;
          }
        } else if constexpr (std::is_same_v<E, PictureEvent>) {
          if (roster_.contains(e.id)) {
            auto it = pictures_.find(e.id);
            const bool had = it != pictures_.end();
            if (e.picture.empty()) {
              if (had) pictures_.erase(it);
              change.pictures = had;
            } else if (!had || it->second != e.picture) {
              pictures_.insert_or_assign(e.id, e.picture);
              change.pictures = true;
            }
          }
        } else if constexpr (std::is_same_v<E, ErrorEvent>) {
          // A rename the room refused: the name stays what it was.
          if (!pendingName_.empty() && (e.code == ErrorCode::NameTaken || e.code == ErrorCode::InvalidName)) {
            change.refusedName = std::exchange(pendingName_, {});
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, DisconnectedEvent>) {
          // Connecting anew, a Left is the core confirming that the session before was left.
          if (e.reason == ErrorCode::Left && phase_ == Phase::Connecting) return change;
          change = linkGone(setPhase(e.willReconnect ? Phase::Reconnecting : Phase::Ended));
          lastDisconnect_ = e;
          if (!e.willReconnect && !pendingName_.empty()) {
            pendingName_.clear();
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, ReconnectingEvent>) {
          change = setPhase(Phase::Reconnecting);
          reconnectAttempt_ = e.attempt;
          reconnectAt_ = now + e.delay;
        } else if constexpr (std::is_same_v<E, MissedEvent>) {
          missed_ += e.messages;
        }
        return change;
      },
      event);
}

Presence ClientState::presence() const {
  const Participant* me = find(self_);
  return me ? me->presence : Presence::Available;
}

const Picture* ClientState::pictureOf(ClientId id) const {
  auto it = pictures_.find(id);
  return it == pictures_.end() ? nullptr : &it->second;
}

const Participant* ClientState::find(ClientId id) const {
  auto it = roster_.find(id);
  return it == roster_.end() ? nullptr : &it->second;
}

const Participant* ClientState::findByName(std::string_view name) const {
  for (const auto& [id, p] : roster_)
    if (p.name == name) return &p;
  for (const auto& [id, p] : roster_)
    if (sameIgnoringAsciiCase(p.name, name)) return &p;
  return nullptr;
}

}  // namespace chatport::chat
