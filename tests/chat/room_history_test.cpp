// The room's past (protocol History): what a newcomer is sent, what a joiner that was here
// before is sent, what the host keeps across a restart, and what each side keeps of its own.
// The store-backed cases skip in a build without SQLite, saying why.

#include "test_participant.h"
#include "test_proxy.h"

#include <chatport/chat/history.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace chatport::chat::test {
namespace {

using chatport::test::TempDir;

std::vector<MessageEvent> historyOf(Seen& s) {
  std::vector<MessageEvent> out;
  for (const auto& m : s.messages)
    if (m.history) out.push_back(m);
  return out;
}

std::vector<MessageEvent> liveOf(Seen& s) {
  std::vector<MessageEvent> out;
  for (const auto& m : s.messages)
    if (!m.history) out.push_back(m);
  return out;
}

std::uint64_t missedOf(Seen& s) {
  std::uint64_t n = 0;
  for (const auto& e : s.all)
    if (const auto* m = std::get_if<MissedEvent>(&e)) n += m->messages;
  return n;
}

// The host says count messages "<prefix> 1".. and waits until they are out.
void hostSays(TestParticipant& host, const std::string& prefix, int count) {
  const std::size_t before = host.with([](Seen& s) { return s.messages.size(); });
  for (int i = 1; i <= count; ++i) host.say(prefix + " " + std::to_string(i));
  ASSERT_TRUE(host.waitFor([&](Seen& s) { return s.messages.size() == before + count; })) << host.describe();
}

CoreOptions withData(CoreOptions options, const TempDir& dir) {
  options.dataDir = dir.string();
  return options;
}

#define SKIP_WITHOUT_STORAGE()                                                   \
  if (!HistoryStore::available()) GTEST_SKIP() << HistoryStore::unavailableReason()

TEST(RoomHistory, ANewcomerIsSentTheLatestMessagesMarkedAsHistoryThenTheLiveOnes) {
  TestParticipant host(hostOptions());
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  hostSays(host, "before", 150);

  TestParticipant bob;
  bob.join("bob", host.port());
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return historyOf(s).size() == 100; })) << bob.describe();
  host.say("now");
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !liveOf(s).empty(); })) << bob.describe();
  bob.with([](Seen& s) {
    const auto past = historyOf(s);
    EXPECT_EQ(past.front().seq, 51u);
    EXPECT_EQ(past.front().text, "before 51");
    EXPECT_EQ(past.front().fromName, "ann");
    EXPECT_EQ(past.back().seq, 150u);
    // History first, in order, then the live conversation; nothing missed.
    for (std::size_t i = 0; i < 100; ++i) EXPECT_TRUE(s.messages[i].history) << i;
    EXPECT_EQ(s.messages.at(100).text, "now");
    EXPECT_EQ(s.messages.at(100).seq, 151u);
    EXPECT_EQ(missedOf(s), 0u);
  });
}

TEST(RoomHistory, AHostAskedToSendNoneSendsNone) {
  CoreOptions options = hostOptions();
  options.historyForNewcomers = 0;
  TestParticipant host(options);
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  hostSays(host, "before", 3);
  TestParticipant bob;
  bob.join("bob", host.port());
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  host.say("now");
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.messages.empty(); })) << bob.describe();
  EXPECT_EQ(bob.with([](Seen& s) { return s.messages.front().text; }), "now");
}

TEST(RoomHistory, AJoinerBackAsANewSessionGetsWhatWasSaidMeanwhileAndHowManyMoreItMissed) {
  SKIP_WITHOUT_STORAGE();  // a new process knows the last message it saw from its store
  CoreOptions options = hostOptions();
  options.historyForReturning = 10;
  TestParticipant host(options);
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  TempDir bobsData;
  {
    TestParticipant bob(withData(testOptions(), bobsData));
    bob.join("bob", host.port());
    ASSERT_TRUE(bob.waitConnected()) << bob.describe();
    hostSays(host, "seen", 3);
    ASSERT_TRUE(bob.waitFor([](Seen& s) { return liveOf(s).size() == 3; })) << bob.describe();
  }  // bob leaves (a laptop closed)
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty(); }));
  hostSays(host, "away", 25);

  // Back in a new session: the host sends the newest 10 of the 25 and says 15 are missing.
  TestParticipant bob(withData(testOptions(), bobsData));
  bob.join("bob", host.port());
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  ASSERT_TRUE(bob.waitFor([](Seen& s) {
    const auto past = historyOf(s);
    return !past.empty() && past.back().text == "away 25";
  })) << bob.describe();
  bob.with([](Seen& s) {
    EXPECT_EQ(missedOf(s), 15u) << s.describe();
    std::vector<std::string> texts;
    for (const auto& m : historyOf(s)) texts.push_back(m.text);
    // What bob kept himself first, then the host's newest ten.
    ASSERT_EQ(texts.size(), 13u) << s.describe();
    EXPECT_EQ(texts[0], "seen 1");
    EXPECT_EQ(texts[2], "seen 3");
    EXPECT_EQ(texts[3], "away 16");
    EXPECT_EQ(texts[12], "away 25");
  });
}

TEST(RoomHistory, AJoinerAwayLongerThanTheHostWaitedIsToldWhatWasSaidMeanwhileWhenItRejoins) {
  // A laptop asleep past the heartbeat timeout: the host drops the joiner; when it wakes, it
  // comes back as a new session, and what was said meanwhile reaches it, marked as history.
  CoreOptions hostSide = hostOptions();
  hostSide.heartbeatTimeout = 1000ms;
  hostSide.keepHistory = false;  // what the host has in memory is enough: same process, same room
  TestParticipant host(hostSide);
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host.port()));
  CoreOptions joinerSide = testOptions();
  joinerSide.keepHistory = false;
  TestParticipant bob(joinerSide);
  bob.join("bob", proxy.port());
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  hostSays(host, "before", 2);
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return liveOf(s).size() == 2; })) << bob.describe();

  proxy.refuseNewConnections(true);
  proxy.cutJoinerSide();  // the host's side stays open and silent, until the host gives up
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty(); })) << host.describe();
  hostSays(host, "while away", 2);
  proxy.refuseNewConnections(false);

  ASSERT_TRUE(bob.waitConnected(2)) << bob.describe();
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return historyOf(s).size() == 2; })) << bob.describe();
  host.say("after");
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return liveOf(s).size() == 3; })) << bob.describe();
  bob.with([](Seen& s) {
    const auto past = historyOf(s);
    EXPECT_EQ(past[0].text, "while away 1");
    EXPECT_EQ(past[1].text, "while away 2");
    EXPECT_EQ(liveOf(s).back().text, "after");
    EXPECT_EQ(missedOf(s), 0u) << s.describe();
  });
}

TEST(RoomHistory, AHostRestartedOnItsDataFolderContinuesItsRoom) {
  SKIP_WITHOUT_STORAGE();
  TempDir hostData;
  std::string fingerprint;
  {
    TestParticipant host(withData(hostOptions(), hostData));
    host.host("ann");
    ASSERT_TRUE(host.waitConnected());
    hostSays(host, "first life", 5);
    fingerprint = host.with([](Seen& s) { return s.connected.at(0).hostFingerprint; });
  }
  TestParticipant host(withData(hostOptions(), hostData));
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  EXPECT_EQ(host.with([](Seen& s) { return s.connected.at(0).hostFingerprint; }), fingerprint);
  hostSays(host, "second life", 1);
  EXPECT_EQ(host.with([](Seen& s) { return s.messages.back().seq; }), 6u) << "seqs go on, never reused";

  TestParticipant cid;
  cid.join("cid", host.port());
  ASSERT_TRUE(cid.waitFor([](Seen& s) { return historyOf(s).size() == 6; })) << cid.describe();
  cid.with([](Seen& s) {
    const auto past = historyOf(s);
    EXPECT_EQ(past.front().text, "first life 1");
    EXPECT_EQ(past.back().text, "second life 1");
  });
}

TEST(RoomHistory, EachSideKeepsItsOwnPrivateMessagesAndNobodyElsesAreShown) {
  SKIP_WITHOUT_STORAGE();
  TestParticipant host(hostOptions());
  host.host("ann");
  ASSERT_TRUE(host.waitConnected());
  TempDir bobsData, cidsData;
  ClientId bobId = kNoClient;
  {
    TestParticipant bob(withData(testOptions(), bobsData));
    TestParticipant cid(withData(testOptions(), cidsData));
    bob.join("bob", host.port());
    cid.join("cid", host.port());
    ASSERT_TRUE(bob.waitConnected() && cid.waitConnected());
    ASSERT_TRUE(host.waitFor([](Seen& s) { return s.clients.size() == 3; }));
    bobId = bob.id();
    host.submit(PrivateCommand{bobId, "for bob only"});
    host.say("for everyone");
    ASSERT_TRUE(bob.waitFor([](Seen& s) { return s.privates.size() == 1 && !s.messages.empty(); }));
    ASSERT_TRUE(cid.waitFor([](Seen& s) { return !s.messages.empty(); }));
  }
  // Both come back: bob sees his private message among his own history; cid never sees it.
  TestParticipant bob(withData(testOptions(), bobsData));
  TestParticipant cid(withData(testOptions(), cidsData));
  bob.join("bob", host.port());
  cid.join("cid", host.port());
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.privates.empty() && !historyOf(s).empty(); })) << bob.describe();
  ASSERT_TRUE(cid.waitFor([](Seen& s) { return !historyOf(s).empty(); })) << cid.describe();
  bob.with([](Seen& s) {
    EXPECT_TRUE(s.privates.front().history);
    EXPECT_EQ(s.privates.front().text, "for bob only");
    EXPECT_EQ(s.privates.front().fromName, "ann");
  });
  cid.with([](Seen& s) {
    EXPECT_TRUE(s.privates.empty()) << s.describe();
    EXPECT_EQ(historyOf(s).front().text, "for everyone");
  });
}

}  // namespace
}  // namespace chatport::chat::test
