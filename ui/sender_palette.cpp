#include "sender_palette.h"

#include <array>
#include <cstdint>

namespace chatport::ui {
namespace {

// Twelve colours far apart in hue and lightness, each readable on its background (at least
// 4.5:1 contrast); reds are left to error lines. Same order in both lists: a person keeps
// "their" colour when the theme changes.
constexpr std::array<QRgb, SenderPalette::kColors> kOnLight = {0x1565c0, 0x2e7d32, 0x7b1fa2, 0xc43e00, 0x00796b, 0x6d4c41,
                                           0xc2185b, 0x303f9f, 0x6b6b00, 0x00838f, 0x946200, 0x546e7a};
constexpr std::array<QRgb, SenderPalette::kColors> kOnDark = {0x64b5f6, 0x81c784, 0xce93d8, 0xff8a65, 0x4db6ac, 0xbcaaa4,
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

QColor colorAt(std::size_t i, bool darkBackground) {
  return QColor::fromRgb(darkBackground ? kOnDark[i] : kOnLight[i]);
}

}  // namespace

QColor SenderPalette::colorFor(const QString& name, bool darkBackground) {
  return colorAt(stableHash(name) % kColors, darkBackground);
}

QColor SenderPalette::colorFor(chat::ClientId id, const QString& name, bool darkBackground) const {
  const auto it = assigned_.find(id);
  return it == assigned_.end() ? colorFor(name, darkBackground) : colorAt(it->second, darkBackground);
}

void SenderPalette::setPresent(const std::vector<chat::Participant>& clients) {
  std::set<chat::ClientId> listed;
  for (const auto& p : clients) listed.insert(p.id);
  for (auto it = present_.begin(); it != present_.end();)
    it = listed.count(*it) ? std::next(it) : present_.erase(it);
  for (chat::ClientId id : listed) arrived(id);  // in id order, which is arrival order
}

void SenderPalette::arrived(chat::ClientId id) {
  present_.insert(id);
  if (assigned_.count(id)) return;  // back (a resumed session): the same colour
  std::array<int, kColors> uses{};
  for (chat::ClientId other : present_)
    if (auto it = assigned_.find(other); it != assigned_.end()) ++uses[it->second];
  std::size_t best = 0;
  for (std::size_t i = 1; i < kColors; ++i)
    if (uses[i] < uses[best] || (uses[i] == uses[best] && givenAt_[i] < givenAt_[best])) best = i;
  assigned_[id] = best;
  givenAt_[best] = ++given_;
}

void SenderPalette::left(chat::ClientId id) { present_.erase(id); }

void SenderPalette::clear() {
  assigned_.clear();
  present_.clear();
  givenAt_.fill(0);
  given_ = 0;
}

}  // namespace chatport::ui
