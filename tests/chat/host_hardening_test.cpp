// An attacker's view of the room: sessions that cannot be guessed or stolen, requests that all
// count against the sender's budget, newcomers that cannot be locked out, and answers that
// come in the order and with the codes docs/protocol.md gives.

#include "raw_joiner.h"
#include "system_random_probe.h"
#include "test_participant.h"

#include <gtest/gtest.h>

#include "resident_memory.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <bit>
#include <set>
#include <thread>

namespace chatport::chat::test {
namespace {

// A joiner that floods the room with the longest messages as fast as the host takes them, and
// reads everything it is sent as it comes, as a healthy client does (without opening it).
class Flooder {
 public:
  bool join(std::uint16_t port, const std::string& name) { return raw_.handshake(port, name); }
  void start(std::size_t messages) {
    reader_ = std::thread([this] {
      std::vector<std::byte> buffer(1 << 16);
      while (!stop_.load()) {
        const long n = raw_.socket().receive(buffer, 50ms);
        if (n != chatport::test::RawSocket::kTimedOut && n <= 0) return;
      }
    });
    writer_ = std::thread([this, messages] {
      const auto frame = proto::toFrame(proto::Say{std::string(kMaxMessageBytes, 'x')});
      for (std::size_t i = 0; i < messages && !stop_.load(); ++i)
        if (!raw_.sendRaw(raw_.seal(frame))) return;
    });
  }
  ClientId id() const { return raw_.id(); }
  ~Flooder() {
    stop_.store(true);
    raw_.socket().shutdownBoth();  // the threads return; the socket is closed once they have
    if (writer_.joinable()) writer_.join();
    if (reader_.joinable()) reader_.join();
  }

 private:
  RawJoiner raw_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
  std::thread writer_;
};

// A room whose joiners may queue 1 MiB each and send without a rate limit, so that a few of them
// flooding outrun the host.
CoreOptions floodedRoom() {
  CoreOptions options = hostOptions();
  options.maxQueuedBytesPerClient = 1 << 20;
  options.ratePerSecond = 1e6;
  options.rateBurst = 1e6;
  return options;
}

int differingBits(const proto::Token& a, const proto::Token& b) {
  int bits = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    bits += std::popcount(std::to_integer<unsigned>(a[i] ^ b[i]));
  return bits;
}

TEST(HostHardening, ResumeTokensComeFromTheSystemGeneratorAndTwoHostsNeverShareOne) {
  // Two hosts started in the same second, as after a power cut.
  TestParticipant first(hostOptions()), second(hostOptions());
  first.host("first");
  second.host("second");
  ASSERT_TRUE(first.waitConnected());
  ASSERT_TRUE(second.waitConnected());

  std::vector<proto::Token> tokens;
  std::vector<std::unique_ptr<RawJoiner>> joiners;
  for (int i = 0; i < 4; ++i) {
    for (TestParticipant* host : {&first, &second}) {
      joiners.push_back(std::make_unique<RawJoiner>());
      ASSERT_TRUE(joiners.back()->handshake(host->port(), "j" + std::to_string(i)));
      tokens.push_back(joiners.back()->token());
    }
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (std::size_t j = i + 1; j < tokens.size(); ++j) {
      // Independent 128-bit tokens differ in about 64 bits; fewer than 24 happens once in 10^11.
      EXPECT_GE(differingBits(tokens[i], tokens[j]), 24) << "tokens " << i << " and " << j;
    }
  }
  if (systemRandomProbeAvailable()) {
    for (const auto& token : tokens)
      EXPECT_TRUE(cameFromSystemRandom(token)) << "a token that getrandom(2) never returned";
  }
}

TEST(HostHardening, WrongTokenNeverResumesAnyone) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  RawJoiner victim;
  ASSERT_TRUE(victim.handshake(host.port(), "victim"));

  // Every single-bit neighbour of the first and last byte, and a token of zeros: none of them
  // is the victim's, so each is a newcomer with its own id.
  std::vector<proto::Token> guesses;
  for (std::size_t byte : {std::size_t{0}, proto::kTokenSize - 1}) {
    for (int bit = 0; bit < 8; ++bit) {
      proto::Token t = victim.token();
      t[byte] ^= std::byte(1 << bit);
      guesses.push_back(t);
    }
  }
  guesses.push_back(proto::Token{});
  std::set<ClientId> ids{victim.id()};
  int n = 0;
  for (const auto& guess : guesses) {
    RawJoiner thief;
    ASSERT_TRUE(thief.handshake(host.port(), "thief" + std::to_string(n++), guess));
    EXPECT_TRUE(ids.insert(thief.id()).second) << "a wrong token took over client " << thief.id();
    EXPECT_NE(thief.token(), victim.token());
  }
  // The victim was never replaced: its link still works and it was told nothing.
  ASSERT_TRUE(victim.send(proto::toFrame(proto::Say{"still mine"})));
  for (;;) {
    auto m = victim.next();
    ASSERT_TRUE(m.has_value()) << "the victim's link was closed";
    ASSERT_FALSE(std::holds_alternative<proto::Closing>(*m)) << "the victim was replaced";
    if (auto* said = std::get_if<proto::ChatMessage>(&*m)) {
      EXPECT_EQ(said->from, victim.id());
      EXPECT_EQ(said->text, "still mine");
      break;
    }
  }
  // The right token from another installation's key resumes nobody either: that is a
  // newcomer, and the victim's name is taken...
  RawJoiner stranger;
  EXPECT_FALSE(stranger.handshake(host.port(), "victim", victim.token()));
  // ...while the victim's own key with its token takes its session back.
  RawJoiner back(victim.keys());
  ASSERT_TRUE(back.handshake(host.port(), "victim", victim.token()));
  EXPECT_EQ(back.id(), victim.id());
}

net::Bytes helloPayload(const std::string& name) {
  proto::Hello hello;
  hello.name = name;
  return proto::toPayload(hello);
}

void append(net::Bytes& out, const net::Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

// A Rename frame whose name the codec would refuse to encode: built by hand.
net::Bytes renameFrame(std::string_view rawName) {
  net::Bytes payload{std::byte{0x04}, std::byte(rawName.size())};
  for (char c : rawName) payload.push_back(std::byte(c));
  return frameOf(payload);
}

TEST(HostHardening, HelloWithRequestsBehindItInOneWriteIsAnsweredWithTheWelcomeFirst) {
  CoreOptions options = hostOptions();
  options.rateBurst = 5;
  TestParticipant host(options);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());

  // The handshake's last message with the hello, then eight Says (three over the burst), all
  // in one write.
  RawJoiner eager;
  ASSERT_TRUE(eager.connect(host.port()));
  auto bytes = eager.secureHandshake(helloPayload("eager"));
  ASSERT_TRUE(bytes.has_value());
  for (int i = 1; i <= 8; ++i) append(*bytes, eager.seal(proto::toFrame(proto::Say{"line " + std::to_string(i)})));
  ASSERT_TRUE(eager.sendRaw(*bytes));

  auto first = eager.next();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(std::holds_alternative<proto::Welcome>(*first)) << "the Welcome comes before anything else";
  // Then the first five lines, said in order, and three refusals for the rest.
  int said = 0, refused = 0;
  while (said + refused < 8) {
    auto m = eager.next();
    ASSERT_TRUE(m.has_value()) << "closed after " << said << " said, " << refused << " refused";
    if (auto* c = std::get_if<proto::ChatMessage>(&*m)) {
      EXPECT_EQ(c->text, "line " + std::to_string(++said));
    } else if (auto* e = std::get_if<proto::ErrorReply>(&*m)) {
      EXPECT_EQ(e->code, proto::Code::RateLimited);
      ++refused;
    }
  }
  EXPECT_EQ(said, 5);
  EXPECT_EQ(refused, 3);
}

TEST(HostHardening, NameCodesFollowTheProtocol) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  {  // a Hello whose name is not UTF-8 at all: InvalidName, not ProtocolError
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(host.port()));
    const net::Bytes payload{std::byte{0x01}, std::byte{0}, std::byte{proto::kProtocolVersion}, std::byte{2},
                             std::byte{0xC3}, std::byte{0x28}, std::byte{0}};
    auto last = raw.secureHandshake(payload);
    ASSERT_TRUE(last.has_value());
    ASSERT_TRUE(raw.sendRaw(*last));
    const auto got = raw.readUntilClosed();
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<proto::Refuse>(got[0]));
    EXPECT_EQ(std::get<proto::Refuse>(got[0]).code, proto::Code::InvalidName);
  }
  // A Rename to a name the rules refuse is answered with Error(InvalidName); the joiner stays.
  RawJoiner member;
  ASSERT_TRUE(member.handshake(host.port(), "member"));
  for (std::string_view bad : {std::string_view("\xC3\x28"), std::string_view("a\nb"), std::string_view("")}) {
    ASSERT_TRUE(member.send(std::make_shared<net::Bytes>(renameFrame(bad))));
    for (;;) {
      auto m = member.next();
      ASSERT_TRUE(m.has_value()) << "closed for a bad rename";
      ASSERT_FALSE(std::holds_alternative<proto::Closing>(*m));
      if (auto* e = std::get_if<proto::ErrorReply>(&*m)) {
        EXPECT_EQ(e->code, proto::Code::InvalidName);
        break;
      }
    }
  }
  ASSERT_TRUE(member.send(proto::toFrame(proto::Say{"still a member"})));
  for (;;) {
    auto m = member.next();
    ASSERT_TRUE(m.has_value());
    if (auto* c = std::get_if<proto::ChatMessage>(&*m)) {
      EXPECT_EQ(c->text, "still a member");
      break;
    }
  }
}

TEST(HostHardening, LookAlikeNamesAreRefused) {
  TestParticipant host(hostOptions());
  host.host("Host");
  ASSERT_TRUE(host.waitConnected());
  const std::pair<std::string, proto::Code> cases[] = {
      {"ｈｏｓｔ", proto::Code::NameTaken},      // full-width
      {"HOST", proto::Code::NameTaken},
      {"Host\u200b", proto::Code::InvalidName},  // zero-width space
      {"\u202Etsoh", proto::Code::InvalidName},  // right-to-left override
      {"Host ", proto::Code::InvalidName},
  };
  for (const auto& [name, code] : cases) {
    RawJoiner raw;
    ASSERT_TRUE(raw.connect(host.port()));
    auto last = raw.secureHandshake(helloPayload(name));
    ASSERT_TRUE(last.has_value());
    ASSERT_TRUE(raw.sendRaw(*last));
    const auto got = raw.readUntilClosed();
    ASSERT_FALSE(got.empty()) << name;
    ASSERT_TRUE(std::holds_alternative<proto::Refuse>(got[0])) << name << " was let in";
    EXPECT_EQ(std::get<proto::Refuse>(got[0]).code, code) << name;
  }
  // Renaming into a look-alike of someone present is refused too.
  RawJoiner ann;
  ASSERT_TRUE(ann.handshake(host.port(), "ann"));
  ASSERT_TRUE(ann.send(proto::toFrame(proto::Rename{"ＨＯＳＴ"})));
  for (;;) {
    auto m = ann.next();
    ASSERT_TRUE(m.has_value());
    if (auto* e = std::get_if<proto::ErrorReply>(&*m)) {
      EXPECT_EQ(e->code, proto::Code::NameTaken);
      break;
    }
    ASSERT_FALSE(std::holds_alternative<proto::Renamed>(*m)) << "renamed into a look-alike";
  }
}

// Silent sockets from several machines (127.0.0.2-9 stand for them) that never say hello,
// kept open, as an attacker would to lock a room: a real joiner still gets in, at once.
TEST(HostHardening, TwoThousandSilentSocketsDoNotLockARealJoinerOut) {
  constexpr int kSilent = 2000;
  CoreOptions options = hostOptions();
  options.maxClients = 50;  // far fewer than the silent sockets
  // Far beyond the test's deadline: the real joiner can only get in by the budget letting the
  // oldest silent sockets go, never by waiting for them to time out.
  options.handshakeTimeout = std::chrono::minutes(10);
  TestParticipant host(options, false);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  const auto room = net::Endpoint::loopbackV4(host.port());

  std::vector<chatport::test::RawSocket> silent(kSilent);
  for (int i = 0; i < kSilent; ++i) {
    auto from = net::Endpoint::parse("127.0.0." + std::to_string(2 + i % 8), 0);
    ASSERT_TRUE(from.has_value());
    ASSERT_TRUE(silent[i].connectFrom(*from, room)) << "silent socket " << i;
  }
  TestParticipant real;
  real.join("real", host.port());
  ASSERT_TRUE(real.waitConnected()) << real.describe();
  real.with([](Seen& s) { EXPECT_FALSE(s.hasError(ErrorCode::RoomFull)) << s.describe(); });
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("real"); }));

  // The host lets the oldest silent sockets go and keeps only its budget's worth open.
  std::vector<bool> closed(kSilent, false);
  std::size_t stillOpen = kSilent;
  for (auto until = std::chrono::steady_clock::now() + chatport::test::kDeadline;
       stillOpen > options.maxPendingHandshakes && std::chrono::steady_clock::now() < until;) {
    stillOpen = 0;
    for (int i = 0; i < kSilent; ++i) {
      if (!closed[i]) closed[i] = silent[i].peerHasClosed();
      stillOpen += !closed[i];
    }
    if (stillOpen > options.maxPendingHandshakes) std::this_thread::sleep_for(10ms);  // polling the OS
  }
  EXPECT_LE(stillOpen, options.maxPendingHandshakes);
  EXPECT_GE(stillOpen, options.maxPendingHandshakes / 2) << "recent ones are kept until their deadline";
}

// Each kind of request a joiner can send, sent as fast as a socket takes it by joiners that
// never read. The host's memory stays within its per-joiner bounds and the others chat on.
TEST(HostHardening, FloodOfEveryRequestTypeKeepsTheHostsMemoryBoundedAndTheRoomChatting) {
  constexpr std::size_t kQueueBound = 1 << 20;
  constexpr int kFloodersPerKind = 3;
  CoreOptions options = hostOptions();
  options.maxQueuedBytesPerClient = kQueueBound;
  TestParticipant host(options, false);
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  TestParticipant ann, ben;
  ann.join("ann", host.port());
  ben.join("ben", host.port());
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(ben.waitConnected());

  const std::vector<std::pair<std::string, net::Bytes>> kinds{
      {"kick", *proto::toFrame(proto::Kick{1})},
      {"hello", *proto::toFrame(proto::Hello{proto::kProtocolVersion, "again", 0, std::nullopt})},
      {"heartbeat", *proto::toFrame(proto::Heartbeat{})},
      {"say", *proto::toFrame(proto::Say{std::string(100, 's')})},
      {"whisper", *proto::toFrame(proto::Whisper{1, std::string(100, 'w')})},
      {"rename", *proto::toFrame(proto::Rename{"renamed"})},
      {"bad-rename", renameFrame("\x01")},
      // Files: offers to the room (each shown to everyone, up to the sender's open offers),
      // accepts of offers that do not exist (each answered), and file data for no stream at
      // all (not counted as requests: bounded by the room's inbox). Ten kinds, thirty flooders:
      // within the 32 handshakes one address may have pending at once.
      {"offer", *proto::toFrame(proto::Offer{7, kNoClient, {{"a.txt", 10}}})},
      {"accept", *proto::toFrame(proto::Accept{12345, 0})},
      {"chunk", *proto::toFrame(proto::Chunk{12345, 1, 0, net::Bytes(proto::kFileChunk)})},
  };
  const std::size_t before = chatport::test::residentBytes();
  std::atomic<std::size_t> peak{before};
  std::atomic<bool> flooding{true};
  std::thread sampler([&] {
    while (flooding.load()) {
      std::size_t now = chatport::test::residentBytes();
      std::size_t seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(5ms);  // a sampling period, not a wait for an event
    }
  });
  std::vector<std::thread> flooders;
  std::atomic<int> handshakes{0};
  for (const auto& [kind, frame] : kinds) {
    for (int i = 0; i < kFloodersPerKind; ++i) {
      flooders.emplace_back([&, kind = kind, frame = frame, i] {
        RawJoiner raw;
        if (!raw.handshake(host.port(), kind + std::to_string(i))) return;
        ++handshakes;
        // Until the host hangs up, or 16 MiB of requests: far more than any budget allows.
        const auto plain = std::make_shared<net::Bytes>(frame);
        for (std::size_t sent = 0; sent < (std::size_t{16} << 20);) {
          net::Bytes batch;  // each sealed afresh: every message has its own nonce
          while (batch.size() < 256 * 1024) append(batch, raw.seal(plain));
          if (!raw.sendRaw(batch)) break;
          sent += batch.size();
        }
      });
    }
  }
  // Meanwhile the others chat, and every message arrives (among the flooders' first few,
  // which their budget allowed).
  auto fromAnn = [](const Seen& s) {
    std::vector<std::string> texts;
    for (const auto& m : s.messages)
      if (m.fromName == "ann") texts.push_back(m.text);
    return texts;
  };
  for (int i = 0; i < 20; ++i) ann.say("through the storm " + std::to_string(i));
  EXPECT_TRUE(ben.waitFor([&](Seen& s) { return fromAnn(s).size() >= 20; }, 20s)) << ben.describe();
  for (auto& t : flooders) t.join();
  flooding = false;
  sampler.join();
  EXPECT_EQ(handshakes.load(), static_cast<int>(kinds.size()) * kFloodersPerKind);

  // Every flooder was dropped; the room is as it was.
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.clients.size() == 3; }, 20s)) << host.describe();
  ben.with([&](Seen& s) {
    const auto texts = fromAnn(s);
    ASSERT_EQ(texts.size(), 20u);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(texts[i], "through the storm " + std::to_string(i));
  });
#ifdef CHATPORT_SANITIZED
  GTEST_SKIP() << "memory bound not asserted: the sanitizer's quarantine and shadow memory count as resident";
#else
  const std::size_t flooderCount = kinds.size() * kFloodersPerKind;
  // Each flooder may hold its send queue and its share of the room's inbox; 24 MiB for the
  // rest (the flooders' own test threads and buffers among them).
  const std::size_t bound = flooderCount * 2 * kQueueBound + (std::size_t{24} << 20);
  EXPECT_LE(peak.load() - before, bound) << "the host grew by " << ((peak.load() - before) >> 20) << " MiB";
#endif
}

// What the rooms below start from: a host, and calm, who joins and watches.
class WatchedRoom {
 public:
  TestParticipant host;
  TestParticipant calm;
  bool ready = false;  // both are in the room

 protected:
  WatchedRoom(CoreOptions hostOptions, bool calmKeepsText)
      : host(std::move(hostOptions), false), calm(testOptions(), calmKeepsText) {
    host.host("host");
    if (!host.waitConnected()) return;
    calm.join("calm", host.port());
    ready = calm.waitConnected();
  }
};

// A room that guards itself: each joiner may queue 1 MiB and send 20 requests a second, 10 at
// once; calm only watches.
class GuardedRoom : public WatchedRoom {
 public:
  static constexpr std::size_t kQueueBound = 1 << 20;

  GuardedRoom() : WatchedRoom(options(), true) {}

  /// A joiner sends the sealed bytes batch gives it, again and again, 16 MiB in all or until the
  /// host closes; returns its id once the host has dropped it as too fast (kNoClient if not).
  /// Meanwhile the host grows by no more than that joiner's send queue and its share of the
  /// room's inbox, and 24 MiB for the test's own buffers (not asserted under a sanitizer, whose
  /// quarantine and shadow memory count as resident). Then the room still carries chat.
  ClientId floodFrom(const std::function<net::Bytes(RawJoiner&)>& batch) {
    [[maybe_unused]] const std::size_t before = chatport::test::residentBytes();
    RawJoiner flooder;
    if (!flooder.handshake(host.port(), "flicker")) return kNoClient;
    const ClientId id = flooder.id();
    for (std::size_t sent = 0; sent < (std::size_t{16} << 20);) {
      const net::Bytes bytes = batch(flooder);
      if (!flooder.sendRaw(bytes)) break;
      sent += bytes.size();
    }
    const bool dropped = host.waitFor([&](Seen& s) {
      return std::any_of(s.left.begin(), s.left.end(),
                         [&](const LeftEvent& e) { return e.who.id == id && e.reason == LeaveReason::TooFast; });
    });
    if (!dropped) return kNoClient;
    [[maybe_unused]] const std::size_t after = chatport::test::residentBytes();
#ifndef CHATPORT_SANITIZED
    EXPECT_LE(after - std::min(after, before), 2 * kQueueBound + (std::size_t{24} << 20))
        << "the host grew by " << ((after - std::min(after, before)) >> 20) << " MiB";
#endif
    calm.say("still here");
    EXPECT_TRUE(host.waitFor([](Seen& s) { return !s.messages.empty(); }, 10s)) << host.describe();
    return id;
  }

  /// How many events of type E about id p has seen.
  template <typename E>
  static std::size_t count(TestParticipant& p, ClientId id) {
    return p.with([&](Seen& s) {
      return static_cast<std::size_t>(std::count_if(s.all.begin(), s.all.end(), [&](const Event& e) {
        const auto* about = std::get_if<E>(&e);
        return about && about->id == id;
      }));
    });
  }

 private:
  static CoreOptions options() {
    CoreOptions o = hostOptions();
    o.maxQueuedBytesPerClient = kQueueBound;
    o.ratePerSecond = 20;
    o.rateBurst = 10;
    return o;
  }
};

TEST(HostHardening, PresenceFloodCostsItsSenderItsBudgetAndTheRoomNoMoreThanThat) {
  // Away, busy, away...: each change would be news to everyone, so each counts as a request.
  GuardedRoom room;
  ASSERT_TRUE(room.ready);
  const auto away = proto::toFrame(proto::SetPresence{Presence::Away});
  const auto busy = proto::toFrame(proto::SetPresence{Presence::Busy});
  const ClientId flicker = room.floodFrom([&](RawJoiner& flooder) {
    net::Bytes batch;
    while (batch.size() < 256 * 1024) {
      append(batch, flooder.seal(away));
      append(batch, flooder.seal(busy));
    }
    return batch;
  });
  ASSERT_NE(flicker, kNoClient) << room.host.describe();
  const std::size_t changes = GuardedRoom::count<PresenceEvent>(room.calm, flicker);
  EXPECT_GE(changes, 5u) << "the burst allowance got through";
  EXPECT_LE(changes, 40u) << "most of the flood never reached anyone";
}

TEST(HostHardening, PictureFloodReachesTheRoomNoFurtherThanThePictureBudget) {
  // Each change is up to 16 KiB to everyone: beyond a few a minute it is refused, and a flood of
  // them is dropped as too fast like any other.
  GuardedRoom room;
  ASSERT_TRUE(room.ready);
  Picture big(kMaxPictureBytes, std::byte{7});
  std::fill_n(big.begin(), 3, std::byte{0xFF});
  big[1] = std::byte{0xD8};
  std::uint8_t n = 0;
  const ClientId flicker = room.floodFrom([&](RawJoiner& flooder) {
    big[3] = std::byte{n++};  // each one another picture
    return flooder.seal(proto::toFrame(proto::SetPicture{big}));
  });
  ASSERT_NE(flicker, kNoClient) << room.host.describe();
  for (auto* p : {&room.host, &room.calm}) {
    const std::size_t changes = GuardedRoom::count<PictureEvent>(*p, flicker);
    EXPECT_GE(changes, 1u) << "a picture got through";
    EXPECT_LE(changes, static_cast<std::size_t>(proto::kPictureChangeBurst) + 1) << "the picture budget held";
  }
}

// A room-wide flood: the host, calm (who reads and never sends), whoever a test adds, and six
// flooders that, once started, send 60 maximum-size messages each as fast as they can; each goes
// on to everyone, so the host is what falls behind.
class FloodedRoom : public WatchedRoom {
 public:
  static constexpr std::size_t kFlooders = 6;
  static constexpr std::size_t kMessages = kFlooders * 60;

  FloodedRoom() : WatchedRoom(floodedRoom(), false) {}

  /// Joins the flooders; once the host lists them and others more, starts them all at once.
  bool start(std::size_t others) {
    for (std::size_t i = 0; i < kFlooders; ++i) {
      flooders_.push_back(std::make_unique<Flooder>());
      if (!flooders_.back()->join(host.port(), "flood" + std::to_string(i))) return false;
    }
    const std::size_t everyone = 2 + others + kFlooders;
    if (!host.waitFor([&](Seen& s) { return s.clients.size() == everyone; })) return false;
    for (auto& f : flooders_) f->start(kMessages / kFlooders);
    return true;
  }

 private:
  std::vector<std::unique_ptr<Flooder>> flooders_;
};

TEST(HostHardening, ARoomWideFloodSlowsTheSendersAndDropsNobodyWhoReads) {
  // The host stops reading until they have caught up, and drops nobody.
  FloodedRoom room;
  ASSERT_TRUE(room.ready);
  ASSERT_TRUE(room.start(0)) << room.host.describe();

  ASSERT_TRUE(room.calm.waitFor([](Seen& s) { return s.messages.size() == FloodedRoom::kMessages; }, 90s))
      << room.calm.describe();
  ASSERT_TRUE(room.host.waitFor([](Seen& s) { return s.messages.size() == FloodedRoom::kMessages; }, 30s))
      << room.host.describe();
  room.host.with([](Seen& s) {
    EXPECT_TRUE(s.left.empty()) << s.describe();
    EXPECT_EQ(s.clients.size(), FloodedRoom::kFlooders + 2);
  });
}

TEST(HostHardening, InARoomWideFloodOnlyTheJoinersThatNeverReadAreDropped) {
  // A third of the room never reads: behind for good, they lag the rest and no longer hold the
  // room back; their queues' bound drops them, and nobody else.
  FloodedRoom room;
  ASSERT_TRUE(room.ready);
  std::vector<std::unique_ptr<RawJoiner>> sleepers;  // join, and never read again
  std::set<ClientId> sleeperIds;
  for (int i = 0; i < 3; ++i) {
    sleepers.push_back(std::make_unique<RawJoiner>());
    ASSERT_TRUE(sleepers.back()->handshake(room.host.port(), "sleeper" + std::to_string(i)));
    sleeperIds.insert(sleepers.back()->id());
  }
  ASSERT_TRUE(room.start(sleepers.size())) << room.host.describe();

  ASSERT_TRUE(room.calm.waitFor([](Seen& s) { return s.messages.size() == FloodedRoom::kMessages; }, 90s))
      << room.calm.describe();
  ASSERT_TRUE(room.host.waitFor([&](Seen& s) { return s.left.size() >= sleeperIds.size(); }, 30s))
      << room.host.describe();
  room.host.with([&](Seen& s) {
    std::set<ClientId> gone;
    for (const auto& e : s.left) {
      gone.insert(e.who.id);
      EXPECT_EQ(e.reason, LeaveReason::TooSlow) << e.who.name;
    }
    EXPECT_EQ(gone, sleeperIds) << s.describe();
  });
}

}  // namespace
}  // namespace chatport::chat::test
