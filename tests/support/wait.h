#pragma once
// Waiting on events with a deadline: tests never sleep and hope.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace chatport::test {

inline constexpr std::chrono::seconds kDeadline{30};

/// State shared between engine threads and the test thread, guarded by one mutex; the test
/// waits until a predicate over it holds.
template <typename State>
class Guarded {
 public:
  template <typename Fn>
  auto with(Fn&& fn) {
    std::lock_guard lock(mutex_);
    if constexpr (std::is_void_v<decltype(fn(state_))>) {
      fn(state_);
      changed_.notify_all();
    } else {
      auto result = fn(state_);
      changed_.notify_all();
      return result;
    }
  }

  /// True if pred(state) held before the deadline.
  template <typename Pred>
  bool waitFor(Pred&& pred, std::chrono::milliseconds deadline = kDeadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return pred(state_); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  State state_{};  // guarded by mutex_
};

/// True if pred() held before the deadline, looking every few milliseconds: only for a state of
/// the system that no event announces (a descriptor let go by another thread, say).
template <typename Pred>
bool pollUntil(Pred&& pred, std::chrono::milliseconds deadline = kDeadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace chatport::test
