#include "event_queue.h"

namespace chatport::chat {

void EventQueue::setWake(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

void EventQueue::push(Event event) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    if (armed_ && wake_) {
      armed_ = false;
      wake = wake_;  // called outside the lock: it may drain at once, on this thread
    }
  }
  if (wake) wake();
}

std::size_t EventQueue::drain(std::vector<Event>& out, std::size_t max) {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(max, events_.size());
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(std::move(events_.front()));
    events_.pop_front();
  }
  if (events_.empty()) armed_ = true;
  return n;
}

std::size_t EventQueue::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace chatport::chat
