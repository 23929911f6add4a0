#pragma once
// The room as one side sees it, kept from its core's events: who is here, who this side is and
// what it is called, where the session stands and why it last changed (and when the core tries
// again after a lost link), a rename on its way, and what was missed. The one record the front
// ends keep (the window and chatport-cli): each applies every event it drains to it and renders
// from it, rather than rebuilding the roster and the session's end on its own. Qt-free. Not
// thread-safe: the front end's thread only.

#include <chatport/chat/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::chat {

class ClientState {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Phase {
    Idle,          ///< nothing started yet
    Connecting,    ///< a session was asked for (starting()); no ConnectedEvent yet
    Connected,     ///< hosting, or welcomed by the host; haveList() once the list is in
    Reconnecting,  ///< the link was lost and the core is trying again
    Ended,         ///< the session is over: lastDisconnect() says why, leftFrom() if this side left
  };

  /// What an event changed, for a front end that redraws only that.
  struct Change {
    bool roster = false;  ///< someone came, went, was renamed or changed presence, the whole list arrived, or the link went
    bool phase = false;   ///< phase() is another
    bool name = false;    ///< name() or pendingName() is another
    bool pictures = false;  ///< someone's picture (pictureOf) is another, or gone with them
    std::string refusedName;  ///< the rename this event refused (NameTaken, InvalidName); empty: none
  };

  /// The front end asked for a session (a HostCommand or JoinCommand) as name: a new one starts,
  /// Connecting, and nothing of the last one is kept. The core's confirmation that the last one
  /// was left (its Left) may still follow: it changes nothing.
  Change starting(Role role, std::string name);
  /// The front end asked to leave, or to stop connecting or reconnecting (a LeaveCommand): the
  /// session is Ended at once, as Left, with nobody here; what the core still says about that
  /// session's link or room (its Left, a reconnect, a connect or a list that crossed the
  /// command) changes nothing.
  Change leaving();
  /// The front end asked to be called name (a RenameCommand): pending until the room says so
  /// (a RenamedEvent for this side) or refuses it (NameTaken or InvalidName).
  void renaming(std::string name);
  /// Takes one event the core gave, in order; now times a reconnect's countdown.
  Change apply(const Event& event, Clock::time_point now);
  Change apply(const Event& event) { return apply(event, Clock::now()); }

  Phase phase() const noexcept { return phase_; }
  Role role() const noexcept { return role_; }
  /// This side's id in the room; kNoClient before the first ConnectedEvent.
  ClientId self() const noexcept { return self_; }
  /// This side's name as the room knows it.
  const std::string& name() const noexcept { return name_; }
  /// How this side is, as the room last said (Available until it has).
  Presence presence() const;
  /// A rename asked for and not answered yet; empty: none.
  const std::string& pendingName() const noexcept { return pendingName_; }
  /// The whole list has arrived for this connection (a ClientListEvent since the last connect).
  bool haveList() const noexcept { return haveList_; }
  /// Everyone here, this side included, by id; nobody unless Connected.
  const std::map<ClientId, Participant>& roster() const noexcept { return roster_; }
  const Participant* find(ClientId id) const;
  /// The picture person id has set (isPicture's bytes, not decoded); nullptr if none, or if id
  /// is not here.
  const Picture* pictureOf(ClientId id) const;
  /// The person here called name: exactly that name, else the first by id whose name differs
  /// only in the case of ASCII letters; nullptr if nobody.
  const Participant* findByName(std::string_view name) const;
  /// The host's id (this side's when hosting), as the room last said; kNoClient before it has.
  ClientId host() const noexcept { return host_; }
  /// The last ConnectedEvent took up the same session again after a lost link (the host had
  /// kept it: the same id, the same people behind the ids).
  bool resumed() const noexcept { return resumed_; }
  /// How the session last broke or ended (its DisconnectedEvent, or Left after leaving()), if it
  /// has; reset by the next ConnectedEvent.
  const std::optional<DisconnectedEvent>& lastDisconnect() const noexcept { return lastDisconnect_; }
  /// Where the session stood when this side left it (leaving()); nullopt if it did not.
  std::optional<Phase> leftFrom() const noexcept { return leftFrom_; }
  /// Reconnecting: the attempt the core waits to make (its ReconnectingEvent); 0 until it says.
  int reconnectAttempt() const noexcept { return reconnectAttempt_; }
  /// Reconnecting: whole seconds (rounded up) from now until that attempt; 0 when none is awaited.
  int secondsToReconnect(Clock::time_point now) const;
  /// Messages said while this side was away that it will never see (MissedEvent), this session.
  std::uint64_t missed() const noexcept { return missed_; }

 private:
  Change setPhase(Phase phase);
  /// The link is gone (lost or ended): nobody is here for this side until it is back.
  Change linkGone(Change change);

  Phase phase_ = Phase::Idle;
  Role role_ = Role::Joiner;
  ClientId self_ = kNoClient;
  ClientId host_ = kNoClient;
  std::string name_;
  std::string pendingName_;
  bool haveList_ = false;
  bool resumed_ = false;
  std::map<ClientId, Participant> roster_;
  std::map<ClientId, Picture> pictures_;  // of people in roster_ who have one
  std::optional<DisconnectedEvent> lastDisconnect_;
  std::optional<Phase> leftFrom_;
  int reconnectAttempt_ = 0;
  std::optional<Clock::time_point> reconnectAt_;
  std::uint64_t missed_ = 0;
};

}  // namespace chatport::chat
