#pragma once
// A person's avatar in the chat log: a circle in their colour (SenderPalette) with their
// initials, the first grapheme of each of the first two words of their name ("Zoë Li" → "ZL",
// "李雷" → "李", "🐼 panda" → "🐼P"). Painted, never text in the name. UI thread only.

#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>

class QPainter;

namespace chatport::ui {

class Avatar {
 public:
  /// The letters in the circle: up to two graphemes, upper-cased where the script has case;
  /// "?" for a name with nothing to show.
  static QString initials(const QString& name);
  /// Paints the circle filling rect (a square) with initials in a colour readable on fill.
  static void paint(QPainter* painter, const QRect& rect, const QColor& fill, const QString& initials,
                    const QFont& font);
};

}  // namespace chatport::ui
