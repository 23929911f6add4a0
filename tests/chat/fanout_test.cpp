// The fan-out: each joiner gets the room's frames in the order the room decided them, across
// loops and around admissions and closes; and a turn's consecutive broadcasts, joined into one
// buffer per loop, reach the wire unchanged, frame for frame and in order.

#include "fanout.h"
#include "roomless_host.h"
#include "shard_item.h"

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace chatport::chat {
namespace {

net::SharedBytes frameOf(const std::string& text) {
  return net::encodeFrame(std::span(reinterpret_cast<const std::byte*>(text.data()), text.size()));
}

ShardItem broadcast(const std::string& text) { return ShardItem{ShardItem::Kind::Broadcast, frameOf(text), nullptr}; }

std::vector<std::string> framesIn(const net::Bytes& bytes) {
  std::vector<std::string> out;
  net::FrameDecoder decoder;
  EXPECT_EQ(decoder.feed(bytes, [&](std::span<const std::byte> p) {
    out.emplace_back(reinterpret_cast<const char*>(p.data()), p.size());
  }), net::FrameError::None);
  EXPECT_EQ(decoder.buffered(), 0u);
  return out;
}

TEST(Fanout, ConsecutiveBroadcastsTravelAsOneBufferInOrder) {
  std::vector<ShardItem> items;
  items.push_back(broadcast("one"));
  items.push_back(broadcast("two"));
  items.push_back(ShardItem{ShardItem::Kind::Send, frameOf("to one joiner"), nullptr});
  items.push_back(broadcast("three"));
  items.push_back(broadcast("四"));
  items.push_back(broadcast("five 🖐"));
  items.push_back(ShardItem{ShardItem::Kind::Admit, nullptr, nullptr});
  const auto last = frameOf("six");
  items.push_back(ShardItem{ShardItem::Kind::Broadcast, last, nullptr});

  coalesceBroadcasts(items, 1 << 20);

  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].kind, ShardItem::Kind::Broadcast);
  EXPECT_EQ(framesIn(*items[0].frame), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(items[1].kind, ShardItem::Kind::Send) << "nothing crosses another instruction";
  EXPECT_EQ(framesIn(*items[2].frame), (std::vector<std::string>{"three", "四", "five 🖐"}));
  EXPECT_EQ(items[3].kind, ShardItem::Kind::Admit);
  EXPECT_EQ(items[4].frame, last) << "a broadcast on its own is passed on as it is, not copied";
}

TEST(Fanout, ABufferStaysWithinItsLimit) {
  const std::string hundred(96, 'x');  // 100 bytes with the frame header
  std::vector<ShardItem> items;
  for (int i = 0; i < 5; ++i) items.push_back(broadcast(hundred));
  coalesceBroadcasts(items, 250);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].frame->size(), 200u);
  EXPECT_EQ(items[1].frame->size(), 200u);
  EXPECT_EQ(items[2].frame->size(), 100u);
  std::size_t frames = 0;
  for (const auto& item : items) frames += framesIn(*item.frame).size();
  EXPECT_EQ(frames, 5u);
}

// ---- Over real connections: what each joiner receives ----------------------------------------

using test::RoomlessHost;
using Seen = std::vector<std::string>;

net::SharedBytes chat(const std::string& text) { return proto::toFrame(proto::ChatMessage{1, 1, 0, text}); }
net::SharedBytes privately(const std::string& text) {
  return proto::toFrame(proto::PrivateMessage{1, 2, 1, 0, text});
}
net::SharedBytes closing(const std::string& detail) {
  return proto::toFrame(proto::Closing{proto::Code::HostClosing, detail});
}

TEST(Fanout, EachJoinerGetsTheFramesOfATurnInTheOrderTheRoomDecidedThem) {
  RoomlessHost host(2);
  auto fanout = std::make_shared<Fanout>(host.roomLoop(), host.shards());
  auto& ann = host.joinerThatSaidHello("ann");
  auto& ben = host.joinerThatSaidHello("ben");
  auto& cat = host.joinerThatSaidHello("cat");
  auto& dan = host.joinerThatSaidHello("dan");
  auto& newcomer = host.joinerThatSaidHello("newcomer");
  const std::set<std::size_t> loops = {ann.link->loopIndex(), ben.link->loopIndex(), cat.link->loopIndex(),
                                       dan.link->loopIndex(), newcomer.link->loopIndex()};
  ASSERT_EQ(loops.size(), 2u) << "joiners on the room's loop and on the other";

  host.runOn(host.roomLoop(), [&] {
    fanout->admit(ann.link, 2);
    fanout->admit(ben.link, 3);
    fanout->admit(cat.link, 4);
    fanout->admit(dan.link, 5);
  });
  // One turn of the room: all of it travels in one batch per loop.
  host.runOn(host.roomLoop(), [&] {
    fanout->broadcast(chat("m1"));
    fanout->send(newcomer.link, proto::toFrame(proto::Welcome{6, {}, "host", 1, 5000, 300, {}}));
    fanout->send(newcomer.link, proto::toFrame(proto::RosterPart{{{1, "host", true}}}));
    fanout->send(ann.link, privately("p1"));
    fanout->broadcast(chat("m2a"));
    fanout->broadcast(chat("m2b"));
    fanout->admit(newcomer.link, 6);
    fanout->broadcast(chat("m3a"));
    fanout->broadcast(chat("m3b"));
    fanout->close(cat.link, closing("cat is kicked"), LeaveReason::Kicked, true);
    fanout->broadcast(chat("m4"));
    fanout->send(ann.link, privately("p2"));
  });
  host.runOn(host.roomLoop(), [&] { fanout->closeAll(closing("bye")); });

  EXPECT_EQ(RoomlessHost::readUntilClosed(ann),
            (Seen{"m1", "private: p1", "m2a", "m2b", "m3a", "m3b", "m4", "private: p2", "closing: bye"}));
  EXPECT_EQ(RoomlessHost::readUntilClosed(ben), (Seen{"m1", "m2a", "m2b", "m3a", "m3b", "m4", "closing: bye"}));
  EXPECT_EQ(RoomlessHost::readUntilClosed(cat), (Seen{"m1", "m2a", "m2b", "m3a", "m3b", "closing: cat is kicked"}))
      << "nothing after the last words";
  EXPECT_EQ(RoomlessHost::readUntilClosed(dan), (Seen{"m1", "m2a", "m2b", "m3a", "m3b", "m4", "closing: bye"}));
  EXPECT_EQ(RoomlessHost::readUntilClosed(newcomer),
            (Seen{"welcome", "roster part", "m3a", "m3b", "m4", "closing: bye"}))
      << "the Welcome first, then exactly the broadcasts after the admission";
}

TEST(Fanout, ABusyTurnReachesEveryJoinerByteForByte) {
  RoomlessHost host(2);
  auto fanout = std::make_shared<Fanout>(host.roomLoop(), host.shards());
  auto& ann = host.joinerThatSaidHello("ann");
  auto& ben = host.joinerThatSaidHello("ben");
  ASSERT_NE(ann.link->loopIndex(), ben.link->loopIndex());
  host.runOn(host.roomLoop(), [&] {
    fanout->admit(ann.link, 2);
    fanout->admit(ben.link, 3);
  });

  // About 600 KB of messages in one turn, more than one joined buffer holds, with a private
  // message to ann among them.
  std::vector<net::SharedBytes> frames;
  for (int i = 0; i < 600; ++i)
    frames.push_back(chat(std::string(static_cast<std::size_t>(i * 37 % 2000), static_cast<char>('a' + i % 26))));
  const auto toAnn = privately("between 299 and 300");
  const auto bye = closing("bye");
  host.runOn(host.roomLoop(), [&] {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (i == 300) fanout->send(ann.link, toAnn);
      fanout->broadcast(frames[i]);
    }
  });
  host.runOn(host.roomLoop(), [&] { fanout->closeAll(bye); });

  // Broadcasts come as the room gave them; what was sent to one link (the private message, the
  // last words) comes sealed under its keys: compared as the messages the joiner reads.
  auto parsed = [](const net::SharedBytes& frame) {
    proto::HostMessage m;
    EXPECT_EQ(proto::parse(std::span<const std::byte>(*frame).subspan(net::kFrameHeaderSize), m),
              proto::ParseError::None);
    return m;
  };
  for (auto* joiner : {&ann, &ben}) {
    std::vector<proto::HostMessage> expected;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (i == 300 && joiner == &ann) expected.push_back(parsed(toAnn));
      expected.push_back(parsed(frames[i]));
    }
    expected.push_back(parsed(bye));
    std::vector<proto::HostMessage> received;
    while (received.size() < expected.size()) {
      auto m = joiner->socket.next();
      if (!m) break;
      received.push_back(std::move(*m));
    }
    ASSERT_EQ(received.size(), expected.size()) << "messages received by the joiner on loop " << joiner->link->loopIndex();
    for (std::size_t k = 0; k < expected.size(); ++k)
      ASSERT_TRUE(received[k] == expected[k]) << "loop " << joiner->link->loopIndex() << ": message " << k << " differs";
  }
}

}  // namespace
}  // namespace chatport::chat
