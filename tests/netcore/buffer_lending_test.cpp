// How many receive buffers an io_uring loop lends (src/backend/buffer_lending.h): the minimum
// while receives are small, every one while data streams in, and the minimum again a period
// after the stream.

#include "backend/buffer_lending.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace chatport::net::detail {
namespace {

using namespace std::chrono_literals;

constexpr unsigned kCount = 64;
constexpr unsigned kMinimum = 16;
constexpr std::size_t kBufferSize = 16 * 1024;
constexpr auto kPeriod = 2s;

struct BufferLendingTest : ::testing::Test {
  BufferLending::Clock::time_point now{};
  BufferLending lending{kCount, kMinimum, kBufferSize, kPeriod, now};
  std::vector<unsigned> lentNow;  // what the last receive had lent

  // One receive into buffer `id`, as the loop does it: the buffer is filled, handed to the
  // handler and given back. Returns whether it is lent again.
  bool receive(unsigned id, std::size_t bytes) {
    lentNow.clear();
    lending.received(bytes, [this](unsigned lent) { lentNow.push_back(lent); });
    return lending.giveBack(id);
  }
  void nextTurn(BufferLending::Clock::duration later) {
    now += later;
    lending.tick(now);
  }
};

TEST_F(BufferLendingTest, SmallReceivesKeepOnlyTheMinimumLentAndLendEachBufferAgain) {
  EXPECT_EQ(lending.lent(), kMinimum);
  for (unsigned turn = 0; turn < 1000; ++turn) {
    EXPECT_TRUE(receive(turn % kMinimum, 100));  // chat and heartbeats
    EXPECT_TRUE(lentNow.empty());
    nextTurn(10ms);
  }
  // A receive of half a buffer is not yet a stream of data.
  EXPECT_TRUE(receive(0, kBufferSize / 2));
  EXPECT_EQ(lending.lent(), kMinimum);
}

TEST_F(BufferLendingTest, AReceiveFillingMostOfABufferLendsEveryOtherBufferOnce) {
  EXPECT_TRUE(receive(0, kBufferSize));
  std::vector<unsigned> sorted = lentNow;
  std::sort(sorted.begin(), sorted.end());
  std::vector<unsigned> expected;
  for (unsigned id = kMinimum; id < kCount; ++id) expected.push_back(id);
  EXPECT_EQ(sorted, expected);
  EXPECT_EQ(lending.lent(), kCount);
  // More of the stream lends nothing twice.
  EXPECT_TRUE(receive(1, kBufferSize));
  EXPECT_TRUE(lentNow.empty());
  EXPECT_EQ(lending.lent(), kCount);
}

TEST_F(BufferLendingTest, EveryBufferStaysLentWhileDataStreamsIn) {
  for (int period = 0; period < 5; ++period) {
    for (unsigned id = 0; id < kCount; ++id) EXPECT_TRUE(receive(id, kBufferSize));
    nextTurn(kPeriod);
  }
  EXPECT_EQ(lending.lent(), kCount);
}

TEST_F(BufferLendingTest, APeriodAfterTheStreamBuffersBeyondTheMinimumArePutAwayAsTheyComeBack) {
  EXPECT_TRUE(receive(0, kBufferSize));
  nextTurn(kPeriod);  // the period with the stream in it ends: still all lent
  for (unsigned id = 0; id < kCount; ++id) EXPECT_TRUE(receive(id, 100));
  nextTurn(kPeriod);  // a whole period of small receives
  unsigned parked = 0;
  for (unsigned id = 0; id < kCount; ++id)
    if (!receive(id, 100)) ++parked;
  EXPECT_EQ(parked, kCount - kMinimum);
  EXPECT_EQ(lending.lent(), kMinimum);
  // The next stream lends exactly those again.
  EXPECT_TRUE(receive(0, kBufferSize));
  EXPECT_EQ(lentNow.size(), kCount - kMinimum);
  EXPECT_EQ(lending.lent(), kCount);
}

}  // namespace
}  // namespace chatport::net::detail
