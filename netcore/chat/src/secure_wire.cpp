#include "secure_wire.h"

#include <chatport/net/frame.h>
#include <chatport/net/secure_random.h>
#include <chatport/noise/error.h>

#include <cstring>

namespace chatport::chat::secure {
namespace {

constexpr char kPrologue[] = "ChatPort protocol 4";
constexpr std::size_t kRoomHeaderSize = 1 + 4 + 8;  // type, epoch, nonce

void putBe(net::Bytes& out, std::uint64_t v, int size) {
  for (int i = size - 1; i >= 0; --i) out.push_back(std::byte(v >> (8 * i)));
}

std::uint64_t getBe(std::span<const std::byte> in) {
  std::uint64_t v = 0;
  for (std::byte b : in) v = v << 8 | std::to_integer<std::uint64_t>(b);
  return v;
}

// A frame header placeholder, filled in once the payload's length is known.
void beginFrame(net::Bytes& frame) { frame.assign(net::kFrameHeaderSize, std::byte{0}); }

void finishFrame(net::Bytes& frame) {
  const std::size_t n = frame.size() - net::kFrameHeaderSize;
  frame[0] = std::byte{net::kFrameMagic};
  frame[1] = std::byte(n >> 16);
  frame[2] = std::byte(n >> 8);
  frame[3] = std::byte(n);
}

}  // namespace

std::span<const std::byte> prologue() noexcept {
  return {reinterpret_cast<const std::byte*>(kPrologue), sizeof kPrologue - 1};
}

net::SharedBytes helloFrame(bool withPassword, std::span<const std::byte> noiseMessage) {
  net::Bytes payload{std::byte(Envelope::Hello)};
  putBe(payload, kVersion, 2);
  payload.push_back(std::byte{withPassword ? std::uint8_t{1} : std::uint8_t{0}});
  payload.insert(payload.end(), noiseMessage.begin(), noiseMessage.end());
  return net::encodeFrame(payload);
}

std::optional<FirstFrame> parseFirstFrame(std::span<const std::byte> payload) {
  if (payload.size() < 3 || payload[0] != std::byte(Envelope::Hello)) return std::nullopt;
  FirstFrame first;
  first.version = static_cast<std::uint16_t>(getBe(payload.subspan(1, 2)));
  if (first.version != kVersion) return first;
  if (payload.size() < 4 || std::to_integer<unsigned>(payload[3]) > 1) return std::nullopt;
  first.withPassword = payload[3] == std::byte{1};
  first.noise = payload.subspan(4);
  return first;
}

net::SharedBytes handshakeFrame(std::span<const std::byte> noiseMessage) {
  net::Bytes payload{std::byte(Envelope::Handshake)};
  payload.insert(payload.end(), noiseMessage.begin(), noiseMessage.end());
  return net::encodeFrame(payload);
}

net::Bytes encode(const HostHandshake& h) {
  net::Bytes out;
  putBe(out, h.passwordCost.memoryKiB, 4);
  putBe(out, h.passwordCost.iterations, 4);
  return out;
}

std::optional<HostHandshake> decodeHostHandshake(std::span<const std::byte> payload) {
  if (payload.size() != 8) return std::nullopt;
  HostHandshake h;
  h.passwordCost.memoryKiB = static_cast<std::uint32_t>(getBe(payload.first(4)));
  h.passwordCost.iterations = static_cast<std::uint32_t>(getBe(payload.subspan(4, 4)));
  return h;
}

std::error_code seal(noise::CipherState& cipher, std::span<const std::byte> payload, net::Bytes& frame) {
  beginFrame(frame);
  frame.push_back(std::byte(Envelope::Sealed));
  const std::size_t at = frame.size();
  frame.resize(at + payload.size() + cipher.overhead());
  const std::byte type{static_cast<std::uint8_t>(Envelope::Sealed)};
  if (auto ec = cipher.encryptWithAd(std::span(&type, 1), payload, std::span(frame).subspan(at))) return ec;
  finishFrame(frame);
  return {};
}

std::error_code open(noise::CipherState& cipher, std::span<const std::byte> sealedPayload,
                     net::Bytes& plaintext) {
  if (sealedPayload.empty() || sealedPayload[0] != std::byte(Envelope::Sealed) ||
      sealedPayload.size() < 1 + cipher.overhead())
    return noise::Error::DecryptFailed;
  plaintext.resize(sealedPayload.size() - 1 - cipher.overhead());
  return cipher.decryptWithAd(sealedPayload.first(1), sealedPayload.subspan(1), plaintext);
}

RoomSealer::RoomSealer(std::uint32_t epoch) : epoch_(epoch) {
  net::fillSecureRandom(key_.mutableBytes());
  cipher_.initializeKey(key_.bytes());
}

net::SharedBytes RoomSealer::seal(std::span<const std::byte> payload) {
  auto frame = std::make_shared<net::Bytes>();
  frame->reserve(net::kFrameHeaderSize + kRoomHeaderSize + payload.size() + noise::kTagSize);
  beginFrame(*frame);
  frame->push_back(std::byte(Envelope::RoomSealed));
  putBe(*frame, epoch_, 4);
  putBe(*frame, cipher_.nonce(), 8);
  const std::size_t at = frame->size();
  frame->resize(at + payload.size() + noise::kTagSize);
  const auto header = std::span<const std::byte>(*frame).subspan(net::kFrameHeaderSize, kRoomHeaderSize);
  // Fails only after 2^64-1 broadcasts in one epoch, which a room does not reach.
  if (cipher_.encryptWithAd(header, payload, std::span(*frame).subspan(at))) return nullptr;
  finishFrame(*frame);
  return frame;
}

void RoomOpener::setKey(std::uint32_t epoch, std::span<const std::byte, 32> key) {
  epoch_ = epoch;
  lastNonce_.reset();
  cipher_.initializeKey(key);
}

std::error_code RoomOpener::open(std::span<const std::byte> payload, net::Bytes& plaintext) {
  if (!cipher_.hasKey() || payload.size() < kRoomHeaderSize + noise::kTagSize ||
      payload[0] != std::byte(Envelope::RoomSealed))
    return noise::Error::DecryptFailed;
  const auto epoch = static_cast<std::uint32_t>(getBe(payload.subspan(1, 4)));
  const std::uint64_t nonce = getBe(payload.subspan(5, 8));
  if (epoch != epoch_ || (lastNonce_ && nonce <= *lastNonce_) || nonce == noise::CipherState::kMaxNonce)
    return noise::Error::DecryptFailed;
  cipher_.setNonce(nonce);
  plaintext.resize(payload.size() - kRoomHeaderSize - noise::kTagSize);
  if (auto ec = cipher_.decryptWithAd(payload.first(kRoomHeaderSize), payload.subspan(kRoomHeaderSize), plaintext))
    return ec;
  lastNonce_ = nonce;
  return {};
}

}  // namespace chatport::chat::secure
