#pragma once
// A RoomFinder for tests, and a way to wait for what it lists: each change it reports wakes
// the waiting test, which looks at the list again (no polling).

#include <chatport/chat/discovery.h>

#include "wait.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace chatport::chat::test {

class RoomWatch {
 public:
  explicit RoomWatch(std::unique_ptr<RoomFinder> finder) : finder_(std::move(finder)) {
    finder_->setOnChange([this] {
      std::lock_guard lock(mutex_);
      changed_.notify_all();
    });
  }
  RoomFinder& operator*() { return *finder_; }
  RoomFinder* operator->() { return finder_.get(); }

  void start() {
    std::string problem;
    ASSERT_FALSE(finder_->start(problem)) << problem;
  }
  /// Waits until pred(rooms) holds; false at the deadline.
  template <typename Pred>
  bool waitFor(Pred pred, std::chrono::milliseconds deadline = chatport::test::kDeadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return pred(finder_->rooms()); });
  }
  bool waitForRoom(const std::string& name, std::chrono::milliseconds deadline = chatport::test::kDeadline) {
    return waitFor([&](const std::vector<FoundRoom>& rooms) { return findRoomByName(rooms, name) != nullptr; },
                   deadline);
  }
  /// The room of that name listed now, if any.
  std::optional<FoundRoom> room(const std::string& name) const {
    const auto rooms = finder_->rooms();
    const FoundRoom* found = findRoomByName(rooms, name);
    return found ? std::optional<FoundRoom>(*found) : std::nullopt;
  }
  std::string describe() const {
    std::string out = "rooms heard:";
    for (const auto& r : finder_->rooms())
      out += " [" + r.hostName + " port " + std::to_string(r.port) + " people " + std::to_string(r.people) + "]";
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::unique_ptr<RoomFinder> finder_;  // last: stopped (its thread joined) before the rest goes
};

}  // namespace chatport::chat::test
