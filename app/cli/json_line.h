#pragma once
// Builds one JSON object on one line. Strings are escaped per RFC 8259, and so are the
// characters a terminal showing the line would act on or reorder it by (C1 controls, bidi
// controls, line separators; see code_points.h): whoever reads the output raw sees no escape
// sequence that someone in the chat wrote. Other characters are copied as they are; a byte that
// is not UTF-8 (chat text never has one: the core checks it) becomes U+FFFD.

#include "code_points.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace chatport::cli {

class JsonLine {
 public:
  explicit JsonLine(std::string_view event) {
    out_ = "{\"event\":";
    appendString(out_, event);
  }

  JsonLine& str(std::string_view key, std::string_view value) {
    this->key(key);
    appendString(out_, value);
    return *this;
  }
  JsonLine& num(std::string_view key, std::int64_t value) {
    this->key(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonLine& boolean(std::string_view key, bool value) {
    this->key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  /// value must already be JSON.
  JsonLine& raw(std::string_view key, std::string_view value) {
    this->key(key);
    out_ += value;
    return *this;
  }
  std::string finish() const { return out_ + "}"; }

  static void appendString(std::string& out, std::string_view s) {
    out += '"';
    auto hex = [&out](char32_t cp) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    };
    const char* at = s.data();  // the bytes of the code point being looked at
    forEachCodePoint(
        s,
        [&](char32_t cp) {
          const std::size_t length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
          switch (cp) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
              if (isControl(cp) || isLayoutControl(cp)) hex(cp);
              else out.append(at, length);
          }
          at += length;
        },
        [&](unsigned char) {
          hex(0xFFFD);
          ++at;
        });
    out += '"';
  }

 private:
  void key(std::string_view k) {
    out_ += ',';
    appendString(out_, k);
    out_ += ':';
  }
  std::string out_;
};

}  // namespace chatport::cli
