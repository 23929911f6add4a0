// The events-out queue: one wake per batch, re-armed only when the front end drains it empty.

#include "event_queue.h"
#include "wait.h"

#include <gtest/gtest.h>

#include <map>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace chatport::chat {
namespace {

using test::Guarded;

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

TEST(EventQueue, ABatchPushedOnACoreThreadCostsTheFrontEndOneWake) {
  // A core thread and the front end take turns, so that every count is exact. In each round the
  // core pushes a batch while the front end waits; the front end drains all but one event; the
  // core pushes more meanwhile; the front end drains the rest.
  EventQueue queue;
  struct State {
    int step = 0;  // odd: the core's turn to push part `step / 2`; even: the front end's
    int wakes = 0;
    std::thread::id wokenOn;
  };
  Guarded<State> state;
  queue.setWake([&] {
    state.with([](State& s) {
      ++s.wakes;
      s.wokenOn = std::this_thread::get_id();
    });
  });
  const std::vector<int> sizes = {1, 7, 100, 3, 250, 1, 64, 2, 1000, 5};  // first part; the second is half
  const auto partSize = [&](int part) { return part % 2 == 0 ? sizes[part / 2] : 1 + sizes[part / 2] / 2; };

  std::thread core([&] {
    int attempt = 0;
    for (int part = 0; part < static_cast<int>(sizes.size()) * 2; ++part) {
      if (!state.waitFor([&](State& s) { return s.step == 2 * part + 1 || s.step < 0; })) return;
      if (state.with([](State& s) { return s.step < 0; })) return;
      for (int i = 0; i < partSize(part); ++i) queue.push(ReconnectingEvent{attempt++, {}});
      state.with([&](State& s) { s.step = 2 * part + 2; });
    }
  });
  const std::thread::id coreId = core.get_id();
  struct Join {  // also when an assertion ends the test early
    std::thread& thread;
    Guarded<State>& state;
    ~Join() {
      state.with([](State& s) { s.step = -1; });
      thread.join();
    }
  } join{core, state};

  std::vector<Event> out;
  for (int round = 0; round < static_cast<int>(sizes.size()); ++round) {
    const int first = 2 * round;
    state.with([&](State& s) { s.step = 2 * first + 1; });
    ASSERT_TRUE(state.waitFor([&](State& s) { return s.step == 2 * first + 2; })) << "round " << round;
    state.with([&](State& s) {
      EXPECT_EQ(s.wakes, round + 1) << "round " << round << ": one wake for a batch of " << partSize(first);
      EXPECT_EQ(s.wokenOn, coreId) << "the wake runs on the thread that pushed";
    });
    EXPECT_EQ(queue.drain(out, static_cast<std::size_t>(partSize(first) - 1)),
              static_cast<std::size_t>(partSize(first) - 1));

    state.with([&](State& s) { s.step = 2 * (first + 1) + 1; });
    ASSERT_TRUE(state.waitFor([&](State& s) { return s.step == 2 * (first + 1) + 2; })) << "round " << round;
    EXPECT_EQ(state.with([](State& s) { return s.wakes; }), round + 1)
        << "round " << round << ": the front end had not drained the queue empty: no new wake";
    EXPECT_EQ(queue.drain(out, SIZE_MAX), static_cast<std::size_t>(1 + partSize(first + 1)));
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    ASSERT_EQ(std::get<ReconnectingEvent>(out[i]).attempt, static_cast<int>(i)) << "oldest first";
}

TEST(EventQueue, NoEventIsStrandedAcrossThreads) {
  // A producer pushes as fast as it can while a consumer drains on every wake: each event is
  // seen exactly once, in order, the consumer is never left asleep with events waiting, and
  // wakes are coalesced: one only after a drain that took events and so emptied the queue.
  EventQueue queue;
  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
  std::atomic<std::size_t> wakeCalls{0};
  queue.setWake([&] {
    ++wakeCalls;
    std::lock_guard lock(mutex);
    woken = true;
    cv.notify_one();
  });
  constexpr int kEvents = 200'000;
  std::thread producer([&] {
    for (int i = 0; i < kEvents; ++i) queue.push(ReconnectingEvent{i, {}});
  });
  std::vector<Event> got;
  std::size_t emptyingDrains = 0;  // every drain takes all, so each that takes any re-arms
  while (got.size() < kEvents) {
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return woken; })) {
      ADD_FAILURE() << "asleep with " << queue.size() << " events waiting after " << got.size();
      break;
    }
    woken = false;
    lock.unlock();
    while (queue.drain(got, SIZE_MAX) > 0) ++emptyingDrains;
  }
  producer.join();
  ASSERT_EQ(got.size(), std::size_t{kEvents});
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(std::get<ReconnectingEvent>(got[i]).attempt, i);
  EXPECT_LE(wakeCalls.load(), emptyingDrains + 1) << "a wake without a drain that re-armed the queue";
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

TEST(EventQueue, AFrontEndThatFallsBehindDuringTransfersKeepsEachOnesNewestProgressAndItsEnd) {
  constexpr std::size_t kBound = 64 * 1024;
  EventQueue queue(kBound);
  queue.push(ConnectedEvent{Role::Joiner, 2, "bob", "127.0.0.1", 5150});
  // Two transfers running for hours: four progress events a second each, nobody draining.
  std::size_t most = 0;
  for (std::uint64_t i = 1; i <= 20'000; ++i) {
    for (TransferId id : {7u, 9u})
      queue.push(FileProgressEvent{id, false, 1, TransferState::Running, i * 1000, 20'000'000, 1e6});
    most = std::max(most, queue.bytes());
  }
  queue.push(FileDoneEvent{7, false, 1, "/tmp/a.bin", 20'000'000, std::string(64, 'a')});
  EXPECT_LE(most, kBound + EventQueue::costOf(FileProgressEvent{})) << "the queue held more than its bound";
  std::vector<Event> out;
  queue.drain(out, SIZE_MAX);
  std::map<TransferId, std::uint64_t> newest;
  bool done = false;
  for (const Event& e : out) {
    if (const auto* p = std::get_if<FileProgressEvent>(&e)) {
      EXPECT_GT(p->done, newest[p->id]) << "in order";
      newest[p->id] = p->done;
    }
    done |= std::holds_alternative<FileDoneEvent>(e);
  }
  EXPECT_EQ(newest[7], 20'000'000u) << "each transfer's newest progress is kept";
  EXPECT_EQ(newest[9], 20'000'000u);
  EXPECT_TRUE(done) << "its end is never let go";
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
