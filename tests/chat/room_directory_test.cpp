// The joiner's list of rooms heard on the network, on a clock the test moves: what it lists and
// where, what it tells a live list, when rooms go, and what a flood of forged rooms can do.

#include "beacon_announcer.h"
#include "beacon_rooms.h"
#include "room_directory.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace chatport::chat {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::Clock;
using testing::kStart;
using testing::roomOf;
using Kind = RoomDirectory::ChangeKind;
using Changes = std::vector<RoomDirectory::Change>;

beacon::Announce announceOf(std::uint64_t instance, beacon::RoomInfo room, std::uint32_t counter = 0) {
  return beacon::Announce{testing::instanceOf(instance), counter, std::move(room)};
}

// Gives the directory one announcement; returns what it changed.
Changes hear(RoomDirectory& directory, const net::Endpoint& from, const beacon::Announce& announce,
             Clock::time_point now) {
  Changes changes;
  EXPECT_EQ(directory.onDatagram(from, beacon::encode(announce), now, changes), beacon::BeaconError::None);
  return changes;
}

// Without the scopes of link-local addresses: they name this machine's interfaces by index
// (checked on their own, below).
std::vector<std::string> addressesOf(const DiscoveredRoom& room) {
  std::vector<std::string> out;
  for (const auto& e : room.addresses) {
    std::string text = e.toString();
    if (const auto scope = text.find('%'); scope != std::string::npos) text.erase(scope, text.find(']') - scope);
    out.push_back(text);
  }
  return out;
}

bool listed(const RoomDirectory& directory, const beacon::Announce& announce) {
  const auto rooms = directory.rooms();
  return std::any_of(rooms.begin(), rooms.end(), [&](const DiscoveredRoom& r) {
    return r.id.instance == announce.instance && r.id.hostKey == announce.room.hostKey;
  });
}

TEST(RoomDirectory, ListsARoomItHearsWithWhereToJoinIt) {
  RoomDirectory directory;
  beacon::RoomInfo info = roomOf("ann", 5160);
  info.roomName = "Kitchen";
  info.people = 3;
  info.passwordRequired = true;
  const auto announce = announceOf(1, info, 4);
  const Changes changes = hear(directory, at("192.168.1.20:5151"), announce, kStart);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Added);
  const DiscoveredRoom& room = changes[0].room;
  EXPECT_EQ(room.id.instance, announce.instance);
  EXPECT_EQ(room.id.hostKey, info.hostKey);
  EXPECT_EQ(room.info, info);
  EXPECT_EQ(room.changeCounter, 4u);
  EXPECT_EQ(addressesOf(room), std::vector<std::string>{"192.168.1.20:5160"})
      << "the TCP port, not the UDP one";
  EXPECT_EQ(directory.rooms(), std::vector<DiscoveredRoom>{room});
}

TEST(RoomDirectory, TellsOfAnUpdateOnlyWhenSomethingChanged) {
  RoomDirectory directory;
  const auto from = at("192.168.1.20:5151");
  beacon::RoomInfo info = roomOf("ann");
  hear(directory, from, announceOf(1, info, 0), kStart);
  EXPECT_TRUE(hear(directory, from, announceOf(1, info, 0), kStart + 3s).empty())
      << "the same announcement again is no news for a list";

  info.people = 2;
  const Changes changes = hear(directory, from, announceOf(1, info, 1), kStart + 4s);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Updated);
  EXPECT_EQ(changes[0].room.info.people, 2u);

  // The previous announcement, late by a slower path, does not undo the newer one.
  EXPECT_TRUE(hear(directory, from, announceOf(1, roomOf("ann"), 0), kStart + 4100ms).empty());
  EXPECT_EQ(directory.rooms().at(0).info.people, 2u);
}

TEST(RoomDirectory, DropsARoomTenSecondsAfterItWasLastHeardAndNotBefore) {
  RoomDirectory directory;
  const auto announce = announceOf(1, roomOf("ann"));
  hear(directory, at("192.168.1.20:5151"), announce, kStart);
  hear(directory, at("192.168.1.20:5151"), announce, kStart + 3s);
  ASSERT_EQ(directory.nextExpiry(), kStart + 13s);

  Changes changes;
  directory.expire(kStart + 13s - 1ms, changes);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(directory.size(), 1u);

  directory.expire(kStart + 13s, changes);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Removed);
  EXPECT_EQ(changes[0].room.info.hostName, "ann");
  EXPECT_EQ(directory.size(), 0u);
  EXPECT_FALSE(directory.nextExpiry());
}

TEST(RoomDirectory, OneRoomHeardOnTwoFamiliesAndTwoInterfacesIsOneEntry) {
  RoomDirectory directory;
  const auto announce = announceOf(1, roomOf("ann", 5150));
  auto now = kStart;
  // As a joiner with two interfaces hears one announcement: link-local first, IPv4 last.
  hear(directory, testing::linkLocal("fe80::20", 3), announce, now += 1ms);
  hear(directory, testing::linkLocal("fe80::20", 2), announce, now += 1ms);
  hear(directory, at("[2001:db8::20]:5151"), announce, now += 1ms);
  hear(directory, at("169.254.7.20:5151"), announce, now += 1ms);
  hear(directory, at("10.0.0.20:5151"), announce, now += 1ms);
  hear(directory, at("192.168.1.20:5151"), announce, now += 1ms);
  // The same IPv4 address through a dual-stack socket is the same address.
  EXPECT_TRUE(hear(directory, at("[::ffff:192.168.1.20]:5151"), announce, now += 1ms).empty());

  const auto rooms = directory.rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(addressesOf(rooms[0]), (std::vector<std::string>{"10.0.0.20:5150", "192.168.1.20:5150",
                                                             "[2001:db8::20]:5150", "169.254.7.20:5150",
                                                             "[fe80::20]:5150", "[fe80::20]:5150"}));
  // The link-local ones keep the interface they were heard on.
  EXPECT_EQ(AddressKey::of(rooms[0].addresses[4]).scopeId, 3u);
  EXPECT_EQ(AddressKey::of(rooms[0].addresses[5]).scopeId, 2u);
}

TEST(RoomDirectory, AnAddressNoLongerHeardIsDroppedAndTheRoomStays) {
  RoomDirectory directory;
  const auto announce = announceOf(1, roomOf("ann"));
  hear(directory, at("[2001:db8::20]:5151"), announce, kStart);
  hear(directory, at("192.168.1.20:5151"), announce, kStart);
  hear(directory, at("192.168.1.20:5151"), announce, kStart + 6s);  // IPv6 has gone quiet

  Changes changes;
  directory.expire(kStart + 10s, changes);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Updated);
  EXPECT_EQ(addressesOf(changes[0].room), std::vector<std::string>{"192.168.1.20:5150"});
}

TEST(RoomDirectory, TwoHostsOnOneMachineAreTwoRooms) {
  RoomDirectory directory;
  // One installation (one key), two hosts: their own TCP ports and instance ids, one address.
  const auto first = announceOf(1, roomOf("ann", 5150));
  const auto second = announceOf(2, roomOf("ben", 5152));
  hear(directory, at("192.168.1.20:5151"), first, kStart);
  hear(directory, at("192.168.1.20:5151"), second, kStart);
  const auto rooms = directory.rooms();
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(addressesOf(rooms[0]), std::vector<std::string>{"192.168.1.20:5150"});
  EXPECT_EQ(addressesOf(rooms[1]), std::vector<std::string>{"192.168.1.20:5152"});
}

TEST(RoomDirectory, ListsRoomsInNameOrderEveryTime) {
  RoomDirectory directory;
  beacon::RoomInfo named = roomOf("zed");
  named.roomName = "Bar";
  const auto from = at("192.168.1.20:5151");
  hear(directory, from, announceOf(1, roomOf("carol")), kStart);
  hear(directory, from, announceOf(2, named), kStart);
  hear(directory, from, announceOf(3, roomOf("ANN")), kStart);
  hear(directory, from, announceOf(4, roomOf("ann", 5150, 9)), kStart);  // the same name, another key
  hear(directory, from, announceOf(5, roomOf("ann")), kStart);
  std::vector<std::string> order;
  for (const auto& room : directory.rooms()) order.push_back(room.info.roomName + "/" + room.info.hostName);
  // Names compare case-folded; among equal names, by id (here, the instance ids 3, 4, 5).
  EXPECT_EQ(order, (std::vector<std::string>{"/ANN", "/ann", "/ann", "Bar/zed", "/carol"}));
  const auto rooms = directory.rooms();
  EXPECT_EQ(rooms[1].id.instance, testing::instanceOf(4));
  EXPECT_EQ(directory.rooms(), rooms);
}

TEST(RoomDirectory, IgnoresQueriesAndRejectsWhatIsNotABeacon) {
  RoomDirectory directory;
  Changes changes;
  EXPECT_EQ(directory.onDatagram(at("192.168.1.9:5151"), RoomDirectory::query(), kStart, changes),
            beacon::BeaconError::None);
  net::Bytes broken = beacon::encode(announceOf(1, roomOf("ann")));
  broken.pop_back();
  EXPECT_EQ(directory.onDatagram(at("192.168.1.9:5151"), broken, kStart, changes),
            beacon::BeaconError::Truncated);
  EXPECT_EQ(directory.onDatagram(at("192.168.1.9:5151"), net::Bytes(40, std::byte{7}), kStart, changes),
            beacon::BeaconError::BadMagic);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(directory.size(), 0u);
  EXPECT_EQ(directory.counters().malformed, 2u);
}

TEST(RoomDirectory, AUnicastQueryToARememberedHostListsItsRoom) {
  // The joiner asks a host it joined before, by address; the host answers the sender alone.
  BeaconAnnouncer host(testing::instanceOf(1), roomOf("ann", 5150), kStart);
  RoomDirectory directory;
  const auto answer = host.onQuery(at("192.168.7.30:41000"), RoomDirectory::query(), kStart);
  ASSERT_TRUE(answer);
  Changes changes;
  ASSERT_EQ(directory.onDatagram(at("10.1.2.3:5151"), **answer, kStart, changes), beacon::BeaconError::None);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].room.info, host.announcement().room);
  EXPECT_EQ(addressesOf(changes[0].room), std::vector<std::string>{"10.1.2.3:5150"});
}

TEST(RoomDirectory, AFloodOfForgedRoomsStaysWithinBoundsAndKeepsTheRealOnes) {
  RoomDirectory directory;
  const auto realFrom = at("192.168.1.20:5151");
  const auto real = announceOf(1, roomOf("ann"));
  const auto lateFrom = at("192.168.1.21:5151");
  const auto late = announceOf(2, roomOf("ben"));
  auto now = kStart;
  hear(directory, realFrom, real, now);
  hear(directory, realFrom, real, now += 3s);
  hear(directory, lateFrom, late, now += 1ms);  // heard once, just before the flood

  // 10,000 forged rooms from 10,000 forged addresses over 5 s, the real hosts announcing on.
  Changes changes;
  std::size_t most = 0;
  for (std::uint32_t n = 0; n < 10'000; ++n) {
    now += 500us;
    auto forged = announceOf(1000 + n, roomOf("x" + std::to_string(n), 5150, static_cast<std::uint8_t>(n)));
    directory.onDatagram(testing::forgedSource(n), beacon::encode(forged), now, changes);
    if (n % 6000 == 5999) {
      hear(directory, realFrom, real, now);
      hear(directory, lateFrom, late, now);
    }
    most = std::max(most, directory.size());
  }
  EXPECT_LE(most, 256u);
  for (const auto& change : changes)
    EXPECT_FALSE(change.kind == Kind::Removed && change.room.id.instance == real.instance)
        << "the real room was pushed out";
  EXPECT_TRUE(listed(directory, real));
  EXPECT_TRUE(listed(directory, late)) << "the room heard once before the flood was pushed out";
  EXPECT_LE(changes.size(), 2u * 10'000u);
}

TEST(RoomDirectory, OneForgedAddressListsAtMostEightRooms) {
  RoomDirectory directory;
  for (std::uint32_t n = 0; n < 100; ++n)
    hear(directory, at("192.168.1.66:5151"), announceOf(n, roomOf("x" + std::to_string(n))), kStart);
  EXPECT_EQ(directory.size(), 8u);
  EXPECT_EQ(directory.counters().notListed, 92u);
}

TEST(RoomDirectory, ForgedCopiesOfARealRoomDoNotPushOutItsAddress) {
  RoomDirectory directory;
  const auto realFrom = at("192.168.1.20:5151");
  const auto real = announceOf(1, roomOf("ann"));
  hear(directory, realFrom, real, kStart);
  hear(directory, realFrom, real, kStart + 3s);
  auto now = kStart + 3s;
  for (std::uint32_t n = 0; n < 10'000; ++n)
    hear(directory, testing::forgedSource(n), real, now += 100us);
  const auto rooms = directory.rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_LE(rooms[0].addresses.size(), 8u);
  EXPECT_EQ(rooms[0].addresses.at(0).toString(), "192.168.1.20:5150");
}

}  // namespace
}  // namespace chatport::chat
