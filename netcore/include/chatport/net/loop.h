#pragma once
// One engine thread and the completion backend it drives.
//
// Every connection belongs to exactly one Loop for its whole life; all its handlers run on that
// Loop's thread, so they never run concurrently. Other threads reach a Loop only through post().

#include <chatport/net/slot_list.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <atomic>
#include <thread>
#include <unordered_map>
#include <vector>

namespace chatport::net {

namespace detail {
class Backend;
}
class Connection;

using Task = std::function<void()>;
using TimerId = std::uint64_t;
using Clock = std::chrono::steady_clock;

class Loop {
 public:
  Loop(std::size_t index, std::unique_ptr<detail::Backend> backend);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  /// Thread-safe. Runs task on this loop's thread, after tasks posted earlier by the same
  /// thread. Wakes the loop at most once per batch of posts.
  void post(Task task);
  /// Thread-safe. Runs task now if called on this loop's thread, else posts it.
  void dispatch(Task task);

  /// Loop thread only. Runs task once after delay; returns an id for cancelTimer().
  TimerId runAfter(Clock::duration delay, Task task);
  /// Loop thread only. Cancelling a timer that already ran or was cancelled does nothing.
  void cancelTimer(TimerId id);

  bool isInLoopThread() const noexcept {
    return threadId_.load(std::memory_order_relaxed) == std::this_thread::get_id();
  }
  /// Debug builds abort when called off this loop's thread.
  void assertInLoopThread() const;

  std::size_t index() const noexcept { return index_; }

  // --- used by Engine and Connection ---
  /// Runs on the calling thread until stop() has been called and the posted tasks are done.
  void run();
  /// Thread-safe. Asks run() to return.
  void stop();
  detail::Backend& backend() noexcept { return *backend_; }
  /// Loop thread only. Open connections on this loop; the loop keeps each alive while open.
  void addConnection(std::shared_ptr<Connection> connection);
  void removeConnection(Connection& connection);
  /// Loop thread only. Closes every open connection with the given reason.
  void closeAllConnections(std::error_code reason);
  /// Loop thread only. Runs task when the loop stops, unless cancelAtStop(id) came first: for
  /// operations that owe their caller an answer (a connect in progress).
  TimerId runAtStop(Task task);
  void cancelAtStop(TimerId id);
  std::size_t connectionCount() const noexcept { return connections_.size(); }

 private:
  void runPostedTasks();
  void runDueTimers();
  int pollTimeoutMs() const;

  const std::size_t index_;
  std::unique_ptr<detail::Backend> backend_;
  std::atomic<std::thread::id> threadId_{};
  std::atomic<bool> stopping_{false};

  mutable std::mutex postMutex_;
  std::vector<Task> posted_;  // guarded by postMutex_
  std::vector<Task> running_;  // loop thread only: the batch being run

  // Timers: loop thread only.
  TimerId nextTimerId_ = 1;
  std::map<std::pair<Clock::time_point, TimerId>, Task> timers_;
  std::unordered_map<TimerId, Clock::time_point> timerDeadlines_;
  std::map<TimerId, Task> atStop_;  // in the order they were asked for

  SlotList<Connection> connections_;  // loop thread only
};

}  // namespace chatport::net
