#pragma once
// Just enough JSON for tests: chatport-cli's --json output, the Noise test vectors.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::test {

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  /// Parses one JSON text; nullopt if it is not valid JSON.
  static std::optional<Json> parse(std::string_view text);
  const Json& operator[](const std::string& key) const;
  std::string str(const std::string& key) const { return (*this)[key].string; }
  std::int64_t num(const std::string& key) const { return static_cast<std::int64_t>((*this)[key].number); }
};

}  // namespace chatport::test
