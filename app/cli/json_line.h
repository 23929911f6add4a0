#pragma once
// Builds one JSON object on one line. Strings are escaped per RFC 8259; chat text reaching here
// is valid UTF-8 (the core validates it), so it is copied as is.

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
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += ch;
          }
      }
    }
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
