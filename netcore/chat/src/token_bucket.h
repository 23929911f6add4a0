#pragma once
// A token bucket: allows a burst of `burst` actions, refilled at `ratePerSecond`.

#include <algorithm>
#include <chrono>

namespace chatport::chat {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(double ratePerSecond, double burst, Clock::time_point now)
      : rate_(static_cast<float>(ratePerSecond)),
        burst_(static_cast<float>(std::max(1.0, burst))),
        tokens_(burst_),
        last_(now) {}

  /// Takes one token if there is one. Not thread-safe: one owner thread.
  bool take(Clock::time_point now) {
    refill(now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }
  /// True once the bucket has refilled completely (the sender has paused long enough).
  bool full(Clock::time_point now) {
    refill(now);
    return tokens_ >= burst_;
  }

 private:
  void refill(Clock::time_point now) {
    const std::chrono::duration<double> elapsed = now - last_;
    last_ = now;
    if (elapsed.count() > 0) tokens_ = std::min<double>(burst_, tokens_ + elapsed.count() * rate_);
  }

  // The limits as floats: a host keeps a bucket for each of its thousands of joiners.
  float rate_;
  float burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace chatport::chat
