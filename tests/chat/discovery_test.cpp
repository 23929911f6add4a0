// Rooms found on the network without an address: a host's beacon heard by a RoomFinder, on
// this machine's own interfaces (each test on a discovery port of its own, so that tests
// running at once do not hear each other's rooms).

#include "beacon.h"
#include "log_capture.h"
#include "recent_rooms.h"
#include "room_watch.h"
#include "temp_dir.h"
#include "test_participant.h"

#include <chatport/chat/discovery.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/engine.h>
#include <chatport/net/secure_random.h>
#include <chatport/chat/protocol.h>
#include <chatport/noise/key_pair.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace chatport::chat::test {
namespace {

using namespace std::chrono_literals;

const bool kLogsRouted = chatport::test::routeLogsToCaptures({"chat"});

DiscoveryOptions fastDiscovery(std::uint16_t port) {
  EXPECT_NE(port, 0) << "no UDP socket could be opened";
  DiscoveryOptions d;
  d.port = port;
  d.interval = 200ms;
  d.forgetAfter = 1500ms;
  return d;
}

RoomWatch watch(const DiscoveryOptions& options) { return RoomWatch(std::make_unique<RoomFinder>(options)); }

std::unique_ptr<TestParticipant> announcedHost(const std::string& name, const DiscoveryOptions& discovery) {
  auto host = std::make_unique<TestParticipant>(hostOptions());
  host->hostAnnounced(name, discovery);
  EXPECT_TRUE(host->waitConnected()) << host->describe();
  return host;
}

TEST(Discovery, AHostIsFoundWithItsNamePortPeopleAndKey) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto host = announcedHost("ann", discovery);
  auto finder = watch(discovery);
  finder.start();
  ASSERT_TRUE(finder.waitForRoom("ann")) << finder.describe();

  const auto rooms = finder->rooms();
  ASSERT_EQ(rooms.size(), 1u) << finder.describe();
  const FoundRoom& room = rooms.front();
  EXPECT_EQ(room.hostName, "ann");
  EXPECT_EQ(room.port, host->port());
  EXPECT_EQ(room.people, 1u);
  EXPECT_FALSE(room.passwordRequired);
  EXPECT_EQ(room.fingerprint, host->with([](Seen& s) { return s.connected.at(0).hostFingerprint; }));
  ASSERT_FALSE(room.addresses.empty());

  // Joining at the address it was found at works, and the count follows.
  TestParticipant bob;
  bob.join("bob", room.port, room.addresses.front());
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  EXPECT_EQ(bob.with([](Seen& s) { return s.connected.at(0).hostFingerprint; }), room.fingerprint);
  EXPECT_TRUE(finder.waitFor([](const std::vector<FoundRoom>& r) { return r.size() == 1 && r[0].people == 2; }))
      << finder.describe();
}

TEST(Discovery, AHostShowingAnotherKeyThanTheRoomAnnouncedIsRefused) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto host = announcedHost("ann", discovery);
  auto finder = watch(discovery);
  finder.start();
  ASSERT_TRUE(finder.waitForRoom("ann")) << finder.describe();
  const FoundRoom room = finder->rooms().front();

  // Someone else's key in the beacon (a forged one): the handshake shows the host is not it.
  JoinCommand join{"bob", room.addresses.front(), room.port};
  join.expectedHostKey = room.hostKey;
  join.expectedHostKey->front() ^= std::byte{1};
  TestParticipant bob;
  bob.submit(join);
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << bob.describe();
  // Told apart from a key changed at a pinned address: accepting a new key cannot help here.
  const DisconnectedEvent refused = bob.with([](Seen& s) { return s.disconnected.at(0); });
  EXPECT_EQ(refused.reason, ErrorCode::NotAnnouncedRoom) << bob.describe();
  EXPECT_EQ(errorName(refused.reason), "not_announced_room");
  EXPECT_EQ(refused.pinnedFingerprint, noise::fingerprint(*join.expectedHostKey));
  EXPECT_EQ(refused.offeredFingerprint, room.fingerprint);
  EXPECT_TRUE(bob.with([](Seen& s) { return s.connected.empty(); }));

  // The key it announced: welcome.
  join.expectedHostKey = room.hostKey;
  TestParticipant cid;
  cid.submit(join);
  ASSERT_TRUE(cid.waitConnected()) << cid.describe();
}

TEST(Discovery, TwoHostsOnOneMachineAreTwoRoomsAndOneThatEndsIsForgotten) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto ann = announcedHost("ann", discovery);
  auto bea = announcedHost("bea", discovery);
  auto finder = watch(discovery);
  finder.start();
  ASSERT_TRUE(finder.waitFor([](const std::vector<FoundRoom>& r) {
    return findRoomByName(r, "ann") && findRoomByName(r, "bea");
  })) << finder.describe();
  const auto rooms = finder->rooms();
  EXPECT_EQ(rooms.size(), 2u);
  EXPECT_NE(findRoomByName(rooms, "ann")->port, findRoomByName(rooms, "bea")->port);

  bea->stop();
  // Not heard for forgetAfter (1.5 s here): gone; ann, still announcing, stays.
  EXPECT_TRUE(finder.waitFor([](const std::vector<FoundRoom>& r) { return !findRoomByName(r, "bea"); }))
      << finder.describe();
  EXPECT_NE(findRoomByName(finder->rooms(), "ann"), nullptr);
}

TEST(Discovery, AHostThatDoesNotAnnounceIsNotListed) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto quiet = std::make_unique<TestParticipant>(hostOptions());
  HostCommand hosting{"quiet", "", 0};
  hosting.announce = false;
  hosting.discovery = discovery;  // the finder's port: it would hear the room if it were announced
  quiet->submit(hosting);
  ASSERT_TRUE(quiet->waitConnected());
  auto ann = announcedHost("ann", discovery);
  auto finder = watch(discovery);
  finder.start();
  // By the time ann has answered the finder's query, every room that listens has.
  ASSERT_TRUE(finder.waitForRoom("ann")) << finder.describe();
  EXPECT_EQ(findRoomByName(finder->rooms(), "quiet"), nullptr);
}

TEST(Discovery, AProbeFindsARoomThatNoBeaconReaches) {
  // Neither side has an interface to beacon on: only the unicast probe can find the room.
  auto discovery = fastDiscovery(freeUdpPort());
  discovery.interfaces = {"no-such-interface"};
  auto ann = announcedHost("ann", discovery);
  auto finder = watch(discovery);
  std::string problem;
  ASSERT_TRUE(finder->probe("127.0.0.1:" + std::to_string(ann->port()), problem)) << problem;
  finder.start();
  ASSERT_TRUE(finder.waitForRoom("ann")) << finder.describe();
  EXPECT_EQ(finder->rooms().front().port, ann->port());

  EXPECT_FALSE(finder->probe("not an address", problem));
  EXPECT_NE(problem.find("not an address"), std::string::npos) << problem;
  EXPECT_FALSE(finder->probe("10.0.0.0/8", problem));
  EXPECT_NE(problem.find("too large"), std::string::npos) << problem;
}

TEST(Discovery, AFloodOfForgedAnnouncementsLeavesTheListBoundedAndTheRealRoomListed) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto ann = announcedHost("ann", discovery);
  auto finder = watch(discovery);
  finder.start();
  ASSERT_TRUE(finder.waitForRoom("ann")) << finder.describe();

  // 10,000 rooms that do not exist, from 250 addresses of this machine (127.0.x.y), sent as
  // broadcasts to the discovery port so that every socket on it hears them.
  net::Engine engine(net::EngineOptions{1, net::BackendKind::Auto, {}});
  net::DatagramOptions sending;
  sending.broadcast = true;
  sending.maxQueuedDatagrams = 64;
  const auto to = *net::Endpoint::parse("127.255.255.255", discovery.port);
  std::size_t sent = 0;
  for (int source = 0; source < 250; ++source) {
    std::error_code ec;
    auto from = *net::Endpoint::parse("127.0." + std::to_string(10 + source / 200) + "." +
                                          std::to_string(1 + source % 200), 0);
    auto socket = engine.openDatagram(from, sending, [](net::DatagramSocket&, const net::Datagram&) {}, ec);
    ASSERT_TRUE(socket) << from.toString() << ": " << ec.message();
    std::mutex m;
    std::condition_variable cv;
    int done = 0;
    for (int i = 0; i < 40; ++i) {
      beacon::Announce forged;
      net::fillSecureRandom(forged.instance);
      net::fillSecureRandom(forged.room.hostKey);
      forged.room.protocolVersion = proto::kProtocolVersion;
      forged.room.people = 1;
      forged.room.tcpPorts = {5150};
      forged.room.hostName = "fake " + std::to_string(source) + "-" + std::to_string(i);
      socket->sendTo(to, beacon::encode(forged), [&](std::error_code) {
        std::lock_guard lock(m);
        ++done;
        cv.notify_one();
      });
      ++sent;
      if (i % 32 == 31) {  // within the socket's queue
        std::unique_lock lock(m);
        ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return done == i + 1; }));
      }
    }
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return done == 40; }));
  }
  EXPECT_EQ(sent, 10'000u);

  // The list never holds more than its cap, and the room that was there before is still in it.
  const auto rooms = finder->rooms();
  EXPECT_LE(rooms.size(), 256u);
  EXPECT_GT(rooms.size(), 1u) << "the forged rooms were heard at all";
  EXPECT_NE(findRoomByName(rooms, "ann"), nullptr) << finder.describe();
  // Forged rooms say nothing more: they are forgotten, the real one stays.
  EXPECT_TRUE(finder.waitFor([](const std::vector<FoundRoom>& r) { return r.size() == 1; })) << finder.describe();
  EXPECT_NE(findRoomByName(finder->rooms(), "ann"), nullptr);
}

TEST(Discovery, AnAnnouncedRoomWhosePortIsTakenMovesToAFreeOneAndIsFoundThere) {
  const auto discovery = fastDiscovery(freeUdpPort());
  auto ann = announcedHost("ann", discovery);
  // Bea asks for ann's port, as two rooms on one computer both asking for 5150 would.
  HostCommand hosting{"bea", "", ann->port()};
  hosting.discovery = discovery;
  hosting.anyPortIfTaken = true;
  TestParticipant bea(hostOptions());
  bea.submit(hosting);
  ASSERT_TRUE(bea.waitConnected()) << bea.describe();
  const ConnectedEvent hosted = bea.with([](Seen& s) { return s.connected.at(0); });
  EXPECT_NE(hosted.port, ann->port());
  EXPECT_EQ(hosted.portAsked, ann->port()) << "the front end is told the room moved";

  auto finder = watch(discovery);
  finder.start();
  ASSERT_TRUE(finder.waitForRoom("bea")) << finder.describe();
  const FoundRoom room = *finder.room("bea");
  EXPECT_EQ(room.port, hosted.port);
  TestParticipant cid;
  cid.join("cid", room.port, room.addresses.front());
  ASSERT_TRUE(cid.waitConnected()) << cid.describe();
  EXPECT_EQ(cid.with([](Seen& s) { return s.connected.at(0).hostFingerprint; }), hosted.hostFingerprint);

  // Without leave to move, the port taken is an error, as before.
  hosting.name = "dee";
  hosting.anyPortIfTaken = false;
  TestParticipant dee(hostOptions());
  dee.submit(hosting);
  ASSERT_TRUE(dee.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << dee.describe();
  EXPECT_EQ(dee.with([](Seen& s) { return s.disconnected.at(0).reason; }), ErrorCode::PortInUse);
}

// ---- Rooms joined before (discovery.h: rememberedRooms) ----------------------------------

RememberedRoom made(const std::string& address, std::uint16_t port, const std::string& name, std::uint8_t key,
                    std::chrono::system_clock::time_point when) {
  RememberedRoom room{address, port, name, {}, {}, std::chrono::time_point_cast<std::chrono::seconds>(when)};
  room.hostKey.fill(std::byte{key});
  room.fingerprint = noise::fingerprint(room.hostKey);
  return room;
}

TEST(RememberedRooms, AJoinTheHostWelcomedIsRememberedNewestFirst) {
  chatport::test::TempDir data;
  auto ann = std::make_unique<TestParticipant>(hostOptions());
  ann->host("ann");
  auto bea = std::make_unique<TestParticipant>(hostOptions());
  bea->host("bea");
  ASSERT_TRUE(ann->waitConnected() && bea->waitConnected());
  EXPECT_TRUE(rememberedRooms(data.string()).empty());

  CoreOptions options = testOptions();
  options.dataDir = data.string();
  const auto before = std::chrono::system_clock::now();
  for (auto* host : {ann.get(), bea.get()}) {
    TestParticipant bob(options);
    bob.join("bob", host->port());
    ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  }
  // A join refused (the name is taken) is not a room joined.
  {
    TestParticipant taken(options);
    taken.join("ann", ann->port());
    ASSERT_TRUE(taken.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << taken.describe();
  }

  const auto rooms = rememberedRooms(data.string());
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].hostName, "bea");
  EXPECT_EQ(rooms[0].port, bea->port());
  EXPECT_EQ(rooms[0].address, "127.0.0.1");
  EXPECT_EQ(rooms[0].fingerprint, bea->with([](Seen& s) { return s.connected.at(0).hostFingerprint; }));
  EXPECT_GE(rooms[0].lastJoined, std::chrono::time_point_cast<std::chrono::seconds>(before));
  EXPECT_EQ(rooms[1].hostName, "ann");
  EXPECT_EQ(rooms[1].fingerprint, ann->with([](Seen& s) { return s.connected.at(0).hostFingerprint; }));
  EXPECT_EQ(findRememberedByName(rooms, "ANN"), &rooms[1]);
  EXPECT_EQ(findRememberedByName(rooms, "cid"), nullptr);
}

TEST(RememberedRooms, AtMostTheMaximumAreKeptAndARoomJoinedAgainMovesFirst) {
  chatport::test::TempDir data;
  const auto start = std::chrono::system_clock::now();
  std::string error;
  for (int i = 0; i < static_cast<int>(kMaxRememberedRooms) + 5; ++i)
    ASSERT_TRUE(rememberRoom(data.string(),
                             made("10.0.0." + std::to_string(i), 5150, "room" + std::to_string(i),
                                  static_cast<std::uint8_t>(i), start + std::chrono::seconds(i)),
                             error))
        << error;
  auto rooms = rememberedRooms(data.string());
  ASSERT_EQ(rooms.size(), kMaxRememberedRooms);
  EXPECT_EQ(rooms.front().hostName, "room24");
  EXPECT_EQ(rooms.back().hostName, "room5");  // the five oldest are gone

  // Joined again (same address and port): first, once.
  const auto again = made("10.0.0.10", 5150, "room10", 10, start + 1h);
  ASSERT_TRUE(rememberRoom(data.string(), again, error)) << error;
  rooms = rememberedRooms(data.string());
  ASSERT_EQ(rooms.size(), kMaxRememberedRooms);
  EXPECT_EQ(rooms.front(), again);
  EXPECT_EQ(std::count_if(rooms.begin(), rooms.end(), [](const auto& r) { return r.hostName == "room10"; }), 1);

  // The same host at a new address (its key and port): one entry, the new address.
  ASSERT_TRUE(rememberRoom(data.string(), made("10.0.9.9", 5150, "room10", 10, start + 2h), error)) << error;
  rooms = rememberedRooms(data.string());
  EXPECT_EQ(rooms.front().address, "10.0.9.9");
  EXPECT_EQ(std::count_if(rooms.begin(), rooms.end(), [](const auto& r) { return r.hostName == "room10"; }), 1);
}

TEST(RememberedRooms, ARoomForgottenIsNoLongerListed) {
  chatport::test::TempDir data;
  const auto now = std::chrono::system_clock::now();
  std::string error;
  ASSERT_TRUE(rememberRoom(data.string(), made("10.0.0.1", 5150, "ann", 1, now), error)) << error;
  ASSERT_TRUE(rememberRoom(data.string(), made("fe80::1%eth0", 5151, "bea", 2, now), error)) << error;
  ASSERT_EQ(rememberedRooms(data.string()).size(), 2u);

  ASSERT_TRUE(forgetRoom(data.string(), "10.0.0.1", 5150, error)) << error;
  auto rooms = rememberedRooms(data.string());
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].hostName, "bea");
  EXPECT_EQ(rooms[0].address, "fe80::1%eth0");
  EXPECT_EQ(rooms[0].port, 5151);
  // Forgetting one not remembered is no error and changes nothing.
  EXPECT_TRUE(forgetRoom(data.string(), "10.0.0.1", 5150, error)) << error;
  EXPECT_EQ(rememberedRooms(data.string()).size(), 1u);
}

TEST(RememberedRooms, ADamagedFileIsSkippedWithALogLine) {
  chatport::test::TempDir data;
  const auto good = made("10.0.0.1", 5150, "ann", 1, std::chrono::system_clock::now());
  std::string error;
  ASSERT_TRUE(rememberRoom(data.string(), good, error)) << error;
  std::string line;
  {
    std::ifstream in(data.path() / "recent_rooms");
    std::getline(in, line);
  }
  {
    std::ofstream out(data.path() / "recent_rooms", std::ios::binary | std::ios::trunc);
    out << "garbage\n"
        << "10.0.0.2 99999 " << std::string(64, 'a') << " 0 bea\n"  // no such port
        << "10.0.0.3 5150 not-a-key 0 cid\n"
        << std::string(100000, '\xff') << "\n"
        << line << "\n"
        << "10.0.0.4 5150 " << std::string(64, 'b') << " 0 \x01\n";  // not a name
  }
  chatport::test::LogCapture log;
  const auto rooms = rememberedRooms(data.string());
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0], good);
  EXPECT_EQ(log.count("damaged line(s) skipped", spdlog::level::warn), 1u) << log.dump();

  // Remembering another (which reads the damaged file once more) writes a clean one.
  ASSERT_TRUE(rememberRoom(data.string(), made("10.0.0.5", 5150, "dee", 5, std::chrono::system_clock::now()), error))
      << error;
  const std::size_t logged = log.count("damaged line(s) skipped");
  EXPECT_EQ(rememberedRooms(data.string()).size(), 2u);
  EXPECT_EQ(log.count("damaged line(s) skipped"), logged) << log.dump();
}

}  // namespace
}  // namespace chatport::chat::test
