#include <chatport/net/endpoint.h>
#include <chatport/net/error.h>
#include <chatport/net/network_interface.h>

#include <gtest/gtest.h>

#ifdef _WIN32
#include <winsock2.h>
#include <iphlpapi.h>
#include <netioapi.h>
#else
#include <net/if.h>
#endif

namespace chatport::net {
namespace {

TEST(Endpoint, ParsesIPv4WithAndWithoutPort) {
  auto a = Endpoint::parse("192.168.1.20:6000", 5150);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->toString(), "192.168.1.20:6000");
  auto b = Endpoint::parse("10.0.0.1", 5150);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port(), 5150);
  EXPECT_FALSE(b->isV6());
}

TEST(Endpoint, ParsesIPv6InBrackets) {
  auto a = Endpoint::parse("[::1]:7000", 5150);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV6());
  EXPECT_EQ(a->toString(), "[::1]:7000");
  auto b = Endpoint::parse("fe80::1", 5150);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port(), 5150);
}

TEST(Endpoint, ALinkLocalAddressKeepsItsNumericScope) {
  // An index no interface has is still kept, and written back as a number.
  auto a = Endpoint::parse("[fe80::1%4000000]:5150", 1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->scopeId(), 4000000u);
  EXPECT_EQ(a->port(), 5150);
  EXPECT_EQ(a->toString(), "[fe80::1%4000000]:5150");
  EXPECT_EQ(a->addressString(), "fe80::1%4000000");
  auto again = Endpoint::parse(a->toString(), 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *a);

  auto bare = Endpoint::parse("fe80::1%4000000", 5150);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port(), 5150);
  EXPECT_EQ(*bare, *a);
}

TEST(Endpoint, ALinkLocalAddressKeepsItsScopeByInterfaceName) {
  std::error_code ec;
  const auto interfaces = listInterfaces(ec);
  ASSERT_FALSE(ec) << ec.message();
  const NetworkInterface* named = nullptr;
  for (const auto& i : interfaces)
    if (i.index != 0 && !i.name.empty() && i.name.find(' ') == std::string::npos) named = &i;
  if (!named) GTEST_SKIP() << "no interface with a name the system resolves";
  const unsigned index = ::if_nametoindex(named->name.c_str());
  if (index == 0) GTEST_SKIP() << named->name << " is not a name this system resolves to an index";

  auto a = Endpoint::parse("[fe80::1%" + named->name + "]:5150", 1);
  ASSERT_TRUE(a) << named->name;
  EXPECT_EQ(a->scopeId(), index);
  EXPECT_EQ(a->toString(), "[fe80::1%" + named->name + "]:5150");
  auto again = Endpoint::parse(a->toString(), 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *a);
  auto numeric = Endpoint::parse("fe80::1%" + std::to_string(index), 5150);
  ASSERT_TRUE(numeric);
  EXPECT_EQ(*numeric, *a) << "a scope by number and by name are the same";
}

TEST(Endpoint, AScopeNamingNoInterfaceOrOnIPv4IsRejected) {
  EXPECT_FALSE(Endpoint::parse("fe80::1%no-such-interface0", 1));
  EXPECT_FALSE(Endpoint::parse("[fe80::1%]:80", 1));
  EXPECT_FALSE(Endpoint::parse("10.0.0.1%1", 1));
  auto unscoped = Endpoint::parse("fe80::1", 1);
  ASSERT_TRUE(unscoped);
  EXPECT_EQ(unscoped->scopeId(), 0u);
  EXPECT_EQ(unscoped->toString(), "[fe80::1]:1");
}

TEST(Endpoint, ParsesLocalhost) {
  auto a = Endpoint::parse("localhost:99", 5150);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->toString(), "127.0.0.1:99");
}

TEST(Endpoint, RejectsBadInput) {
  for (const char* bad : {"", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:70000", "1.2.3.4:http", "[::1",
                          "[::1]x", "not an address", "1.2.3.4.5"})
    EXPECT_FALSE(Endpoint::parse(bad, 5150)) << bad;
}

TEST(NetError, DescribesFailuresInWordsAPersonCanActOn) {
  EXPECT_NE(describe(std::make_error_code(std::errc::connection_refused)).find("refused"), std::string::npos);
  EXPECT_NE(describe(std::make_error_code(std::errc::address_in_use)).find("already in use"), std::string::npos);
  EXPECT_NE(describe(make_error_code(Error::ConnectTimedOut)).find("did not answer"), std::string::npos);
}

}  // namespace
}  // namespace chatport::net
