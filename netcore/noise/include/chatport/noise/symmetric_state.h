#pragma once
// SymmetricState (Noise section 5.2): the chaining key ck, the handshake hash h and a
// CipherState. Everything a handshake says and every key it agrees goes through here.
// HandshakeState uses it; it is public so that tests can check it step by step.
//
// Not thread-safe: one thread at a time.

#include <chatport/noise/cipher_state.h>
#include <chatport/noise/protocol.h>
#include <chatport/noise/secret.h>

#include <array>
#include <cstddef>
#include <span>
#include <system_error>
#include <vector>

namespace chatport::noise {

/// BLAKE2b's 64 bytes; SHA256 uses the first 32.
inline constexpr std::size_t kMaxHashSize = 64;

class SymmetricState {
 public:
  /// InitializeSymmetric(protocol name): h = the name (padded) or its hash, ck = h, no key.
  std::error_code initialize(const Protocol& protocol) noexcept;

  std::error_code mixKey(std::span<const std::byte> inputKeyMaterial) noexcept;
  std::error_code mixHash(std::span<const std::byte> data) noexcept;
  std::error_code mixKeyAndHash(std::span<const std::byte> inputKeyMaterial) noexcept;
  /// h: after the last handshake message, the same on both sides and unique to this session
  /// (channel binding). HASHLEN bytes: 64 for BLAKE2b, 32 for SHA256.
  std::span<const std::byte> handshakeHash() const noexcept { return {h_.data(), hashSize_}; }
  /// Appends the encryption of plaintext (ad = h) to out, then mixes the ciphertext into h.
  std::error_code encryptAndHash(std::span<const std::byte> plaintext, std::vector<std::byte>& out);
  /// Appends the decryption of ciphertext (ad = h) to out, then mixes the ciphertext into h.
  std::error_code decryptAndHash(std::span<const std::byte> ciphertext, std::vector<std::byte>& out);
  /// The two transport CipherStates: c1 for initiator to responder, c2 for the way back. Wipes
  /// the chaining key.
  std::error_code split(CipherState& c1, CipherState& c2) noexcept;

  bool hasKey() const noexcept { return cipher_.hasKey(); }
  HashAlgorithm hash() const noexcept { return hash_; }

 private:
  HashAlgorithm hash_ = HashAlgorithm::Blake2b;
  std::size_t hashSize_ = kMaxHashSize;
  Secret<kMaxHashSize> ck_;
  std::array<std::byte, kMaxHashSize> h_{};
  CipherState cipher_;
};

}  // namespace chatport::noise
