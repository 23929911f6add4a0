// The client layer: the room as a front end sees it, from the core's events alone.

#include <chatport/chat/client_state.h>

#include <gtest/gtest.h>

namespace chatport::chat {
namespace {

using Phase = ClientState::Phase;

Participant person(ClientId id, std::string name, bool isHost = false) { return {id, std::move(name), isHost}; }

ConnectedEvent welcomed(ClientId self, std::string name) {
  ConnectedEvent e;
  e.role = Role::Joiner;
  e.self = self;
  e.name = std::move(name);
  return e;
}

std::vector<std::string> names(const ClientState& state) {
  std::vector<std::string> out;
  for (const auto& [id, p] : state.roster()) out.push_back(p.name);
  return out;
}

TEST(ClientState, FollowsTheRoomFromTheWelcomeThroughJoinsLeavesAndRenames) {
  ClientState state;
  EXPECT_EQ(state.phase(), Phase::Idle);
  state.starting(Role::Joiner, "bob");
  EXPECT_EQ(state.phase(), Phase::Connecting);
  EXPECT_EQ(state.name(), "bob");

  auto change = state.apply(welcomed(2, "bob"));
  EXPECT_TRUE(change.phase);
  EXPECT_EQ(state.phase(), Phase::Connected);
  EXPECT_EQ(state.self(), 2u);
  EXPECT_FALSE(state.haveList()) << "the list follows the welcome";

  change = state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});
  EXPECT_TRUE(change.roster);
  EXPECT_TRUE(state.haveList());
  EXPECT_EQ(names(state), (std::vector<std::string>{"ann", "bob"}));
  ASSERT_TRUE(state.find(1));
  EXPECT_TRUE(state.find(1)->isHost);

  EXPECT_TRUE(state.apply(JoinedEvent{person(3, "Cat")}).roster);
  EXPECT_TRUE(state.apply(RenamedEvent{3, "Cat", "cathy"}).roster);
  EXPECT_EQ(state.find(3)->name, "cathy");
  EXPECT_TRUE(state.apply(LeftEvent{person(1, "ann", true), LeaveReason::Quit}).roster);
  EXPECT_EQ(names(state), (std::vector<std::string>{"bob", "cathy"}));
  EXPECT_FALSE(state.apply(LeftEvent{person(9, "nobody"), LeaveReason::Quit}).roster) << "not here: no change";
  // Nothing about the room changes with a message.
  const auto quiet = state.apply(MessageEvent{3, "cathy", 1, {}, "hi"});
  EXPECT_FALSE(quiet.roster || quiet.phase || quiet.name);
}

TEST(ClientState, KnowsHowEachPersonIsAndHowThisSideIs) {
  ClientState state;
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  Participant ann = person(1, "ann", true);
  ann.presence = Presence::Busy;  // as the list says when we arrive
  state.apply(ClientListEvent{{ann, person(2, "bob")}});
  EXPECT_EQ(state.find(1)->presence, Presence::Busy);
  EXPECT_EQ(state.presence(), Presence::Available);

  EXPECT_TRUE(state.apply(PresenceEvent{2, "bob", Presence::Away}).roster);
  EXPECT_EQ(state.presence(), Presence::Away) << "ours, as the room confirms it";
  EXPECT_TRUE(state.apply(PresenceEvent{1, "ann", Presence::Available}).roster);
  EXPECT_EQ(state.find(1)->presence, Presence::Available);
  EXPECT_FALSE(state.apply(PresenceEvent{1, "ann", Presence::Available}).roster) << "no change";
  EXPECT_FALSE(state.apply(PresenceEvent{7, "gone", Presence::Away}).roster) << "not here";
}

TEST(ClientState, KeepsThePicturesOfThePeopleHereOnly) {
  ClientState state;
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob"), person(3, "cat")}});
  const Picture first{std::byte{0xFF}, std::byte{0xD8}, std::byte{0xFF}, std::byte{1}};
  const Picture second{std::byte{0xFF}, std::byte{0xD8}, std::byte{0xFF}, std::byte{2}};
  EXPECT_EQ(state.pictureOf(1), nullptr);

  EXPECT_TRUE(state.apply(PictureEvent{1, "ann", first}).pictures);
  ASSERT_NE(state.pictureOf(1), nullptr);
  EXPECT_EQ(*state.pictureOf(1), first);
  EXPECT_FALSE(state.apply(PictureEvent{1, "ann", first}).pictures) << "the same again: no change";
  EXPECT_TRUE(state.apply(PictureEvent{1, "ann", second}).pictures);
  EXPECT_EQ(*state.pictureOf(1), second);
  EXPECT_FALSE(state.apply(PictureEvent{7, "gone", first}).pictures) << "not here";
  EXPECT_EQ(state.pictureOf(7), nullptr);

  EXPECT_TRUE(state.apply(PictureEvent{3, "cat", first}).pictures);
  EXPECT_TRUE(state.apply(PictureEvent{3, "cat", {}}).pictures) << "removed";
  EXPECT_EQ(state.pictureOf(3), nullptr);
  EXPECT_FALSE(state.apply(PictureEvent{3, "cat", {}}).pictures);

  // Gone with the person, and with the link.
  EXPECT_TRUE(state.apply(PictureEvent{3, "cat", first}).pictures);
  EXPECT_TRUE(state.apply(LeftEvent{person(3, "cat"), LeaveReason::Quit}).pictures);
  EXPECT_EQ(state.pictureOf(3), nullptr);
  EXPECT_TRUE(state.apply(DisconnectedEvent{ErrorCode::ConnectionLost, "lost", true}).pictures);
  EXPECT_EQ(state.pictureOf(1), nullptr);
}

TEST(ClientState, FindsSomeoneByTheirNameExactlyFirstThenIgnoringCase) {
  ClientState state;
  state.starting(Role::Joiner, "me");
  state.apply(welcomed(1, "me"));
  state.apply(ClientListEvent{{person(1, "me"), person(2, "ANN"), person(3, "ann"), person(4, "李小龍")}});
  ASSERT_TRUE(state.findByName("ann"));
  EXPECT_EQ(state.findByName("ann")->id, 3u) << "the exact name wins";
  EXPECT_EQ(state.findByName("Ann")->id, 2u) << "else the first by id ignoring case";
  EXPECT_EQ(state.findByName("李小龍")->id, 4u);
  EXPECT_EQ(state.findByName("nobody"), nullptr);
  EXPECT_EQ(state.findByName("an"), nullptr);
}

TEST(ClientState, ARenameIsPendingUntilTheRoomConfirmsOrRefusesIt) {
  ClientState state;
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});

  state.renaming("ann");
  EXPECT_EQ(state.pendingName(), "ann");
  const auto refused = state.apply(ErrorEvent{ErrorCode::NameTaken, "someone here is already called ann"});
  EXPECT_TRUE(refused.name);
  EXPECT_EQ(refused.refusedName, "ann") << "for the words that say which name was refused";
  EXPECT_EQ(state.pendingName(), "");
  EXPECT_EQ(state.name(), "bob") << "refused: the name stays";

  state.renaming("robert");
  EXPECT_FALSE(state.apply(ErrorEvent{ErrorCode::RateLimited, "sending too fast"}).name) << "not about the name";
  EXPECT_EQ(state.pendingName(), "robert");
  EXPECT_TRUE(state.apply(RenamedEvent{2, "bob", "robert"}).name);
  EXPECT_EQ(state.name(), "robert");
  EXPECT_EQ(state.pendingName(), "");
  EXPECT_EQ(state.find(2)->name, "robert");
}

TEST(ClientState, ALostLinkReconnectsThenTheSessionEndsWithItsReason) {
  ClientState state;
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});

  auto change = state.apply(DisconnectedEvent{ErrorCode::ConnectionLost, "the host stopped answering", true});
  EXPECT_TRUE(change.phase);
  EXPECT_EQ(state.phase(), Phase::Reconnecting);
  EXPECT_FALSE(state.haveList()) << "the list is this connection's";
  ASSERT_TRUE(state.lastDisconnect());
  EXPECT_EQ(state.lastDisconnect()->reason, ErrorCode::ConnectionLost);
  EXPECT_FALSE(state.apply(ReconnectingEvent{1, std::chrono::milliseconds(100)}).phase) << "already reconnecting";

  // Back (the same session resumed): told what it missed, where it was.
  EXPECT_FALSE(state.resumed());
  state.apply(welcomed(2, "bob"));
  EXPECT_EQ(state.phase(), Phase::Connected);
  EXPECT_TRUE(state.resumed()) << "the same id after a lost link";
  EXPECT_FALSE(state.lastDisconnect()) << "connected again: nothing broken now";
  state.apply(MissedEvent{3});
  state.apply(MissedEvent{2});
  EXPECT_EQ(state.missed(), 5u);
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});
  EXPECT_TRUE(state.haveList());

  state.renaming("robert");
  change = state.apply(DisconnectedEvent{ErrorCode::Kicked, "the host removed you", false});
  EXPECT_TRUE(change.phase);
  EXPECT_TRUE(change.name) << "a rename on its way is dropped with the session";
  EXPECT_EQ(state.phase(), Phase::Ended);
  EXPECT_EQ(state.lastDisconnect()->reason, ErrorCode::Kicked);
  EXPECT_EQ(state.pendingName(), "");

  // Back as a new session (the host had given up on it): other ids, other people.
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  state.apply(DisconnectedEvent{ErrorCode::ConnectionLost, "lost", true});
  state.apply(welcomed(7, "bob"));
  EXPECT_FALSE(state.resumed());

  // A new session keeps nothing of the last.
  state.starting(Role::Host, "boss");
  EXPECT_EQ(state.phase(), Phase::Connecting);
  EXPECT_EQ(state.role(), Role::Host);
  EXPECT_TRUE(state.roster().empty());
  EXPECT_EQ(state.missed(), 0u);
  EXPECT_FALSE(state.lastDisconnect());
  EXPECT_EQ(state.self(), kNoClient);
}

TEST(ClientState, AHostsListNamesItAfterTheRoomDoes) {
  // This side is called what the room lists it as.
  ClientState state;
  state.starting(Role::Host, "boss");
  ConnectedEvent hosting;
  hosting.role = Role::Host;
  hosting.self = 1;
  hosting.name = "boss";
  state.apply(hosting);
  EXPECT_EQ(state.role(), Role::Host);
  const auto change = state.apply(ClientListEvent{{person(1, "Boss", true)}});
  EXPECT_TRUE(change.name);
  EXPECT_EQ(state.name(), "Boss");
}

TEST(ClientState, NobodyIsHereOnceTheLinkIsGoneAndTheHostIsKnownFromTheRoom) {
  ClientState state;
  state.starting(Role::Joiner, "bob");
  EXPECT_EQ(state.host(), kNoClient);
  state.apply(welcomed(2, "bob"));
  EXPECT_EQ(state.host(), kNoClient) << "a joiner learns the host from the list";
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});
  EXPECT_EQ(state.host(), 1u);

  const auto lost = state.apply(DisconnectedEvent{ErrorCode::ConnectionLost, "lost", true});
  EXPECT_TRUE(lost.roster) << "the list shown empties with the link";
  EXPECT_TRUE(state.roster().empty());
  EXPECT_EQ(state.host(), 1u) << "whose messages were the host's stays known";
  // News of the room that crossed the lost link changes nothing.
  EXPECT_FALSE(state.apply(JoinedEvent{person(3, "cat")}).roster);
  EXPECT_FALSE(state.apply(ClientListEvent{{person(1, "ann", true), person(3, "cat")}}).roster);
  EXPECT_TRUE(state.roster().empty());

  ClientState hosting;
  hosting.starting(Role::Host, "boss");
  ConnectedEvent up;
  up.role = Role::Host;
  up.self = 1;
  up.name = "boss";
  hosting.apply(up);
  EXPECT_EQ(hosting.host(), 1u) << "hosting: this side";
}

TEST(ClientState, CountsDownToTheNextReconnectAttempt) {
  using std::chrono::milliseconds;
  const ClientState::Clock::time_point t0{std::chrono::hours(1)};
  ClientState state;
  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"), t0);
  EXPECT_EQ(state.secondsToReconnect(t0), 0);

  state.apply(DisconnectedEvent{ErrorCode::ConnectionLost, "lost", true}, t0);
  EXPECT_EQ(state.reconnectAttempt(), 0) << "no attempt announced yet";
  EXPECT_EQ(state.secondsToReconnect(t0), 0);

  state.apply(ReconnectingEvent{2, milliseconds(2500)}, t0);
  EXPECT_EQ(state.reconnectAttempt(), 2);
  EXPECT_EQ(state.secondsToReconnect(t0), 3) << "whole seconds, rounded up";
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(1000)), 2);
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(2499)), 1);
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(2500)), 0);
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(9000)), 0) << "overdue: none left, never negative";

  // The next loss starts the count again; being back ends it.
  state.apply(ReconnectingEvent{3, milliseconds(4000)}, t0 + milliseconds(3000));
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(3000)), 4);
  state.apply(welcomed(2, "bob"), t0 + milliseconds(7000));
  EXPECT_EQ(state.reconnectAttempt(), 0);
  EXPECT_EQ(state.secondsToReconnect(t0 + milliseconds(3000)), 0);
}

TEST(ClientState, LeavingEndsTheSessionAtOnceAndTheCoresLaterNewsOfItChangesNothing) {
  ClientState state;
  EXPECT_FALSE(state.leaving().phase) << "nothing to leave";
  EXPECT_FALSE(state.leftFrom());

  state.starting(Role::Joiner, "bob");
  state.apply(welcomed(2, "bob"));
  state.apply(ClientListEvent{{person(1, "ann", true), person(2, "bob")}});
  state.renaming("robert");
  const auto left = state.leaving();
  EXPECT_TRUE(left.phase);
  EXPECT_TRUE(left.roster);
  EXPECT_TRUE(left.name) << "the rename on its way is dropped";
  EXPECT_EQ(state.phase(), Phase::Ended);
  EXPECT_EQ(state.leftFrom(), Phase::Connected);
  ASSERT_TRUE(state.lastDisconnect());
  EXPECT_EQ(state.lastDisconnect()->reason, ErrorCode::Left);
  EXPECT_TRUE(state.roster().empty());
  EXPECT_FALSE(state.leaving().phase) << "left already";

  // What was queued before the core took the leave, and its confirmation.
  for (const Event& late : std::vector<Event>{
           ClientListEvent{{person(1, "ann", true), person(2, "bob")}},
           DisconnectedEvent{ErrorCode::ConnectionLost, "lost", true}, ReconnectingEvent{1, std::chrono::seconds(1)},
           welcomed(2, "bob"), DisconnectedEvent{ErrorCode::Left, "you left the chat", false}}) {
    const auto change = state.apply(late);
    EXPECT_FALSE(change.phase || change.roster || change.name);
  }
  EXPECT_EQ(state.phase(), Phase::Ended);
  EXPECT_EQ(state.lastDisconnect()->reason, ErrorCode::Left);
  EXPECT_TRUE(state.roster().empty());

  // Starting again at once: the last session's Left, confirmed late, is not this one's end.
  EXPECT_TRUE(state.starting(Role::Joiner, "bob").phase);
  EXPECT_FALSE(state.leftFrom());
  EXPECT_FALSE(state.apply(DisconnectedEvent{ErrorCode::Left, "you left the chat", false}).phase);
  EXPECT_EQ(state.phase(), Phase::Connecting);
  // Cancelled while connecting.
  state.leaving();
  EXPECT_EQ(state.leftFrom(), Phase::Connecting);
  EXPECT_EQ(state.phase(), Phase::Ended);
}

}  // namespace
}  // namespace chatport::chat
