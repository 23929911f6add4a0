#pragma once
// The form of a nickname used to compare names in a room: ASCII letters folded to lower case,
// so "Ann" and "ann" cannot both be present. Other characters compare as they are.

#include <string>
#include <string_view>

namespace chatport::chat {

inline std::string nameKey(std::string_view name) {
  std::string key(name);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

}  // namespace chatport::chat
