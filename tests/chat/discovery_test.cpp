// Rooms found on the network without an address: a host's beacon heard by a RoomFinder, on
// this machine's own interfaces (each test on a discovery port of its own, so that tests
// running at once do not hear each other's rooms).

#include "beacon.h"
#include "room_watch.h"
#include "test_participant.h"

#include <chatport/chat/discovery.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/engine.h>
#include <chatport/net/secure_random.h>
#include <chatport/chat/protocol.h>
#include <chatport/noise/key_pair.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace chatport::chat::test {
namespace {

using namespace std::chrono_literals;

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
  EXPECT_EQ(bob.with([](Seen& s) { return s.disconnected.at(0).reason; }), ErrorCode::HostKeyChanged)
      << bob.describe();
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

}  // namespace
}  // namespace chatport::chat::test
