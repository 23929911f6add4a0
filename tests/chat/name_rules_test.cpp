// Nicknames a person can tell apart: invisible and format characters refused, and names that
// differ only in case or compatibility form counted as one.

#include <chatport/chat/types.h>

#include "name_key.h"

#include <gtest/gtest.h>

namespace chatport::chat {
namespace {

bool accepted(std::string_view name) { return !validateName(name).has_value(); }

TEST(NameRules, AcceptsNamesPeopleUse) {
  for (std::string_view name : {"Ann", "ann-2", "Ann Lee", "José", "Jose\u0301", "Zoë", "李雷",
                                "Ελένη", "Алёна", "محمد", "😀", "\u2764\uFE0F", "1\uFE0F\u20E3",
                                "ｈｏｓｔ", "O'Brien", "Ｘ"})
    EXPECT_TRUE(accepted(name)) << name;
}

TEST(NameRules, RefusesInvisibleFormatAndLookAlikeTricks) {
  const std::pair<std::string_view, const char*> cases[] = {
      {"\u202Eevil", "right-to-left override"},
      {"ann\u200E", "left-to-right mark"},
      {"ann\u2066x\u2069", "bidi isolate"},
      {"Host\u200B", "zero-width space"},
      {"An\u200Dn", "zero-width joiner"},
      {"\uFEFFann", "byte order mark"},
      {"an\u00ADn", "soft hyphen"},
      {"\u3164", "Hangul filler alone"},
      {"ann\u3164", "trailing filler"},
      {"\u2800", "Braille blank"},
      {"\u0301", "a combining mark alone"},
      {"\u0301\u0301ann", "leading combining marks"},
      {"a\u0301\u0302\u0303\u0304\u0305", "five marks on one letter"},
      {"ann ", "trailing blank"},
      {" ann", "leading blank"},
      {"ann\u3000", "trailing ideographic space"},
      {"\uFE0F", "a variation selector alone"},
      {"ann\u034F", "combining grapheme joiner"},
      {"a\nb", "newline"},
      {"\x7F", "delete"},
      {"\uE000", "private use"},
      {"a\u2028b", "line separator"},
      {"", "empty"},
      {"\xC3\x28", "invalid UTF-8"},
  };
  for (const auto& [name, why] : cases) EXPECT_FALSE(accepted(name)) << why;
  EXPECT_FALSE(accepted(std::string(33, 'n'))) << "33 characters";
  EXPECT_TRUE(accepted(std::string(32, 'n'))) << "32 characters";
}

TEST(NameRules, NamesThatDifferOnlyInCaseOrCompatibilityFormAreOneName) {
  EXPECT_EQ(nameKey("host"), nameKey("HOST"));
  EXPECT_EQ(nameKey("host"), nameKey("ｈｏｓｔ")) << "full-width";
  EXPECT_EQ(nameKey("host"), nameKey("ＨＯＳＴ"));
  EXPECT_EQ(nameKey("Jos\u00E9"), nameKey("Jose\u0301")) << "composed and decomposed";
  EXPECT_EQ(nameKey("ΑΝΝΑ"), nameKey("αννα")) << "Greek";
  EXPECT_EQ(nameKey("ＡＮＮ"), nameKey("ann"));
  EXPECT_EQ(nameKey("ﬁx"), nameKey("fix")) << "ligature";
  EXPECT_EQ(nameKey("x²"), nameKey("x2")) << "superscript";
  EXPECT_NE(nameKey("ann"), nameKey("anne"));
  EXPECT_NE(nameKey("李雷"), nameKey("李磊"));
}

}  // namespace
}  // namespace chatport::chat
