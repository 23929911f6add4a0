// The chat codec: every message survives a round trip byte for byte, and every malformed
// payload is rejected with the right ParseError, never a crash.

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include <gtest/gtest.h>

#include <random>

namespace chatport::chat::proto {
namespace {

net::Bytes bytes(std::initializer_list<int> values) {
  net::Bytes out;
  for (int v : values) out.push_back(std::byte(v));
  return out;
}

net::Bytes cat(net::Bytes a, std::string_view s) {
  a.insert(a.end(), net::asBytes(s).begin(), net::asBytes(s).end());
  return a;
}

template <typename Variant, typename Message>
void expectRoundTrip(const Message& message) {
  const net::Bytes payload = toPayload(message);
  Variant parsed;
  ASSERT_EQ(parse(payload, parsed), ParseError::None);
  ASSERT_TRUE(std::holds_alternative<Message>(parsed));
  EXPECT_TRUE(std::get<Message>(parsed) == message);
  // The frame form is the header followed by the same payload.
  const auto frame = toFrame(message);
  ASSERT_EQ(frame->size(), payload.size() + net::kFrameHeaderSize);
  net::FrameDecoder decoder(kMaxPayload);
  std::size_t frames = 0;
  decoder.feed(*frame, [&](std::span<const std::byte> p) {
    ++frames;
    EXPECT_TRUE(std::equal(p.begin(), p.end(), payload.begin(), payload.end()));
  });
  EXPECT_EQ(frames, 1u);
}

template <typename Variant>
ParseError parseAs(const net::Bytes& payload) {
  Variant out;
  return parse(payload, out);
}

const std::string kWorld = "你好, мир! 🎉👩‍👩‍👧 ñ";

Token someToken() {
  Token t;
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = std::byte(i * 17 + 3);
  return t;
}

TEST(Protocol, JoinerMessagesRoundTrip) {
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "ann", std::nullopt});
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "李小龍🐉", someToken()});
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "ann", someToken(), 0x0102030405060708, 42});
  expectRoundTrip<ClientMessage>(Say{kWorld});
  expectRoundTrip<ClientMessage>(Say{""});
  expectRoundTrip<ClientMessage>(Say{std::string(kMaxMessageBytes, 'x')});
  expectRoundTrip<ClientMessage>(Whisper{42, kWorld});
  expectRoundTrip<ClientMessage>(Rename{"Zoë"});
  expectRoundTrip<ClientMessage>(Kick{7});
  expectRoundTrip<ClientMessage>(Bye{});
  expectRoundTrip<ClientMessage>(Heartbeat{});
}

TEST(Protocol, HostMessagesRoundTrip) {
  Welcome w;
  w.you = 3;
  w.token = someToken();
  w.hostName = "host ☕";
  w.roomSeq = 0x0102030405060708ull;
  w.heartbeatIntervalMs = 5000;
  w.totalClients = 2;
  w.clients = {{1, "host ☕", true}, {3, "ann", false}};
  expectRoundTrip<HostMessage>(w);
  expectRoundTrip<HostMessage>(Refuse{Code::NameTaken, "taken: ann"});
  expectRoundTrip<HostMessage>(RosterPart{{{9, "x", false}, {10, "y", false}}});
  expectRoundTrip<HostMessage>(ChatMessage{2, 99, -5, kWorld});
  expectRoundTrip<HostMessage>(ChatMessage{2, 1, 1'700'000'000'123, std::string(kMaxMessageBytes, 'y')});
  expectRoundTrip<HostMessage>(PrivateMessage{2, 3, 7, 1'700'000'000'123, kWorld});
  expectRoundTrip<HostMessage>(Joined{{5, "bob", false}});
  for (int r = 0; r <= 4; ++r) expectRoundTrip<HostMessage>(Left{5, static_cast<LeaveReason>(r)});
  expectRoundTrip<HostMessage>(Renamed{5, "rob"});
  expectRoundTrip<HostMessage>(ErrorReply{Code::RateLimited, "slow down"});
  for (int c = 1; c <= kLastCode; ++c) expectRoundTrip<HostMessage>(Closing{static_cast<Code>(c), ""});
  expectRoundTrip<HostMessage>(Heartbeat{});
  RoomKey key;
  key.epoch = 7;
  for (std::size_t i = 0; i < key.key.size(); ++i) key.key[i] = std::byte(i * 7 + 1);
  expectRoundTrip<HostMessage>(key);
}

TEST(Protocol, WireLayoutIsAsDocumented) {
  // docs/protocol.md: a Say of "hi" is type 0x02, u32 length 2, the bytes.
  EXPECT_EQ(toPayload(Say{"hi"}), bytes({0x02, 0, 0, 0, 2, 'h', 'i'}));
  EXPECT_EQ(toPayload(Hello{2, "ab", std::nullopt}), bytes({0x01, 0, 2, 2, 'a', 'b', 0}));
  {
    const auto withToken = toPayload(Hello{2, "ab", someToken(), 9, 5});
    ASSERT_EQ(withToken.size(), 7u + 16u + 16u) << "token, then the u64 lastSeq and lastPrivateSeq";
    EXPECT_EQ(withToken[6], std::byte{16});
    EXPECT_EQ(std::vector<std::byte>(withToken.end() - 16, withToken.end()),
              bytes({0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 5}));
  }
  EXPECT_EQ(toPayload(Left{0x01020304, LeaveReason::TooSlow}), bytes({0x87, 1, 2, 3, 4, 4}));
  EXPECT_EQ(toPayload(ChatMessage{1, 2, 3, "z"}),
            bytes({0x84, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 'z'}));
  EXPECT_EQ(toPayload(Joined{{258, "h", true}}), bytes({0x86, 0, 0, 1, 2, 1, 1, 'h'}));
  EXPECT_EQ(toPayload(PrivateMessage{2, 3, 4, 5, "p"}),
            bytes({0x85, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 'p'}));
  const auto frame = toFrame(Heartbeat{});
  EXPECT_EQ(*frame, bytes({0xCB, 0, 0, 1, 0x10}));
}

TEST(Protocol, EveryParseErrorIsReported) {
  using PE = ParseError;
  EXPECT_EQ(parseAs<ClientMessage>({}), PE::Empty);
  EXPECT_EQ(parseAs<HostMessage>({}), PE::Empty);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x7E})), PE::UnknownType);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x84})), PE::UnknownType) << "host-only type at the host";
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x02, 0, 0, 0, 0})), PE::UnknownType) << "joiner-only type at a joiner";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 0, 0, 5, 'a'})), PE::Truncated);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x03, 0, 0})), PE::Truncated);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x06, 0})), PE::TrailingBytes);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 0, 0, 1, 'a', 'b'})), PE::TrailingBytes);
  {
    ClientMessage out;
    EXPECT_EQ(parse(bytes({0x01, 0, 1, 0xFF, 0xFF}), out), PE::UnsupportedVersion);
    EXPECT_EQ(std::get<Hello>(out).version, 1) << "version 1 had no lastSeq: refused, not misread";
  }
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 0, 0, 2, 0xC3, 0x28})), PE::InvalidUtf8);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 0, 0, 2, 0xC0, 0x80})), PE::InvalidUtf8) << "overlong";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 0, 0, 3, 0xED, 0xA0, 0x80})), PE::InvalidUtf8) << "surrogate";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x04, 1, 0xFF})), PE::InvalidName) << "a name in invalid UTF-8";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x04, 0})), PE::InvalidName) << "empty";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x04, 2, 'a', '\n'})), PE::InvalidName) << "control";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x04, 2, ' ', ' '})), PE::InvalidName) << "only spaces";
  EXPECT_EQ(parseAs<ClientMessage>(cat(bytes({0x04, 33}), std::string(33, 'n'))), PE::InvalidName) << "33 chars";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x02, 0, 1, 0, 1})), PE::TextTooLong);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x89, 7, 0x04, 0x01})), PE::DetailTooLong);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x01, 0, 3, 1, 'a', 5, 1, 2, 3, 4, 5})), PE::BadTokenLength);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x82, 0, 0, 0})), PE::BadCode);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x8A, kLastCode + 1, 0, 0})), PE::BadCode);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x87, 0, 0, 0, 1, 5})), PE::BadLeaveReason);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x86, 0, 0, 0, 1, 2, 1, 'x'})), PE::BadFlags);
  // A Welcome that claims more entries in itself than in the whole list.
  net::Bytes welcome = toPayload(Welcome{2, someToken(), "h", 0, 1000, 1, {{1, "h", true}}});
  welcome[welcome.size() - 7 - 4 - 1] = std::byte{0};  // totalClients (before n and one entry): 1 -> 0
  EXPECT_EQ(parseAs<HostMessage>(welcome), PE::BadRosterCount);
  // A count far larger than the bytes could hold is caught before anything is reserved.
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x83, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 1, 'a'})), PE::Truncated);
}

TEST(Protocol, ParsingStopsAtTheFirstError) {
  // The name is invalid UTF-8 and the token length is also wrong: the first one is reported.
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x01, 0, 3, 1, 0xFF, 9})), ParseError::InvalidName);
}

namespace {

std::vector<Participant> longRoster(ClientId first, ClientId last) {
  std::vector<Participant> roster;
  for (ClientId i = first; i <= last; ++i)
    roster.push_back({i, "joiner-with-a-long-name-" + std::to_string(i), i == 1});
  return roster;
}

// What a joiner puts together from a Welcome and the RosterParts after it.
struct Received {
  std::uint32_t you = 0;
  std::uint32_t total = 0;
  std::size_t welcomeEntries = 0;
  std::vector<Participant> clients;
};

Received receive(const std::vector<net::SharedBytes>& frames) {
  Received r;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_LE(frames[i]->size() - net::kFrameHeaderSize, kMaxPayload);
    HostMessage m;
    EXPECT_EQ(parse(std::span(*frames[i]).subspan(net::kFrameHeaderSize), m), ParseError::None);
    if (i == 0) {
      auto& w = std::get<Welcome>(m);
      r.you = w.you;
      r.total = w.totalClients;
      r.welcomeEntries = w.clients.size();
      r.clients = w.clients;
    } else {
      auto& part = std::get<RosterPart>(m);
      EXPECT_LE(part.clients.size(), kRosterPartEntries);
      r.clients.insert(r.clients.end(), part.clients.begin(), part.clients.end());
    }
  }
  return r;
}

std::vector<net::SharedBytes> welcomeFor(WelcomeEncoder& encoder, ClientId you,
                                         const std::vector<Participant>& roster) {
  Welcome head;
  head.you = you;
  head.hostName = "h";
  std::vector<Participant> rest;
  for (const auto& p : roster)
    if (p.id > encoder.keptThrough()) rest.push_back(p);
  return encoder.frames(head, roster.size(), rest);
}

}  // namespace

TEST(Protocol, ShortClientListGoesWholeInTheWelcome) {
  WelcomeEncoder encoder;
  const auto roster = longRoster(1, kRosterPartEntries);
  const auto frames = welcomeFor(encoder, 7, roster);
  ASSERT_EQ(frames.size(), 1u);
  const Received r = receive(frames);
  EXPECT_EQ(r.you, 7u);
  EXPECT_EQ(r.total, roster.size());
  EXPECT_EQ(r.clients, roster);
}

TEST(Protocol, LongClientListIsSplitIntoRosterParts) {
  WelcomeEncoder encoder;
  const auto roster = longRoster(1, 3000);
  const Received r = receive(welcomeFor(encoder, 77, roster));
  EXPECT_EQ(r.you, 77u);
  EXPECT_EQ(r.total, 3000u);
  EXPECT_EQ(r.welcomeEntries, 0u) << "a long list comes entirely in parts";
  EXPECT_EQ(r.clients, roster);
}

TEST(Protocol, WelcomesShareTheUnchangedPartsOfTheClientList) {
  WelcomeEncoder encoder;
  auto roster = longRoster(1, 1000);
  const auto first = welcomeFor(encoder, 1000, roster);
  // A join storm: each newcomer's Welcome reuses the full parts already encoded.
  for (ClientId id = 1001; id <= 1100; ++id) roster.push_back({id, "late-" + std::to_string(id), false});
  const auto second = welcomeFor(encoder, 1100, roster);
  const std::size_t fullParts = 1000 / kRosterPartEntries;
  ASSERT_GT(second.size(), fullParts);
  for (std::size_t i = 1; i <= fullParts; ++i)
    EXPECT_EQ(first[i].get(), second[i].get()) << "part " << i << " is the same bytes, not a copy";
  EXPECT_EQ(receive(second).clients, roster);

  // Someone in the second part renames and someone in the first leaves: both are seen.
  roster[300].name = "renamed";
  encoder.forget(roster[300].id);
  const auto third = welcomeFor(encoder, 1100, roster);
  EXPECT_EQ(first[1].get(), third[1].get()) << "the part before the change is still shared";
  EXPECT_EQ(receive(third).clients, roster);
  encoder.forget(roster[5].id);
  roster.erase(roster.begin() + 5);
  EXPECT_EQ(receive(welcomeFor(encoder, 1100, roster)).clients, roster);
}

TEST(Protocol, RandomAndMutatedPayloadsNeverCrash) {
  std::mt19937 random(12345);
  std::vector<net::Bytes> seeds = {
      toPayload(Hello{2, "ann", someToken()}), toPayload(Say{kWorld}), toPayload(Whisper{3, "hi"}),
      toPayload(Welcome{2, someToken(), "h", 5, 1000, 2, {{1, "h", true}, {2, "ann", false}}}),
      toPayload(ChatMessage{1, 2, 3, kWorld}), toPayload(Closing{Code::Kicked, "bye"})};
  for (int i = 0; i < 20000; ++i) {
    net::Bytes b;
    if (i % 2) {
      b.resize(random() % 64);
      for (auto& x : b) x = std::byte(random());
    } else {
      b = seeds[random() % seeds.size()];
      for (int k = 0; k < 3; ++k) b[random() % b.size()] = std::byte(random());
      if (random() % 4 == 0) b.resize(random() % (b.size() + 1));
    }
    ClientMessage c;
    HostMessage h;
    (void)parse(b, c);
    (void)parse(b, h);
  }
}

TEST(Validation, NamesAndText) {
  EXPECT_FALSE(validateName("ann"));
  EXPECT_FALSE(validateName("李小龍"));
  EXPECT_FALSE(validateName(std::string(32, 'a')));
  EXPECT_FALSE(validateName("🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉")) << "32 code points of 4 bytes";
  EXPECT_EQ(validateName(std::string(33, 'a')), ErrorCode::InvalidName);
  EXPECT_EQ(validateName(""), ErrorCode::InvalidName);
  EXPECT_EQ(validateName("a\tb"), ErrorCode::InvalidName);
  EXPECT_EQ(validateName("a\x7F"), ErrorCode::InvalidName);
  EXPECT_EQ(validateName("a\xC2\x85"), ErrorCode::InvalidName) << "C1 control NEL";
  EXPECT_EQ(validateName("   "), ErrorCode::InvalidName);
  EXPECT_EQ(validateName("\xE3\x80\x80"), ErrorCode::InvalidName) << "ideographic space only";
  EXPECT_EQ(validateName("\xFF"), ErrorCode::InvalidName);
  EXPECT_FALSE(validateText(""));
  EXPECT_FALSE(validateText(kWorld));
  EXPECT_FALSE(validateText("line one\nline two"));
  EXPECT_FALSE(validateText(std::string(kMaxMessageBytes, 'a')));
  EXPECT_EQ(validateText(std::string(kMaxMessageBytes + 1, 'a')), ErrorCode::MessageTooLong);
  EXPECT_EQ(validateText("\xF4\x90\x80\x80"), ErrorCode::InvalidText) << "above U+10FFFF";
  EXPECT_EQ(errorName(ErrorCode::PortInUse), "port_in_use");
  EXPECT_EQ(leaveReasonName(LeaveReason::TooSlow), "too_slow");
}

}  // namespace
}  // namespace chatport::chat::proto
