#pragma once
// The Noise protocols this module implements (Noise Protocol Framework, revision 34):
//
//   Noise_NN_25519_ChaChaPoly_<hash>       no static keys (for the published test vectors)
//   Noise_XX_25519_ChaChaPoly_<hash>       both sides send their static key, encrypted
//   Noise_XXpsk3_25519_ChaChaPoly_<hash>   XX, with a pre-shared key mixed in after message 3
//
// with <hash> BLAKE2b (ChatPort's choice) or SHA256. DH is always X25519 and the cipher
// always ChaCha20-Poly1305: one suite, nothing to negotiate.

#include <optional>
#include <string>
#include <string_view>

namespace chatport::noise {

enum class Pattern { NN, XX, XXpsk3 };
enum class HashAlgorithm { Blake2b, Sha256 };

struct Protocol {
  Pattern pattern = Pattern::XX;
  HashAlgorithm hash = HashAlgorithm::Blake2b;

  /// Thread-safe. The full name, e.g. "Noise_XX_25519_ChaChaPoly_BLAKE2b": it is hashed into
  /// the handshake, so both sides must use the same one.
  std::string name() const;
  /// Thread-safe. The protocol with that exact name; nullopt for any other.
  static std::optional<Protocol> parse(std::string_view name);

  friend bool operator==(const Protocol&, const Protocol&) = default;
};

inline constexpr Protocol kXX{Pattern::XX, HashAlgorithm::Blake2b};
inline constexpr Protocol kXXpsk3{Pattern::XXpsk3, HashAlgorithm::Blake2b};

}  // namespace chatport::noise
