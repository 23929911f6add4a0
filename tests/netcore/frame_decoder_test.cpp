#include <chatport/net/frame.h>

#include <gtest/gtest.h>

#include <random>

namespace chatport::net {
namespace {

Bytes payloadOf(std::size_t i, std::size_t size) {
  Bytes out(size);
  for (std::size_t j = 0; j < size; ++j) out[j] = std::byte((i * 31 + j) & 0xFF);
  return out;
}

Bytes hundredFramesOf50KB() {
  Bytes wire;
  for (std::size_t i = 0; i < 100; ++i) appendFrame(wire, payloadOf(i, 50'000));
  return wire;
}

// Feeds wire in pieces whose sizes come from nextSize; returns the frames decoded.
template <typename NextSize>
std::vector<Bytes> decodeInPieces(const Bytes& wire, NextSize nextSize, FrameError& error) {
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  std::span<const std::byte> rest(wire);
  error = FrameError::None;
  while (!rest.empty() && error == FrameError::None) {
    const std::size_t n = std::min(rest.size(), nextSize());
    error = decoder.feed(rest.first(n), [&](auto p) { frames.emplace_back(p.begin(), p.end()); });
    rest = rest.subspan(n);
  }
  return frames;
}

void expectHundredFrames(const std::vector<Bytes>& frames) {
  ASSERT_EQ(frames.size(), 100u);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_TRUE(frames[i] == payloadOf(i, 50'000)) << "frame " << i;
}

TEST(FrameDecoder, ReassemblesFramesFedOneByteAtATime) {
  FrameError error;
  const auto frames = decodeInPieces(hundredFramesOf50KB(), [] { return std::size_t{1}; }, error);
  EXPECT_EQ(error, FrameError::None);
  expectHundredFrames(frames);
}

TEST(FrameDecoder, SplitsManyFramesOutOfOneRead) {
  FrameError error;
  const auto frames = decodeInPieces(hundredFramesOf50KB(), [] { return std::size_t{1} << 30; }, error);
  EXPECT_EQ(error, FrameError::None);
  expectHundredFrames(frames);
}

TEST(FrameDecoder, HandlesReadsOfRandomSizes) {
  std::mt19937 random(5150);
  std::uniform_int_distribution<std::size_t> size(1, 70'000);
  FrameError error;
  const auto frames = decodeInPieces(hundredFramesOf50KB(), [&] { return size(random); }, error);
  EXPECT_EQ(error, FrameError::None);
  expectHundredFrames(frames);
}

TEST(FrameDecoder, DeliversEmptyPayloads) {
  Bytes wire;
  appendFrame(wire, {});
  appendFrame(wire, asBytes("x"));
  FrameDecoder decoder;
  std::vector<std::string> got;
  EXPECT_EQ(decoder.feed(wire, [&](auto p) { got.emplace_back(asText(p)); }), FrameError::None);
  EXPECT_EQ(got, (std::vector<std::string>{"", "x"}));
}

TEST(FrameDecoder, RejectsOversizeLengthBeforeBufferingThePayload) {
  FrameDecoder decoder(1000);
  Bytes wire;
  appendFrame(wire, payloadOf(0, 1001));
  int delivered = 0;
  EXPECT_EQ(decoder.feed(std::span(wire).first(4), [&](auto) { ++delivered; }), FrameError::TooLarge);
  EXPECT_EQ(decoder.rejectedLength(), 1001u);
  EXPECT_EQ(delivered, 0);
}

TEST(FrameDecoder, AcceptsAFrameExactlyAtTheLimit) {
  FrameDecoder decoder(1000);
  Bytes wire;
  appendFrame(wire, payloadOf(0, 1000));
  int delivered = 0;
  EXPECT_EQ(decoder.feed(wire, [&](auto) { ++delivered; }), FrameError::None);
  EXPECT_EQ(delivered, 1);
}

TEST(FrameDecoder, StopsAtTheFirstBadHeaderAndStaysFailed) {
  Bytes wire;
  appendFrame(wire, asBytes("good"));
  const auto garbage = asBytes("GARBAGE");
  wire.insert(wire.end(), garbage.begin(), garbage.end());
  appendFrame(wire, asBytes("never seen"));
  FrameDecoder decoder;
  std::vector<std::string> got;
  EXPECT_EQ(decoder.feed(wire, [&](auto p) { got.emplace_back(asText(p)); }), FrameError::BadMagic);
  EXPECT_EQ(got, std::vector<std::string>{"good"});
  Bytes more;
  appendFrame(more, asBytes("after"));
  EXPECT_EQ(decoder.feed(more, [&](auto p) { got.emplace_back(asText(p)); }), FrameError::BadMagic);
  EXPECT_EQ(got.size(), 1u);
}

TEST(FrameDecoder, DetectsBadMagicInAHeaderSplitAcrossReads) {
  FrameDecoder decoder;
  Bytes wire;
  appendFrame(wire, asBytes("a"));
  wire.push_back(std::byte{0x00});  // a wrong magic byte on its own
  int delivered = 0;
  EXPECT_EQ(decoder.feed(wire, [&](auto) { ++delivered; }), FrameError::None) << "one byte is not yet a header";
  const std::byte rest[] = {std::byte{0}, std::byte{0}, std::byte{1}};
  EXPECT_EQ(decoder.feed(rest, [&](auto) { ++delivered; }), FrameError::BadMagic);
  EXPECT_EQ(delivered, 1);
}

TEST(FrameEncoder, WritesMagicAndBigEndianLength) {
  const auto frame = encodeFrame(payloadOf(0, 0x012345));
  ASSERT_EQ(frame->size(), 4u + 0x012345);
  EXPECT_EQ((*frame)[0], std::byte{kFrameMagic});
  EXPECT_EQ((*frame)[1], std::byte{0x01});
  EXPECT_EQ((*frame)[2], std::byte{0x23});
  EXPECT_EQ((*frame)[3], std::byte{0x45});
}

}  // namespace
}  // namespace chatport::net
