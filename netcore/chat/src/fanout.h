#pragma once
// Host side, on the room's loop: collects the room's instructions per loop and hands each loop
// its batch in one posted task at the end of the room's turn. A broadcast frame is encoded once
// and the same SharedBytes goes to every joiner.
//
// A flush costs one send per member, and on a busy host that send (the kernel's TCP path, which
// on loopback also runs the receiver's) is most of a delivery's cost, however little it carries.
// So a large room's flushes are paced: one comes at least a gap after the last, and what the room
// says meanwhile travels with it, several messages to a send. The gap grows with the room (with a
// flush's cost) up to kMaxGather; a room that said nothing for a gap flushes at once.

#include <chatport/chat/types.h>
#include <chatport/net/buffer.h>
#include <chatport/net/loop.h>

#include "shard_item.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace chatport::chat {

class ClientLink;
class LoopShard;
class RoomFlow;

class Fanout : public std::enable_shared_from_this<Fanout> {
 public:
  /// shards: one per engine loop, indexed like the loops.
  Fanout(net::Loop& roomLoop, std::vector<std::shared_ptr<LoopShard>> shards);

  // Room loop only. Each queues an instruction; flush() (scheduled automatically) sends them.
  void broadcast(const net::SharedBytes& frame);
  void send(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& frame);
  void sendBulk(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& frame);
  void admit(const std::shared_ptr<ClientLink>& link, ClientId id);
  void setExempt(const std::shared_ptr<ClientLink>& link, bool exempt);
  void close(const std::shared_ptr<ClientLink>& link, const net::SharedBytes& lastFrame,
             LeaveReason reason, bool flush);
  void closeAll(const net::SharedBytes& lastFrame);
  /// Room loop only. Sends every loop its pending batch now.
  void flush();
  /// Room loop only. Tells flow what each loop is sent (broadcasts and sends).
  void setFlow(std::shared_ptr<RoomFlow> flow) { flow_ = std::move(flow); }
  /// Room loop only. How many are in the room: sets the gap between flushes.
  void setRoomSize(std::size_t members) noexcept;

  /// The gap between flushes: kGatherPerMember for each member, none below a millisecond (rooms
  /// under 100), at most kMaxGather (rooms of 1,000 and more). docs/PERFORMANCE.md, "Paced
  /// flushes", has what each costs and saves.
  static constexpr net::Clock::duration kMaxGather = std::chrono::milliseconds(10);
  static constexpr net::Clock::duration kGatherPerMember = std::chrono::microseconds(10);

  /// Frames queued for broadcast so far (for statistics). Room loop only.
  std::uint64_t broadcasts() const noexcept { return broadcasts_; }

 private:
  void add(std::size_t loop, ShardItem item);
  void scheduleFlush();

  net::Loop& roomLoop_;
  const std::vector<std::shared_ptr<LoopShard>> shards_;
  // Room loop only.
  std::vector<std::vector<ShardItem>> pending_;  // per loop
  bool flushScheduled_ = false;
  net::TimerId flushTimer_ = 0;
  net::Clock::duration gap_{};
  net::Clock::time_point lastFlush_{};
  std::shared_ptr<RoomFlow> flow_;
  std::uint64_t broadcasts_ = 0;
};

}  // namespace chatport::chat
