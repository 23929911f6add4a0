#include <chatport/net/loop.h>

#include <chatport/net/connection.h>
#include <chatport/net/error.h>

#include "backend/backend.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace chatport::net {

Loop::Loop(std::size_t index, std::unique_ptr<detail::Backend> backend)
    : index_(index), backend_(std::move(backend)) {}

Loop::~Loop() {
  // Connections still registered hold streams of this backend: release them first.
  connections_.clear();
  timers_.clear();
  atStop_.clear();
  posted_.clear();
}

void Loop::post(Task task) {
  bool wasEmpty;
  {
    std::lock_guard lock(postMutex_);
    wasEmpty = posted_.empty();
    posted_.push_back(std::move(task));
  }
  // A non-empty queue has already been signalled and not yet taken by the loop.
  if (wasEmpty) backend_->wake();
}

void Loop::dispatch(Task task) {
  if (isInLoopThread())
    task();
  else
    post(std::move(task));
}

void Loop::assertInLoopThread() const {
#ifndef NDEBUG
  if (!isInLoopThread()) {
    std::fprintf(stderr, "chatport: loop %zu used from a thread that does not own it\n", index_);
    std::abort();
  }
#endif
}

TimerId Loop::runAfter(Clock::duration delay, Task task) {
  assertInLoopThread();
  const TimerId id = nextTimerId_++;
  const auto deadline = Clock::now() + delay;
  timers_.emplace(std::pair{deadline, id}, std::move(task));
  timerDeadlines_.emplace(id, deadline);
  return id;
}

void Loop::cancelTimer(TimerId id) {
  assertInLoopThread();
  if (auto it = timerDeadlines_.find(id); it != timerDeadlines_.end()) {
    timers_.erase(std::pair{it->second, id});
    timerDeadlines_.erase(it);
  }
}

int Loop::pollTimeoutMs() const {
  {
    std::lock_guard lock(postMutex_);
    if (!posted_.empty()) return 0;
  }
  if (timers_.empty()) return -1;
  const auto wait = timers_.begin()->first.first - Clock::now();
  if (wait <= Clock::duration::zero()) return 0;
  // Round up so a timer never fires a little early and costs an extra turn.
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

void Loop::runPostedTasks() {
  {
    std::lock_guard lock(postMutex_);
    running_.swap(posted_);
  }
  for (auto& task : running_) task();
  running_.clear();
}

void Loop::runDueTimers() {
  const auto now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    auto node = timers_.extract(timers_.begin());
    timerDeadlines_.erase(node.key().second);
    node.mapped()();
  }
}

void Loop::run() {
  threadId_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  while (!stopping_.load(std::memory_order_acquire)) {
    backend_->poll(pollTimeoutMs());
    runDueTimers();
    runPostedTasks();
  }
  // Work posted before stop() still runs, so callers waiting on it are answered; connections
  // it opened are closed like the others.
  runPostedTasks();
  closeAllConnections(make_error_code(Error::EngineStopped));
  for (auto& [id, task] : std::exchange(atStop_, {})) task();
  runPostedTasks();
}

TimerId Loop::runAtStop(Task task) {
  assertInLoopThread();
  const TimerId id = nextTimerId_++;
  atStop_.emplace(id, std::move(task));
  return id;
}

void Loop::cancelAtStop(TimerId id) {
  assertInLoopThread();
  atStop_.erase(id);
}

void Loop::stop() {
  stopping_.store(true, std::memory_order_release);
  backend_->wake();
}

void Loop::addConnection(std::shared_ptr<Connection> connection) {
  assertInLoopThread();
  connections_.add(std::move(connection));
}

void Loop::removeConnection(Connection& connection) {
  assertInLoopThread();
  // Released on the next turn: the connection may be inside its own handler right now.
  if (auto keep = connections_.remove(connection)) post([keep = std::move(keep)] {});
}

void Loop::closeAllConnections(std::error_code reason) {
  assertInLoopThread();
  for (auto& connection : connections_.snapshot()) connection->abort(reason);
}

}  // namespace chatport::net
