#pragma once
// Protocol version 3: every link is a Noise channel. This is the envelope around the messages
// of protocol.h, as docs/protocol.md §1a describes byte for byte:
//
//   0x01 Hello      u16 version (3), u8 pattern (0: XX, 1: XXpsk3), Noise message 1
//   0x82 Refuse     as in protocol.h, in clear: only before the channel is up
//   0x90 Handshake  Noise message 2 (host -> joiner) or 3 (joiner -> host)
//   0xA1 Sealed     a Noise transport message whose plaintext is one message of protocol.h
//   0xA2 RoomSealed u32 epoch, u64 nonce, ChaCha20-Poly1305 ciphertext of one message, under
//                   the room key of that epoch (associated data: these 13 header bytes)
//
// The host seals a broadcast once under the room key and sends the same bytes to everyone; a
// link's own messages go under that link's Noise keys. Pure functions and small state; not
// thread-safe unless said.

#include <chatport/chat/protocol.h>
#include <chatport/net/buffer.h>
#include <chatport/noise/cipher_state.h>
#include <chatport/noise/handshake_state.h>
#include <chatport/noise/password.h>

#include <cstdint>
#include <optional>
#include <span>
#include <system_error>

namespace chatport::chat::secure {

/// The Hello envelope's version: the chat protocol's, which it carries.
inline constexpr std::uint16_t kVersion = proto::kProtocolVersion;
/// File data is handed to a connection only while at most this much waits in its queue: chat
/// sent meanwhile waits behind no more than that (about two chunks).
inline constexpr std::size_t kBulkLowWater = 2 * proto::kFileChunk + 4096;

enum class Envelope : std::uint8_t {
  Hello = 0x01,
  Refuse = 0x82,
  Handshake = 0x90,
  Sealed = 0xA1,
  RoomSealed = 0xA2,
};

/// What the prologue of every ChatPort handshake says: both sides mix it in, so a handshake
/// replayed into another protocol or version fails.
std::span<const std::byte> prologue() noexcept;

/// The joiner's first frame.
net::SharedBytes helloFrame(bool withPassword, std::span<const std::byte> noiseMessage);
struct FirstFrame {
  std::uint16_t version = 0;
  bool withPassword = false;
  std::span<const std::byte> noise;  ///< into the payload it was read from
};
/// The host's reading of a first frame: nullopt if it is not a Hello at all; a version other
/// than kVersion comes back with only version set.
std::optional<FirstFrame> parseFirstFrame(std::span<const std::byte> payload);

/// A handshake message 2 or 3.
net::SharedBytes handshakeFrame(std::span<const std::byte> noiseMessage);

/// The host's handshake payload in message 2: what a joiner needs before message 3.
struct HostHandshake {
  noise::PasswordCost passwordCost;
};
net::Bytes encode(const HostHandshake& h);
std::optional<HostHandshake> decodeHostHandshake(std::span<const std::byte> payload);

/// One link message sealed under cipher: a whole frame. Fails only at nonce exhaustion.
std::error_code seal(noise::CipherState& cipher, std::span<const std::byte> payload, net::Bytes& frame);
/// Opens a Sealed payload (type byte included) into plaintext.
std::error_code open(noise::CipherState& cipher, std::span<const std::byte> sealedPayload,
                     net::Bytes& plaintext);

/// The room key of one epoch, on the host: seals broadcasts, each with the next nonce.
class RoomSealer {
 public:
  /// A new random key for epoch.
  explicit RoomSealer(std::uint32_t epoch);
  std::uint32_t epoch() const noexcept { return epoch_; }
  const noise::Secret<32>& key() const noexcept { return key_; }
  /// One broadcast: a whole RoomSealed frame of payload.
  net::SharedBytes seal(std::span<const std::byte> payload);

 private:
  std::uint32_t epoch_;
  noise::Secret<32> key_;
  noise::CipherState cipher_;
};

/// The room key on a joiner: opens RoomSealed frames of its epoch, each nonce at most once and
/// in increasing order.
class RoomOpener {
 public:
  void setKey(std::uint32_t epoch, std::span<const std::byte, 32> key);
  bool hasKey() const noexcept { return cipher_.hasKey(); }
  /// Fails on another epoch, a nonce not above the last one, or a failed authentication.
  std::error_code open(std::span<const std::byte> roomSealedPayload, net::Bytes& plaintext);

 private:
  std::uint32_t epoch_ = 0;
  std::optional<std::uint64_t> lastNonce_;
  noise::CipherState cipher_;
};

}  // namespace chatport::chat::secure
