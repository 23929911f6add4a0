#pragma once
// Reading UTF-8 one code point at a time, and the code points a terminal must never be handed
// as they are. For the text and JSON output; names and text from the chat are valid UTF-8 (the
// core checks), but what else reaches the output (a host's error details) is read as carefully.

#include <cstddef>
#include <string_view>

namespace chatport::cli {

/// Calls onCodePoint(char32_t) for each well-formed UTF-8 sequence of s (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF) and onBadByte(unsigned char) for each byte that
/// is not part of one, in order.
template <typename OnCodePoint, typename OnBadByte>
void forEachCodePoint(std::string_view s, OnCodePoint&& onCodePoint, OnBadByte&& onBadByte) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      onCodePoint(static_cast<char32_t>(lead));
      ++p;
      continue;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((lead & 0xE0) == 0xC0) length = 2, cp = lead & 0x1F, min = 0x80;
    else if ((lead & 0xF0) == 0xE0) length = 3, cp = lead & 0x0F, min = 0x800;
    else if ((lead & 0xF8) == 0xF0) length = 4, cp = lead & 0x07, min = 0x10000;
    bool ok = length != 0 && static_cast<std::size_t>(end - p) >= length;
    for (std::size_t i = 1; ok && i < length; ++i) {
      ok = (p[i] & 0xC0) == 0x80;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      onBadByte(lead);
      ++p;
      continue;
    }
    onCodePoint(cp);
    p += length;
  }
}

/// C0, DEL and C1 controls: a terminal acts on them (moves, erases, starts escape sequences).
inline bool isControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

/// Characters that change how the text around them is laid out rather than showing: the line
/// and paragraph separators, and the bidi embeddings, overrides and isolates, which can make a
/// line read in another order than it was written (and so hide what it says).
inline bool isLayoutControl(char32_t cp) {
  return cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace chatport::cli
