#pragma once
// The spec's DH, HASH, HMAC and HKDF functions (sections 4 and 5), on libgcrypt. Internal to
// the noise library; the cipher lives in cipher_state.cpp (a handle per thread).

#include <chatport/noise/crypto_library.h>
#include <chatport/noise/error.h>
#include <chatport/noise/key_pair.h>
#include <chatport/noise/protocol.h>

#include <cstddef>
#include <initializer_list>
#include <span>
#include <system_error>

namespace chatport::noise::detail {

/// Thread-safe. X25519(secret, publicKey) into out. InvalidPublicKey when the result is all
/// zeros: the peer sent a low-order point, and a Noise DH must never yield a known secret.
std::error_code x25519(std::span<std::byte, kKeySize> out, std::span<const std::byte, kKeySize> secret,
                       std::span<const std::byte, kKeySize> publicKey) noexcept;
/// Thread-safe. The public key of secret (X25519 with the base point 9).
std::error_code x25519Base(std::span<std::byte, kKeySize> out, std::span<const std::byte, kKeySize> secret) noexcept;

std::size_t hashSize(HashAlgorithm hash) noexcept;

/// Thread-safe. HASH(parts...) into out (hashSize(hash) bytes).
std::error_code hash(HashAlgorithm hash, std::initializer_list<std::span<const std::byte>> parts,
                     std::span<std::byte> out) noexcept;
/// Thread-safe. HMAC-HASH(key, parts...) into out (hashSize(hash) bytes).
std::error_code hmac(HashAlgorithm hash, std::span<const std::byte> key,
                     std::initializer_list<std::span<const std::byte>> parts, std::span<std::byte> out) noexcept;
/// Thread-safe. HKDF(chainingKey, inputKeyMaterial, n) with n = outputs.size() (2 or 3): each
/// output gets hashSize(hash) bytes.
std::error_code hkdf(HashAlgorithm hash, std::span<const std::byte> chainingKey,
                     std::span<const std::byte> inputKeyMaterial,
                     std::initializer_list<std::span<std::byte>> outputs) noexcept;

}  // namespace chatport::noise::detail
