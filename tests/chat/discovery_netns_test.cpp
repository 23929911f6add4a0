// Rooms found across real, separate network stacks: Linux network namespaces joined by veth
// pairs and by a bridge (tests/support/network_namespace.h; they need root, and skip saying so
// without it).
// Each "machine" runs its core on threads inside its namespace.

#include "network_namespace.h"
#include "room_watch.h"
#include "test_participant.h"

#include <chatport/chat/discovery.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

namespace chatport::chat::test {
namespace {

using namespace std::chrono_literals;
using chatport::test::NetworkNamespace;

std::unique_ptr<NetworkNamespace> machine(std::string& whyNot) { return NetworkNamespace::create(whyNot); }

DiscoveryOptions onInterface(const std::string& name) {
  DiscoveryOptions d;
  d.interfaces = {name};
  d.interval = 200ms;
  d.forgetAfter = 1500ms;
  return d;
}

// A RoomFinder whose engine thread lives in ns.
RoomWatch watchIn(NetworkNamespace& ns, const DiscoveryOptions& options) {
  std::unique_ptr<RoomFinder> finder;
  ns.run([&] { finder = std::make_unique<RoomFinder>(options); });
  return RoomWatch(std::move(finder));
}

std::unique_ptr<TestParticipant> participantIn(NetworkNamespace& ns) {
  std::unique_ptr<TestParticipant> p;
  ns.run([&] { p = std::make_unique<TestParticipant>(hostOptions()); });
  return p;
}

enum class Path { Broadcast, MulticastV4, MulticastV6 };
// Two machines on a cable, or three on a switch (a bridge that snoops IGMP and MLD).
enum class Link { Cable, Switch };

class DiscoveryPath : public ::testing::TestWithParam<std::tuple<Path, Link>> {};

TEST_P(DiscoveryPath, AHostOnAnotherMachineIsFoundByThisPathAloneAndJoined) {
  const auto [path, link] = GetParam();
  std::string whyNot;
  auto a = machine(whyNot);
  if (!a) GTEST_SKIP() << whyNot;
  std::vector<std::unique_ptr<NetworkNamespace>> others;  // where rooms are looked for
  std::unique_ptr<NetworkNamespace> sw;
  if (link == Link::Cable) {
    others.push_back(machine(whyNot));
    ASSERT_TRUE(others[0]) << whyNot;
    ASSERT_TRUE(NetworkNamespace::connect(*a, "10.9.0.1/24", *others[0], "10.9.0.2/24", whyNot)) << whyNot;
  } else {
    sw = machine(whyNot);
    ASSERT_TRUE(sw) << whyNot;
    ASSERT_TRUE(NetworkNamespace::plug(*sw, *a, "10.9.0.1/24", whyNot)) << whyNot;
    for (int i = 2; i <= 3; ++i) {
      others.push_back(machine(whyNot));
      ASSERT_TRUE(others.back()) << whyNot;
      ASSERT_TRUE(NetworkNamespace::plug(*sw, *others.back(), "10.9.0." + std::to_string(i) + "/24", whyNot))
          << whyNot;
    }
  }

  auto only = [path = path](DiscoveryOptions d) {
    d.broadcast = path == Path::Broadcast;
    d.multicastV4 = path == Path::MulticastV4;
    d.multicastV6 = path == Path::MulticastV6;
    return d;
  };
  auto host = participantIn(*a);
  host->hostAnnounced("ann", only(onInterface(a->vethName())));
  ASSERT_TRUE(host->waitConnected()) << host->describe();

  // Every other machine hears it (on a switch, each its own port), and joins.
  for (auto& other : others) {
    SCOPED_TRACE(other->name());
    auto finder = watchIn(*other, only(onInterface(other->vethName())));
    std::string problem;
    ASSERT_FALSE(finder->start(problem)) << problem;
    ASSERT_TRUE(finder.waitFor([](const auto& rooms) { return findRoomByName(rooms, "ann") != nullptr; }));
    const FoundRoom room = *finder.room("ann");
    EXPECT_EQ(room.port, host->port());
    // Heard over IPv6 alone, the room's address is the host's link-local one, with its scope.
    if (path == Path::MulticastV6)
      EXPECT_EQ(room.addresses.front().rfind("fe80:", 0), 0u) << room.addresses.front();
    else
      EXPECT_EQ(room.addresses.front(), "10.9.0.1");

    auto bob = participantIn(*other);
    bob->join("bob", room.port, room.addresses.front());
    ASSERT_TRUE(bob->waitConnected()) << bob->describe();
    EXPECT_EQ(bob->with([](Seen& s) { return s.connected.at(0).hostFingerprint; }), room.fingerprint);
  }
}

std::string pathAndLink(const ::testing::TestParamInfo<std::tuple<Path, Link>>& info) {
  const Path path = std::get<0>(info.param);
  const std::string name = path == Path::Broadcast     ? "Broadcast"
                           : path == Path::MulticastV4 ? "MulticastV4"
                                                       : "MulticastV6";
  return name + (std::get<1>(info.param) == Link::Cable ? "OnACable" : "OnASwitch");
}

INSTANTIATE_TEST_SUITE_P(Each, DiscoveryPath,
                         ::testing::Combine(::testing::Values(Path::Broadcast, Path::MulticastV4,
                                                              Path::MulticastV6),
                                            ::testing::Values(Link::Cable, Link::Switch)),
                         pathAndLink);

TEST(DiscoveryBeyondTheLink, ARoomBehindARouterIsNotHeardButAProbeFindsItAndItJoinsByAddress) {
  std::string whyNot;
  auto a = machine(whyNot);
  if (!a) GTEST_SKIP() << whyNot;
  auto router = machine(whyNot);
  auto b = machine(whyNot);
  ASSERT_TRUE(router && b) << whyNot;
  ASSERT_TRUE(NetworkNamespace::connect(*a, "10.1.0.1/24", *router, "10.1.0.254/24", whyNot)) << whyNot;
  const std::string aSide = a->vethName();
  ASSERT_TRUE(NetworkNamespace::connect(*b, "10.2.0.1/24", *router, "10.2.0.254/24", whyNot)) << whyNot;
  bool ok = false;
  router->exec("sysctl -q -w net.ipv4.ip_forward=1", ok);
  ASSERT_TRUE(ok);
  a->exec("ip route add default via 10.1.0.254", ok);
  ASSERT_TRUE(ok);
  b->exec("ip route add default via 10.2.0.254", ok);
  ASSERT_TRUE(ok);

  auto host = participantIn(*a);
  host->hostAnnounced("ann", onInterface(aSide));
  ASSERT_TRUE(host->waitConnected()) << host->describe();

  // b's own link carries no beacon of ann's: a room another quiet host on b's link announces
  // is heard, ann's is not.
  auto c = machine(whyNot);
  ASSERT_TRUE(c) << whyNot;
  ASSERT_TRUE(NetworkNamespace::connect(*c, "10.3.0.1/24", *b, "10.3.0.2/24", whyNot)) << whyNot;
  auto cea = participantIn(*c);
  cea->hostAnnounced("cea", onInterface(c->vethName()));
  ASSERT_TRUE(cea->waitConnected()) << cea->describe();
  auto finder = watchIn(*b, onInterface(b->vethName()));
  std::string problem;
  ASSERT_FALSE(finder->start(problem)) << problem;
  ASSERT_TRUE(finder.waitFor([](const auto& rooms) { return findRoomByName(rooms, "cea") != nullptr; }));
  EXPECT_FALSE(finder.room("ann")) << "a beacon crossed the router";

  // Asked directly, ann answers across the router.
  ASSERT_TRUE(finder->probe("10.1.0.1:" + std::to_string(host->port()), problem)) << problem;
  ASSERT_TRUE(finder.waitFor([](const auto& rooms) { return findRoomByName(rooms, "ann") != nullptr; }));
  EXPECT_EQ(finder.room("ann")->addresses.front(), "10.1.0.1");

  auto bob = participantIn(*b);
  bob->join("bob", host->port(), "10.1.0.1");
  ASSERT_TRUE(bob->waitConnected()) << bob->describe();
}

}  // namespace
}  // namespace chatport::chat::test
