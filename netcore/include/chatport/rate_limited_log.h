#pragma once
// A log line that a storm can repeat thousands of times a second (a peer, or a crowd of them,
// failing the same way), written so that the storm can neither fill the disk nor bury its first
// cause: the first occurrence at once, then at most one line per interval that says how many
// more there were.
//
//   logging::RateLimitedLog failures(log, spdlog::level::warn, "accepting a connection failed");
//   failures.log(describe(ec));
//   // accepting a connection failed: too many connections are open on this machine
//   // ...and while the storm lasts, one line per interval:
//   // accepting a connection failed 9,599 more times in the last 5 s: too many connections ...

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace chatport::logging {

/// Thread-safe: every member may be called from any thread, concurrently.
class RateLimitedLog {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  static constexpr std::chrono::seconds kDefaultInterval{5};

  /// what: the words every line of this log starts with. now: the clock; tests pass their own.
  RateLimitedLog(std::shared_ptr<spdlog::logger> logger, spdlog::level::level_enum level,
                 std::string what, Clock::duration interval = kDefaultInterval,
                 Now now = &Clock::now);
  /// Writes the count still held back, so that the end of a storm is not lost.
  ~RateLimitedLog();
  RateLimitedLog(const RateLimitedLog&) = delete;
  RateLimitedLog& operator=(const RateLimitedLog&) = delete;

  /// One occurrence; detail is what is particular to it (the error, the peer). Written at once
  /// ("what: detail") unless a line of this log was written less than an interval ago; then it
  /// is only counted, and the count goes out with the latest detail once the interval is over.
  void log(std::string_view detail);
  /// log(makeDetail()), for a detail that costs something to make: made only if a line at this
  /// log's level would be written at all.
  template <std::invocable MakeDetail>
  void log(MakeDetail&& makeDetail) {
    if (enabled()) log(std::string_view(std::forward<MakeDetail>(makeDetail)()));
  }

  /// Writes the count held back once the interval it belongs to is over. Called on a storm's
  /// next occurrence anyway; flushAll() covers the storm that has stopped.
  void flush();
  /// flush() for every RateLimitedLog of the process. Each Engine calls it every few seconds.
  static void flushAll();

  /// True if a line at this log's level would be written at all: callers may skip building a
  /// detail that nobody will read.
  bool enabled() const { return logger_->should_log(level_); }
  /// Occurrences counted but not yet reported.
  std::uint64_t heldBack() const;

 private:
  // Caller holds mutex_. The summary line of what is held back, or empty; resets the interval.
  std::string takeSummaryLocked(Clock::time_point now);

  const std::shared_ptr<spdlog::logger> logger_;
  const spdlog::level::level_enum level_;
  const std::string what_;
  const Clock::duration interval_;
  const Now now_;

  mutable std::mutex mutex_;
  bool inInterval_ = false;           // guarded by mutex_: a line was written at intervalStart_
  Clock::time_point intervalStart_;   // guarded by mutex_
  std::uint64_t heldBack_ = 0;        // guarded by mutex_
  std::string latestDetail_;          // guarded by mutex_
};

/// "9,599": a count as the summaries write it.
std::string groupThousands(std::uint64_t n);

}  // namespace chatport::logging
