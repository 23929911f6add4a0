// The frame decoder gives the same frames and the same error however the stream is cut into
// reads: each input is decoded from one whole buffer and again in chunks whose sizes the input
// chooses, and both are held to a plain reading of the wire format (net/frame.h).
//
// Input layout:
//   byte 0        the receiver's maximum payload: 0-127 as is, 128-255 the default (1 MiB)
//   byte 1        k (low 4 bits): how many chunk sizes follow; 0 means reads of one byte
//   k bytes       chunk sizes 0-255, used in turn until the stream ends (0: an empty read)
//   the rest      the byte stream

#include <chatport/net/frame.h>

#include "check.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace {

using chatport::net::Bytes;
using chatport::net::FrameDecoder;
using chatport::net::FrameError;

struct Outcome {
  std::vector<Bytes> frames;
  FrameError error = FrameError::None;
  std::size_t rejectedLength = 0;
  std::size_t buffered = 0;  // bytes of an unfinished frame at the end (when no error)
};

// The wire format read the simplest way, to hold the decoder to.
Outcome readPlainly(std::span<const std::byte> stream, std::size_t maxPayload) {
  namespace net = chatport::net;
  Outcome out;
  while (stream.size() >= net::kFrameHeaderSize) {
    if (std::to_integer<std::uint8_t>(stream[0]) != net::kFrameMagic) {
      out.error = FrameError::BadMagic;
      return out;
    }
    const std::size_t length = std::to_integer<std::size_t>(stream[1]) << 16 |
                               std::to_integer<std::size_t>(stream[2]) << 8 |
                               std::to_integer<std::size_t>(stream[3]);
    if (length > maxPayload) {
      out.error = FrameError::TooLarge;
      out.rejectedLength = length;
      return out;
    }
    if (stream.size() - net::kFrameHeaderSize < length) break;
    const auto payload = stream.subspan(net::kFrameHeaderSize, length);
    out.frames.emplace_back(payload.begin(), payload.end());
    stream = stream.subspan(net::kFrameHeaderSize + length);
  }
  out.buffered = stream.size();
  return out;
}

// Feeds the stream to a decoder in chunks of the given sizes, in turn.
Outcome decode(std::span<const std::byte> stream, std::size_t maxPayload,
               const std::vector<std::size_t>& chunkSizes) {
  Outcome out;
  FrameDecoder decoder(maxPayload);
  auto onFrame = [&](std::span<const std::byte> payload) {
    FUZZ_CHECK(decoder.error() == FrameError::None, "a frame came out of a failed decoder");
    out.frames.emplace_back(payload.begin(), payload.end());
  };
  for (std::size_t i = 0; !stream.empty(); ++i) {
    const std::size_t n = std::min(chunkSizes[i % chunkSizes.size()], stream.size());
    const FrameError error = decoder.feed(stream.first(n), onFrame);
    FUZZ_CHECK(error == decoder.error(), "feed() returned %d, error() says %d", static_cast<int>(error),
               static_cast<int>(decoder.error()));
    FUZZ_CHECK(out.error == FrameError::None || error == out.error, "the error changed");
    out.error = error;
    stream = stream.subspan(n);
  }
  out.rejectedLength = decoder.rejectedLength();
  out.buffered = decoder.buffered();
  if (out.error != FrameError::None) {
    // Once failed, it stays failed: a valid frame after the error changes nothing.
    const std::byte valid[] = {std::byte{chatport::net::kFrameMagic}, std::byte{0}, std::byte{0},
                               std::byte{1}, std::byte{'x'}};
    const std::size_t frames = out.frames.size();
    FUZZ_CHECK(decoder.feed(valid, onFrame) == out.error && out.frames.size() == frames,
               "a failed decoder went on");
  }
  return out;
}

void expectSame(const Outcome& a, const Outcome& b, const char* what) {
  FUZZ_CHECK(a.error == b.error, "%s: error %d, the plain reading %d", what, static_cast<int>(a.error),
             static_cast<int>(b.error));
  FUZZ_CHECK(a.frames.size() == b.frames.size(), "%s: %zu frames, the plain reading %zu", what,
             a.frames.size(), b.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i)
    FUZZ_CHECK(a.frames[i] == b.frames[i], "%s: frame %zu differs", what, i);
  if (a.error == FrameError::TooLarge)
    FUZZ_CHECK(a.rejectedLength == b.rejectedLength, "%s: rejected length %zu, announced %zu", what,
               a.rejectedLength, b.rejectedLength);
  if (a.error == FrameError::None)
    FUZZ_CHECK(a.buffered == b.buffered, "%s: %zu bytes held, %zu unfinished", what, a.buffered,
               b.buffered);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t maxPayload = data[0] < 128 ? data[0] : chatport::net::kDefaultMaxFrameSize;
  const std::size_t k = data[1] & 0x0F;
  if (size < 2 + k) return 0;
  std::vector<std::size_t> chunkSizes(data + 2, data + 2 + k);
  if (std::all_of(chunkSizes.begin(), chunkSizes.end(), [](std::size_t n) { return n == 0; }))
    chunkSizes.push_back(1);  // reads of one byte, between the empty ones
  const std::span stream(reinterpret_cast<const std::byte*>(data + 2 + k), size - 2 - k);

  const Outcome plain = readPlainly(stream, maxPayload);
  expectSame(decode(stream, maxPayload, {stream.size()}), plain, "in one read");
  expectSame(decode(stream, maxPayload, chunkSizes), plain, "in chunks");
  return 0;
}
