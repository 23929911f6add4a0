#include "terminal_text.h"

#include "code_points.h"

#include <cstdio>

namespace chatport::cli {
namespace {

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void appendByte(std::string& out, unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  out += buf;
}

// quote: also escape the characters that delimit a name.
void appendEscaped(std::string& out, std::string_view s, bool quote) {
  out.reserve(out.size() + s.size());
  forEachCodePoint(
      s,
      [&](char32_t cp) {
        if (cp < 0x80 && isControl(cp)) {
          appendByte(out, static_cast<unsigned char>(cp));
        } else if (isControl(cp) || isLayoutControl(cp)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
          out += buf;
        } else if (quote && (cp == '\\' || cp == '<' || cp == '>')) {
          out += '\\';
          out += static_cast<char>(cp);
        } else {
          appendUtf8(out, cp);
        }
      },
      [&](unsigned char b) { appendByte(out, b); });
}

}  // namespace

std::string TerminalText::escape(std::string_view s) {
  std::string out;
  appendEscaped(out, s, false);
  return out;
}

std::string TerminalText::name(std::string_view name) {
  std::string out = "<";
  appendEscaped(out, name, true);
  out += '>';
  return out;
}

std::vector<std::string> TerminalText::lines(std::string_view text) {
  std::vector<std::string> out;
  for (;;) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(escape(line));
    if (nl == std::string_view::npos) return out;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace chatport::cli
