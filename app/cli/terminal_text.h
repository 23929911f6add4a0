#pragma once
// What others wrote, made safe to show on a terminal in chatport-cli's text mode: nothing a
// name or a message holds can move the cursor, erase, recolour or retitle the terminal, turn the
// line around, or start a line of its own. Thread-safe (pure functions).
//
//  - Control characters (C0, DEL, C1), the bidi embeddings, overrides and isolates
//    (U+202A-U+202E, U+2066-U+2069), the line and paragraph separators (U+2028, U+2029) and
//    bytes that are not UTF-8 are shown escaped: \xNN for a byte below 0x80 or a stray byte,
//    \u{NNNN} for the rest.
//  - A name is shown between < and >, with \, < and > in it written as \\, \< and \>, so the
//    first > that no backslash precedes ends it. What stands outside the brackets (the host's
//    badge, say) is the program's own.
//  - A message's lines after the first are continuation lines, each starting with
//    kContinuation, which no line of a message can start with (its line breaks are where these
//    start).

#include <string>
#include <string_view>
#include <vector>

namespace chatport::cli {

class TerminalText {
 public:
  /// Starts each line of a message after its first.
  static constexpr std::string_view kContinuation = "          | ";

  /// s with every character a terminal would act on escaped.
  static std::string escape(std::string_view s);
  /// name escaped and quoted: <ann>.
  static std::string name(std::string_view name);
  /// text's lines (split at \n, or \r\n), each escaped; at least one.
  static std::vector<std::string> lines(std::string_view text);
};

}  // namespace chatport::cli
