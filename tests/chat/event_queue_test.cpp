// The events-out queue: one wake per batch, re-armed only when the front end drains it empty.

#include "event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
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

MessageEvent message(std::uint64_t seq) {
  return MessageEvent{2, "ann", seq, {}, std::string(200, 'x') + std::to_string(seq)};
}

TEST(EventQueue, AFrontEndThatFallsBehindLosesTheOldestMessagesNotBoundedMemory) {
  constexpr std::size_t kBound = 64 * 1024;
  constexpr std::uint64_t kMessages = 20'000;
  EventQueue queue(kBound);
  queue.push(ConnectedEvent{Role::Host, 1, "host", "127.0.0.1", 5150});
  std::size_t most = 0;
  for (std::uint64_t i = 0; i < kMessages; ++i) {
    if (i % 1000 == 0) {
      queue.push(JoinedEvent{{static_cast<ClientId>(100 + i), "guest" + std::to_string(i), false}});
      queue.push(ClientListEvent{{{1, "host", true}, {static_cast<ClientId>(100 + i), "guest" + std::to_string(i), false}}});
      queue.push(StatsEvent{2, i, i, 0, 0});
    }
    if (i == kMessages / 2) queue.push(ErrorEvent{ErrorCode::RateLimited, "sending too fast"});
    queue.push(message(i));
    most = std::max(most, queue.bytes());
  }
  EXPECT_LE(most, kBound + EventQueue::costOf(message(0))) << "the queue held more than its bound";

  std::vector<Event> out;
  queue.drain(out, SIZE_MAX);
  EXPECT_EQ(queue.bytes(), 0u);
  ASSERT_FALSE(out.empty());
  EXPECT_TRUE(std::holds_alternative<ConnectedEvent>(out.front())) << "the session's start is kept";

  std::uint64_t skipped = 0;
  std::uint64_t skippedNotices = 0;
  std::vector<std::uint64_t> seqs;
  int errors = 0;
  int lists = 0;
  std::optional<ClientId> lastListed;
  for (const Event& e : out) {
    if (auto* s = std::get_if<SkippedEvent>(&e)) {
      skipped += s->messages;
      skippedNotices += s->notices;
    }
    if (auto* m = std::get_if<MessageEvent>(&e)) seqs.push_back(m->seq);
    if (std::holds_alternative<ErrorEvent>(e)) ++errors;
    if (auto* l = std::get_if<ClientListEvent>(&e)) {
      ++lists;
      lastListed = l->clients.back().id;
    }
  }
  EXPECT_EQ(errors, 1) << "an error is never let go";
  ASSERT_GE(lists, 1) << "the newest client list is never let go";
  EXPECT_EQ(*lastListed, static_cast<ClientId>(100 + 19'000));
  EXPECT_GT(skippedNotices, 0u);
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(skipped + seqs.size(), kMessages) << "every message is either shown or counted";
  EXPECT_EQ(seqs.back(), kMessages - 1) << "the newest messages are the ones kept";
  for (std::size_t i = 1; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], seqs[i - 1] + 1) << "kept in order, none missing";
}

TEST(EventQueue, SkippedEventStandsWhereTheMessagesWere) {
  EventQueue queue(8 * 1024);
  queue.push(message(0));
  queue.push(DisconnectedEvent{ErrorCode::ConnectionLost, "reset", true});
  for (std::uint64_t i = 1; i < 200; ++i) queue.push(message(i));
  std::vector<Event> out;
  queue.drain(out, SIZE_MAX);
  ASSERT_GE(out.size(), 3u);
  // The first message went first, in the place it had: before the disconnect.
  ASSERT_TRUE(std::holds_alternative<SkippedEvent>(out[0]));
  EXPECT_TRUE(std::holds_alternative<DisconnectedEvent>(out[1]));
  std::uint64_t skipped = 0;
  std::size_t shown = 0;
  for (const Event& e : out) {
    if (auto* s = std::get_if<SkippedEvent>(&e)) skipped += s->messages;
    if (std::holds_alternative<MessageEvent>(e)) ++shown;
  }
  EXPECT_EQ(skipped + shown, 200u);
  EXPECT_TRUE(std::holds_alternative<MessageEvent>(out.back()));
  EXPECT_EQ(std::get<MessageEvent>(out.back()).seq, 199u);
}

}  // namespace
}  // namespace chatport::chat
