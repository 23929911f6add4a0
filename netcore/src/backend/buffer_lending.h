#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace chatport::net::detail {

/// Which of a loop's receive buffers are lent to the kernel (io_uring's provided-buffer ring).
///
/// The ring hands out what it holds in turn, so every buffer lent is touched and stays resident,
/// even if only heartbeats arrive. Small receives (chat, heartbeats) touch a page or two each,
/// and a turn with more of them than the ring holds takes the rest in the next turn; receives
/// that fill most of a buffer mean data streaming in, which the whole ring takes in faster. So a
/// loop lends `minimum` buffers until a receive fills more than half of one, then every buffer;
/// once a period passes with no such receive, buffers coming back beyond the minimum are parked
/// (the caller gives their pages back to the system) instead of lent again.
class BufferLending {
 public:
  using Clock = std::chrono::steady_clock;

  BufferLending(unsigned count, unsigned minimum, std::size_t bufferSize, Clock::duration period,
                Clock::time_point now)
      : count_(count), minimum_(minimum), target_(minimum), bulk_(bufferSize / 2),
        period_(period), periodStart_(now) {
    // Parked buffers are lent lowest id first.
    for (unsigned id = count; id-- > minimum;) parked_.push_back(static_cast<std::uint16_t>(id));
  }

  /// Buffers in the ring or in a handler's hands; the rest are parked.
  unsigned lent() const noexcept { return count_ - static_cast<unsigned>(parked_.size()); }

  /// A receive of `bytes` came in: `lend(id)` is called for each parked buffer to lend now.
  template <typename Lend>
  void received(std::size_t bytes, Lend&& lend) {
    if (bytes <= bulk_) return;
    sawBulk_ = true;
    target_ = count_;
    while (!parked_.empty()) {
      const unsigned id = parked_.back();
      parked_.pop_back();
      lend(id);
    }
  }

  /// A handler is done with buffer `id`: true to lend it again, false if it is now parked.
  bool giveBack(unsigned id) {
    if (lent() <= target_) return true;
    parked_.push_back(static_cast<std::uint16_t>(id));
    return false;
  }

  /// Called each turn: a period without a bulk receive brings lending back to the minimum.
  void tick(Clock::time_point now) {
    if (now - periodStart_ < period_) return;
    periodStart_ = now;
    if (!sawBulk_) target_ = minimum_;
    sawBulk_ = false;
  }

 private:
  unsigned count_;
  unsigned minimum_;
  unsigned target_;  // how many to keep lent
  std::size_t bulk_;  // a receive larger than this is bulk
  bool sawBulk_ = false;
  Clock::duration period_;
  Clock::time_point periodStart_;
  std::vector<std::uint16_t> parked_;
};

}  // namespace chatport::net::detail
