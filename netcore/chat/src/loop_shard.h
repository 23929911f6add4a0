#pragma once
// Host side: the room's joiners that live on one loop, and the work done for them there:
// carrying out the room's batches (ShardItem), heartbeats, and the silence check.

#include <chatport/chat/chat_core.h>
#include <chatport/net/buffer.h>
#include <chatport/net/loop.h>
#include <chatport/net/slot_list.h>

#include "shard_item.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace spdlog {
class logger;
}

namespace chatport::chat {

class ClientLink;
class HandshakeBudget;
class HostSession;
struct HostSecurity;
class RoomFlow;

/// What every link of a room shares, made once when it opens and held by its shards.
struct LinkContext {
  std::weak_ptr<HostSession> room;
  net::Loop& roomLoop;
  std::shared_ptr<HandshakeBudget> handshakes;
  std::shared_ptr<HostSecurity> security;
  std::shared_ptr<spdlog::logger> log;
  std::shared_ptr<const RoomFlow> flow;  // null: the room never holds its intake back
};

class LoopShard : public std::enable_shared_from_this<LoopShard> {
 public:
  LoopShard(net::Loop& loop, const CoreOptions& options);

  net::Loop& loop() const noexcept { return loop_; }
  /// Any thread: fixed for the shard's life. Its links read theirs here.
  const CoreOptions& options() const noexcept { return options_; }
  /// Set once, before the room listens (so before any link on the shard exists); then read by
  /// its links on any thread. A host holds thousands of links: this is not copied into each.
  void setLinkContext(std::shared_ptr<const LinkContext> context) { linkContext_ = std::move(context); }
  const LinkContext& linkContext() const noexcept { return *linkContext_; }

  /// Loop thread only. Starts the heartbeat and silence timer; reports to flow (may be null) as
  /// its shard number index.
  void start(std::shared_ptr<RoomFlow> flow = nullptr, std::size_t index = 0);
  /// Loop thread only. The room is congested (false) or clear again (true): every member stops
  /// reading, or reads again. While not reading, queues are measured every kRecheck.
  void setReading(bool reading);
  static constexpr std::chrono::milliseconds kRecheck{5};
  /// Loop thread only. A new link on this loop, admitted or not.
  void attach(std::shared_ptr<ClientLink> link);
  /// Loop thread only. The link has closed (may be called while a batch is being applied).
  void detach(ClientLink& link);
  /// Loop thread only. Carries out the room's instructions, in order.
  void apply(std::vector<ShardItem>& items);
  /// Loop thread only. Runs drained once every link on this loop has closed (after a CloseAll).
  void whenEmpty(std::function<void()> drained);

  /// Thread-safe. Bytes queued to this loop's joiners when last measured, and the most any one
  /// joiner's queue has held.
  std::size_t queuedBytes() const noexcept { return queuedBytes_.load(std::memory_order_relaxed); }
  std::size_t peakQueuedBytes() const noexcept { return peakQueued_.load(std::memory_order_relaxed); }

 private:
  void tick();
  /// Totals the queues, and reports to the flow how many members are behind, and that applied
  /// bytes it was sent have been carried out.
  void measureQueues(std::size_t applied = 0);
  void recheck();
  void compactMembers();

  net::Loop& loop_;
  const CoreOptions options_;
  std::shared_ptr<const LinkContext> linkContext_;
  net::SharedBytes heartbeat_;

  // Loop thread only.
  net::SlotList<ClientLink> links_;  // every open link
  std::vector<std::shared_ptr<ClientLink>> members_;  // admitted; closed ones removed lazily
  bool membersDirty_ = false;
  bool stopped_ = false;
  net::TimerId timer_ = 0;
  net::Clock::time_point lastHeartbeat_;
  std::function<void()> drained_;
  std::shared_ptr<RoomFlow> flow_;
  std::size_t index_ = 0;
  bool reading_ = true;
  net::TimerId recheckTimer_ = 0;

  std::atomic<std::size_t> queuedBytes_{0};
  std::atomic<std::size_t> peakQueued_{0};
};

}  // namespace chatport::chat
