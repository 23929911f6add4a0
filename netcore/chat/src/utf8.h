#pragma once
// Strict UTF-8 decoding (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
// Internal to the chat core; used by the codec and by name and text validation.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chatport::chat::detail {

/// Calls onCodePoint(char32_t) for each code point of s, in order. Returns false, having stopped,
/// at the first byte that is not part of a valid UTF-8 sequence.
template <typename OnCodePoint>
bool forEachCodePoint(std::string_view s, OnCodePoint&& onCodePoint) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      onCodePoint(static_cast<char32_t>(lead));
      ++p;
      continue;
    }
    std::size_t length;
    char32_t cp;
    char32_t min;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, cp = lead & 0x1F, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, cp = lead & 0x0F, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, cp = lead & 0x07, min = 0x10000;
    } else {
      return false;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    for (std::size_t i = 1; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    onCodePoint(cp);
    p += length;
  }
  return true;
}

inline bool isValidUtf8(std::string_view s) {
  return forEachCodePoint(s, [](char32_t) {});
}

}  // namespace chatport::chat::detail
