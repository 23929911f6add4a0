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

void ClientState::starting(Role role, std::string name) {
  *this = ClientState{};
  phase_ = Phase::Connecting;
  role_ = role;
  name_ = std::move(name);
}

void ClientState::renaming(std::string name) { pendingName_ = std::move(name); }

ClientState::Change ClientState::setPhase(Phase phase) {
  Change change;
  change.phase = phase != phase_;
  phase_ = phase;
  return change;
}

ClientState::Change ClientState::apply(const Event& event) {
  return std::visit(
      [this](const auto& e) -> Change {
        using E = std::decay_t<decltype(e)>;
        Change change;
        if constexpr (std::is_same_v<E, ConnectedEvent>) {
          resumed_ = phase_ == Phase::Reconnecting && e.self == self_;
          change = setPhase(Phase::Connected);
          role_ = e.role;
          self_ = e.self;
          change.name = name_ != e.name;
          name_ = e.name;
          lastDisconnect_.reset();
        } else if constexpr (std::is_same_v<E, ClientListEvent>) {
          roster_.clear();
          for (const auto& p : e.clients) roster_.emplace(p.id, p);
          haveList_ = true;
          change.roster = true;
          if (const Participant* me = find(self_); me && me->name != name_) {
            name_ = me->name;
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, JoinedEvent>) {
          roster_.insert_or_assign(e.who.id, e.who);
          change.roster = true;
        } else if constexpr (std::is_same_v<E, LeftEvent>) {
          change.roster = roster_.erase(e.who.id) > 0;
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
        } else if constexpr (std::is_same_v<E, ErrorEvent>) {
          // A rename the room refused: the name stays what it was.
          if (!pendingName_.empty() && (e.code == ErrorCode::NameTaken || e.code == ErrorCode::InvalidName)) {
            change.refusedName = std::exchange(pendingName_, {});
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, DisconnectedEvent>) {
          change = setPhase(e.willReconnect ? Phase::Reconnecting : Phase::Ended);
          lastDisconnect_ = e;
          haveList_ = false;
          if (!e.willReconnect && !pendingName_.empty()) {
            pendingName_.clear();
            change.name = true;
          }
        } else if constexpr (std::is_same_v<E, ReconnectingEvent>) {
          change = setPhase(Phase::Reconnecting);
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
