// Secure rooms as an eavesdropper, a forger and a removed member see them: nothing said travels
// in clear, an altered or replayed message is never acted on, passwords and host keys are
// checked, and a removed member's room key opens nothing said after it left.

#include "key_store.h"
#include "raw_joiner.h"
#include "secure_wire.h"
#include "test_participant.h"
#include "test_proxy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace chatport::chat::test {
namespace {

using Direction = TestProxy::Direction;

bool contains(const std::vector<net::Bytes>& frames, std::string_view text) {
  const auto needle = net::asBytes(text);
  return std::any_of(frames.begin(), frames.end(), [&](const net::Bytes& f) {
    return std::search(f.begin(), f.end(), needle.begin(), needle.end()) != f.end();
  });
}

std::vector<std::string> textsFrom(const Seen& s, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& m : s.messages)
    if (m.fromName == name) out.push_back(m.text);
  return out;
}

TEST(SecureRoom, NothingSaidNorAnyNameTravelsInClear) {
  TestParticipant host(hostOptions());
  host.host("Hostess Quokka");
  ASSERT_TRUE(host.waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host.port()));
  TestParticipant ann, bob;
  ann.join("Quixotic Ann", proxy.port());
  bob.join("Bob", host.port());
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
  ASSERT_TRUE(bob.waitConnected());
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return s.isIn("Quixotic Ann"); }));
  const ClientId annId = ann.id();

  ann.say("zebra crossing 7341");
  bob.submit(PrivateCommand{annId, "private okapi 9921"});
  host.say("host says walrus 5566");
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.messages.size() >= 2 && s.privates.size() == 1; })) << ann.describe();
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return s.messages.size() >= 2; }));

  for (Direction d : {Direction::ToHost, Direction::ToJoiner}) {
    const auto frames = proxy.recorded(d);
    ASSERT_FALSE(frames.empty());
    for (std::string_view secret : {"zebra crossing", "okapi", "walrus", "Quixotic", "Hostess", "Bob"})
      EXPECT_FALSE(contains(frames, secret)) << "'" << secret << "' crossed the network in clear";
  }
}

// One bit flipped in each kind of message on the way: the link closes with a reason, nothing
// altered reaches anyone, and the others chat on.
TEST(SecureRoom, AnyFlippedBitClosesThatLinkAndNothingAlteredIsDelivered) {
  struct Case {
    Direction direction;
    std::size_t index;
    const char* what;
  };
  const Case cases[] = {
      {Direction::ToHost, 0, "handshake message 1"},
      {Direction::ToJoiner, 0, "handshake message 2"},
      {Direction::ToHost, 1, "handshake message 3 (with the hello)"},
      {Direction::ToJoiner, 1, "the Welcome"},
      {Direction::ToHost, 2, "a chat message"},
  };
  for (const Case& c : cases) {
    for (std::size_t bit : {std::size_t{0}, std::size_t{77}, std::size_t{1000003}}) {
      SCOPED_TRACE(std::string(c.what) + ", bit " + std::to_string(bit));
      CoreOptions options = testOptions();
      options.autoReconnect = false;
      TestParticipant host(hostOptions());
      host.host("host");
      ASSERT_TRUE(host.waitConnected());
      TestParticipant bob;
      bob.join("bob", host.port());
      ASSERT_TRUE(bob.waitConnected());
      TestProxy proxy(net::Endpoint::loopbackV4(host.port()));
      proxy.flipBit(c.direction, c.index, bit);
      TestParticipant ann(options);
      ann.join("ann", proxy.port());
      // The flipped chat message is ann's first after joining; the others fail the join.
      const bool joined = ann.waitConnected();
      if (joined) ann.say("altered on the way");
      ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << ann.describe();
      // Nothing altered arrived, and the room goes on.
      bob.say("still fine");
      ASSERT_TRUE(host.waitFor([](Seen& s) { return !textsFrom(s, "bob").empty(); }));
      host.with([](Seen& s) { EXPECT_TRUE(textsFrom(s, "ann").empty()) << s.describe(); });
      bob.with([](Seen& s) { EXPECT_TRUE(textsFrom(s, "ann").empty()) << s.describe(); });
      ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.isIn("ann"); }));
    }
  }
}

TEST(SecureRoom, ReplayedHandshakeOrMessageIsRefused) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host.port()));
  {
    CoreOptions once = testOptions();
    once.autoReconnect = false;  // her link, once closed, stays closed: the room's list says so
    TestParticipant ann(once);
    ann.join("ann", proxy.port());
    ASSERT_TRUE(ann.waitConnected());
    ann.say("said once");
    // In the host's list first (a list goes out at most every 100 ms), so that her absence
    // from a later one means the link was closed.
    ASSERT_TRUE(host.waitFor([](Seen& s) { return textsFrom(s, "ann").size() == 1 && s.isIn("ann"); }));
    // The same sealed message again, on the same link: its nonce is spent.
    const auto sent = proxy.recorded(Direction::ToHost);
    ASSERT_GE(sent.size(), 3u);
    proxy.sendToHost(sent[2]);
    ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.isIn("ann"); })) << "the link was not closed";
    host.with([](Seen& s) { EXPECT_EQ(textsFrom(s, "ann").size(), 1u) << "said twice"; });
  }
  // A recorded handshake played into a new connection: the host's new ephemeral key makes the
  // recorded last message worthless.
  const auto recorded = proxy.recorded(Direction::ToHost);
  RawJoiner replayer;
  ASSERT_TRUE(replayer.connect(host.port()));
  net::Bytes first, last;
  net::appendFrame(first, recorded[0]);
  net::appendFrame(last, recorded[1]);
  ASSERT_TRUE(replayer.sendRaw(first));
  ASSERT_TRUE(replayer.sendRaw(last));
  const auto got = replayer.readUntilClosed();
  ASSERT_FALSE(got.empty());
  ASSERT_TRUE(std::holds_alternative<proto::Refuse>(got.back()));
  EXPECT_EQ(std::get<proto::Refuse>(got.back()).code, proto::Code::HandshakeFailed);
  host.with([](Seen& s) { EXPECT_FALSE(s.isIn("ann")); });
}

TEST(SecureRoom, PasswordsAreCheckedAndGuessesRateLimited) {
  TestParticipant host(hostOptions());
  HostCommand room{"host", "127.0.0.1", 0};
  room.password = "correct horse battery staple";
  host.submit(room);
  ASSERT_TRUE(host.waitConnected());
  host.with([](Seen& s) { EXPECT_TRUE(s.connected[0].passwordProtected); });

  auto joinWith = [&](const std::string& name, const std::string& password) {
    auto p = std::make_unique<TestParticipant>();
    JoinCommand join{name, "127.0.0.1", host.port()};
    join.password = password;
    p->submit(join);
    EXPECT_TRUE(p->waitFor([](Seen& s) { return !s.connected.empty() || !s.disconnected.empty(); }));
    return p;
  };
  auto none = joinWith("none", "");
  none->with([](Seen& s) { EXPECT_TRUE(s.endedWith(ErrorCode::PasswordRequired)) << s.describe(); });
  auto wrong = joinWith("wrong", "incorrect horse");
  wrong->with([](Seen& s) { EXPECT_TRUE(s.endedWith(ErrorCode::WrongPassword)) << s.describe(); });
  {  // A refused attempt pins nothing: the contact that gets in is still the first.
    JoinCommand again{"wrong", "127.0.0.1", host.port()};
    again.password = "correct horse battery staple";
    wrong->submit(again);
    ASSERT_TRUE(wrong->waitConnected()) << wrong->describe();
    wrong->with([](Seen& s) { EXPECT_TRUE(s.connected[0].firstContact); });
  }
  auto right = joinWith("right", "correct horse battery staple");
  right->with([](Seen& s) {
    ASSERT_FALSE(s.connected.empty()) << s.describe();
    EXPECT_TRUE(s.connected[0].passwordProtected);
  });
  // Guessing on: after a few wrong passwords a minute, this address may not even try.
  bool limited = false;
  for (int i = 0; i < 8 && !limited; ++i) {
    auto guess = joinWith("guess" + std::to_string(i), "guess " + std::to_string(i));
    limited = guess->with([](Seen& s) { return s.endedWith(ErrorCode::RateLimited); });
  }
  EXPECT_TRUE(limited) << "guesses were never limited";
  // A room without a password says so to a joiner that brings one.
  TestParticipant open(hostOptions());
  open.host("open");
  ASSERT_TRUE(open.waitConnected());
  TestParticipant eager;
  JoinCommand join{"eager", "127.0.0.1", open.port()};
  join.password = "unneeded";
  eager.submit(join);
  ASSERT_TRUE(eager.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  eager.with([](Seen& s) { EXPECT_TRUE(s.endedWith(ErrorCode::WrongPassword)) << s.describe(); });
}

TEST(SecureRoom, HostKeyIsPinnedOnFirstContactAndAChangedOneIsRefusedUntilAccepted) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  const std::string hostPrint = host.with([](Seen& s) { return s.connected[0].hostFingerprint; });
  const std::string address = "127.0.0.1:" + std::to_string(host.port());

  {  // First contact: the key is pinned and shown.
    TestParticipant newcomer;
    newcomer.join("newcomer", host.port());
    ASSERT_TRUE(newcomer.waitConnected());
    newcomer.with([&](Seen& s) {
      EXPECT_TRUE(s.connected[0].firstContact);
      EXPECT_EQ(s.connected[0].hostFingerprint, hostPrint);
    });
    KeyStore pins(newcomer.dataDir());
    ASSERT_TRUE(pins.pinned(address).has_value());
    EXPECT_EQ(noise::fingerprint(*pins.pinned(address)), hostPrint);
  }

  // A joiner that met another installation at this address before: someone else's key now.
  TestParticipant joiner;
  chatport::test::TempDir otherInstallation;
  std::string problem;
  KeyStore other(otherInstallation.string());
  const noise::KeyPair* before = other.identity(problem);
  ASSERT_NE(before, nullptr) << problem;
  const noise::PublicKey beforeKey = before->publicKey();
  ASSERT_TRUE(KeyStore(joiner.dataDir()).pin(address, beforeKey, problem)) << problem;
  auto join = [&](bool accept) {
    JoinCommand command{"joiner", "127.0.0.1", host.port()};
    command.acceptNewHostKey = accept;
    joiner.submit(command);
  };
  join(false);
  ASSERT_TRUE(joiner.waitFor([](Seen& s) { return s.disconnected.size() == 1; }));
  joiner.with([&](Seen& s) {
    ASSERT_TRUE(s.endedWith(ErrorCode::HostKeyChanged)) << s.describe();
    EXPECT_EQ(s.disconnected[0].pinnedFingerprint, noise::fingerprint(beforeKey));
    EXPECT_EQ(s.disconnected[0].offeredFingerprint, hostPrint);
    EXPECT_TRUE(s.connected.empty()) << "never got in";
  });
  host.with([](Seen& s) { EXPECT_FALSE(s.isIn("joiner")) << "its name and key never went out"; });

  // Accepted deliberately: in, and pinned from now on.
  join(true);
  ASSERT_TRUE(joiner.waitConnected(1)) << joiner.describe();
  joiner.submit(LeaveCommand{});
  ASSERT_TRUE(joiner.waitFor([](Seen& s) { return s.disconnected.size() == 2; }));
  join(false);
  ASSERT_TRUE(joiner.waitConnected(2)) << joiner.describe();
  joiner.with([](Seen& s) { EXPECT_FALSE(s.connected[1].firstContact); });
}

TEST(SecureRoom, RemovedMemberCannotReadWhatIsSaidAfterItLeft) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestProxy proxy(net::Endpoint::loopbackV4(host.port()));
  TestParticipant ann;
  ann.join("ann", proxy.port());
  ASSERT_TRUE(ann.waitConnected());
  RawJoiner mallory;
  ASSERT_TRUE(mallory.handshake(host.port(), "mallory"));
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("mallory"); }));

  host.say("before the removal");
  for (;;) {  // mallory reads it with the key it holds
    auto m = mallory.next();
    ASSERT_TRUE(m.has_value());
    if (auto* c = std::get_if<proto::ChatMessage>(&*m); c && c->text == "before the removal") break;
  }
  ASSERT_FALSE(mallory.roomKeys().empty());
  const proto::RoomKey captured = mallory.roomKeys().back();

  host.submit(KickCommand{mallory.id(), true});
  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.isIn("mallory"); }));
  host.say("after the removal");
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !textsFrom(s, "host").empty() && textsFrom(s, "host").back() == "after the removal"; }));

  // What ann received, sealed under the room key: mallory's captured key opens what was said
  // before its removal and nothing after, even when told the newer epoch.
  int openedBefore = 0, sealedAfter = 0;
  bool afterKick = false;
  for (const auto& frame : proxy.recorded(Direction::ToJoiner)) {
    if (frame.empty() || frame[0] != std::byte(secure::Envelope::RoomSealed)) continue;
    const auto epoch = static_cast<std::uint32_t>(std::to_integer<unsigned>(frame[1]) << 24 |
                                                  std::to_integer<unsigned>(frame[2]) << 16 |
                                                  std::to_integer<unsigned>(frame[3]) << 8 |
                                                  std::to_integer<unsigned>(frame[4]));
    secure::RoomOpener opener;
    opener.setKey(epoch, captured.key);  // the epoch in the frame, so that only the key decides
    net::Bytes plaintext;
    const bool opened = !opener.open(frame, plaintext);
    afterKick = afterKick || epoch > captured.epoch;
    if (epoch <= captured.epoch) {
      openedBefore += opened;
    } else {
      ++sealedAfter;
      EXPECT_FALSE(opened) << "a removed member read a broadcast of epoch " << epoch;
    }
  }
  EXPECT_GE(openedBefore, 1);
  EXPECT_GE(sealedAfter, 1) << "nothing was broadcast after the removal";
  // And a banned key may not come back.
  RawJoiner again(mallory.keys());
  EXPECT_FALSE(again.handshake(host.port(), "mallory2"));
}

TEST(SecureRoom, ABanTheDataFolderCannotKeepIsSaidAndHoldsWhileTheRoomLasts) {
  TestParticipant host(hostOptions());
  // A folder where the file should be: it cannot be replaced.
  std::filesystem::create_directory(std::filesystem::path(host.dataDir()) / "room_rules");
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  RawJoiner mallory;
  ASSERT_TRUE(mallory.handshake(host.port(), "mallory"));
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("mallory"); }));
  host.submit(KickCommand{mallory.id(), true});
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.hasError(ErrorCode::RulesNotKept); })) << host.describe();
  host.with([](Seen& s) {
    for (const auto& e : s.errors) {
      if (e.code == ErrorCode::RulesNotKept) {
        EXPECT_NE(e.detail.find("kept only until the room ends: cannot "), std::string::npos) << e.detail;
      }
    }
  });
  RawJoiner again(mallory.keys());
  EXPECT_FALSE(again.handshake(host.port(), "mallory2")) << "the ban holds all the same";
}

// Many leaving at once start one new epoch, not one each: a room of N where k leave together
// must not send k x N keys (that grew a host of 10,000 to gigabytes).
TEST(SecureRoom, ACrowdLeavingAtOnceStartsOneNewEpoch) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  RawJoiner observer;
  ASSERT_TRUE(observer.handshake(host.port(), "observer"));
  constexpr int kLeaving = 30;
  std::vector<std::unique_ptr<RawJoiner>> crowd;
  for (int i = 0; i < kLeaving; ++i) {
    crowd.push_back(std::make_unique<RawJoiner>());
    ASSERT_TRUE(crowd.back()->handshake(host.port(), "crowd" + std::to_string(i)));
  }
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.clients.size() == 2 + kLeaving; }));
  for (auto& j : crowd) j->send(proto::toFrame(proto::Bye{}));
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.left.size() == kLeaving; }));
  host.say("after the crowd left");
  int lefts = 0;
  for (;;) {
    auto m = observer.next();
    ASSERT_TRUE(m.has_value());
    lefts += std::holds_alternative<proto::Left>(*m);
    if (auto* c = std::get_if<proto::ChatMessage>(&*m); c && c->text == "after the crowd left") break;
  }
  EXPECT_EQ(lefts, kLeaving);
  EXPECT_EQ(observer.roomKeys().size(), 2u) << "the first key, and one new epoch for all who left";
}

}  // namespace
}  // namespace chatport::chat::test
