#pragma once
// The form of a nickname used to compare names in a room: compatibility-normalised (NFKC) and
// case-folded (name_rules.h), so that "Ann", "ANN" and "Ａｎｎ" cannot all be present.

#include "name_rules.h"

#include <string>
#include <string_view>

namespace chatport::chat {

inline std::string nameKey(std::string_view name) { return detail::foldName(name); }

}  // namespace chatport::chat
