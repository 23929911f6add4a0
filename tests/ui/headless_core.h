#pragma once
// A chat core without a window, driven from the test thread without the Qt event loop: its
// wake callback signals a condition variable and the test drains it. For the other end of a
// conversation with a window or the chatport process.

#include <chatport/chat/chat_core.h>

#include <chrono>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <vector>

namespace chatport::test {

class HeadlessCore {
 public:
  explicit HeadlessCore(chat::CoreOptions options = {}) : core_(options) {
    core_.setWakeCallback([this] {
      std::lock_guard lock(mutex_);
      woken_ = true;
      wake_.notify_all();
    });
  }
  chat::ChatCore& core() { return core_; }

  /// Looks at events in order, draining more as needed, until pred(event) has held count
  /// times; false at the deadline. The next call goes on after the last event looked at.
  template <typename Pred>
  bool waitFor(Pred pred, std::size_t count = 1, std::chrono::seconds deadline = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    std::size_t matched = 0;
    std::vector<chat::Event> batch;
    for (;;) {
      for (; cursor_ < seen_.size() && matched < count; ++cursor_) matched += pred(seen_[cursor_]) ? 1 : 0;
      if (matched >= count) return true;
      batch.clear();
      if (core_.drainEvents(batch) == 0) {
        std::unique_lock lock(mutex_);
        if (!wake_.wait_until(lock, until, [this] { return woken_; })) return false;
        woken_ = false;
        continue;
      }
      if (keep_) {
        std::move(batch.begin(), batch.end(), std::back_inserter(seen_));
      } else {
        for (const auto& e : batch) matched += pred(e) ? 1 : 0;  // a flood: counted, not kept
      }
    }
  }

  /// Keep drained events in seen() (off for floods: events after a match in the same batch
  /// are then not looked at again).
  void setKeep(bool keep) { keep_ = keep; }
  const std::vector<chat::Event>& seen() const { return seen_; }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mutex_
  bool keep_ = true;
  std::vector<chat::Event> seen_;
  std::size_t cursor_ = 0;  // seen_[cursor_..] not looked at yet
  chat::ChatCore core_;  // last: destroyed (and its threads joined) first
};

}  // namespace chatport::test
