#pragma once
// One instruction from the room to a loop's shard. The room queues them per loop and sends each
// loop its batch in one posted task, so a broadcast costs one post per loop, not one per
// joiner, and every joiner's frames keep the order in which the room decided them.

#include <chatport/chat/types.h>
#include <chatport/net/buffer.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace chatport::chat {

class ClientLink;

struct ShardItem {
  enum class Kind : std::uint8_t {
    Broadcast,  ///< frame, sealed under the room key already, to every admitted joiner on the loop
    Send,       ///< frame to link, sealed there under the link's keys
    SendBulk,   ///< file data to link: behind everything else it is sent (ClientLink::sendBulk)
    Admit,      ///< link joins the room as id: it gets broadcasts from now on
    Close,      ///< send frame (if any) to link, then close it (after a flush if flush)
    CloseAll,   ///< the room ends: frame to every joiner, then close every link on the loop
    Exempt,     ///< link's rate limit lifted (exempt) or back
  };
  Kind kind = Kind::Broadcast;
  net::SharedBytes frame;
  std::shared_ptr<ClientLink> link;
  ClientId id = kNoClient;
  LeaveReason reason = LeaveReason::Quit;
  bool flush = true;
  bool exempt = false;
};

/// Joins each run of consecutive Broadcast items into one whose frame holds their bytes back to
/// back, up to about maxBytes each. Frames delimit themselves, so the bytes on the wire do not
/// change; a joiner's send queue holds one entry for a burst (a storm of joins, a busy turn of
/// chat) instead of one per frame.
void coalesceBroadcasts(std::vector<ShardItem>& items, std::size_t maxBytes);

}  // namespace chatport::chat
