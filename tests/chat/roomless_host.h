#pragma once
// A host's loops, shards and client links without its room: the test plays the room, giving
// the shards (directly, or through a Fanout) the instructions a room would, and joiners made
// of plain sockets show what each joiner receives.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/protocol.h>
#include <chatport/net/engine.h>

#include "client_link.h"
#include "loop_shard.h"
#include "raw_joiner.h"
#include "wait.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chatport::chat::test {

class RoomlessHost {
 public:
  /// loops: engine loops, each with its shard; loop 0 is the room's.
  explicit RoomlessHost(std::size_t loops);
  ~RoomlessHost();

  net::Loop& roomLoop() { return engine_->loop(0); }
  const std::vector<std::shared_ptr<LoopShard>>& shards() const { return shards_; }

  struct Joiner {
    RawJoiner socket;
    std::shared_ptr<ClientLink> link;
  };
  /// A joiner whose hello its link has read: the link waits for the room to admit it.
  Joiner& joinerThatSaidHello(const std::string& name);
  /// A joiner that connected and has said nothing.
  Joiner& silentJoiner();

  /// Runs fn on loop and returns once it has run.
  void runOn(net::Loop& loop, std::function<void()> fn);
  /// Runs a batch on the shard of the given loop, as a Fanout would.
  void apply(std::size_t loop, std::vector<ShardItem> items);

  /// Everything a joiner receives until the host closes the connection, each message described
  /// in a few words (describe()). After the host's last words (Closing, Refuse) the joiner
  /// ends its side of the connection.
  static std::vector<std::string> readUntilClosed(Joiner& joiner);
  static std::string describe(const proto::HostMessage& message);

 private:
  Joiner& connect();

  CoreOptions options_;
  std::unique_ptr<net::Engine> engine_;
  std::vector<std::shared_ptr<LoopShard>> shards_;
  std::shared_ptr<net::Listener> listener_;
  chatport::test::Guarded<std::map<std::string, std::shared_ptr<ClientLink>>> links_;  // by peer
  std::deque<Joiner> joiners_;
};

}  // namespace chatport::chat::test
