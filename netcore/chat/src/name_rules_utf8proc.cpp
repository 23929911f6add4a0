// Linux: utf8proc (Debian's libutf8proc-dev).
#include "name_rules.h"

#include <cstdlib>
#include <memory>

#include <utf8proc.h>

namespace chatport::chat::detail {

NameChar classifyNameChar(char32_t cp) {
  const auto c = static_cast<utf8proc_int32_t>(cp);
  if (cp >= 0xFE00 && cp <= 0xFE0F) return NameChar::Variation;
  const utf8proc_property_t* property = utf8proc_get_property(c);
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_CC:  // control
    case UTF8PROC_CATEGORY_CF:  // format: bidi controls, zero-width characters
    case UTF8PROC_CATEGORY_CN:  // unassigned: nobody knows how it will show
    case UTF8PROC_CATEGORY_CO:  // private use
    case UTF8PROC_CATEGORY_CS:  // surrogates (not in valid UTF-8 anyway)
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return NameChar::Refused;
    case UTF8PROC_CATEGORY_ZS:
      return NameChar::Blank;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      // Default-ignorable marks (U+034F, U+17B4…) show as nothing at all.
      return property->ignorable ? NameChar::Refused : NameChar::Mark;
    default:
      break;
  }
  // Default-ignorable letters are the fillers (U+115F, U+1160, U+3164, U+FFA0); the Braille
  // blank is a symbol that shows as a space.
  if (property->ignorable || cp == 0x2800) return NameChar::Blank;
  return NameChar::Visible;
}

std::string foldName(std::string_view name) {
  utf8proc_uint8_t* folded = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                      UTF8PROC_IGNORE);
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
                   static_cast<utf8proc_ssize_t>(name.size()), &folded, options);
  if (n < 0) return std::string(name);  // not valid UTF-8: validateName() refuses it anyway
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(folded, &std::free);
  return std::string(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
}

}  // namespace chatport::chat::detail
