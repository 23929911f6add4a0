#include "name_badge.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

#include <algorithm>

namespace chatport::ui {
namespace {

constexpr int kHPad = 5;
// Amber with dark lettering, readable on light and dark themes alike and on a selected row;
// not among SenderPalette's colours, so no name is drawn in it.
constexpr QRgb kHostFill = 0xf2b400;
constexpr QRgb kHostText = 0x3b2a00;

}  // namespace

QString NameBadge::text(Kind kind) { return kind == Kind::Host ? tr("host") : tr("you"); }

QString NameBadge::toolTip(Kind kind) {
  return kind == Kind::Host ? tr("The host runs this chat. Only the host gets this badge; no name "
                                 "can show it.")
                            : tr("This is you.");
}

QFont NameBadge::badgeFont(const QFont& font) {
  QFont f = font;
  if (font.pointSizeF() > 0) f.setPointSizeF(font.pointSizeF() * 0.8);
  else if (font.pixelSize() > 0) f.setPixelSize(std::max(8, font.pixelSize() * 8 / 10));
  f.setBold(true);
  f.setItalic(false);
  f.setUnderline(false);
  return f;
}

QSize NameBadge::size(Kind kind, const QFont& font) {
  const QFontMetrics m(badgeFont(font));
  return {m.horizontalAdvance(text(kind)) + 2 * kHPad, m.height() + 2};
}

QColor NameBadge::fill(Kind kind, const QPalette& palette) {
  if (kind == Kind::Host) return QColor::fromRgb(kHostFill);
  // The text colour, softened toward the background: quiet, and as readable in either theme.
  const QColor a = palette.color(QPalette::Text);
  const QColor b = palette.color(QPalette::Base);
  constexpr float t = 0.35f;
  return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
                          a.blueF() * (1 - t) + b.blueF() * t);
}

void NameBadge::paint(QPainter* painter, const QRect& rect, Kind kind, const QFont& font,
                      const QPalette& palette) {
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(Qt::NoPen);
  painter->setBrush(fill(kind, palette));
  const qreal radius = rect.height() / 2.0;
  painter->drawRoundedRect(QRectF(rect), radius, radius);
  painter->setFont(badgeFont(font));
  painter->setPen(kind == Kind::Host ? QColor::fromRgb(kHostText) : palette.color(QPalette::Base));
  painter->drawText(rect, Qt::AlignCenter, text(kind));
  painter->restore();
}

}  // namespace chatport::ui
