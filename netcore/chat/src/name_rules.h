#pragma once
// What the Unicode tables say about the characters of a nickname, from a library rather than a
// table of our own: utf8proc on Linux, the system's NormalizeString and GetStringTypeW on
// Windows. Internal to the chat core; validateName() and nameKey() build on it.

#include <string>
#include <string_view>

namespace chatport::chat::detail {

enum class NameChar {
  Visible,    ///< letters, digits, punctuation, symbols: what a name is made of
  Blank,      ///< a space separator or a filler that shows as nothing (U+3164, U+2800…)
  Mark,       ///< a combining mark: visible only on the character before it
  Variation,  ///< a variation selector: picks a glyph (text or emoji) for the character before it
  Refused,    ///< control, format (bidi, zero-width), unassigned, private use, separators
};

/// Thread-safe.
NameChar classifyNameChar(char32_t cp);

/// Thread-safe. The form two names are compared in: compatibility-normalised (NFKC) and
/// case-folded, so that "ｈｏｓｔ", "HOST" and "host" are one name. name must be valid UTF-8.
std::string foldName(std::string_view name);

}  // namespace chatport::chat::detail
