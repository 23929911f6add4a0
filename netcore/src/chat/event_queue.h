#pragma once
// The events-out queue between the chat core and a front end, with a coalesced wake-up.

#include <chatport/chat/types.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace chatport::chat {

class EventQueue {
 public:
  /// Thread-safe. Runs on the pushing thread (a core thread) after the push that finds the
  /// queue armed; the queue is armed at first and again each time drain() empties it. So a
  /// front end that drains on every wake until the queue is empty never misses one, and a
  /// burst of events costs it one wake, not one per event.
  void setWake(std::function<void()> wake);

  /// Thread-safe.
  void push(Event event);
  /// Thread-safe. Moves up to max events, oldest first, to the end of out; returns how many.
  std::size_t drain(std::vector<Event>& out, std::size_t max);
  /// Thread-safe.
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::deque<Event> events_;      // guarded by mutex_
  bool armed_ = true;             // guarded by mutex_
  std::function<void()> wake_;    // guarded by mutex_
};

}  // namespace chatport::chat
