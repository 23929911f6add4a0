// A warning repeated by a storm: the first occurrence written at once, then one line per
// interval with the count, and nothing lost. Driven by a clock of the test's own: no sleeps.

#include <chatport/rate_limited_log.h>

#include "log_capture.h"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::logging {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimitedLog::Clock;

// A clock that moves only when the test says so; readable from any thread.
class TestClock {
 public:
  Clock::time_point now() const { return Clock::time_point(Clock::duration(ticks_.load())); }
  void advance(Clock::duration d) { ticks_ += d.count(); }
  RateLimitedLog::Now function() const {
    return [this] { return now(); };
  }

 private:
  std::atomic<Clock::rep> ticks_{Clock::duration(1h).count()};
};

class RateLimitedLogTest : public ::testing::Test {
 protected:
  std::vector<std::string> texts() {
    std::vector<std::string> out;
    for (const auto& line : capture_.lines()) out.push_back(line.text);
    return out;
  }

  TestClock clock_;
  test::LogCapture capture_;
  std::shared_ptr<spdlog::logger> logger_ = std::make_shared<spdlog::logger>("test", capture_.sink());
};

// The count a summary line gives, or -1 if it is not one.
long long countIn(const std::string& line) {
  static const std::regex summary(R"( ([0-9,]+) more times? in the last )");
  std::smatch m;
  if (!std::regex_search(line, m, summary)) return -1;
  std::string digits = m[1];
  std::erase(digits, ',');
  return std::stoll(digits);
}

TEST_F(RateLimitedLogTest, TheFirstOccurrenceIsWrittenAtOnceAndRepeatsAreOnlyCounted) {
  RateLimitedLog log(logger_, spdlog::level::warn, "accepting a connection failed", 5s,
                     clock_.function());
  log.log("too many open files");
  ASSERT_EQ(texts(), std::vector<std::string>{"accepting a connection failed: too many open files"});
  EXPECT_EQ(capture_.lines()[0].level, spdlog::level::warn);

  for (int i = 0; i < 500; ++i) {
    clock_.advance(1ms);
    log.log("too many open files");
  }
  EXPECT_EQ(texts().size(), 1u) << "repeats within the interval are held back";
  EXPECT_EQ(log.heldBack(), 500u);
}

TEST_F(RateLimitedLogTest, AStormOfTwentyThousandIsOneLinePerIntervalAndEveryOneIsCounted) {
  RateLimitedLog log(logger_, spdlog::level::warn, "accepting a connection failed", 5s,
                     clock_.function());
  // 20,000 failures, one a millisecond: 20 seconds of storm.
  for (int i = 0; i < 20'000; ++i) {
    log.log("too many open files");
    clock_.advance(1ms);
  }
  const auto lines = texts();
  // The first at once, then one per 5 s interval that is over (three of them; the fourth is
  // still open).
  ASSERT_EQ(lines.size(), 4u) << capture_.dump();
  EXPECT_EQ(lines[0], "accepting a connection failed: too many open files");
  EXPECT_EQ(lines[1], "accepting a connection failed 4,999 more times in the last 5 s: too many open files");
  long long reported = 1;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    ASSERT_GE(countIn(lines[i]), 0) << lines[i];
    reported += countIn(lines[i]);
  }
  EXPECT_EQ(reported + static_cast<long long>(log.heldBack()), 20'000) << "no occurrence lost";
}

TEST_F(RateLimitedLogTest, TheEndOfAStormIsReportedByFlushOnceItsIntervalIsOver) {
  RateLimitedLog log(logger_, spdlog::level::warn, "closing a connection", 5s, clock_.function());
  for (int i = 0; i < 100; ++i) {
    log.log("peer " + std::to_string(i));
    clock_.advance(10ms);
  }
  // 1 s into the interval: too early, the storm may go on.
  log.flush();
  EXPECT_EQ(texts().size(), 1u);
  clock_.advance(4s);
  log.flush();
  ASSERT_EQ(texts().size(), 2u) << capture_.dump();
  EXPECT_EQ(texts()[1], "closing a connection 99 more times in the last 5 s: peer 99")
      << "the summary quotes the latest occurrence";
  EXPECT_EQ(log.heldBack(), 0u);

  // Quiet for a whole interval, then a new occurrence: written at once, as a new first.
  clock_.advance(5s);
  log.flush();
  EXPECT_EQ(texts().size(), 2u) << "an empty interval writes nothing";
  clock_.advance(1min);
  log.log("peer 100");
  ASSERT_EQ(texts().size(), 3u);
  EXPECT_EQ(texts()[2], "closing a connection: peer 100");
}

TEST_F(RateLimitedLogTest, FlushAllReachesEveryLog) {
  RateLimitedLog a(logger_, spdlog::level::warn, "a", 5s, clock_.function());
  RateLimitedLog b(logger_, spdlog::level::warn, "b", 5s, clock_.function());
  for (int i = 0; i < 3; ++i) {
    a.log("x");
    b.log("y");
  }
  clock_.advance(5s);
  RateLimitedLog::flushAll();
  const auto lines = texts();
  ASSERT_EQ(lines.size(), 4u) << capture_.dump();
  EXPECT_EQ(lines[2], "a 2 more times in the last 5 s: x");
  EXPECT_EQ(lines[3], "b 2 more times in the last 5 s: y");
}

TEST_F(RateLimitedLogTest, WhatIsHeldBackIsWrittenWhenTheLogGoes) {
  {
    RateLimitedLog log(logger_, spdlog::level::warn, "closing a connection", 5s, clock_.function());
    log.log("peer 1");
    clock_.advance(1500ms);
    log.log("peer 2");
  }
  ASSERT_EQ(texts().size(), 2u);
  EXPECT_EQ(texts()[1], "closing a connection 1 more time in the last 1.5 s: peer 2");
}

TEST_F(RateLimitedLogTest, ALevelTheLoggerDoesNotWriteCostsNothingAndCountsNothing) {
  logger_->set_level(spdlog::level::info);
  RateLimitedLog log(logger_, spdlog::level::debug, "skipped", 5s, clock_.function());
  EXPECT_FALSE(log.enabled());
  for (int i = 0; i < 10; ++i) log.log("x");
  EXPECT_EQ(log.heldBack(), 0u);
  EXPECT_TRUE(texts().empty());
}

TEST_F(RateLimitedLogTest, ADetailThatCostsSomethingIsMadeOnlyForALevelTheLoggerWrites) {
  logger_->set_level(spdlog::level::info);
  int made = 0;
  const auto peer = [&made] {
    ++made;
    return std::string("10.0.0.7:51000 (client 12)");
  };
  RateLimitedLog skipped(logger_, spdlog::level::debug, "skipped", 5s, clock_.function());
  for (int i = 0; i < 10; ++i) skipped.log(peer);
  EXPECT_EQ(made, 0);
  RateLimitedLog written(logger_, spdlog::level::warn, "a joiner sends too fast", 5s, clock_.function());
  written.log(peer);
  EXPECT_EQ(made, 1);
  EXPECT_EQ(texts(), std::vector<std::string>{"a joiner sends too fast: 10.0.0.7:51000 (client 12)"});
}

TEST_F(RateLimitedLogTest, ThreadsLoggingAtOnceLoseNoCount) {
  RateLimitedLog log(logger_, spdlog::level::warn, "storm", 5s, clock_.function());
  constexpr int kThreads = 4;
  constexpr int kEach = 5'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) log.log("x");
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(texts().size(), 1u);
  EXPECT_EQ(log.heldBack(), std::uint64_t{kThreads * kEach - 1});
}

TEST(GroupThousands, WritesCountsAsPeopleReadThem) {
  EXPECT_EQ(groupThousands(0), "0");
  EXPECT_EQ(groupThousands(999), "999");
  EXPECT_EQ(groupThousands(1000), "1,000");
  EXPECT_EQ(groupThousands(9599), "9,599");
  EXPECT_EQ(groupThousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace chatport::logging
