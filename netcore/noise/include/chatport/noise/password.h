#pragma once
// A room password becomes the pre-shared key of Noise_XXpsk3 through Argon2id (RFC 9106), a
// hash made to be slow and memory-hungry, so that a recorded handshake cannot be used to try
// passwords quickly. Each side derives it once per room: the host when the room opens, a joiner
// once per host key; never once per connection on the host.

#include <chatport/noise/key_pair.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

namespace chatport::noise {

/// What one derivation costs. Both sides must use the same values: the host sends its own in
/// the handshake, and a joiner accepts them only within kMaxPasswordCost.
struct PasswordCost {
  std::uint32_t memoryKiB = 64 * 1024;  ///< 64 MiB
  std::uint32_t iterations = 3;
  friend bool operator==(const PasswordCost&, const PasswordCost&) = default;
};
/// The most a joiner spends on a host's say-so: 1 GiB and 10 passes.
inline constexpr PasswordCost kMaxPasswordCost{1024 * 1024, 10};
/// The least that is still a password hash: 8 MiB, one pass (tests use it).
inline constexpr PasswordCost kMinPasswordCost{8 * 1024, 1};

/// Thread-safe; takes as long as cost says (tenths of a second at the default). Argon2id with
/// one lane, the password's UTF-8 bytes and salt (ChatPort: the host's static public key, so
/// that the same password gives another key in every room). Fails with CryptoLibrary if
/// libgcrypt refuses (e.g. out of memory) or the cost is outside the bounds above.
std::error_code derivePsk(std::string_view password, std::span<const std::byte> salt,
                          const PasswordCost& cost, Psk& out);

}  // namespace chatport::noise
