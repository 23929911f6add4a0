#include "mini_json.h"

namespace chatport::test {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}
  bool value(Json& out) {
    space();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object(out);
    if (c == '[') return array(out);
    if (c == '"') {
      out.type = Json::Type::String;
      return string(out.string);
    }
    if (s_.substr(i_, 4) == "true") return i_ += 4, out.type = Json::Type::Bool, out.boolean = true, true;
    if (s_.substr(i_, 5) == "false") return i_ += 5, out.type = Json::Type::Bool, true;
    if (s_.substr(i_, 4) == "null") return i_ += 4, true;
    std::size_t used = 0;
    try {
      out.number = std::stod(std::string(s_.substr(i_, 40)), &used);
    } catch (...) {
      return false;
    }
    out.type = Json::Type::Number;
    i_ += used;
    return true;
  }
  bool end() {
    space();
    return i_ == s_.size();
  }

 private:
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  bool string(std::string& out) {
    if (!eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
            unsigned low = 0;
            if (s_.substr(i_, 2) != "\\u") return false;
            i_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          appendUtf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool hex4(unsigned& cp) {
    if (i_ + 4 > s_.size()) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') cp |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') cp |= static_cast<unsigned>(h - 'A' + 10);
      else return false;
    }
    return true;
  }
  static void appendUtf8(std::string& out, unsigned cp) {
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
  bool array(Json& out) {
    out.type = Json::Type::Array;
    eat('[');
    if (eat(']')) return true;
    do {
      Json v;
      if (!value(v)) return false;
      out.array.push_back(std::move(v));
    } while (eat(','));
    return eat(']');
  }
  bool object(Json& out) {
    out.type = Json::Type::Object;
    eat('{');
    if (eat('}')) return true;
    do {
      std::string key;
      space();
      if (!string(key) || !eat(':')) return false;
      Json v;
      if (!value(v)) return false;
      out.object[key] = std::move(v);
    } while (eat(','));
    return eat('}');
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<Json> Json::parse(std::string_view text) {
  Parser p(text);
  Json out;
  if (!p.value(out) || !p.end()) return std::nullopt;
  return out;
}

const Json& Json::operator[](const std::string& key) const {
  static const Json kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : it->second;
}

}  // namespace chatport::test
