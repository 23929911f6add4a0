// The events-out queue: one wake per batch, re-armed only when the front end drains it empty.

#include "event_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace chatport::chat {
namespace {

TEST(EventQueue, WakesOncePerBatchAndAgainOnlyAfterBeingDrainedEmpty) {
  EventQueue queue;
  int wakes = 0;
  queue.setWake([&] { ++wakes; });
  for (int i = 0; i < 100; ++i) queue.push(ReconnectingEvent{i, {}});
  EXPECT_EQ(wakes, 1) << "a burst costs one wake";

  std::vector<Event> out;
  EXPECT_EQ(queue.drain(out, 40), 40u);
  queue.push(ReconnectingEvent{100, {}});
  EXPECT_EQ(wakes, 1) << "not drained empty yet: the front end is still at it";

  EXPECT_EQ(queue.drain(out, SIZE_MAX), 61u);
  queue.push(ReconnectingEvent{101, {}});
  EXPECT_EQ(wakes, 2) << "drained empty: the next event wakes again";

  ASSERT_EQ(queue.drain(out, SIZE_MAX), 1u);
  for (int i = 0; i < 102; ++i) EXPECT_EQ(std::get<ReconnectingEvent>(out[i]).attempt, i) << "oldest first";
}

TEST(EventQueue, NoEventIsStrandedAcrossThreads) {
  // A producer pushes while a consumer drains on every wake: each event is seen exactly once
  // and the consumer is never left asleep with events waiting.
  EventQueue queue;
  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
  queue.setWake([&] {
    std::lock_guard lock(mutex);
    woken = true;
    cv.notify_one();
  });
  constexpr int kEvents = 200'000;
  std::thread producer([&] {
    for (int i = 0; i < kEvents; ++i) queue.push(ReconnectingEvent{i, {}});
  });
  std::vector<Event> got;
  std::size_t wakes = 0;
  while (got.size() < kEvents) {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return woken; }))
        << "asleep with " << queue.size() << " events waiting after " << got.size();
    woken = false;
    lock.unlock();
    ++wakes;
    while (queue.drain(got, 1000) > 0) {
    }
  }
  producer.join();
  ASSERT_EQ(got.size(), std::size_t{kEvents});
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(std::get<ReconnectingEvent>(got[i]).attempt, i);
  EXPECT_LT(wakes, std::size_t{kEvents}) << "wakes are coalesced";
}

}  // namespace
}  // namespace chatport::chat
