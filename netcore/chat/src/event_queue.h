#pragma once
// The events-out queue between the chat core and a front end, with a coalesced wake-up and a
// bound on what it holds.

#include <chatport/chat/types.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace chatport::chat {

class EventQueue {
 public:
  /// maxBytes: about how much the events waiting may take (see shed()).
  explicit EventQueue(std::size_t maxBytes = SIZE_MAX);

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
  /// Thread-safe. About how many bytes the waiting events take.
  std::size_t bytes() const;

  /// What one event is counted as: its own size and the text it owns.
  static std::size_t costOf(const Event& event);

 private:
  void shed();  // mutex_ held

  const std::size_t maxBytes_;
  mutable std::mutex mutex_;
  std::deque<Event> events_;      // guarded by mutex_
  std::size_t bytes_ = 0;         // guarded by mutex_
  std::size_t shedAt_;            // guarded by mutex_
  bool armed_ = true;             // guarded by mutex_
  std::function<void()> wake_;    // guarded by mutex_
};

}  // namespace chatport::chat
