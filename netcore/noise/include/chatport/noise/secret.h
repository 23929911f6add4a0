#pragma once
// Bytes that must not outlive their use: keys, chaining keys, shared secrets. They are wiped
// when destroyed, with a wipe the compiler may not remove as a dead store.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace chatport::noise {

/// Thread-safe. Overwrites n bytes at p with zeros; never optimised away (explicit_bzero on
/// Linux, SecureZeroMemory on Windows).
void secureWipe(void* p, std::size_t n) noexcept;

/// A fixed-size secret that wipes itself. Copies are allowed (each wipes itself in turn); the
/// bytes are never printed or compared except through constantTimeEqual().
template <std::size_t N>
class Secret {
 public:
  static constexpr std::size_t kSize = N;

  Secret() noexcept { bytes_.fill(std::byte{0}); }
  explicit Secret(std::span<const std::byte, N> bytes) noexcept {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
  }
  Secret(const Secret&) noexcept = default;
  Secret& operator=(const Secret&) noexcept = default;
  ~Secret() { secureWipe(bytes_.data(), N); }

  std::span<const std::byte, N> bytes() const noexcept { return bytes_; }
  std::span<std::byte, N> mutableBytes() noexcept { return bytes_; }
  void wipe() noexcept { secureWipe(bytes_.data(), N); }

 private:
  std::array<std::byte, N> bytes_;
};

}  // namespace chatport::noise
