#pragma once
// Keeps what chatport-cli sends from a script within the host's rate limit: a token bucket a
// little slower and shallower than the host's, so that lines piped in all arrive instead of
// being refused, and the joiner is never dropped for flooding. Main thread only.

#include <algorithm>
#include <chrono>

namespace chatport::cli {

class SendPacer {
 public:
  using Clock = std::chrono::steady_clock;

  /// Below the host's rate and half its burst: heartbeats count against the same limit, and
  /// lines bunched up on the way must still fit the host's bucket.
  static constexpr double kRateShare = 0.9;
  static constexpr double kBurstShare = 0.5;

  /// The host's limit (ConnectedEvent::sendRate, sendBurst); a rate of 0 sends without pacing.
  void setLimit(double ratePerSecond, double burst, Clock::time_point now) {
    rate_ = ratePerSecond * kRateShare;
    burst_ = std::max(1.0, burst * kBurstShare);
    tokens_ = burst_;
    last_ = now;
  }

  /// Counts one line if it may go now.
  bool take(Clock::time_point now) {
    if (rate_ <= 0) return true;
    refill(now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

  /// When the next line may go (after a take() that said no).
  Clock::time_point nextAt() const {
    if (rate_ <= 0 || tokens_ >= 1.0) return last_;
    return last_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((1.0 - tokens_) / rate_));
  }

 private:
  void refill(Clock::time_point now) {
    const std::chrono::duration<double> elapsed = now - last_;
    if (elapsed.count() <= 0) return;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
  }

  double rate_ = 0;
  double burst_ = 1;
  double tokens_ = 1;
  Clock::time_point last_{};
};

}  // namespace chatport::cli
