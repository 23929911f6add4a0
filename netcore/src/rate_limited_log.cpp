#include <chatport/rate_limited_log.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace chatport::logging {
namespace {

// Every RateLimitedLog of the process, for flushAll(). Never destroyed: logs that are statics
// of other files unregister during static destruction, in an order nobody controls.
struct Registry {
  std::mutex mutex;
  std::vector<RateLimitedLog*> logs;  // guarded by mutex
};

Registry& registry() {
  static auto* r = new Registry;
  return *r;
}

// "5 s", "2.5 s", "300 ms": how long the summarised interval lasted, as a person reads it.
std::string formatElapsed(RateLimitedLog::Clock::duration d) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(d).count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms >= 10'000) return std::to_string((ms + 500) / 1000) + " s";
  const auto tenths = (ms + 50) / 100;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10) out += "." + std::to_string(tenths % 10);
  return out + " s";
}

}  // namespace

std::string groupThousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

RateLimitedLog::RateLimitedLog(std::shared_ptr<spdlog::logger> logger,
                               spdlog::level::level_enum level, std::string what,
                               Clock::duration interval, Now now)
    : logger_(std::move(logger)),
      level_(level),
      what_(std::move(what)),
      interval_(interval),
      now_(std::move(now)) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.logs.push_back(this);
}

RateLimitedLog::~RateLimitedLog() {
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    std::erase(r.logs, this);
  }
  std::string line;
  {
    std::lock_guard lock(mutex_);
    line = takeSummaryLocked(now_());
  }
  if (!line.empty()) logger_->log(level_, spdlog::string_view_t(line));
}

std::string RateLimitedLog::takeSummaryLocked(Clock::time_point now) {
  if (heldBack_ == 0) return {};
  std::string line = what_ + " " + groupThousands(heldBack_) +
                     (heldBack_ == 1 ? " more time" : " more times") + " in the last " +
                     formatElapsed(now - intervalStart_) + ": " + latestDetail_;
  heldBack_ = 0;
  latestDetail_.clear();
  intervalStart_ = now;
  return line;
}

void RateLimitedLog::log(std::string_view detail) {
  if (!enabled()) return;
  const Clock::time_point now = now_();
  std::string line;
  {
    std::lock_guard lock(mutex_);
    if (inInterval_ && now - intervalStart_ < interval_) {
      ++heldBack_;
      latestDetail_.assign(detail);
      return;
    }
    if (heldBack_ > 0) {
      // The storm goes on: one line for the interval that is over; this occurrence is the
      // first of the next one, and is counted in its summary.
      line = takeSummaryLocked(now);
      heldBack_ = 1;
      latestDetail_.assign(detail);
    } else {
      line = what_ + ": ";
      line += detail;
      intervalStart_ = now;
    }
    inInterval_ = true;
  }
  logger_->log(level_, spdlog::string_view_t(line));
}

void RateLimitedLog::flush() {
  const Clock::time_point now = now_();
  std::string line;
  {
    std::lock_guard lock(mutex_);
    if (!inInterval_ || now - intervalStart_ < interval_) return;
    // An interval without repeats ends the storm: the next occurrence is written at once.
    // One with repeats is summed up, and the next interval starts now.
    if (heldBack_ == 0)
      inInterval_ = false;
    else
      line = takeSummaryLocked(now);
  }
  if (!line.empty()) logger_->log(level_, spdlog::string_view_t(line));
}

void RateLimitedLog::flushAll() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (RateLimitedLog* log : r.logs) log->flush();
}

std::uint64_t RateLimitedLog::heldBack() const {
  std::lock_guard lock(mutex_);
  return heldBack_;
}

}  // namespace chatport::logging
