#include "sender_palette.h"

#include <array>
#include <cstdint>

namespace chatport::ui {
namespace {

// Twelve colours far apart in hue and lightness, each readable on its background (at least
// 4.5:1 contrast); reds are left to error lines. Same order in both lists: a person keeps
// "their" colour when the theme changes.
constexpr std::array<QRgb, 12> kOnLight = {0x1565c0, 0x2e7d32, 0x7b1fa2, 0xc43e00, 0x00796b, 0x6d4c41,
                                           0xc2185b, 0x303f9f, 0x6b6b00, 0x00838f, 0x946200, 0x546e7a};
constexpr std::array<QRgb, 12> kOnDark = {0x64b5f6, 0x81c784, 0xce93d8, 0xff8a65, 0x4db6ac, 0xbcaaa4,
                                          0xf48fb1, 0x9fa8da, 0xd4e157, 0x4dd0e1, 0xffd54f, 0xb0bec5};

// FNV-1a over UTF-8: unlike qHash, not seeded per process.
std::uint32_t stableHash(const QString& name) {
  std::uint32_t h = 2166136261u;
  for (char c : name.toUtf8()) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

}  // namespace

QColor SenderPalette::colorFor(const QString& name, bool darkBackground) {
  const std::size_t i = stableHash(name) % kOnLight.size();
  return QColor::fromRgb(darkBackground ? kOnDark[i] : kOnLight[i]);
}

}  // namespace chatport::ui
