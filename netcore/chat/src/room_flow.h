#pragma once
// Host side: the room's intake when the host itself is what falls behind. Two things tell it:
// what the room has said and not yet carried out (Fanout reports the broadcasts it hands each
// loop, each shard those it applied, and the room what waits for its history store), and how many members have more than the behind mark
// queued (each shard, after each batch). When either is high, the host (not the members) is too
// slow, and the room is congested until both are low again. While it is, the room holds the
// requests it gets and every link stops reading (net::Connection::pauseReading), so that the
// senders are slowed by TCP rather than the readers dropped. A member behind for longer than
// kLagLimit lags the rest: it no longer counts (unless half the room does), and its queue's
// bound drops it as before.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace chatport::chat {

class RoomFlow {
 public:
  /// How long a member may stay behind while the room is busy before it counts as lagging.
  static constexpr std::chrono::seconds kLagLimit{2};

  /// queueBound: what each joiner may have queued (CoreOptions::maxQueuedBytesPerClient).
  /// changed runs, on the reporting thread and under the flow's lock (so that its calls come in
  /// the order of the changes), when the room becomes congested (true) or clears (false).
  RoomFlow(std::size_t loops, std::size_t queueBound, std::function<void(bool congested)> changed)
      : loops_(loops), behindMark_(queueBound / 8), inFlightBudget_(queueBound / 4), changed_(std::move(changed)) {}

  /// A member is behind with more than this queued.
  std::size_t behindMark() const noexcept { return behindMark_; }

  /// Any thread, at once: the room holds its requests while true.
  bool congested() const noexcept { return congested_.load(std::memory_order_acquire); }

  /// Room loop: bytes handed to loop for each of its members (a broadcast).
  void sent(std::size_t loop, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    loops_.at(loop).inFlight += bytes;
    evaluate();
  }
  /// Room loop: what the room has said and not yet sent, waiting for the history store to have
  /// it (it goes out at once, when it does): as much again as it has in flight.
  void waiting(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    waiting_ = bytes;
    evaluate();
  }
  /// Loop's thread: it carried out bytes of what was sent to it, and of its members members,
  /// behind are behind, lagging of them for longer than kLagLimit.
  void applied(std::size_t loop, std::size_t bytes, std::size_t behind, std::size_t lagging, std::size_t members) {
    std::lock_guard lock(mutex_);
    Loop& l = loops_.at(loop);
    l.inFlight -= std::min(bytes, l.inFlight);
    l.behind = behind;
    l.lagging = lagging;
    l.members = members;
    evaluate();
  }

 private:
  struct Loop {
    std::size_t inFlight = 0;
    std::size_t behind = 0;
    std::size_t lagging = 0;
    std::size_t members = 0;
  };

  void evaluate() {
    std::size_t behind = 0;
    std::size_t lagging = 0;
    std::size_t members = 0;
    std::size_t inFlight = 0;
    for (const Loop& l : loops_) {
      behind += l.behind;
      lagging += l.lagging;
      members += l.members;
      inFlight = std::max(inFlight, l.inFlight);
    }
    inFlight += waiting_;
    // Those behind for long lag the rest, and do not count; unless they are half the room,
    // which then is not reading slowly: the host is sending too much.
    if (lagging * 2 < members) behind -= lagging;
    const bool was = congested_.load(std::memory_order_relaxed);
    // Congested once a quarter of the room (two at least) is behind, or a loop has the budget
    // in flight; clear once at most one is behind, or fewer than an eighth, and half the budget.
    const bool congested = was ? (behind > 1 && behind * 8 >= members) || inFlight > inFlightBudget_ / 2
                               : (behind > 1 && behind * 4 >= members) || inFlight > inFlightBudget_;
    if (congested == was) return;
    congested_.store(congested, std::memory_order_release);
    changed_(congested);
  }

  std::mutex mutex_;
  std::vector<Loop> loops_;  // guarded by mutex_
  std::size_t waiting_ = 0;  // guarded by mutex_
  const std::size_t behindMark_;
  const std::size_t inFlightBudget_;
  std::atomic<bool> congested_{false};
  const std::function<void(bool)> changed_;
};

}  // namespace chatport::chat
