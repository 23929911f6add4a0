// Windows: the system's Unicode tables (NormalizeString, LCMapStringEx, GetStringTypeW).
#include "name_rules.h"

#include <windows.h>

#include <string>

namespace chatport::chat::detail {
namespace {

std::wstring toWide(std::string_view s) {
  const int n = ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

std::string toUtf8(const std::wstring& s) {
  const int n = ::WideCharToMultiByte(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
  if (n > 0) ::WideCharToMultiByte(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring normalizeKC(const std::wstring& s) {
  if (s.empty()) return s;
  int size = ::NormalizeString(NormalizationKC, s.data(), static_cast<int>(s.size()), nullptr, 0);
  for (int attempt = 0; attempt < 4 && size > 0; ++attempt) {
    std::wstring out(static_cast<std::size_t>(size), L'\0');
    const int n = ::NormalizeString(NormalizationKC, s.data(), static_cast<int>(s.size()), out.data(), size);
    if (n > 0) {
      out.resize(static_cast<std::size_t>(n));
      return out;
    }
    if (::GetLastError() != ERROR_INSUFFICIENT_BUFFER) break;
    size = -n;  // the estimate it gives on a short buffer
  }
  return s;
}

std::wstring lowerCase(const std::wstring& s) {
  if (s.empty()) return s;
  const int n = ::LCMapStringEx(LOCALE_NAME_INVARIANT, LCMAP_LOWERCASE, s.data(), static_cast<int>(s.size()),
                                nullptr, 0, nullptr, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0)
    ::LCMapStringEx(LOCALE_NAME_INVARIANT, LCMAP_LOWERCASE, s.data(), static_cast<int>(s.size()), out.data(), n,
                    nullptr, nullptr, 0);
  return n > 0 ? out : s;
}

}  // namespace

NameChar classifyNameChar(char32_t cp) {
  if (cp >= 0xFE00 && cp <= 0xFE0F) return NameChar::Variation;
  if (cp >= 0xE0100 && cp <= 0xE01EF) return NameChar::Variation;
  // Tags (U+E0000-E007F) are format characters; GetStringTypeW classifies only the BMP, and
  // outside it these and the private-use planes are the invisible ones.
  if ((cp >= 0xE0000 && cp <= 0xE007F) || cp >= 0xF0000) return NameChar::Refused;
  if (cp > 0xFFFF) return NameChar::Visible;
  // Two things the system's character types do not say: line and paragraph separators count
  // as spaces there, and a few marks are default-ignorable (they show as nothing).
  if (cp == 0x2028 || cp == 0x2029) return NameChar::Refused;
  if (cp == 0x034F || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F)) return NameChar::Refused;
  if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800) return NameChar::Blank;
  const wchar_t c = static_cast<wchar_t>(cp);
  WORD type1 = 0, type3 = 0;
  ::GetStringTypeW(CT_CTYPE1, &c, 1, &type1);
  ::GetStringTypeW(CT_CTYPE3, &c, 1, &type3);
  if (!(type1 & C1_DEFINED) || (type1 & C1_CNTRL)) return NameChar::Refused;
  if (cp >= 0xE000 && cp <= 0xF8FF) return NameChar::Refused;  // private use
  if (type1 & (C1_SPACE | C1_BLANK)) return NameChar::Blank;
  if (type3 & C3_NONSPACING) return NameChar::Mark;
  return NameChar::Visible;
}

std::string foldName(std::string_view name) {
  // NFKC, then lower case, then NFKC again: lower-casing can undo the normal form.
  return toUtf8(normalizeKC(lowerCase(normalizeKC(toWide(name)))));
}

}  // namespace chatport::chat::detail
