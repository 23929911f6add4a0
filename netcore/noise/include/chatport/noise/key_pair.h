#pragma once
// X25519 key pairs: a device's long-term identity (its static key) and the one-use ephemeral
// keys of each handshake.

#include <chatport/noise/secret.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>

namespace chatport::noise {

inline constexpr std::size_t kKeySize = 32;

using PublicKey = std::array<std::byte, kKeySize>;
using SecretKey = Secret<kKeySize>;
/// A 32-byte pre-shared key (XXpsk3).
using Psk = Secret<kKeySize>;

class KeyPair {
 public:
  /// Thread-safe. A new key pair from the system's CSPRNG (fillSecureRandom). Throws
  /// std::system_error only if the system refuses randomness, which it does not once booted.
  static KeyPair generate();
  /// Thread-safe. The key pair of a stored secret key (32 bytes, as RFC 7748 encodes it; the
  /// clamping happens in each X25519 operation, so any 32 bytes are a valid secret). Throws
  /// std::system_error only if libgcrypt cannot be used.
  static KeyPair fromSecret(std::span<const std::byte, kKeySize> secret);

  const PublicKey& publicKey() const noexcept { return public_; }
  const SecretKey& secretKey() const noexcept { return secret_; }

 private:
  KeyPair() = default;
  SecretKey secret_;
  PublicKey public_{};
};

/// Thread-safe. What two people compare aloud to check that a key is the one they expect:
/// BLAKE2b-512 of the 32-byte public key, its first 100 bits in RFC 4648 base32 (A-Z, 2-7;
/// most significant bit first), written as 5 groups of 4 characters joined by '-'. E.g. the
/// public key of RFC 7748 section 6.1's Alice (8520f009...9b4e6a) is "5LMU-P47U-GFHC-UDNH-I5DW".
/// 100 bits: making another key with the same fingerprint takes about 2^100 tries.
/// Throws std::system_error only if libgcrypt cannot be used.
std::string fingerprint(const PublicKey& key);

}  // namespace chatport::noise
