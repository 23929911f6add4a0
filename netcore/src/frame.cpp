#include <chatport/net/frame.h>

#include <cassert>
#include <cstring>
#include <memory>

namespace chatport::net {

void appendFrame(Bytes& out, std::span<const std::byte> payload) {
  assert(payload.size() <= kFrameLengthLimit);
  const auto n = static_cast<std::uint32_t>(payload.size());
  const std::size_t at = out.size();
  out.resize(at + kFrameHeaderSize + payload.size());
  out[at] = std::byte{kFrameMagic};
  out[at + 1] = std::byte(n >> 16 & 0xFF);
  out[at + 2] = std::byte(n >> 8 & 0xFF);
  out[at + 3] = std::byte(n & 0xFF);
  if (!payload.empty()) std::memcpy(out.data() + at + kFrameHeaderSize, payload.data(), payload.size());
}

SharedBytes encodeFrame(std::span<const std::byte> payload) {
  auto out = std::make_shared<Bytes>();
  out->reserve(kFrameHeaderSize + payload.size());
  appendFrame(*out, payload);
  return out;
}

bool FrameDecoder::parseHeader(const std::byte* p, std::size_t& length) noexcept {
  if (std::to_integer<std::uint8_t>(p[0]) != kFrameMagic) {
    error_ = FrameError::BadMagic;
    return false;
  }
  length = std::to_integer<std::size_t>(p[1]) << 16 | std::to_integer<std::size_t>(p[2]) << 8 |
           std::to_integer<std::size_t>(p[3]);
  if (length > maxPayload_) {
    error_ = FrameError::TooLarge;
    rejectedLength_ = static_cast<std::uint32_t>(length);  // 24 bits at most
    return false;
  }
  return true;
}

}  // namespace chatport::net
