#include <chatport/net/network_interface.h>

#include "network_namespace.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#ifdef __linux__
#include <net/if.h>
#endif

namespace chatport::net {
namespace {

using test::NetworkNamespace;

const NetworkInterface* findLoopback(const std::vector<NetworkInterface>& list) {
  for (const auto& i : list)
    if (i.loopback) return &i;
  return nullptr;
}

std::string summary(const std::vector<NetworkInterface>& list) {
  std::string out;
  for (const auto& i : list) {
    out += i.name + " #" + std::to_string(i.index) + ":";
    for (const auto& a : i.ipv4) out += " " + a.address.addressString() + "/" + std::to_string(a.prefixLength);
    for (const auto& a : i.ipv6) out += " " + a.address.addressString() + "/" + std::to_string(a.prefixLength);
    out += "\n";
  }
  return out;
}

TEST(NetworkInterfaces, TheLoopbackIsListedWithItsAddress) {
  std::error_code ec;
  const auto list = listInterfaces(ec);
  ASSERT_FALSE(ec) << ec.message();
  const NetworkInterface* lo = findLoopback(list);
  ASSERT_NE(lo, nullptr) << "no loopback among:\n" << summary(list);
  EXPECT_NE(lo->index, 0u);
  EXPECT_FALSE(lo->likelyVirtual);
  bool has127 = false;
  for (const auto& a : lo->ipv4) has127 = has127 || a.address.addressString() == "127.0.0.1";
  EXPECT_TRUE(has127) << summary(list);
#ifdef __linux__
  EXPECT_TRUE(lo->up);
  EXPECT_EQ(lo->index, ::if_nametoindex(lo->name.c_str()));
#endif
}

#ifdef __linux__
// Every address `ip -o addr` reports inside a namespace of our own is listed, on the right
// interface with the right prefix; a veth end and a docker-named bridge are virtual.
TEST(NetworkInterfaces, MatchWhatIpReportsInANamespace) {
  std::string whyNot;
  auto a = NetworkNamespace::create(whyNot);
  if (!a) GTEST_SKIP() << "skipped: " << whyNot;
  auto b = NetworkNamespace::create(whyNot);
  if (!b) GTEST_SKIP() << "skipped: " << whyNot;
  ASSERT_TRUE(NetworkNamespace::connect(*a, "10.9.0.1/24", *b, "10.9.0.2/24", whyNot)) << whyNot;
  bool ok = false;
  b->exec("ip link add docker0 type veth peer name cpdocker1", ok);
  ASSERT_TRUE(ok);
  b->exec("ip addr add 172.17.0.1/16 brd + dev docker0", ok);
  ASSERT_TRUE(ok);
  b->exec("ip -6 addr add fd00:9::2/64 dev " + b->vethName() + " nodad", ok);
  ASSERT_TRUE(ok);
  const std::string ipOutput = b->exec("ip -o addr show", ok);
  ASSERT_TRUE(ok) << ipOutput;

  std::vector<NetworkInterface> list;
  b->run([&] {
    std::error_code ec;
    list = listInterfaces(ec);
    ASSERT_FALSE(ec) << ec.message();
  });
  // "2: cpvb1-0@if2    inet 10.9.0.2/24 brd 10.9.0.255 scope global cpvb1-0\ ..."
  std::istringstream lines(ipOutput);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string number, name, family, addressWithPrefix;
    words >> number >> name >> family >> addressWithPrefix;
    if (family != "inet" && family != "inet6") continue;
    name = name.substr(0, name.find('@'));
    const auto slash = addressWithPrefix.find('/');
    const std::string address = addressWithPrefix.substr(0, slash);
    const unsigned prefix = static_cast<unsigned>(std::stoul(addressWithPrefix.substr(slash + 1)));
    bool found = false;
    for (const auto& i : list) {
      if (i.name != name) continue;
      for (const auto& v4 : i.ipv4)
        found = found || (v4.address.addressString() == address && v4.prefixLength == prefix);
      // Without the scope: its name is the calling thread's namespace's word for the index.
      for (const auto& v6 : i.ipv6)
        found = found || (v6.address.addressString().substr(0, v6.address.addressString().find('%')) ==
                              address &&
                          v6.prefixLength == prefix);
    }
    EXPECT_TRUE(found) << "ip reports " << name << " " << addressWithPrefix << "; listed:\n"
                       << summary(list);
    ++checked;
  }
  EXPECT_GE(checked, 5) << ipOutput;  // lo twice, the veth end (three), docker0

  bool sawVeth = false, sawDocker = false;
  for (const auto& i : list) {
    if (i.name == b->vethName()) {
      sawVeth = true;
      EXPECT_TRUE(i.up && i.multicast && i.broadcast);
      ASSERT_EQ(i.ipv4.size(), 1u);
      EXPECT_EQ(i.ipv4[0].broadcast.addressString(), "10.9.0.255");
      for (const auto& v6 : i.ipv6) {
        if (v6.address.addressString().starts_with("fe80")) {
          EXPECT_NE(v6.address.toString().find('%'), std::string::npos)
              << "a link-local address keeps its scope: " << v6.address.toString();
        }
      }
    }
    if (i.name == "docker0") {
      sawDocker = true;
      EXPECT_TRUE(i.likelyVirtual);
    }
  }
  EXPECT_TRUE(sawVeth && sawDocker) << summary(list);
}
#endif

}  // namespace
}  // namespace chatport::net
