#pragma once
// Hex and text as bytes, for the Noise tests.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::noise::test {

using Bytes = std::vector<std::byte>;

/// The bytes of an even-length hex string (either case); empty for anything else.
inline Bytes fromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  if (hex.size() % 2 != 0) return out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<std::byte>(hi * 16 + lo));
  }
  return out;
}

inline std::string toHex(std::span<const std::byte> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += kDigits[static_cast<unsigned>(b) >> 4];
    out += kDigits[static_cast<unsigned>(b) & 15];
  }
  return out;
}

inline Bytes fromText(std::string_view text) {
  const auto b = std::as_bytes(std::span<const char>(text.data(), text.size()));
  return {b.begin(), b.end()};
}

}  // namespace chatport::noise::test
