#pragma once
// One instruction from the room to a loop's shard. The room queues them per loop and sends each
// loop its batch in one posted task, so a broadcast costs one post per loop, not one per
// joiner, and every joiner's frames keep the order in which the room decided them.

#include <chatport/chat/types.h>
#include <chatport/net/buffer.h>

#include <cstdint>
#include <memory>

namespace chatport::chat {

class ClientLink;

struct ShardItem {
  enum class Kind : std::uint8_t {
    Broadcast,  ///< frame to every admitted joiner on the loop
    Send,       ///< frame to link
    Admit,      ///< link joins the room as id: it gets broadcasts from now on
    Close,      ///< send frame (if any) to link, then close it (after a flush if flush)
    CloseAll,   ///< the room ends: frame to every joiner, then close every link on the loop
  };
  Kind kind = Kind::Broadcast;
  net::SharedBytes frame;
  std::shared_ptr<ClientLink> link;
  ClientId id = kNoClient;
  LeaveReason reason = LeaveReason::Quit;
  bool flush = true;
};

}  // namespace chatport::chat
