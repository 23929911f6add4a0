// Every failure the network layer reports comes with words a person can act on, on every
// platform (Windows' C library has none for most POSIX codes).

#include <chatport/net/error.h>

#include <gtest/gtest.h>

#include <string>
#include <system_error>

namespace chatport::net {
namespace {

TEST(Describe, EveryErrorTheBackendsReportIsWordedForAPerson) {
  const std::errc reported[] = {
      std::errc::connection_refused, std::errc::network_unreachable, std::errc::host_unreachable,
      std::errc::connection_reset, std::errc::connection_aborted, std::errc::address_in_use,
      std::errc::address_not_available, std::errc::timed_out, std::errc::operation_canceled,
      std::errc::too_many_files_open, std::errc::no_buffer_space, std::errc::permission_denied,
      std::errc::not_connected, std::errc::broken_pipe, std::errc::network_down,
      std::errc::network_reset, std::errc::address_family_not_supported,
      std::errc::protocol_not_supported, std::errc::message_size, std::errc::not_enough_memory};
  for (std::errc e : reported) {
    const std::string words = describe(std::make_error_code(e));
    EXPECT_FALSE(words.empty()) << static_cast<int>(e);
    EXPECT_EQ(words.find("nknown error"), std::string::npos) << static_cast<int>(e) << ": " << words;
  }
  EXPECT_NE(describe(std::make_error_code(std::errc::network_down)).find("network is down"), std::string::npos);
  for (Error e : {Error::PeerClosed, Error::ConnectTimedOut, Error::FrameTooLarge, Error::BadFrameHeader,
                  Error::SendQueueFull, Error::ClosedLocally, Error::EngineStopped,
                  Error::DatagramDropped})
    EXPECT_EQ(describe(make_error_code(e)).find("unknown"), std::string::npos) << static_cast<int>(e);
}

TEST(Describe, AnErrorWithoutWordsStillSaysWhichOneItWas) {
  const std::string words = describe(std::error_code(98765, std::generic_category()));
  EXPECT_EQ(words, "unexpected network error (generic 98765)");
}

}  // namespace
}  // namespace chatport::net
