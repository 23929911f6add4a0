// The room beacon's codec: announcements and queries survive a round trip byte for byte, and
// every malformed datagram is rejected with the right BeaconError, never a crash.

#include "beacon.h"

#include <gtest/gtest.h>

#include <string>

namespace chatport::chat::beacon {
namespace {

Announce someAnnounce() {
  Announce a;
  for (std::size_t i = 0; i < a.instance.size(); ++i) a.instance[i] = std::byte(0xA0 + i);
  a.changeCounter = 7;
  a.room.protocolVersion = 3;
  a.room.passwordRequired = true;
  for (std::size_t i = 0; i < a.room.hostKey.size(); ++i) a.room.hostKey[i] = std::byte(i);
  a.room.people = 12;
  a.room.tcpPorts = {5150, 5151};
  a.room.roomName = "Café ☕";
  a.room.hostName = "李小龍";
  return a;
}

BeaconError parseBytes(const net::Bytes& bytes) {
  Datagram out;
  return parse(bytes, out);
}

// The offset of the room name's length byte in an encoded Announce with n ports.
constexpr std::size_t roomNameOffset(std::size_t ports) { return 58 + 2 * ports; }

net::Bytes withNames(Announce a, std::string_view roomName, std::string_view hostName) {
  // Encoded by hand after the fixed fields, so that names encode() would refuse can be sent.
  a.room.roomName.clear();
  a.room.hostName = "x";
  net::Bytes out = encode(a);
  out.resize(roomNameOffset(a.room.tcpPorts.size()));
  for (std::string_view name : {roomName, hostName}) {
    out.push_back(std::byte(name.size()));
    for (char c : name) out.push_back(std::byte(c));
  }
  return out;
}

TEST(Beacon, AnnounceRoundTripsByteForByte) {
  const Announce a = someAnnounce();
  const net::Bytes bytes = encode(a);
  Datagram parsed;
  ASSERT_EQ(parse(bytes, parsed), BeaconError::None);
  ASSERT_TRUE(std::holds_alternative<Announce>(parsed));
  EXPECT_EQ(std::get<Announce>(parsed), a);
  EXPECT_EQ(encode(parsed), bytes);
}

TEST(Beacon, AnnounceLayoutIsTheDocumentedOne) {
  Announce a = someAnnounce();
  a.room.tcpPorts = {5150};
  a.room.roomName = "";
  a.room.hostName = "ann";
  const net::Bytes bytes = encode(a);
  ASSERT_EQ(bytes.size(), 58u + 2 + 1 + 1 + 3);
  const net::Bytes head(bytes.begin(), bytes.begin() + 9);
  EXPECT_EQ(head, (net::Bytes{std::byte{'C'}, std::byte{'P'}, std::byte{'R'}, std::byte{'B'}, std::byte{1},
                              std::byte{1}, std::byte{0}, std::byte{3}, std::byte{1}}));
  EXPECT_EQ(bytes[9], std::byte{0xA0});    // instance id
  EXPECT_EQ(bytes[17 + 31], std::byte{31});  // the key's last byte
  EXPECT_EQ(bytes[52], std::byte{7});      // change counter
  EXPECT_EQ(bytes[56], std::byte{12});     // people
  EXPECT_EQ(bytes[57], std::byte{1});      // one port: 5150 = 0x141E
  EXPECT_EQ(bytes[58], std::byte{0x14});
  EXPECT_EQ(bytes[59], std::byte{0x1E});
  EXPECT_EQ(bytes[60], std::byte{0});  // no room name
  EXPECT_EQ(bytes[61], std::byte{3});  // "ann"
}

TEST(Beacon, TheLargestAnnounceFitsAQuery) {
  Announce a = someAnnounce();
  a.room.tcpPorts = {1, 2, 3, 4};
  a.room.roomName.clear();
  a.room.hostName.clear();
  for (int i = 0; i < 32; ++i) {
    a.room.roomName += "🎉";
    a.room.hostName += "𝄞";
  }
  const net::Bytes bytes = encode(a);
  EXPECT_EQ(bytes.size(), kMaxAnnounceSize);
  EXPECT_LE(bytes.size(), encode(Query{}).size());
  EXPECT_EQ(parseBytes(bytes), BeaconError::None);
}

TEST(Beacon, QueryIsPaddedAndRoundTrips) {
  const net::Bytes bytes = encode(Query{});
  ASSERT_EQ(bytes.size(), kQuerySize);
  Datagram parsed;
  ASSERT_EQ(parse(bytes, parsed), BeaconError::None);
  ASSERT_TRUE(std::holds_alternative<Query>(parsed));
  EXPECT_EQ(std::get<Query>(parsed).size, kQuerySize);

  const net::Bytes bigger = encode(Query{500});
  ASSERT_EQ(bigger.size(), 500u);
  ASSERT_EQ(parse(bigger, parsed), BeaconError::None);
  EXPECT_EQ(std::get<Query>(parsed).size, 500u);
  // Never smaller than the minimum, never larger than a datagram may be.
  EXPECT_EQ(encode(Query{10}).size(), kQuerySize);
  EXPECT_EQ(encode(Query{100000}).size(), kMaxDatagramSize);
}

TEST(Beacon, EveryTruncationIsRejected) {
  const net::Bytes announce = encode(someAnnounce());
  for (std::size_t n = 0; n < announce.size(); ++n) {
    const net::Bytes cut(announce.begin(), announce.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(parseBytes(cut), BeaconError::Truncated) << "announce cut to " << n << " bytes";
  }
  const net::Bytes query = encode(Query{});
  for (std::size_t n = 0; n < query.size(); ++n) {
    const net::Bytes cut(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(parseBytes(cut), n < kHeaderSize ? BeaconError::Truncated : BeaconError::QueryTooSmall)
        << "query cut to " << n << " bytes";
  }
}

TEST(Beacon, RejectsWrongMagicVersionKindAndSize) {
  net::Bytes bytes = encode(someAnnounce());
  for (std::size_t i = 0; i < 4; ++i) {
    net::Bytes bad = bytes;
    bad[i] ^= std::byte{0x20};
    EXPECT_EQ(parseBytes(bad), BeaconError::BadMagic) << "magic byte " << i;
  }
  net::Bytes version0 = bytes;
  version0[4] = std::byte{0};
  EXPECT_EQ(parseBytes(version0), BeaconError::UnsupportedVersion);
  for (int kind : {0, 3, 0x81, 0xFF}) {
    net::Bytes bad = bytes;
    bad[5] = std::byte(kind);
    EXPECT_EQ(parseBytes(bad), BeaconError::UnknownKind) << "kind " << kind;
  }
  net::Bytes huge = encode(Query{kMaxDatagramSize});
  huge.push_back(std::byte{0});
  EXPECT_EQ(parseBytes(huge), BeaconError::TooLarge);
}

TEST(Beacon, TrailingBytesAreAnErrorInVersionOneAndLaterFieldsInLaterVersions) {
  net::Bytes bytes = encode(someAnnounce());
  bytes.push_back(std::byte{0x42});
  EXPECT_EQ(parseBytes(bytes), BeaconError::TrailingBytes);
  bytes[4] = std::byte{2};  // a newer host that appends a field
  Datagram parsed;
  ASSERT_EQ(parse(bytes, parsed), BeaconError::None);
  EXPECT_EQ(std::get<Announce>(parsed), someAnnounce());

  net::Bytes query = encode(Query{});
  query.back() = std::byte{1};
  EXPECT_EQ(parseBytes(query), BeaconError::BadPadding);
  query[4] = std::byte{2};
  EXPECT_EQ(parseBytes(query), BeaconError::None);
}

TEST(Beacon, RejectsReservedFlagsAndBadPorts) {
  const net::Bytes bytes = encode(someAnnounce());
  for (int flag = 0x02; flag <= 0x80; flag <<= 1) {
    net::Bytes bad = bytes;
    bad[8] |= std::byte(flag);
    EXPECT_EQ(parseBytes(bad), BeaconError::BadFlags) << "flag " << flag;
  }
  for (int count : {0, 5, 255}) {
    net::Bytes bad = bytes;
    bad[57] = std::byte(count);
    EXPECT_EQ(parseBytes(bad), BeaconError::BadPorts) << count << " ports";
  }
  net::Bytes portZero = bytes;
  portZero[60] = portZero[61] = std::byte{0};  // the second port
  EXPECT_EQ(parseBytes(portZero), BeaconError::BadPorts);

  Announce a = someAnnounce();
  a.room.tcpPorts.clear();
  EXPECT_EQ(validate(a.room), BeaconError::BadPorts);
  a.room.tcpPorts = {1, 2, 3, 4, 5};
  EXPECT_EQ(validate(a.room), BeaconError::BadPorts);
}

TEST(Beacon, RejectsNamesTheNameRulesRefuse) {
  const Announce a = someAnnounce();
  ASSERT_EQ(parseBytes(withNames(a, "room", "host")), BeaconError::None);
  ASSERT_EQ(parseBytes(withNames(a, "", "host")), BeaconError::None);
  const std::string tooLong(33, 'x');
  const std::string longest(32, 'x');
  ASSERT_EQ(parseBytes(withNames(a, longest, longest)), BeaconError::None);
  const std::string refused[] = {
      tooLong,
      std::string(200, 'x'),
      "\xC0\x80",          // overlong NUL
      "ab\x80",            // continuation byte without a lead
      "\xED\xA0\x80",      // a surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "caf\xC3",           // cut inside a sequence
      "\xE2\x80\xAE" "evil",  // U+202E, right-to-left override
      " ann",
      "ann ",
      "a\nb",
      "\xCC\x81x",  // a combining mark with nothing to sit on
  };
  for (const std::string& name : refused) {
    EXPECT_EQ(parseBytes(withNames(a, name, "host")), BeaconError::InvalidName) << "room name " << name;
    EXPECT_EQ(parseBytes(withNames(a, "room", name)), BeaconError::InvalidName) << "host name " << name;
  }
  EXPECT_EQ(parseBytes(withNames(a, "room", "")), BeaconError::InvalidName) << "no host name";

  Announce bad = a;
  bad.room.hostName = " ann";
  EXPECT_EQ(validate(bad.room), BeaconError::InvalidName);
  bad.room.hostName = "ann";
  bad.room.roomName = tooLong;
  EXPECT_EQ(validate(bad.room), BeaconError::InvalidName);
}

TEST(Beacon, ErrorsHaveNames) {
  EXPECT_EQ(beaconErrorName(BeaconError::QueryTooSmall), "query_too_small");
  EXPECT_EQ(beaconErrorName(BeaconError::None), "none");
}

}  // namespace
}  // namespace chatport::chat::beacon
