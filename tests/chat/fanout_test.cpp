// The fan-out joins a turn's consecutive broadcasts into one buffer per loop: what reaches the
// wire is unchanged, frame for frame and in order, around the instructions between them.

#include "shard_item.h"

#include <chatport/net/frame.h>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace chatport::chat
