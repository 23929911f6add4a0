// The host's side of the room beacon, on a clock the test moves: when it announces, and which
// queries it answers, with what, and how many under a flood.

#include "beacon_announcer.h"
#include "beacon_rooms.h"

#include <gtest/gtest.h>

#include <set>

namespace chatport::chat {
namespace {

using namespace std::chrono_literals;
using testing::Clock;
using testing::kStart;
using testing::roomOf;

constexpr auto kShortest = 2700ms;  // 3 s less 10 %
constexpr auto kLongest = 3300ms;

net::Bytes queryOf(std::size_t size = beacon::kQuerySize) { return beacon::encode(beacon::Query{size}); }

TEST(BeaconAnnouncer, AnnouncesAtOnceThenEveryIntervalGiveOrTakeTenPercent) {
  BeaconAnnouncer announcer(testing::instanceOf(1), roomOf("ann"), kStart);
  ASSERT_EQ(announcer.nextAnnouncementDue(), kStart);
  const net::SharedBytes first = announcer.announceIfDue(kStart);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, beacon::encode(announcer.announcement()));

  std::set<Clock::duration::rep> intervals;
  auto now = kStart;
  for (int i = 0; i < 200; ++i) {
    const auto due = announcer.nextAnnouncementDue();
    const auto interval = due - now;
    EXPECT_GE(interval, kShortest);
    EXPECT_LE(interval, kLongest);
    intervals.insert(interval.count());
    EXPECT_FALSE(announcer.announceIfDue(due - 1ms)) << "announced before it was due";
    now = due;
    ASSERT_TRUE(announcer.announceIfDue(now));
  }
  EXPECT_GT(intervals.size(), 150u) << "the intervals hardly vary: hosts started together stay together";
}

TEST(BeaconAnnouncer, TwoHostsStartedTogetherDrift) {
  BeaconAnnouncer a(testing::instanceOf(1), roomOf("ann"), kStart);
  BeaconAnnouncer b(testing::instanceOf(2), roomOf("ben", 5151), kStart);
  ASSERT_TRUE(a.announceIfDue(kStart));
  ASSERT_TRUE(b.announceIfDue(kStart));
  EXPECT_NE(a.nextAnnouncementDue(), b.nextAnnouncementDue());
}

TEST(BeaconAnnouncer, AnnouncesAChangeSoonButNeverMoreThanFourASecond) {
  BeaconAnnouncer announcer(testing::instanceOf(1), roomOf("ann"), kStart);
  ASSERT_TRUE(announcer.announceIfDue(kStart));

  // One change, long after the last announcement: announced at once, with the counter one up.
  auto now = kStart + 1s;
  beacon::RoomInfo room = roomOf("ann");
  room.people = 2;
  ASSERT_EQ(announcer.setRoomState(room, now), beacon::BeaconError::None);
  EXPECT_EQ(announcer.nextAnnouncementDue(), now);
  const auto sent = announcer.announceIfDue(now);
  ASSERT_TRUE(sent);
  beacon::Datagram parsed;
  ASSERT_EQ(beacon::parse(*sent, parsed), beacon::BeaconError::None);
  EXPECT_EQ(std::get<beacon::Announce>(parsed).room.people, 2u);
  EXPECT_EQ(std::get<beacon::Announce>(parsed).changeCounter, 1u);

  // The same room again is no change.
  ASSERT_EQ(announcer.setRoomState(room, now + 10ms), beacon::BeaconError::None);
  EXPECT_EQ(announcer.announcement().changeCounter, 1u);
  EXPECT_GE(announcer.nextAnnouncementDue(), now + kShortest);

  // A change every 10 ms for 10 s: each shows within 250 ms, and at most 4 go out a second.
  int announcements = 0;
  const auto end = now + 10s;
  for (now += 10ms; now < end; now += 10ms) {
    ++room.people;
    ASSERT_EQ(announcer.setRoomState(room, now), beacon::BeaconError::None);
    EXPECT_LE(announcer.nextAnnouncementDue(), now + 250ms);
    if (announcer.announceIfDue(now)) ++announcements;
  }
  EXPECT_LE(announcements, 40);
  EXPECT_GE(announcements, 39);
  EXPECT_EQ(announcer.announcement().changeCounter, 1u + 999u);
}

TEST(BeaconAnnouncer, RefusesARoomTheRulesRefuseAndKeepsTheOldOne) {
  BeaconAnnouncer announcer(testing::instanceOf(1), roomOf("ann"), kStart);
  const net::SharedBytes before = announcer.announcementDatagram();
  beacon::RoomInfo bad = roomOf("ann");
  bad.roomName = "\xE2\x80\xAE" "evil";
  EXPECT_EQ(announcer.setRoomState(bad, kStart), beacon::BeaconError::InvalidName);
  bad = roomOf("ann");
  bad.tcpPorts = {};
  EXPECT_EQ(announcer.setRoomState(bad, kStart), beacon::BeaconError::BadPorts);
  EXPECT_EQ(*announcer.announcementDatagram(), *before);
  EXPECT_EQ(announcer.announcement().changeCounter, 0u);
}

TEST(BeaconAnnouncer, AnswersAQueryWithTheAnnouncementNeverLargerThanTheQuery) {
  beacon::RoomInfo largest = roomOf("");
  largest.tcpPorts = {5150, 5151, 5152, 5153};
  for (int i = 0; i < 32; ++i) {
    largest.roomName += "🎉";
    largest.hostName += "𝄞";
  }
  BeaconAnnouncer announcer(testing::instanceOf(1), largest, kStart);
  ASSERT_EQ(announcer.announcementDatagram()->size(), beacon::kMaxAnnounceSize);
  auto now = kStart;
  for (std::size_t size = beacon::kQuerySize; size <= beacon::kMaxDatagramSize; size += 61, now += 1s) {
    const auto answer = announcer.onQuery(testing::at("192.168.1.7:40000"), queryOf(size), now);
    ASSERT_TRUE(answer) << "a query of " << size << " bytes was not answered";
    EXPECT_LE((*answer)->size(), size);
    EXPECT_EQ(**answer, *announcer.announcementDatagram());
  }
  // A query under the minimum is not a query; an announcement is no question; nor is noise.
  net::Bytes small = queryOf();
  small.pop_back();
  EXPECT_FALSE(announcer.onQuery(testing::at("192.168.1.8:40000"), small, now));
  EXPECT_FALSE(announcer.onQuery(testing::at("192.168.1.8:40000"), *announcer.announcementDatagram(), now));
  EXPECT_FALSE(announcer.onQuery(testing::at("192.168.1.8:40000"), net::Bytes(500, std::byte{0x55}), now));
  EXPECT_EQ(announcer.counters().malformed, 2u);
}

TEST(BeaconAnnouncer, AnswersOneSenderAFewTimesThenOnceASecond) {
  BeaconAnnouncer announcer(testing::instanceOf(1), roomOf("ann"), kStart);
  const net::Bytes query = queryOf();
  int answers = 0;
  auto now = kStart;
  // 100 queries a second for 10 s, from one address (the port changing changes nothing).
  for (int i = 0; i < 1000; ++i, now += 10ms)
    if (announcer.onQuery(testing::at("192.168.1.7:" + std::to_string(1024 + i)), query, now)) ++answers;
  EXPECT_LE(answers, 4 + 10);
  EXPECT_GE(answers, 4 + 9);
  EXPECT_EQ(announcer.trackedSources(), 1u);
  // Another sender is not held back by the first one.
  EXPECT_TRUE(announcer.onQuery(testing::at("192.168.1.8:40000"), query, now));
}

TEST(BeaconAnnouncer, AFloodFromForgedSendersCostsBoundedAnswersAndMemory) {
  BeaconAnnouncer announcer(testing::instanceOf(1), roomOf("ann"), kStart);
  const net::Bytes query = queryOf();
  // 10,000 queries from 10,000 forged addresses within one second.
  auto now = kStart;
  int answers = 0;
  for (std::uint32_t n = 0; n < 10'000; ++n, now += 100us)
    if (announcer.onQuery(testing::forgedSource(n), query, now)) ++answers;
  EXPECT_LE(answers, 40 + 20) << "answers in the flood's first second";
  EXPECT_LE(announcer.trackedSources(), 256u);
  EXPECT_EQ(announcer.counters().answered, static_cast<std::uint64_t>(answers));
  EXPECT_EQ(announcer.counters().globalLimited, 10'000u - static_cast<std::uint64_t>(answers));

  // Kept up for 10 s more (100,000 queries): 20 answers a second, the table no larger.
  for (std::uint32_t n = 0; n < 100'000; ++n, now += 100us)
    if (announcer.onQuery(testing::forgedSource(n + 10'000), query, now)) ++answers;
  EXPECT_LE(answers, 40 + 20 * 11);
  EXPECT_LE(announcer.trackedSources(), 256u);
}

}  // namespace
}  // namespace chatport::chat
