#pragma once
// Length-prefixed frames over a TCP byte stream.
//
// Wire format of one frame (all integers big-endian):
//
//   offset  size  field
//   0       1     magic 0xCB (lets a receiver reject a stranger's bytes at once)
//   1       3     payload length n, 0 <= n <= 16 MiB - 1
//   4       n     payload
//
// A receiver enforces its own maximum (default 1 MiB) on n before buffering anything.

#include <chatport/net/buffer.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace chatport::net {

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::uint8_t kFrameMagic = 0xCB;
inline constexpr std::size_t kFrameLengthLimit = (std::size_t{1} << 24) - 1;
inline constexpr std::size_t kDefaultMaxFrameSize = std::size_t{1} << 20;

enum class FrameError {
  None,
  BadMagic,  ///< the first byte of a header is not kFrameMagic
  TooLarge,  ///< the announced payload length exceeds the receiver's maximum
};

/// Encodes one frame. payload.size() must not exceed kFrameLengthLimit.
SharedBytes encodeFrame(std::span<const std::byte> payload);
/// Appends one encoded frame to out.
void appendFrame(Bytes& out, std::span<const std::byte> payload);

/// Reassembles frames from a byte stream delivered in pieces of any size: a header or payload
/// split across reads, and many frames in one read, both come out as whole frames.
/// Stops at the first error; once failed, it stays failed.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t maxPayload = kDefaultMaxFrameSize) noexcept
      : maxPayload_(static_cast<std::uint32_t>(std::min(maxPayload, kMaxStoredPayload))) {}

  /// Feeds received bytes; calls onFrame(std::span<const std::byte> payload) for each complete
  /// frame, in order. The span is valid only during the call.
  template <typename OnFrame>
  FrameError feed(std::span<const std::byte> data, OnFrame&& onFrame);

  FrameError error() const noexcept { return error_; }
  /// Payload length announced by the header that failed with TooLarge.
  std::size_t rejectedLength() const noexcept { return rejectedLength_; }
  std::size_t maxPayload() const noexcept { return maxPayload_; }
  /// Bytes held for a frame that has not fully arrived.
  std::size_t buffered() const noexcept { return partial_.size(); }

 private:
  // Returns the payload length of the header at p, or sets error_.
  bool parseHeader(const std::byte* p, std::size_t& length) noexcept;

  // What partial_ may keep of its capacity once its frame is complete.
  static constexpr std::size_t kKeptPartialCapacity = 256;

  // No header announces more than kFrameLengthLimit: a larger maximum is as good as this one.
  static constexpr std::size_t kMaxStoredPayload = std::numeric_limits<std::uint32_t>::max();
  static_assert(kFrameLengthLimit <= kMaxStoredPayload);

  // 40 bytes: a host keeps one for each of its thousands of connections.
  Bytes partial_;  // an incomplete frame, header included
  std::uint32_t maxPayload_;
  FrameError error_ = FrameError::None;
  std::uint32_t rejectedLength_ = 0;
};

template <typename OnFrame>
FrameError FrameDecoder::feed(std::span<const std::byte> data, OnFrame&& onFrame) {
  if (error_ != FrameError::None) return error_;
  std::size_t length = 0;

  // Finish a frame begun in an earlier read.
  if (!partial_.empty()) {
    if (partial_.size() < kFrameHeaderSize) {
      const std::size_t take = std::min(kFrameHeaderSize - partial_.size(), data.size());
      partial_.insert(partial_.end(), data.begin(), data.begin() + take);
      data = data.subspan(take);
      if (partial_.size() < kFrameHeaderSize) return error_;
    }
    if (!parseHeader(partial_.data(), length)) return error_;
    const std::size_t want = kFrameHeaderSize + length - partial_.size();
    const std::size_t take = std::min(want, data.size());
    partial_.insert(partial_.end(), data.begin(), data.begin() + take);
    data = data.subspan(take);
    if (take < want) return error_;
    onFrame(std::span<const std::byte>(partial_).subspan(kFrameHeaderSize));
    // A large frame's buffer is not kept for the next one: an idle connection would hold it.
    if (partial_.capacity() > kKeptPartialCapacity)
      Bytes().swap(partial_);
    else
      partial_.clear();
  }

  // Whole frames straight from the read buffer, without copying.
  while (data.size() >= kFrameHeaderSize) {
    if (!parseHeader(data.data(), length)) return error_;
    if (data.size() - kFrameHeaderSize < length) break;
    onFrame(data.subspan(kFrameHeaderSize, length));
    data = data.subspan(kFrameHeaderSize + length);
  }

  // Keep the start of the next frame.
  if (!data.empty()) {
    if (data.size() >= kFrameHeaderSize) partial_.reserve(kFrameHeaderSize + length);
    partial_.assign(data.begin(), data.end());
  }
  return error_;
}

}  // namespace chatport::net
