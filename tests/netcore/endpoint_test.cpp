#include <chatport/net/endpoint.h>
#include <chatport/net/error.h>

#include <gtest/gtest.h>

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
