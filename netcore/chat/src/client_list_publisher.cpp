#include "client_list_publisher.h"

#include "event_queue.h"

namespace chatport::chat {

ClientListPublisher::ClientListPublisher(net::Loop& loop, EventQueue& events, Snapshot snapshot,
                                         std::chrono::milliseconds minInterval)
    : loop_(loop), events_(events), snapshot_(std::move(snapshot)), minInterval_(minInterval) {}

void ClientListPublisher::publishNow() {
  if (stopped_) return;
  pending_ = false;
  last_ = net::Clock::now();
  events_.push(ClientListEvent{snapshot_()});
}

void ClientListPublisher::changed() {
  if (pending_ || stopped_) return;
  pending_ = true;
  const auto due = last_ + minInterval_;
  const auto now = net::Clock::now();
  const auto delay = due > now ? due - now : net::Clock::duration::zero();
  loop_.runAfter(delay, [weak = weak_from_this()] {
    if (auto self = weak.lock(); self && self->pending_) self->publishNow();
  });
}

void ClientListPublisher::stop() { stopped_ = true; }

}  // namespace chatport::chat
