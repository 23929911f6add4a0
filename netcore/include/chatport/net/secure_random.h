#pragma once
// Secrets come from the operating system's cryptographically secure generator: getrandom(2) on
// Linux, BCryptGenRandom on Windows. Never from a seeded PRNG: a joiner that sees one output of
// std::mt19937_64 can recover its seed and predict every other.

#include <cstddef>
#include <span>

namespace chatport::net {

/// Thread-safe. Fills out with random bytes from the system's CSPRNG. Blocks only until the
/// system's generator is seeded (early boot); throws std::system_error if the system refuses,
/// which it does not once booted: a caller cannot go on without secrets.
void fillSecureRandom(std::span<std::byte> out);

/// Thread-safe. Compares two byte ranges in time that depends only on their length, so that a
/// peer guessing a secret learns nothing from how long a wrong guess took to refuse.
bool constantTimeEqual(std::span<const std::byte> a, std::span<const std::byte> b) noexcept;

}  // namespace chatport::net
