// The host's defences: malformed handshakes and garbage, silent and vanished joiners, a joiner
// that never reads, and a flooder. Each costs the others nothing.

#include "event_queue.h"
#include "raw_joiner.h"
#include "test_participant.h"

#include <gtest/gtest.h>

namespace chatport::chat::test {
namespace {

template <typename M>
bool hasMessage(const std::vector<proto::HostMessage>& got) {
  for (const auto& m : got)
    if (std::holds_alternative<M>(m)) return true;
  return false;
}

std::optional<proto::Code> refusal(const std::vector<proto::HostMessage>& got) {
  for (const auto& m : got)
    if (auto* r = std::get_if<proto::Refuse>(&m)) return r->code;
  return std::nullopt;
}

TEST(HostLimits, MalformedHandshakesAndGarbageGetARefusalOrACloseNeverACrash) {
  CoreOptions options = hostOptions();
  // Short, for the two cases that wait it out; long enough that a busy machine answers the
  // others before it.
  options.handshakeTimeout = 1s;
  TestParticipant host(options);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  const auto port = host.port();

  {  // not ChatPort at all
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    ASSERT_TRUE(raw.sendRaw(net::asBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
    EXPECT_TRUE(raw.readUntilClosed().empty());
  }
  {  // a frame of an unknown type
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    ASSERT_TRUE(raw.sendRaw(frameOf({0x7E, 1, 2, 3})));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::ProtocolError);
  }
  {  // a chat message before any hello
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    ASSERT_TRUE(raw.send(proto::toFrame(proto::Say{"hi"})));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::ProtocolError);
  }
  {  // another protocol version
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    constexpr int kOther = proto::kProtocolVersion + 1;
    ASSERT_TRUE(raw.sendRaw(frameOf({0x01, kOther >> 8, kOther & 0xFF, 0xAA, 0xBB})));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::VersionMismatch);
  }
  {  // a hello cut short
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    ASSERT_TRUE(raw.sendRaw(frameOf({0x01, 0x00, proto::kProtocolVersion, 10, 'a'})));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::ProtocolError);
  }
  {  // a nickname with a control character, inside the secure channel
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    const net::Bytes hello{std::byte{0x01}, std::byte{0x00}, std::byte{proto::kProtocolVersion}, std::byte{2},
                           std::byte{'a'}, std::byte{0x07}, std::byte{0}};
    auto last = raw.secureHandshake(hello);
    ASSERT_TRUE(last.has_value());
    ASSERT_TRUE(raw.sendRaw(*last));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::InvalidName);
  }
  {  // a hello of version 2, in clear: told which version this host speaks
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    ASSERT_TRUE(raw.sendRaw(frameOf({0x01, 0x00, 0x02, 3, 'o', 'l', 'd', 0})));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::VersionMismatch);
  }
  {  // a frame header announcing 8 MiB
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    const std::byte header[] = {std::byte{net::kFrameMagic}, std::byte{0x80}, std::byte{0}, std::byte{0}};
    ASSERT_TRUE(raw.sendRaw(header));
    EXPECT_TRUE(raw.readUntilClosed().empty());
  }
  {  // half a frame, then nothing: closed at the handshake deadline
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    const auto hello = secure::helloFrame(false, std::vector<std::byte>(32, std::byte{7}));
    ASSERT_TRUE(raw.sendRaw(std::span(*hello).first(hello->size() / 2)));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::HandshakeTimeout);
  }
  {  // nothing at all
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(port));
    EXPECT_EQ(refusal(raw.readUntilClosed()), proto::Code::HandshakeTimeout);
  }
  {  // a member that sends garbage after a proper handshake is closed with a reason
    RawJoiner raw;
    ASSERT_TRUE(raw.handshake(port, "garbler"));
    ASSERT_TRUE(raw.send(std::make_shared<net::Bytes>(frameOf({0x02, 0, 0, 0, 2, 0xC3, 0x28}))));  // invalid UTF-8
    const auto got = raw.readUntilClosed();
    bool closing = false;
    for (const auto& m : got)
      if (auto* c = std::get_if<proto::Closing>(&m)) closing = c->code == proto::Code::ProtocolError;
    EXPECT_TRUE(closing);
  }

  // The host carries on: a real joiner gets in and chats; nothing above ever joined the room
  // except the garbler, who has left again.
  TestParticipant ann;
  ann.join("ann", port);
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
  ann.say("still here");
  // The client list is republished at most every 100 ms: wait for the one with ann in it.
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.messages.empty() && s.isIn("ann"); })) << host.describe();
  host.with([](Seen& s) {
    EXPECT_EQ(s.messages[0].text, "still here");
    EXPECT_EQ(s.clients.size(), 2u);
    ASSERT_EQ(s.left.size(), 1u);
    EXPECT_EQ(s.left[0].who.name, "garbler");
    EXPECT_EQ(s.left[0].reason, LeaveReason::Error);
  });
}

TEST(HostLimits, SilentJoinerIsDroppedWithinTheHeartbeatTimeoutAndEveryoneSeesIt) {
  CoreOptions options = hostOptions();
  options.heartbeatInterval = 200ms;
  options.heartbeatTimeout = 1000ms;
  TestParticipant host(options);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  CoreOptions joinerOptions = testOptions();
  joinerOptions.heartbeatInterval = 200ms;
  joinerOptions.heartbeatTimeout = 1000ms;
  TestParticipant ann(joinerOptions);
  ann.join("ann", host.port());
  ASSERT_TRUE(ann.waitConnected());

  RawJoiner ghost;  // says hello, then nothing ever again (a frozen or unplugged machine)
  ASSERT_TRUE(ghost.handshake(host.port(), "ghost"));
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.isIn("ghost"); }));
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.left.empty(); })) << ann.describe();
  // For its silence (the reason below). How soon after its timeout ran out depends on the
  // machine's load, and is not asserted here.
  ann.with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "ghost");
    EXPECT_EQ(s.left[0].reason, LeaveReason::Timeout);
  });
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty() && !s.isIn("ghost"); }));

  // Ann, who keeps sending heartbeats though she says nothing, is still there.
  host.with([](Seen& s) { EXPECT_TRUE(s.isIn("ann")); });
  ann.with([](Seen& s) { EXPECT_TRUE(s.disconnected.empty()) << s.describe(); });
}

TEST(HostLimits, JoinerWhoseConnectionIsResetDisappearsAtOnce) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  RawJoiner raw;
  ASSERT_TRUE(raw.handshake(host.port(), "crasher"));
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("crasher"); }));
  raw.socket().resetClose();
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty(); }, 5s));
  host.with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "crasher");
    EXPECT_EQ(s.left[0].reason, LeaveReason::Error);
  });
}

TEST(HostLimits, FlooderIsRateLimitedFirstThenDropped) {
  CoreOptions options = hostOptions();
  options.ratePerSecond = 20;
  options.rateBurst = 10;
  TestParticipant host(options);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestParticipant calm, flooder;
  calm.join("calm", host.port());
  flooder.join("flooder", host.port());
  ASSERT_TRUE(calm.waitConnected());
  ASSERT_TRUE(flooder.waitConnected());

  for (int i = 0; i < 500; ++i) flooder.say("spam " + std::to_string(i));
  ASSERT_TRUE(flooder.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << flooder.describe();
  flooder.with([](Seen& s) {
    EXPECT_TRUE(s.hasError(ErrorCode::RateLimited)) << "slowed first: " << s.describe();
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::RateLimited);
    EXPECT_FALSE(s.disconnected[0].willReconnect);
    ASSERT_EQ(s.connected.size(), 1u);
    EXPECT_EQ(s.connected[0].sendRate, 20) << "the Welcome tells the limit";
    EXPECT_EQ(s.connected[0].sendBurst, 10);
  });
  ASSERT_TRUE(calm.waitFor([](Seen& s) { return !s.left.empty(); }));
  calm.with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "flooder");
    EXPECT_EQ(s.left[0].reason, LeaveReason::TooFast) << "told apart from a lost connection";
    EXPECT_LE(s.messages.size(), 40u) << "most of the flood never reached anyone";
    EXPECT_GE(s.messages.size(), 10u) << "the burst allowance got through";
  });
  calm.say("the room still works");
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.messages.empty() && s.messages.back().text == "the room still works"; }));
}

std::vector<RateLimitEvent> rateLimits(const Seen& s) {
  std::vector<RateLimitEvent> out;
  for (const auto& e : s.all)
    if (const auto* r = std::get_if<RateLimitEvent>(&e)) out.push_back(*r);
  return out;
}

CoreOptions limitedHost() {
  CoreOptions options = hostOptions();
  options.ratePerSecond = 20;
  options.rateBurst = 10;
  return options;
}

TEST(HostLimits, AJoinerTheHostExemptsSendsPastTheLimitUntilPutBack) {
  TestParticipant host(limitedHost());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestParticipant bot, other;
  bot.join("bot", host.port());
  other.join("other", host.port());
  ASSERT_TRUE(bot.waitConnected());
  ASSERT_TRUE(other.waitConnected());
  const ClientId botId = bot.id();

  // Only the host may, and not for itself.
  other.submit(ExemptCommand{botId, true});
  ASSERT_TRUE(other.waitFor([](Seen& s) { return s.hasError(ErrorCode::NotAllowed); })) << other.describe();
  host.submit(ExemptCommand{host.id(), true});
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.hasError(ErrorCode::NotAllowed); })) << host.describe();

  host.submit(ExemptCommand{botId, true});
  ASSERT_TRUE(bot.waitFor([](Seen& s) {
    const auto limits = rateLimits(s);
    return !limits.empty() && limits.back().sendRate == 0;
  })) << bot.describe();
  host.with([&](Seen& s) {
    const auto limits = rateLimits(s);
    ASSERT_EQ(limits.size(), 1u);
    EXPECT_EQ(limits[0].who, botId);
    EXPECT_EQ(limits[0].name, "bot");
    EXPECT_EQ(limits[0].sendRate, 0);
  });
  // Thirty times its burst at once: every message reaches the room, none is refused.
  constexpr int kFlood = 300;
  for (int i = 0; i < kFlood; ++i) bot.say("tick " + std::to_string(i));
  ASSERT_TRUE(other.waitFor([](Seen& s) { return s.messages.size() >= kFlood; })) << other.describe();
  bot.with([](Seen& s) {
    EXPECT_FALSE(s.hasError(ErrorCode::RateLimited)) << s.describe();
    EXPECT_TRUE(s.disconnected.empty());
  });

  // Put back: told the limit, and the same flood is refused, then dropped.
  host.submit(ExemptCommand{botId, false});
  ASSERT_TRUE(bot.waitFor([](Seen& s) {
    const auto limits = rateLimits(s);
    return limits.size() == 2 && limits.back().sendRate == 20 && limits.back().sendBurst == 10;
  })) << bot.describe();
  for (int i = 0; i < kFlood; ++i) bot.say("again " + std::to_string(i));
  ASSERT_TRUE(bot.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << bot.describe();
  bot.with([](Seen& s) {
    EXPECT_TRUE(s.hasError(ErrorCode::RateLimited));
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::RateLimited);
  });
  other.with([](Seen& s) { EXPECT_LT(s.messages.size(), 2u * kFlood) << "the second flood did not get through"; });
}

TEST(HostLimits, AnExemptionFollowsTheJoinersKeyWhenItComesBack) {
  TestParticipant host(limitedHost());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestParticipant bot;
  bot.join("bot", host.port());
  ASSERT_TRUE(bot.waitConnected());
  host.submit(ExemptCommand{bot.id(), true});
  ASSERT_TRUE(bot.waitFor([](Seen& s) { return !rateLimits(s).empty(); })) << bot.describe();
  bot.submit(LeaveCommand{});
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty(); })) << host.describe();

  // The same installation (its key), back in a new session: its Welcome says no limit.
  bot.join("bot", host.port());
  ASSERT_TRUE(bot.waitConnected(2)) << bot.describe();
  const ClientId again = bot.id();
  bot.with([](Seen& s) {
    ASSERT_EQ(s.connected.size(), 2u);
    EXPECT_EQ(s.connected[0].sendRate, 20);
    EXPECT_EQ(s.connected[1].sendRate, 0) << "the Welcome tells it has no limit";
  });
  ASSERT_TRUE(host.waitFor([&](Seen& s) {
    const auto limits = rateLimits(s);
    return limits.size() == 2 && limits.back().who == again && limits.back().sendRate == 0;
  })) << host.describe();
  constexpr int kFlood = 300;
  for (int i = 0; i < kFlood; ++i) bot.say("tick " + std::to_string(i));
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.messages.size() >= kFlood; })) << host.describe();
  bot.with([](Seen& s) { EXPECT_FALSE(s.hasError(ErrorCode::RateLimited)) << s.describe(); });
}

TEST(HostLimits, HostWhoseWindowStallsKeepsItsEventsBoundedAndIsToldWhatItMissed) {
  constexpr std::size_t kBound = 256 * 1024;
  constexpr int kMessages = 2000;
  CoreOptions options = hostOptions();
  options.maxPendingEventBytes = kBound;
  options.ratePerSecond = 1e6;  // one joiner says a lot, quickly
  options.rateBurst = 1e6;
  chatport::test::TempDir keys;
  options.dataDir = keys.string();
  // A front end that drains only when the test says so: between, it has stalled. Declared
  // before the host, so that it outlives the host's threads: they call the wake callback until
  // the host is gone (the talker's leave reaches the host while the test ends).
  Guarded<bool> woken;
  ChatCore host(options);
  host.setWakeCallback([&woken] { woken.with([](bool& w) { w = true; }); });
  std::vector<Event> events;
  auto drainAll = [&] {
    woken.with([](bool& w) { w = false; });
    while (host.drainEvents(events) > 0) {
    }
  };
  host.submit(HostCommand{"host", "127.0.0.1", 0});
  std::uint16_t port = 0;
  ASSERT_TRUE(woken.waitFor([](bool w) { return w; }));
  drainAll();
  for (const Event& e : events)
    if (auto* c = std::get_if<ConnectedEvent>(&e)) port = c->port;
  ASSERT_NE(port, 0) << "the host did not start";

  TestParticipant talker;
  talker.join("talker", port);
  ASSERT_TRUE(talker.waitConnected());
  const std::string text(1000, 'm');
  for (int i = 0; i < kMessages; ++i) talker.say(text);
  // The room hands the host its copy before sending the joiner's: once the joiner has all of
  // them back, the host's front end has been offered every one.
  ASSERT_TRUE(talker.waitFor([](Seen& s) { return s.messages.size() == kMessages; })) << talker.describe();

  events.clear();
  drainAll();
  std::uint64_t skipped = 0;
  std::size_t shown = 0;
  std::size_t bytes = 0;
  std::size_t largest = 0;
  std::uint64_t lastSeq = 0;
  bool sawJoin = false;
  for (const Event& e : events) {
    if (auto* s = std::get_if<SkippedEvent>(&e)) skipped += s->messages;
    if (auto* m = std::get_if<MessageEvent>(&e)) {
      ++shown;
      lastSeq = m->seq;
    }
    if (auto* j = std::get_if<JoinedEvent>(&e)) sawJoin = sawJoin || j->who.name == "talker";
    if (auto* l = std::get_if<ClientListEvent>(&e))
      for (const auto& p : l->clients) sawJoin = sawJoin || p.name == "talker";
    bytes += EventQueue::costOf(e);
    largest = std::max(largest, EventQueue::costOf(e));
  }
  EXPECT_GT(skipped, 0u) << "the stalled window was told it missed messages";
  EXPECT_EQ(skipped + shown, std::size_t{kMessages}) << "every message shown or counted";
  EXPECT_LE(bytes, kBound + largest) << "the waiting events stayed within the bound";
  EXPECT_TRUE(sawJoin) << "the talker's arrival was let go with nothing to tell of it";
  EXPECT_EQ(lastSeq, std::uint64_t{kMessages}) << "the newest messages are the ones kept";
}

TEST(HostLimits, JoinerThatNeverReadsIsDroppedAsTooSlowWhileTwentyOthersGetEveryMessage) {
  constexpr std::size_t kQueueLimit = 1 << 20;
  CoreOptions options = hostOptions();
  options.maxQueuedBytesPerClient = kQueueLimit;
  options.statsInterval = 20ms;
  TestParticipant host(options, false);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());

  constexpr int kFast = 20;
  std::vector<std::unique_ptr<TestParticipant>> fast;
  for (int i = 0; i < kFast; ++i) {
    fast.push_back(std::make_unique<TestParticipant>(testOptions(), false));
    fast.back()->join("reader-" + std::to_string(i), host.port());
  }
  for (auto& f : fast) ASSERT_TRUE(f->waitConnected());
  RawJoiner sleeper;  // joins properly, then never reads another byte
  ASSERT_TRUE(sleeper.handshake(host.port(), "sleeper"));
  for (auto& f : fast) ASSERT_TRUE(f->waitFor([](Seen& s) { return s.isIn("sleeper"); }));

  // The host talks in batches of 64 KiB messages, each batch read by the 20 before the next,
  // until the sleeper has been dropped; then one batch more.
  const std::string big(kMaxMessageBytes, 'z');
  constexpr std::size_t kBatch = 8;
  std::size_t sent = 0;
  bool dropped = false;
  for (int round = 0; round < 60 && !dropped; ++round) {
    for (std::size_t i = 0; i < kBatch; ++i) host.say(big);
    sent += kBatch;
    for (auto& f : fast)
      ASSERT_TRUE(f->waitFor([&](Seen& s) { return s.messages.size() >= sent; }))
          << "a reader fell behind at " << sent << ": " << f->describe();
    dropped = host.with([](Seen& s) { return !s.left.empty(); });
  }
  ASSERT_TRUE(dropped) << "the sleeper was never dropped after " << sent << " messages";
  host.with([](Seen& s) {
    ASSERT_EQ(s.left.size(), 1u) << "only the sleeper";
    EXPECT_EQ(s.left[0].who.name, "sleeper");
    EXPECT_EQ(s.left[0].reason, LeaveReason::TooSlow);
  });
  for (std::size_t i = 0; i < kBatch; ++i) host.say(big);
  sent += kBatch;

  for (auto& f : fast) {
    ASSERT_TRUE(f->waitFor([&](Seen& s) { return s.messages.size() >= sent; })) << f->describe();
    f->with([&](Seen& s) {
      ASSERT_EQ(s.messages.size(), sent) << "every message, once";
      for (std::size_t k = 0; k < sent; ++k) ASSERT_EQ(s.messages[k].seq, k + 1);
      EXPECT_EQ(s.messageBytes, sent * kMaxMessageBytes) << "with all its bytes";
      ASSERT_EQ(s.left.size(), 1u);
      EXPECT_EQ(s.left[0].reason, LeaveReason::TooSlow);
      EXPECT_TRUE(s.disconnected.empty());
    });
  }
  // The host's memory for queued frames stayed bounded: no joiner's queue ever held more than
  // the limit (plus the one frame that tipped it over).
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.stats.size() >= 2; }));
  host.with([&](Seen& s) {
    std::size_t peak = 0;
    for (const auto& st : s.stats) peak = std::max(peak, st.peakQueuedBytesPerClient);
    EXPECT_LE(peak, kQueueLimit + kMaxMessageBytes + 64);
    for (const auto& st : s.stats) EXPECT_LE(st.queuedBytes, (kFast + 1) * (kQueueLimit + kMaxMessageBytes));
  });
}

}  // namespace
}  // namespace chatport::chat::test
