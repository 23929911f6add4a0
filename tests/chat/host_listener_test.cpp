// A host whose listening socket fails for good: nobody can join any more, so the chat ends,
// and the person hosting it is told why instead of being left to look hosted.

#include "socket_faults.h"
#include "test_participant.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace chatport::chat::test {
namespace {

TEST(HostListener, AHostWhoseListenerDiesEndsTheChatAndSaysWhy) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected()) << host.describe();
  const std::uint16_t port = host.port();
  TestParticipant ann;
  ann.join("ann", port);
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("ann"); })) << host.describe();

  ASSERT_TRUE(chatport::test::breakListeningSocket(port)) << "the host's listening socket was not found";

  ASSERT_TRUE(host.waitFor([](Seen& s) { return !s.disconnected.empty(); }))
      << "the host still looks hosted: " << host.describe();
  host.with([](Seen& s) {
    // As a failed start: the one DisconnectedEvent says why, for good; no ErrorEvent with it.
    EXPECT_TRUE(s.endedWith(ErrorCode::ConnectionLost)) << s.describe();
    ASSERT_EQ(s.disconnected.size(), 1u);
    EXPECT_NE(s.disconnected[0].detail.find("nobody could join it any more"), std::string::npos)
        << s.disconnected[0].detail;
    EXPECT_TRUE(s.errors.empty()) << s.describe();
  });

  // The joiner hears that the host closed the chat: no reconnecting to a host that is gone.
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << ann.describe();
  ann.with([](Seen& s) {
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::HostClosed) << s.describe();
    EXPECT_FALSE(s.disconnected[0].willReconnect);
  });

  // The core is idle again: the person can host at once.
  host.host("host");
  EXPECT_TRUE(host.waitConnected(2)) << host.describe();
}

TEST(HostListener, AHostOnEveryAddressIsReachedOverIPv4AndIPv6) {
  TestParticipant host(hostOptions());
  host.host("host", 0, "");  // no address asked for
  ASSERT_TRUE(host.waitConnected()) << host.describe();
  const std::uint16_t port = host.port();
  const std::string bound = host.with([](Seen& s) { return s.connected[0].address; });

  TestParticipant ann;
  ann.join("ann", port, "127.0.0.1");
  ASSERT_TRUE(ann.waitConnected()) << "a host on every address refused IPv4: " << ann.describe();
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("ann"); })) << host.describe();

  if (bound != "::")
    GTEST_SKIP() << "this system hosts on " << bound << " (no IPv6, or no dual stack): IPv4 only";
  TestParticipant bob;
  bob.join("bob", port, "::1");
  ASSERT_TRUE(bob.waitConnected()) << "a host on every address refused IPv6: " << bob.describe();
  ASSERT_TRUE(host.waitFor([](Seen& s) { return s.isIn("ann") && s.isIn("bob"); })) << host.describe();
}

TEST(HostListener, AHostAskedForAnIPv4AddressKeepsIt) {
  TestParticipant host(hostOptions());
  host.host("host", 0, "127.0.0.1");
  ASSERT_TRUE(host.waitConnected()) << host.describe();
  host.with([](Seen& s) { EXPECT_EQ(s.connected[0].address, "127.0.0.1"); });
}

}  // namespace
}  // namespace chatport::chat::test
