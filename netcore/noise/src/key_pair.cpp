#include <chatport/noise/error.h>
#include <chatport/noise/key_pair.h>
#include <chatport/net/secure_random.h>

#include "primitives.h"

#include <system_error>

namespace chatport::noise {

KeyPair KeyPair::generate() {
  SecretKey secret;
  net::fillSecureRandom(secret.mutableBytes());
  return fromSecret(secret.bytes());
}

KeyPair KeyPair::fromSecret(std::span<const std::byte, kKeySize> secret) {
  KeyPair pair;
  pair.secret_ = SecretKey(secret);
  // The base point is of full order, so this fails only when libgcrypt cannot be used.
  if (auto ec = detail::x25519Base(pair.public_, pair.secret_.bytes()))
    throw std::system_error(ec, "X25519 public key");
  return pair;
}

std::string fingerprint(const PublicKey& key) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  constexpr int kGroups = 5;
  constexpr int kGroupSize = 4;
  std::array<std::byte, 64> digest{};
  if (detail::hash(HashAlgorithm::Blake2b, {key}, digest)) throw std::system_error(make_error_code(Error::CryptoLibrary));
  std::string out;
  // 20 characters of 5 bits each, most significant bit first.
  for (int c = 0; c < kGroups * kGroupSize; ++c) {
    if (c > 0 && c % kGroupSize == 0) out += '-';
    unsigned value = 0;
    for (int b = 0; b < 5; ++b) {
      const int bit = c * 5 + b;
      const unsigned byte = static_cast<unsigned>(digest[static_cast<std::size_t>(bit / 8)]);
      value = (value << 1) | ((byte >> (7 - bit % 8)) & 1u);
    }
    out += kAlphabet[value];
  }
  return out;
}

}  // namespace chatport::noise
