// A loop's shard carries out the room's batch in order: for each joiner, the frames, the
// admission and the close come exactly as listed, and broadcasts reach only admitted joiners.

#include "loop_shard.h"
#include "roomless_host.h"

#include <chatport/chat/protocol.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatport::chat {
namespace {

using test::RoomlessHost;
using Seen = std::vector<std::string>;
using Kind = ShardItem::Kind;

ShardItem broadcast(const std::string& text) {
  return {Kind::Broadcast, proto::toFrame(proto::ChatMessage{1, 1, 0, text}), nullptr};
}
ShardItem send(const RoomlessHost::Joiner& to, const net::SharedBytes& frame) { return {Kind::Send, frame, to.link}; }
ShardItem privately(const RoomlessHost::Joiner& to, const std::string& text) {
  return send(to, proto::toFrame(proto::PrivateMessage{1, 2, 1, 0, text}));
}
ShardItem admit(const RoomlessHost::Joiner& joiner, ClientId id) {
  ShardItem item{Kind::Admit, nullptr, joiner.link};
  item.id = id;
  return item;
}
net::SharedBytes closing(const std::string& detail) {
  return proto::toFrame(proto::Closing{proto::Code::Kicked, detail});
}
ShardItem close(const RoomlessHost::Joiner& joiner, const std::string& lastWords) {
  ShardItem item{Kind::Close, closing(lastWords), joiner.link};
  item.reason = LeaveReason::Kicked;
  item.flush = true;
  return item;
}

TEST(LoopShard, CarriesOutABatchInOrderForEachJoiner) {
  RoomlessHost host(1);
  auto& ann = host.joinerThatSaidHello("ann");
  auto& ben = host.joinerThatSaidHello("ben");
  auto& newcomer = host.joinerThatSaidHello("newcomer");
  auto& refused = host.joinerThatSaidHello("refused");
  auto& silent = host.silentJoiner();
  host.apply(0, {admit(ann, 2), admit(ben, 3)});

  host.apply(0, {
                    broadcast("b1"),
                    send(newcomer, proto::toFrame(proto::Welcome{4, {}, "host", 1, 5000, 300, {}})),
                    send(newcomer, proto::toFrame(proto::RosterPart{{{1, "host", true}}})),
                    admit(newcomer, 4),
                    broadcast("b2"),
                    privately(ann, "p"),
                    close(ben, "ben is kicked"),
                    broadcast("b3"),
                    close(refused, "refused"),
                    admit(refused, 5),  // closing already: not admitted
                    admit(silent, 6),   // has not said hello: not admitted
                    broadcast("b4"),
                });
  host.apply(0, {ShardItem{Kind::CloseAll, closing("bye"), nullptr}});

  EXPECT_EQ(RoomlessHost::readUntilClosed(ann), (Seen{"b1", "b2", "private: p", "b3", "b4", "closing: bye"}));
  EXPECT_EQ(RoomlessHost::readUntilClosed(ben), (Seen{"b1", "b2", "closing: ben is kicked"}))
      << "nothing after the last words";
  EXPECT_EQ(RoomlessHost::readUntilClosed(newcomer),
            (Seen{"welcome", "roster part", "b2", "b3", "b4", "closing: bye"}))
      << "the Welcome first, then exactly the broadcasts after the admission";
  EXPECT_EQ(RoomlessHost::readUntilClosed(refused), (Seen{"closing: refused"}));
  EXPECT_EQ(RoomlessHost::readUntilClosed(silent), Seen{})
      << "the end of the room closes a connection still in its handshake without a word";
}

TEST(LoopShard, AJoinerAdmittedInTheBatchGetsTheBroadcastsAfterItsAdmissionOnly) {
  // A storm of joins: each newcomer's Welcome, its admission, and the Joined notice that the
  // room broadcasts for it, one after another in one batch.
  RoomlessHost host(1);
  std::vector<RoomlessHost::Joiner*> joiners;
  for (int i = 0; i < 6; ++i) joiners.push_back(&host.joinerThatSaidHello("j" + std::to_string(i)));
  std::vector<ShardItem> batch;
  for (int i = 0; i < 6; ++i) {
    const auto id = static_cast<ClientId>(2 + i);
    batch.push_back(send(*joiners[i], proto::toFrame(proto::Welcome{id, {}, "host", 0, 5000, 1, {{1, "host", true}}})));
    batch.push_back(admit(*joiners[i], id));
    batch.push_back(broadcast("j" + std::to_string(i) + " joined"));
  }
  host.apply(0, std::move(batch));
  host.apply(0, {ShardItem{Kind::CloseAll, closing("bye"), nullptr}});

  for (int i = 0; i < 6; ++i) {
    Seen expected = {"welcome"};
    for (int k = i; k < 6; ++k) expected.push_back("j" + std::to_string(k) + " joined");
    expected.push_back("closing: bye");
    EXPECT_EQ(RoomlessHost::readUntilClosed(*joiners[i]), expected) << "j" << i;
  }
}

}  // namespace
}  // namespace chatport::chat
