#include "loop_shard.h"

#include <chatport/chat/protocol.h>

#include "client_link.h"
#include "room_flow.h"

#include <algorithm>

namespace chatport::chat {

LoopShard::LoopShard(net::Loop& loop, const CoreOptions& options)
    : loop_(loop), options_(options), heartbeat_(proto::toFrame(proto::Heartbeat{})) {}

void LoopShard::start(std::shared_ptr<RoomFlow> flow, std::size_t index) {
  loop_.assertInLoopThread();
  flow_ = std::move(flow);
  index_ = index;
  lastHeartbeat_ = net::Clock::now();
  tick();
}

void LoopShard::tick() {
  // Often enough to send heartbeats on time and to notice silence well within the timeout.
  const auto period = std::max<std::chrono::milliseconds>(
      std::chrono::milliseconds(20),
      std::min(options_.heartbeatInterval, options_.heartbeatTimeout / 4));
  std::weak_ptr<LoopShard> weak = weak_from_this();
  timer_ = loop_.runAfter(period, [weak] {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    const auto now = net::Clock::now();
    // Copied: a check may close a link, which detaches it.
    std::vector<std::shared_ptr<ClientLink>> members = self->members_;
    for (auto& link : members) link->checkSilence(now);
    if (now - self->lastHeartbeat_ >= self->options_.heartbeatInterval) {
      self->lastHeartbeat_ = now;
      for (auto& link : members)
        if (link->isMember()) link->send(self->heartbeat_);
    }
    self->compactMembers();
    self->measureQueues();
    self->tick();
  });
}

void LoopShard::attach(std::shared_ptr<ClientLink> link) {
  loop_.assertInLoopThread();
  links_.add(std::move(link));
}

void LoopShard::detach(ClientLink& link) {
  loop_.assertInLoopThread();
  links_.remove(link);
  membersDirty_ = true;  // removed from members_ after the current batch
  if (links_.empty() && drained_) {
    // Posted: this runs inside the link's close handler.
    loop_.post([d = std::exchange(drained_, nullptr)] { d(); });
  }
}

void LoopShard::whenEmpty(std::function<void()> drained) {
  loop_.assertInLoopThread();
  if (links_.empty()) {
    drained();
    return;
  }
  drained_ = std::move(drained);
}

void LoopShard::compactMembers() {
  if (!membersDirty_) return;
  membersDirty_ = false;
  std::erase_if(members_, [](const auto& link) { return !link->isMember(); });
}

void LoopShard::apply(std::vector<ShardItem>& items) {
  loop_.assertInLoopThread();
  using Kind = ShardItem::Kind;
  std::size_t bytes = 0;  // what Fanout told the flow it sent
  for (auto& item : items) {
    if (item.kind == Kind::Broadcast) bytes += item.frame->size();
    switch (item.kind) {
      case Kind::Broadcast:
        // A send may close a link whose queue is full; it stays in members_ until compacted
        // and isMember() turns false at once, so the iteration is safe.
        for (std::size_t i = 0; i < members_.size(); ++i)
          if (members_[i]->isMember()) members_[i]->sendSealed(item.frame);
        break;
      case Kind::Send:
        item.link->send(item.frame);
        break;
      case Kind::SendBulk:
        item.link->sendBulk(item.frame);
        break;
      case Kind::Admit:
        item.link->admit(item.id);
        if (item.link->isMember()) {
          item.link->setReading(reading_);  // as the others (it may have stopped for its hello)
          members_.push_back(item.link);
        }
        break;
      case Kind::Close:
        item.link->close(item.frame, item.reason, item.flush);
        break;
      case Kind::Exempt:
        item.link->setExempt(item.exempt);
        break;
      case Kind::CloseAll: {
        stopped_ = true;
        if (timer_) loop_.cancelTimer(std::exchange(timer_, 0));
        if (recheckTimer_) loop_.cancelTimer(std::exchange(recheckTimer_, 0));
        for (auto& link : links_.snapshot()) {
          if (link->isMember())
            link->close(item.frame, LeaveReason::Quit, true);
          else
            link->close(nullptr, LeaveReason::Quit, false);  // told nothing yet: just go
        }
        members_.clear();
        break;
      }
    }
  }
  compactMembers();
  measureQueues(bytes);
}

void LoopShard::measureQueues(std::size_t applied) {
  std::size_t total = 0;
  std::size_t peak = peakQueued_.load(std::memory_order_relaxed);
  std::size_t behind = 0;
  std::size_t lagging = 0;
  std::size_t members = 0;
  const std::size_t mark = flow_ ? flow_->behindMark() : 0;
  const auto now = net::Clock::now();
  for (const auto& link : members_) {
    if (!link->isMember()) continue;
    const std::size_t q = link->queuedBytes();
    total += q;
    peak = std::max(peak, q);
    ++members;
    if (!flow_) continue;
    if (const auto since = link->behindFor(q > mark, now)) {
      ++behind;
      if (*since > RoomFlow::kLagLimit) ++lagging;
    }
  }
  queuedBytes_.store(total, std::memory_order_relaxed);
  peakQueued_.store(peak, std::memory_order_relaxed);
  if (flow_ && !stopped_) flow_->applied(index_, applied, behind, lagging, members);
}

void LoopShard::setReading(bool reading) {
  loop_.assertInLoopThread();
  if (stopped_ || reading == reading_) return;
  reading_ = reading;
  for (auto& link : members_)
    if (link->isMember()) link->setReading(reading);
  if (reading) {
    if (recheckTimer_) loop_.cancelTimer(std::exchange(recheckTimer_, 0));
  } else {
    recheck();  // nothing new is sent meanwhile: only draining tells when the room is clear
  }
}

void LoopShard::recheck() {
  recheckTimer_ = loop_.runAfter(kRecheck, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->stopped_ || self->reading_) return;
    self->measureQueues();
    if (!self->reading_) self->recheck();
  });
}

}  // namespace chatport::chat
