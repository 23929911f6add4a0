#pragma once
// Publishes ClientListEvent when the client list changes, at most once per interval: a burst of
// joins costs the front end one list, not one per join (a list per join would be quadratic in
// the room's size). Joined/Left/Renamed events go out at once; the list follows within the
// interval and always reflects every event queued before it.

#include <chatport/chat/types.h>
#include <chatport/net/loop.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace chatport::chat {

class EventQueue;

class ClientListPublisher : public std::enable_shared_from_this<ClientListPublisher> {
 public:
  using Snapshot = std::function<std::vector<Participant>()>;

  ClientListPublisher(net::Loop& loop, EventQueue& events, Snapshot snapshot,
                      std::chrono::milliseconds minInterval = std::chrono::milliseconds(100));

  /// Core loop only. Publishes the list now.
  void publishNow();
  /// Core loop only. The list changed: publish it soon.
  void changed();
  /// Core loop only. Publishes nothing more.
  void stop();

 private:
  net::Loop& loop_;
  EventQueue& events_;
  Snapshot snapshot_;
  const std::chrono::milliseconds minInterval_;
  // Core loop only.
  bool pending_ = false;
  bool stopped_ = false;
  net::Clock::time_point last_{};
};

}  // namespace chatport::chat
