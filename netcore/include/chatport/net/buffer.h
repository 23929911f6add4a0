#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace chatport::net {

using Bytes = std::vector<std::byte>;

/// Immutable bytes shared by every send that carries them: a message broadcast to a thousand
/// connections is encoded once and referenced a thousand times.
using SharedBytes = std::shared_ptr<const Bytes>;

inline std::span<const std::byte> asBytes(std::string_view s) noexcept {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

inline std::string_view asText(std::span<const std::byte> b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace chatport::net
