// Losing the host and finding it again: the joiner reports the loss, reconnects with backoff,
// rejoins under its own name, and takes over its own stale session when the host has not yet
// noticed that the old connection died, getting what was said meanwhile.

#include "test_participant.h"
#include "test_proxy.h"

#include <chatport/chat/protocol.h>

#include <gtest/gtest.h>

namespace chatport::chat::test {
namespace {

TEST(Reconnect, JoinerWhoseLinkDiesSilentlyResumesUnderItsOwnNameAtOnce) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host.port()));

  TestParticipant wanderer, other;
  wanderer.join("wanderer", proxy.port());
  ASSERT_TRUE(wanderer.waitConnected()) << wanderer.describe();
  other.join("other", host.port());
  ASSERT_TRUE(other.waitConnected());
  ASSERT_TRUE(other.waitFor([](Seen& s) { return s.isIn("wanderer"); }));
  const ClientId firstId = wanderer.id();

  // The wanderer's side of the link dies; the host's side stays open and hears nothing, as
  // when a laptop drops off the Wi-Fi. The host still counts the wanderer as present.
  proxy.cutJoinerSide();
  ASSERT_TRUE(wanderer.waitConnected(2)) << wanderer.describe();
  wanderer.with([&](Seen& s) {
    ASSERT_GE(s.disconnected.size(), 1u);
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::ConnectionLost);
    EXPECT_TRUE(s.disconnected[0].willReconnect);
    ASSERT_GE(s.reconnecting.size(), 1u);
    EXPECT_EQ(s.reconnecting[0].attempt, 1);
    EXPECT_LE(s.reconnecting[0].delay, 200ms) << "the first retry comes at once";
    EXPECT_FALSE(s.hasError(ErrorCode::NameTaken)) << "never refused by its own ghost";
    EXPECT_EQ(s.connected[1].self, firstId) << "the same session, taken over";
    EXPECT_EQ(s.connected[1].name, "wanderer");
  });
  ASSERT_TRUE(wanderer.waitFor([](Seen& s) { return s.clients.size() == 3; }));

  // It works, and nobody else saw it leave or come back.
  wanderer.say("back again");
  ASSERT_TRUE(other.waitFor([](Seen& s) { return !s.messages.empty(); }));
  other.with([&](Seen& s) {
    EXPECT_EQ(s.messages[0].from, firstId);
    EXPECT_EQ(s.messages[0].fromName, "wanderer");
    EXPECT_TRUE(s.left.empty()) << s.describe();
    EXPECT_TRUE(s.joined.empty()) << "the wanderer was already there when other came";
  });
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.clients.size() == 3; })) << host.describe();
  host.with([](Seen& s) {
    std::size_t count = 0;
    for (const auto& p : s.clients) count += p.name == "wanderer";
    EXPECT_EQ(count, 1u);
    EXPECT_EQ(s.joined.size(), 2u) << "wanderer and other, once each";
    EXPECT_TRUE(s.left.empty());
  });
}

// A room where "wanderer" joins through a proxy that can break its link, and "other" directly.
struct RoomWithAWanderer {
  explicit RoomWithAWanderer(CoreOptions hostOptions) : host(hostOptions) {
    host.host("host");
    EXPECT_TRUE(host.waitConnected());
    proxy = std::make_unique<TestProxy>(net::Endpoint::loopbackV4(host.port()));
    wanderer.join("wanderer", proxy->port());
    EXPECT_TRUE(wanderer.waitConnected()) << wanderer.describe();
    other.join("other", host.port());
    EXPECT_TRUE(other.waitConnected());
    EXPECT_TRUE(wanderer.waitFor([](Seen& s) { return s.isIn("other"); }));
  }

  // "before", then five messages the wanderer's dying link loses, then the link is cut and
  // the wanderer resumes its session.
  void talkWhileTheWandererIsAway() {
    other.say("before");
    ASSERT_TRUE(wanderer.waitFor([](Seen& s) { return s.messages.size() == 1; }));
    proxy->loseWhatTheHostSends();
    for (int i = 0; i < 5; ++i) other.say("while away " + std::to_string(i));
    ASSERT_TRUE(other.waitFor([](Seen& s) { return s.messages.size() == 6; }));
    proxy->cutJoinerSide();
    ASSERT_TRUE(wanderer.waitConnected(2)) << wanderer.describe();
  }

  TestParticipant host;
  std::unique_ptr<TestProxy> proxy;
  TestParticipant wanderer, other;
};

std::vector<std::string> textsOf(const Seen& s) {
  std::vector<std::string> out;
  for (const auto& m : s.messages) out.push_back(m.text);
  return out;
}

TEST(Reconnect, ResumedJoinerGetsWhatWasSaidWhileItWasAwayOnceAndInOrder) {
  RoomWithAWanderer room(hostOptions());
  room.talkWhileTheWandererIsAway();
  room.other.say("after");
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) { return s.messages.size() >= 7; })) << room.wanderer.describe();
  room.wanderer.with([](Seen& s) {
    EXPECT_EQ(textsOf(s), (std::vector<std::string>{"before", "while away 0", "while away 1", "while away 2",
                                                    "while away 3", "while away 4", "after"}));
    for (std::size_t i = 0; i < s.messages.size(); ++i) EXPECT_EQ(s.messages[i].seq, i + 1);
    for (const auto& e : s.all) EXPECT_FALSE(std::holds_alternative<MissedEvent>(e)) << "nothing was missed";
    EXPECT_EQ(s.connected[1].self, s.connected[0].self) << "the same session, resumed";
  });
}

TEST(Reconnect, ResumedJoinerGetsThePrivateMessagesItMissedAndNoOthers) {
  RoomWithAWanderer room(hostOptions());
  const ClientId wanderer = room.wanderer.id();
  const ClientId other = room.other.id();
  room.other.submit(PrivateCommand{wanderer, "psst, before"});
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) { return s.privates.size() == 1; }));
  room.proxy->loseWhatTheHostSends();
  room.other.submit(PrivateCommand{wanderer, "psst, while away"});
  room.other.submit(PrivateCommand{other, "a note to myself"});  // nothing to do with the wanderer
  ASSERT_TRUE(room.other.waitFor([](Seen& s) { return s.privates.size() == 3; })) << room.other.describe();
  room.host.submit(PrivateCommand{wanderer, "from the host, while away"});
  ASSERT_TRUE(room.host.waitFor([](Seen& s) { return s.privates.size() == 1; }));
  room.proxy->cutJoinerSide();
  ASSERT_TRUE(room.wanderer.waitConnected(2)) << room.wanderer.describe();

  room.other.submit(PrivateCommand{wanderer, "psst, after"});
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) { return s.privates.size() >= 4; })) << room.wanderer.describe();
  room.wanderer.with([&](Seen& s) {
    std::vector<std::string> texts;
    for (const auto& p : s.privates) texts.push_back(p.text);
    EXPECT_EQ(texts, (std::vector<std::string>{"psst, before", "psst, while away", "from the host, while away",
                                               "psst, after"}))
        << "each once, in order, and only its own";
  });
}

TEST(Reconnect, ResumedJoinerIsToldHowManyMessagesTheHostNoLongerHad) {
  CoreOptions options = hostOptions();
  // Room for the last two of the five said while the wanderer was away.
  options.resumeHistoryBytes = 2 * proto::toFrame(proto::ChatMessage{3, 2, 0, "while away 0"})->size();
  RoomWithAWanderer room(options);
  room.talkWhileTheWandererIsAway();
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) { return s.messages.size() >= 3; })) << room.wanderer.describe();
  room.wanderer.with([](Seen& s) {
    EXPECT_EQ(textsOf(s), (std::vector<std::string>{"before", "while away 3", "while away 4"}));
    // The count stands just before the first message after the gap.
    std::optional<std::uint64_t> missed;
    for (const auto& e : s.all) {
      if (auto* m = std::get_if<MissedEvent>(&e)) missed = m->messages;
      if (auto* m = std::get_if<MessageEvent>(&e); m && m->text == "while away 3") break;
    }
    ASSERT_TRUE(missed.has_value()) << s.describe();
    EXPECT_EQ(*missed, 3u);
  });
}

TEST(Reconnect, ResumedJoinerIsToldAtOnceWhenTheHostKeptNothing) {
  CoreOptions options = hostOptions();
  options.resumeHistoryBytes = 0;
  RoomWithAWanderer room(options);
  room.talkWhileTheWandererIsAway();
  // Told without waiting for anyone to speak again.
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) {
    for (const auto& e : s.all)
      if (std::holds_alternative<MissedEvent>(e)) return true;
    return false;
  })) << room.wanderer.describe();
  room.other.say("after");
  ASSERT_TRUE(room.wanderer.waitFor([](Seen& s) { return s.messages.size() == 2; })) << room.wanderer.describe();
  room.wanderer.with([](Seen& s) {
    EXPECT_EQ(textsOf(s), (std::vector<std::string>{"before", "after"}));
    std::uint64_t missed = 0;
    for (const auto& e : s.all)
      if (auto* m = std::get_if<MissedEvent>(&e)) missed += m->messages;
    EXPECT_EQ(missed, 5u) << "counted once";
  });
}

TEST(Reconnect, HostGoneThenBackOnTheSamePortJoinersRejoin) {
  // The same host comes back: the same installation, so the same key its joiners pinned.
  chatport::test::TempDir hostKeys;
  CoreOptions options = hostOptions();
  options.dataDir = hostKeys.string();
  auto host = std::make_unique<TestParticipant>(options);
  host->host("host");
  ASSERT_TRUE(host->waitConnected());
  const auto port = host->port();
  TestProxy proxy(net::Endpoint::loopbackV4(port));  // what the joiners see as the host

  TestParticipant ann, bob;
  ann.join("ann", proxy.port());
  bob.join("bob", proxy.port());
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(bob.waitConnected());

  // The host vanishes without a word (both sides cut, then the host process is gone).
  proxy.cutBoth();
  host.reset();
  for (auto* j : {&ann, &bob}) {
    ASSERT_TRUE(j->waitFor([](Seen& s) { return s.reconnecting.size() >= 2; })) << j->describe();
    j->with([](Seen& s) {
      ASSERT_EQ(s.disconnected.size(), 1u);
      EXPECT_EQ(s.disconnected[0].reason, ErrorCode::ConnectionLost);
      EXPECT_TRUE(s.disconnected[0].willReconnect);
      EXPECT_EQ(s.reconnecting[0].attempt, 1);
      EXPECT_EQ(s.reconnecting[1].attempt, 2);
      EXPECT_GE(s.reconnecting[1].delay, s.reconnecting[0].delay) << "backing off";
    });
  }

  // The host comes back on the same port: both rejoin under their names.
  TestParticipant again(options);
  again.host("host again", port);
  ASSERT_TRUE(again.waitConnected()) << again.describe();
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  ASSERT_TRUE(bob.waitConnected(2)) << bob.describe();
  ASSERT_TRUE(again.waitFor([](Seen& s) { return s.clients.size() == 3; })) << again.describe();
  again.with([](Seen& s) {
    EXPECT_TRUE(s.isIn("ann"));
    EXPECT_TRUE(s.isIn("bob"));
  });
  ann.say("we are back");
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.messages.empty(); }));
  EXPECT_EQ(bob.with([](Seen& s) { return s.messages.back().text; }), "we are back");
}

TEST(Reconnect, JoinerLeavingBeforeItsWelcomeArrivesSaysGoodbye) {
  // The host has let the joiner in, but its Welcome has not reached the joiner yet (here: never
  // does) when the person quits: the host and the room hear that it left, not that its
  // connection broke.
  auto host = std::make_unique<TestParticipant>(hostOptions());
  host->host("host");
  ASSERT_TRUE(host->waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host->port()));
  proxy.loseWhatTheHostSendsFrom(1);  // the handshake's reply passes; nothing after it
  TestParticipant ann;
  ann.join("ann", proxy.port());
  ASSERT_TRUE(host->waitFor([](Seen& s) { return s.isIn("ann"); })) << host->describe();
  EXPECT_TRUE(ann.with([](Seen& s) { return s.connected.empty(); })) << "the Welcome got through";

  ann.submit(LeaveCommand{});
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.left.empty(); })) << host->describe();
  host->with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "ann");
    EXPECT_EQ(s.left[0].reason, LeaveReason::Quit);
  });
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(ann.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::Left);
}

TEST(Reconnect, LeaveCancelsReconnecting) {
  auto host = std::make_unique<TestParticipant>(hostOptions());
  host->host("host");
  ASSERT_TRUE(host->waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host->port()));
  TestParticipant ann;
  ann.join("ann", proxy.port());
  ASSERT_TRUE(ann.waitConnected());
  proxy.cutBoth();
  host.reset();
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.reconnecting.empty(); }));

  ann.submit(LeaveCommand{});
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.disconnected.size() == 2; })) << ann.describe();
  ann.with([](Seen& s) {
    EXPECT_EQ(s.disconnected[1].reason, ErrorCode::Left);
    EXPECT_FALSE(s.disconnected[1].willReconnect);
  });
  // The core is idle again and can start something else at once.
  ann.host("ann hosts now");
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  ann.with([](Seen& s) { EXPECT_EQ(s.connected.back().role, Role::Host); });
}

}  // namespace
}  // namespace chatport::chat::test
