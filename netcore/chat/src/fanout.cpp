#include "fanout.h"

#include "client_link.h"
#include "loop_shard.h"
#include "room_flow.h"

namespace chatport::chat {
namespace {

// Large enough that a busy turn travels as a few buffers, small enough that the one copy per
// loop it costs stays cheap.
constexpr std::size_t kMaxCoalescedBytes = 256 * 1024;

}  // namespace

void coalesceBroadcasts(std::vector<ShardItem>& items, std::size_t maxBytes) {
  // In place: every room turn passes through here, most with nothing to join.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size();) {
    std::size_t end = i + 1;
    if (items[i].kind == ShardItem::Kind::Broadcast) {
      std::size_t bytes = items[i].frame->size();
      while (end < items.size() && items[end].kind == ShardItem::Kind::Broadcast &&
             bytes + items[end].frame->size() <= maxBytes)
        bytes += items[end++].frame->size();
      if (end - i > 1) {
        auto joined = std::make_shared<net::Bytes>();
        joined->reserve(bytes);
        for (std::size_t k = i; k < end; ++k)
          joined->insert(joined->end(), items[k].frame->begin(), items[k].frame->end());
        items[i].frame = std::move(joined);
      }
    }
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
    i = end;
  }
  items.resize(kept);
}

Fanout::Fanout(net::Loop& roomLoop, std::vector<std::shared_ptr<LoopShard>> shards)
    : roomLoop_(roomLoop), shards_(std::move(shards)), pending_(shards_.size()) {}

void Fanout::broadcast(const net::SharedBytes& frame) {
  ++broadcasts_;
  for (std::size_t i = 0; i < shards_.size(); ++i)
    add(i, ShardItem{ShardItem::Kind::Broadcast, frame, nullptr});
}

void Fanout::send(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& frame) {
  add(link->loopIndex(), ShardItem{ShardItem::Kind::Send, frame, link});
}

void Fanout::sendBulk(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& frame) {
  add(link->loopIndex(), ShardItem{ShardItem::Kind::SendBulk, frame, link});
}

void Fanout::admit(const std::shared_ptr<ClientLink>& link, ClientId id) {
  ShardItem item{ShardItem::Kind::Admit, nullptr, link};
  item.id = id;
  add(link->loopIndex(), std::move(item));
}

void Fanout::setExempt(const std::shared_ptr<ClientLink>& link, bool exempt) {
  ShardItem item{ShardItem::Kind::Exempt, nullptr, link};
  item.exempt = exempt;
  add(link->loopIndex(), std::move(item));
}

void Fanout::close(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& lastFrame,
                   LeaveReason reason, bool flush) {
  ShardItem item{ShardItem::Kind::Close, lastFrame, link};
  item.reason = reason;
  item.flush = flush;
  add(link->loopIndex(), std::move(item));
}

void Fanout::closeAll(const net::SharedBytes& lastFrame) {
  for (std::size_t i = 0; i < shards_.size(); ++i)
    add(i, ShardItem{ShardItem::Kind::CloseAll, lastFrame, nullptr});
}

void Fanout::add(std::size_t loop, ShardItem item) {
  // Broadcasts only: each grows every member's queue. A send grows one (a Welcome of a large
  // room is big, and a join storm sends thousands).
  if (flow_ && item.kind == ShardItem::Kind::Broadcast) flow_->sent(loop, item.frame->size());
  pending_[loop].push_back(std::move(item));
  scheduleFlush();
}

void Fanout::setRoomSize(std::size_t members) noexcept {
  const auto gap = kGatherPerMember * static_cast<long>(members);
  // The loops' timers have millisecond resolution, and a small room's flush is cheap.
  gap_ = gap < std::chrono::milliseconds(1) ? net::Clock::duration::zero() : std::min(gap, kMaxGather);
}

void Fanout::scheduleFlush() {
  if (flushScheduled_) return;
  flushScheduled_ = true;
  auto task = [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->flush();
  };
  const auto now = net::Clock::now();
  if (now - lastFlush_ >= gap_) {
    // After the tasks of this turn: everything the room decides in one turn travels together.
    roomLoop_.post(std::move(task));
  } else {
    flushTimer_ = roomLoop_.runAfter(lastFlush_ + gap_ - now, std::move(task));
  }
}

void Fanout::flush() {
  roomLoop_.assertInLoopThread();
  flushScheduled_ = false;
  if (flushTimer_ != 0) roomLoop_.cancelTimer(std::exchange(flushTimer_, 0));
  lastFlush_ = net::Clock::now();
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (pending_[i].empty()) continue;
    auto batch = std::exchange(pending_[i], {});
    coalesceBroadcasts(batch, kMaxCoalescedBytes);
    auto& shard = shards_[i];
    if (&shard->loop() == &roomLoop_) {
      shard->apply(batch);
    } else {
      shard->loop().post([shard, batch = std::move(batch)]() mutable { shard->apply(batch); });
    }
  }
}

}  // namespace chatport::chat
