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
          if (i_ + 4 > s_.size()) return false;
          const unsigned cp = static_cast<unsigned>(std::stoul(std::string(s_.substr(i_, 4)), nullptr, 16));
          i_ += 4;
          if (cp >= 0x80) return false;  // chatport-cli escapes control characters only
          out += static_cast<char>(cp);
          break;
        }
        default: return false;
      }
    }
    return false;
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
