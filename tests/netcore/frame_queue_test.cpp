// The send queue's order: frames leave in the order they came, across its own front place and
// the storage behind it, however pushes and pops interleave.

#include <chatport/net/frame_queue.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <deque>

namespace chatport::net {
namespace {

SharedBytes frameOf(std::size_t n) { return std::make_shared<const Bytes>(n % 251 + 1, std::byte{1}); }

TEST(FrameQueue, FramesLeaveInTheOrderTheyCameHoweverPushesAndPopsInterleave) {
  FrameQueue queue;
  std::deque<SharedBytes> expected;  // the reference
  std::size_t next = 0;
  // Bursts of growing and shrinking length: the front place alone, a spill behind it, its
  // reuse from the front and its growth.
  for (std::size_t round = 0; round < 200; ++round) {
    for (std::size_t i = 0; i < round % 37; ++i) {
      auto frame = frameOf(next++);
      queue.push_back(frame);
      expected.push_back(frame);
    }
    ASSERT_EQ(queue.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(queue[i], expected[i]) << "round " << round;
    for (std::size_t i = 0; i < (round * 7) % 29 && !expected.empty(); ++i) {
      ASSERT_EQ(queue.front(), expected.front());
      ASSERT_EQ(queue.pop_front(), expected.front()) << "round " << round;
      expected.pop_front();
    }
    ASSERT_EQ(queue.empty(), expected.empty());
  }
  const std::size_t n = expected.size() / 2;
  const auto taken = queue.take(n);
  ASSERT_EQ(taken.size(), n);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(taken[i], expected[i]);
  EXPECT_EQ(queue.size(), expected.size() - n);
  if (queue.size() > 0) {
    EXPECT_EQ(queue.front(), expected[n]);
  }
  queue.clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  queue.push_back(frameOf(1));
  EXPECT_EQ(queue.size(), 1u) << "usable again after clear()";
}

}  // namespace
}  // namespace chatport::net
