// The chat codec: every message survives a round trip byte for byte, and every malformed
// payload is rejected with the right ParseError, never a crash.

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>

namespace chatport::chat::proto {
namespace {

net::Bytes bytes(std::initializer_list<int> values) {
  net::Bytes out;
  for (int v : values) out.push_back(std::byte(v));
  return out;
}

// n bytes (at least the signature's) that start as a PNG or a JPEG does: all a picture must be
// for the protocol, which does not decode it.
Picture signed_(std::initializer_list<int> signature, std::size_t n) {
  Picture p(std::max(n, signature.size()));
  std::size_t i = 0;
  for (int v : signature) p[i++] = std::byte(v);
  return p;
}
Picture pngPicture(std::size_t n) { return signed_({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, n); }
Picture jpegPicture(std::size_t n) { return signed_({0xFF, 0xD8, 0xFF}, n); }

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
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "ann", 0, std::nullopt});
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "ann", 77, std::nullopt});
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "李小龍🐉", 0, someToken()});
  expectRoundTrip<ClientMessage>(Hello{kProtocolVersion, "ann", 0x0102030405060708, someToken(), 42});
  expectRoundTrip<ClientMessage>(Say{kWorld});
  expectRoundTrip<ClientMessage>(Say{""});
  expectRoundTrip<ClientMessage>(Say{std::string(kMaxMessageBytes, 'x')});
  expectRoundTrip<ClientMessage>(Whisper{42, kWorld});
  expectRoundTrip<ClientMessage>(Rename{"Zoë"});
  expectRoundTrip<ClientMessage>(Kick{7});
  expectRoundTrip<ClientMessage>(Bye{});
  expectRoundTrip<ClientMessage>(Heartbeat{});
  expectRoundTrip<ClientMessage>(Offer{7, 0, {{"Photos/a.jpg", 0x0102030405060708}, {"Photos/旅行/b.txt", 0}}});
  expectRoundTrip<ClientMessage>(Offer{1, 3, {{std::string(kMaxFilePathBytes, 'p'), 1}}});
  expectRoundTrip<ClientMessage>(Accept{0xFFFFFFFFFFFFFFFF, 5ull << 32});
  expectRoundTrip<ClientMessage>(Decline{9});
  expectRoundTrip<ClientMessage>(CancelTransfer{9, 4});
  expectRoundTrip<ClientMessage>(Chunk{9, 4, 6ull << 30, net::Bytes(kFileChunk, std::byte{0xAB})});
  expectRoundTrip<ClientMessage>(Chunk{9, 4, 0, net::Bytes(1)});
  expectRoundTrip<ClientMessage>(Ack{9, 5ull << 32});
  FileHash hash;
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = std::byte(i * 5 + 1);
  expectRoundTrip<ClientMessage>(ChunksEnd{9, 4, hash});
  expectRoundTrip<ClientMessage>(Received{9, {}, ""});
  expectRoundTrip<ClientMessage>(Reclaim{1ull << 40});
  for (auto p : {Presence::Available, Presence::Away, Presence::Busy}) expectRoundTrip<ClientMessage>(SetPresence{p});
  expectRoundTrip<ClientMessage>(SetPicture{pngPicture(100)});
  expectRoundTrip<ClientMessage>(SetPicture{pngPicture(kMaxPictureBytes)});
  expectRoundTrip<ClientMessage>(SetPicture{jpegPicture(50)});
  expectRoundTrip<ClientMessage>(SetPicture{});
  for (int f = 0; f <= static_cast<int>(TransferFailure::ProtocolError); ++f)
    expectRoundTrip<ClientMessage>(Received{9, {static_cast<TransferFailure>(f)}, kWorld});
}

TEST(Protocol, HostMessagesRoundTrip) {
  Welcome w;
  w.you = 3;
  w.token = someToken();
  w.hostName = "host ☕";
  w.roomSeq = 0x0102030405060708ull;
  w.heartbeatIntervalMs = 5000;
  w.sendRateMilli = 20'000;
  w.sendBurst = 40;
  w.totalClients = 2;
  w.clients = {{1, "host ☕", true}, {3, "ann", false}};
  expectRoundTrip<HostMessage>(w);
  expectRoundTrip<HostMessage>(Refuse{Code::NameTaken, "taken: ann"});
  expectRoundTrip<HostMessage>(RosterPart{{{9, "x", false}, {10, "y", false}}});
  expectRoundTrip<HostMessage>(ChatMessage{2, 99, -5, kWorld});
  expectRoundTrip<HostMessage>(ChatMessage{2, 1, 1'700'000'000'123, std::string(kMaxMessageBytes, 'y')});
  expectRoundTrip<HostMessage>(PrivateMessage{2, 3, 7, 1'700'000'000'123, kWorld});
  expectRoundTrip<HostMessage>(Joined{{{5, "bob", false}}});
  expectRoundTrip<HostMessage>(Joined{{{5, "bob", false}, {6, "李小龍", false}, {7, "c", false}}});
  for (int r = 0; r <= 5; ++r) expectRoundTrip<HostMessage>(Left{5, static_cast<LeaveReason>(r)});
  expectRoundTrip<HostMessage>(Renamed{5, "rob"});
  expectRoundTrip<HostMessage>(ErrorReply{Code::RateLimited, "slow down"});
  for (int c = 1; c <= kLastCode; ++c) expectRoundTrip<HostMessage>(Closing{static_cast<Code>(c), ""});
  expectRoundTrip<HostMessage>(Heartbeat{});
  RoomKey key;
  key.epoch = 7;
  for (std::size_t i = 0; i < key.key.size(); ++i) key.key[i] = std::byte(i * 7 + 1);
  expectRoundTrip<HostMessage>(key);
  expectRoundTrip<HostMessage>(History{});
  expectRoundTrip<HostMessage>(History{12, {{7, 1'700'000'000'123, "ann", kWorld}, {8, -1, "李小龍🐉", ""}}});
  expectRoundTrip<HostMessage>(Offered{1ull << 40, 7, 2, 0, 1'700'000'000'123, {{"a.pdf", 5ull << 32}}});
  expectRoundTrip<HostMessage>(OfferRefused{7, {TransferFailure::TooLarge}, "at most 4096 MiB"});
  expectRoundTrip<HostMessage>(Start{3, 4, 1ull << 33});
  expectRoundTrip<HostMessage>(Data{3, 1ull << 33, net::Bytes(kFileChunk, std::byte{1})});
  expectRoundTrip<HostMessage>(Acked{3, 4, 77});
  expectRoundTrip<HostMessage>(DataEnd{3, FileHash{std::byte{9}}});
  expectRoundTrip<HostMessage>(TransferEnded{3, 0, {}, ""});
  expectRoundTrip<HostMessage>(TransferEnded{3, 4, {TransferFailure::PeerLeft}, "the sender left"});
  expectRoundTrip<HostMessage>(TransferPaused{3, 4, true});
  expectRoundTrip<HostMessage>(TransferPaused{3, 4, false});
  expectRoundTrip<HostMessage>(Limits{20'000, 40});
  expectRoundTrip<HostMessage>(Limits{});
  for (auto p : {Presence::Available, Presence::Away, Presence::Busy}) {
    expectRoundTrip<HostMessage>(PresenceChanged{5, p});
    expectRoundTrip<HostMessage>(Joined{{{5, "bob", false, p}, {6, "host", true, p}}});
  }
  expectRoundTrip<HostMessage>(PictureChanged{5, pngPicture(kMaxPictureBytes)});
  expectRoundTrip<HostMessage>(PictureChanged{5, jpegPicture(3)});
  expectRoundTrip<HostMessage>(PictureChanged{5, {}});
}

TEST(Protocol, WireLayoutIsAsDocumented) {
  // docs/protocol.md: a Say of "hi" is type 0x02, u32 length 2, the bytes.
  EXPECT_EQ(toPayload(Say{"hi"}), bytes({0x02, 0, 0, 0, 2, 'h', 'i'}));
  EXPECT_EQ(toPayload(Hello{2, "ab", 3, std::nullopt}), bytes({0x01, 0, 2, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 3, 0}));
  {
    const auto withToken = toPayload(Hello{2, "ab", 9, someToken(), 5});
    ASSERT_EQ(withToken.size(), 6u + 8u + 1u + 16u + 8u) << "lastSeq, token, then the u64 lastPrivateSeq";
    EXPECT_EQ(withToken[14], std::byte{16});
    EXPECT_EQ(std::vector<std::byte>(withToken.begin() + 6, withToken.begin() + 14), bytes({0, 0, 0, 0, 0, 0, 0, 9}));
    EXPECT_EQ(std::vector<std::byte>(withToken.end() - 8, withToken.end()), bytes({0, 0, 0, 0, 0, 0, 0, 5}));
  }
  // History: missed, n, then each entry's seq, timeMs, name and text.
  EXPECT_EQ(toPayload(History{4, {{7, 1, "a", "hi"}}}),
            bytes({0x8C, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                   'a', 0, 0, 0, 2, 'h', 'i'}));
  EXPECT_EQ(toPayload(Left{0x01020304, LeaveReason::TooSlow}), bytes({0x87, 1, 2, 3, 4, 4}));
  EXPECT_EQ(toPayload(Left{0x01020304, LeaveReason::TooFast}), bytes({0x87, 1, 2, 3, 4, 5}));
  {
    Welcome w{2, someToken(), "h", 9, 5000, 1, {{1, "h", true}}};
    w.sendRateMilli = 20'000;
    w.sendBurst = 40;
    const auto payload = toPayload(w);
    // type, you, token, name "h", roomSeq, heartbeatIntervalMs, then the rate limit.
    constexpr std::size_t kRateAt = 1 + 4 + 16 + 2 + 8 + 4;
    ASSERT_GT(payload.size(), kRateAt + 8);
    EXPECT_EQ(std::vector<std::byte>(payload.begin() + kRateAt, payload.begin() + kRateAt + 8),
              bytes({0, 0, 0x4E, 0x20, 0, 0, 0, 40}));
  }
  EXPECT_EQ(toPayload(ChatMessage{1, 2, 3, "z"}),
            bytes({0x84, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 'z'}));
  EXPECT_EQ(toPayload(Joined{{{258, "h", true}}}), bytes({0x86, 0, 0, 0, 1, 0, 0, 1, 2, 1, 1, 'h'}));
  EXPECT_EQ(toPayload(PrivateMessage{2, 3, 4, 5, "p"}),
            bytes({0x85, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 'p'}));
  const auto frame = toFrame(Heartbeat{});
  EXPECT_EQ(*frame, bytes({0xCB, 0, 0, 1, 0x10}));
  // Files: an offer's list is n, then each path (u16 length) and u64 size; a chunk's data is
  // the rest of the payload; an outcome is 0 for arrived, else 1 + the failure.
  EXPECT_EQ(toPayload(Offer{1, 2, {{"ab", 3}}}),
            bytes({0x07, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 3}));
  EXPECT_EQ(toPayload(Chunk{1, 2, 3, bytes({7, 8})}),
            bytes({0x0B, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 7, 8}));
  EXPECT_EQ(toPayload(Received{1, {TransferFailure::HashMismatch}, ""}),
            bytes({0x0E, 0, 0, 0, 0, 0, 0, 0, 1, 1 + static_cast<int>(TransferFailure::HashMismatch), 0, 0}));
  EXPECT_EQ(toPayload(TransferPaused{1, 2, true}), bytes({0x94, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 1}));
  EXPECT_EQ(toPayload(Limits{20'000, 40}), bytes({0x95, 0, 0, 0x4E, 0x20, 0, 0, 0, 40}));
  EXPECT_EQ(toPayload(SetPresence{Presence::Busy}), bytes({0x11, 2}));
  EXPECT_EQ(toPayload(SetPicture{jpegPicture(4)}), bytes({0x12, 0xFF, 0xD8, 0xFF, 0}));
  EXPECT_EQ(toPayload(SetPicture{}), bytes({0x12}));
  EXPECT_EQ(toPayload(PictureChanged{5, jpegPicture(3)}), bytes({0x97, 0, 0, 0, 5, 0xFF, 0xD8, 0xFF}));
  EXPECT_EQ(toPayload(PresenceChanged{5, Presence::Away}), bytes({0x96, 0, 0, 0, 5, 1}));
  // An entry's flags: bit 0 the host, bits 1-2 the presence.
  EXPECT_EQ(toPayload(Joined{{{5, "b", true, Presence::Away}}}), bytes({0x86, 0, 0, 0, 1, 0, 0, 0, 5, 0x03, 1, 'b'}));
  EXPECT_EQ(toPayload(Joined{{{5, "b", false, Presence::Busy}}}), bytes({0x86, 0, 0, 0, 1, 0, 0, 0, 5, 0x04, 1, 'b'}));
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
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x01, 0, kProtocolVersion, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5})), PE::BadTokenLength);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x82, 0, 0, 0})), PE::BadCode);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x8A, kLastCode + 1, 0, 0})), PE::BadCode);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x87, 0, 0, 0, 1, 6})), PE::BadLeaveReason);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x86, 0, 0, 0, 1, 0, 0, 0, 1, 8, 1, 'x'})), PE::BadFlags);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x86, 0, 0, 0, 1, 0, 0, 0, 1, 6, 1, 'x'})), PE::BadPresence);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x11, 3})), PE::BadPresence);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x96, 0, 0, 0, 1, 0xFF})), PE::BadPresence);
  // A picture is a PNG or a JPEG, within its size.
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x12, 'G', 'I', 'F', '8', '9', 'a'})), PE::BadPicture);
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x12, 0xFF, 0xD8})), PE::BadPicture);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x97, 0, 0, 0, 1, '<', 's', 'v', 'g'})), PE::BadPicture);
  {
    net::Bytes big = toPayload(SetPicture{pngPicture(kMaxPictureBytes)});
    big.push_back(std::byte{0});
    EXPECT_EQ(parseAs<ClientMessage>(big), PE::BadPicture);
    net::Bytes bigChange = toPayload(PictureChanged{1, pngPicture(kMaxPictureBytes)});
    bigChange.push_back(std::byte{0});
    EXPECT_EQ(parseAs<HostMessage>(bigChange), PE::BadPicture);
  }
  // A Joined of nobody, or of more than a part holds.
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x86, 0, 0, 0, 0})), PE::BadRosterCount);
  {
    std::vector<Participant> crowd;
    for (ClientId id = 1; id <= kRosterPartEntries + 1; ++id) crowd.push_back({id, "n", false});
    EXPECT_EQ(parseAs<HostMessage>(toPayload(Joined{crowd})), PE::BadRosterCount);
    crowd.pop_back();
    EXPECT_EQ(parseAs<HostMessage>(toPayload(Joined{crowd})), PE::None);
  }
  // A Welcome that claims more entries in itself than in the whole list.
  net::Bytes welcome = toPayload(Welcome{2, someToken(), "h", 0, 1000, 1, {{1, "h", true}}});
  welcome[welcome.size() - 7 - 4 - 1] = std::byte{0};  // totalClients (before n and one entry): 1 -> 0
  EXPECT_EQ(parseAs<HostMessage>(welcome), PE::BadRosterCount);
  // A count far larger than the bytes could hold is caught before anything is reserved.
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x83, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 1, 'a'})), PE::Truncated);
  // Files.
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x07, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})), PE::BadFileList) << "no files";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x07, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0xE9, 0, 0})), PE::BadFileList)
      << "more than kMaxOfferFiles";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x07, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
            PE::BadFileList) << "an empty path";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x07, 0, 0, 0, 1, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 'a'})),
            PE::BadFileList) << "a count the bytes could never hold";
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x0B, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3})), PE::BadChunk)
      << "no data";
  {
    net::Bytes tooLong = toPayload(Chunk{1, 2, 3, net::Bytes(kFileChunk)});
    tooLong.push_back(std::byte{0});
    EXPECT_EQ(parseAs<ClientMessage>(tooLong), PE::BadChunk);
  }
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x0E, 0, 0, 0, 0, 0, 0, 0, 1, 2 + static_cast<int>(TransferFailure::ProtocolError), 0, 0})),
            PE::BadOutcome);
  EXPECT_EQ(parseAs<HostMessage>(bytes({0x94, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 2})), PE::BadFlags);
}

TEST(Protocol, ParsingStopsAtTheFirstError) {
  // The name is invalid UTF-8 and the token length is also wrong: the first one is reported.
  EXPECT_EQ(parseAs<ClientMessage>(bytes({0x01, 0, kProtocolVersion, 1, 0xFF, 9})), ParseError::InvalidName);
}

namespace {

std::vector<Participant> longRoster(ClientId first, ClientId last) {
  std::vector<Participant> roster;
  for (ClientId i = first; i <= last; ++i)
    roster.push_back({i, "joiner-with-a-long-name-" + std::to_string(i), i == 1});
  return roster;
}

// What a joiner puts together from a Welcome and the RosterParts after it.
struct WelcomeReceived {
  std::uint32_t you = 0;
  std::uint32_t total = 0;
  std::size_t welcomeEntries = 0;
  std::vector<Participant> clients;
};

WelcomeReceived receive(const std::vector<net::SharedBytes>& frames) {
  WelcomeReceived r;
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
  const WelcomeReceived r = receive(frames);
  EXPECT_EQ(r.you, 7u);
  EXPECT_EQ(r.total, roster.size());
  EXPECT_EQ(r.clients, roster);
}

TEST(Protocol, LongClientListIsSplitIntoRosterParts) {
  WelcomeEncoder encoder;
  const auto roster = longRoster(1, 3000);
  const WelcomeReceived r = receive(welcomeFor(encoder, 77, roster));
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

// ---- Random messages -------------------------------------------------------------------------

// Valid messages with random fields, for the round-trip properties below.
class RandomMessages {
 public:
  explicit RandomMessages(std::uint32_t seed) : random_(seed) {}

  ClientMessage client() {
    switch (below(18)) {
      case 0: {
        Hello m{kProtocolVersion, name(), u64(), std::nullopt};
        if (below(2)) {
          m.resumeToken = token();
          m.lastPrivateSeq = u64();
        }
        return m;
      }
      case 1: return Say{text()};
      case 2: return Whisper{u32(), text()};
      case 3: return Rename{name()};
      case 4: return Kick{u32()};
      case 5: return Bye{};
      case 6: return Heartbeat{};
      case 7: return Offer{u32(), u32(), files()};
      case 8: return Accept{u64(), u64()};
      case 9: return Decline{u64()};
      case 10: return CancelTransfer{u64(), u32()};
      case 11: return Chunk{u64(), u32(), u64(), data()};
      case 12: return Ack{u64(), u64()};
      case 13: return ChunksEnd{u64(), u32(), hash()};
      case 14: return Received{u64(), outcome(), detail()};
      case 15: return SetPresence{presence()};
      case 16: return SetPicture{picture()};
      default: return Reclaim{u64()};
    }
  }

  HostMessage host() {
    switch (below(23)) {
      case 0: {
        Welcome m{u32(), token(), name(), u64(), u32(), 0, entries()};
        m.totalClients = static_cast<std::uint32_t>(m.clients.size());
        if (below(3) == 0) m.totalClients += 1 + below(1000);  // RosterParts follow
        return m;
      }
      case 1: return Refuse{code(), detail()};
      case 2: return RosterPart{entries()};
      case 3: return ChatMessage{u32(), u64(), static_cast<std::int64_t>(u64()), text()};
      case 4: return PrivateMessage{u32(), u32(), u64(), static_cast<std::int64_t>(u64()), text()};
      case 5: return Joined{{entry(), entry()}};
      case 6: return Left{u32(), static_cast<LeaveReason>(below(6))};
      case 7: return Renamed{u32(), name()};
      case 8: return ErrorReply{code(), detail()};
      case 9: return Closing{code(), detail()};
      case 10: {
        History m{u64(), {}};
        for (std::uint32_t n = below(4); n > 0; --n)
          m.entries.push_back({u64(), static_cast<std::int64_t>(u64()), name(), text()});
        return m;
      }
      case 11: return Offered{u64(), u32(), u32(), u32(), static_cast<std::int64_t>(u64()), files()};
      case 12: return OfferRefused{u32(), outcome(), detail()};
      case 13: return Start{u64(), u32(), u64()};
      case 14: return Data{u64(), u64(), data()};
      case 15: return Acked{u64(), u32(), u64()};
      case 16: return DataEnd{u64(), hash()};
      case 17: return TransferEnded{u64(), u32(), outcome(), detail()};
      case 18: return TransferPaused{u64(), u32(), below(2) == 0};
      case 19: return Limits{u32(), u32()};
      case 20: return PresenceChanged{u32(), presence()};
      case 21: return PictureChanged{u32(), picture()};
      default: return Heartbeat{};
    }
  }

 private:
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(random_() % n); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(random_()); }
  // Small and large values alike, so that every byte of a field is exercised.
  std::uint64_t u64() {
    if (below(4) == 0) return below(300);
    const std::uint64_t high = u32();
    return high << 32 | u32();
  }
  Token token() {
    Token t;
    for (auto& b : t) b = std::byte(random_());
    return t;
  }
  Code code() { return static_cast<Code>(1 + below(kLastCode)); }
  Presence presence() { return static_cast<Presence>(below(3)); }
  Picture picture() {
    const std::size_t n = below(4) == 0 ? 0 : 8 + below(kMaxPictureBytes - 7);
    Picture p = below(2) ? pngPicture(n) : jpegPicture(n);
    for (std::size_t i = 8; i < p.size(); ++i) p[i] = std::byte(below(256));
    return p;
  }

  // A code point of 1 to 4 UTF-8 bytes; never a control character or a surrogate.
  char32_t codePoint() {
    static constexpr char32_t kRanges[][2] = {
        {U'a', U'z'}, {U'!', U'~'}, {0xA1, 0x2FF}, {0x400, 0x4FF}, {0x4E00, 0x9FFF}, {0x1F300, 0x1F64F}};
    const auto& r = kRanges[below(std::size(kRanges))];
    return r[0] + below(r[1] - r[0] + 1);
  }
  static void append(std::string& s, char32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | cp >> 6);
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | cp >> 12);
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | cp >> 18);
      s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::string utf8(std::size_t codePoints) {
    std::string s;
    for (std::size_t i = 0; i < codePoints; ++i) append(s, codePoint());
    return s;
  }
  // A valid name: random code points, drawn again while the name rules refuse them (a soft
  // hyphen, a mark with nothing to sit on…).
  std::string name() {
    std::string s;
    for (int tries = 0; tries < 1000; ++tries) {
      s = utf8(1 + below(kMaxNameCodePoints));
      if (!validateName(s)) return s;
    }
    ADD_FAILURE() << "no valid name drawn";
    return "n";
  }
  std::string text() {
    if (below(300) == 0) return std::string(kMaxMessageBytes, 'x');
    return utf8(below(4) == 0 ? 0 : below(400));
  }
  std::string detail() { return utf8(below(kMaxDetailBytes / 4 + 1)); }  // at most 4 bytes each
  Participant entry() { return {u32(), name(), below(2) == 0, presence()}; }
  std::vector<OfferedFile> files() {
    std::vector<OfferedFile> out(1 + below(5));
    for (auto& f : out) f = {utf8(1 + below(60)), u64()};
    return out;
  }
  net::Bytes data() {
    net::Bytes out(below(8) == 0 ? kFileChunk : 1 + below(2000));
    for (auto& b : out) b = std::byte(random_());
    return out;
  }
  FileHash hash() {
    FileHash h;
    for (auto& b : h) b = std::byte(random_());
    return h;
  }
  Outcome outcome() {
    const auto v = below(2 + static_cast<std::uint32_t>(TransferFailure::ProtocolError));
    return v == 0 ? Outcome{} : Outcome{static_cast<TransferFailure>(v - 1)};
  }
  std::vector<Participant> entries() {
    std::vector<Participant> out(below(4) == 0 ? 0 : below(40));
    for (auto& p : out) p = entry();
    return out;
  }

  std::mt19937 random_;
};

template <typename Variant>
net::Bytes payloadOf(const Variant& message) {
  const auto frame = toFrame(message);
  return net::Bytes(frame->begin() + net::kFrameHeaderSize, frame->end());
}

TEST(Protocol, RandomMessagesOfEveryTypeSurviveARoundTrip) {
  RandomMessages random(20240611);
  for (int i = 0; i < 2000; ++i) {
    const ClientMessage c = random.client();
    ClientMessage parsedC;
    ASSERT_EQ(parse(payloadOf(c), parsedC), ParseError::None) << "joiner message " << i << ", type " << c.index();
    ASSERT_TRUE(parsedC == c) << "joiner message " << i << ", type " << c.index() << " came back changed";

    const HostMessage h = random.host();
    HostMessage parsedH;
    ASSERT_EQ(parse(payloadOf(h), parsedH), ParseError::None) << "host message " << i << ", type " << h.index();
    ASSERT_TRUE(parsedH == h) << "host message " << i << ", type " << h.index() << " came back changed";
  }
}

// Whatever a parser accepts, the encoder writes back byte for byte: each message has exactly
// one encoding, so no two programs can read the same frame two ways. Returns whether it parsed.
std::string hex(const net::Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += kDigits[std::to_integer<int>(b) >> 4];
    out += kDigits[std::to_integer<int>(b) & 15];
  }
  return out;
}

template <typename Variant>
bool expectAcceptedOnlyAsWritten(const net::Bytes& payload) {
  Variant message;
  if (parse(payload, message) != ParseError::None) return false;
  if (const net::Bytes written = payloadOf(message); written != payload)
    ADD_FAILURE() << "accepted " << hex(payload) << ", which the encoder writes as " << hex(written);
  return true;
}

TEST(Protocol, EveryOneByteChangeToAMessageIsRejectedOrReadAsExactlyWhatItSays) {
  // Every byte of a short example of each message replaced by each of the 256 values, deleted,
  // and preceded by another byte. (The fuzzers try far more; docs/FUZZING.md.)
  const std::vector<net::Bytes> examples = {
      payloadOf(Hello{kProtocolVersion, "ann", 0, std::nullopt}),
      payloadOf(Hello{kProtocolVersion, "é", 5, someToken(), 3}),
      payloadOf(Say{"hé"}),
      payloadOf(Whisper{3, "hi"}),
      payloadOf(Rename{"bo"}),
      payloadOf(Kick{7}),
      payloadOf(Bye{}),
      payloadOf(Heartbeat{}),
      payloadOf(Welcome{3, someToken(), "h", 9, 5000, 4, {{1, "h", true}, {3, "a", false}}}),
      payloadOf(Refuse{Code::NameTaken, "no"}),
      payloadOf(RosterPart{{{9, "x", false}, {10, "y", true}}}),
      payloadOf(ChatMessage{2, 9, -1, "m"}),
      payloadOf(PrivateMessage{2, 3, 4, 5, "p"}),
      payloadOf(Joined{{{5, "b", true}}}),
      payloadOf(Left{5, LeaveReason::Kicked}),
      payloadOf(Renamed{5, "r"}),
      payloadOf(ErrorReply{Code::RateLimited, "e"}),
      payloadOf(Closing{Code::Kicked, ""}),
      payloadOf(History{2, {{9, -1, "h", "m"}}}),
      payloadOf(Offer{1, 2, {{"a/b", 3}}}),
      payloadOf(Accept{1, 2}),
      payloadOf(CancelTransfer{1, 2}),
      payloadOf(Chunk{1, 2, 3, bytes({4, 5})}),
      payloadOf(Received{1, {TransferFailure::Declined}, "d"}),
      payloadOf(Reclaim{1}),
      payloadOf(Offered{1, 2, 3, 4, 5, {{"x", 6}}}),
      payloadOf(TransferEnded{1, 2, {}, ""}),
      payloadOf(TransferPaused{1, 2, true}),
      payloadOf(Limits{1, 2}),
      payloadOf(SetPresence{Presence::Away}),
      payloadOf(PresenceChanged{5, Presence::Busy}),
      payloadOf(SetPicture{jpegPicture(6)}),
      payloadOf(PictureChanged{5, pngPicture(10)}),
  };
  std::size_t tried = 0;
  std::size_t accepted = 0;
  auto check = [&](const net::Bytes& b) {
    ++tried;
    accepted += expectAcceptedOnlyAsWritten<ClientMessage>(b) + expectAcceptedOnlyAsWritten<HostMessage>(b);
  };
  for (const net::Bytes& example : examples) {
    for (std::size_t at = 0; at < example.size(); ++at) {
      net::Bytes b = example;
      for (int v = 0; v < 256; ++v) {
        b[at] = std::byte(v);
        check(b);
      }
      b = example;
      b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
      check(b);
      for (int v : {0x00, 0x01, 0x7F, 0xFF}) {
        b = example;
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), std::byte(v));
        check(b);
      }
      if (testing::Test::HasFailure()) return;  // one message is enough to show which
    }
  }
  EXPECT_GT(accepted, tried / 10) << accepted << " of " << tried
                                  << ": changes to an id, a number or a letter still parse";
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
  EXPECT_EQ(leaveReasonName(LeaveReason::TooFast), "too_fast");
}

}  // namespace
}  // namespace chatport::chat::proto
