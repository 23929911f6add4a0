#pragma once
// The badges drawn beside a name: "host" (the person who runs the chat) and "you". Each is a
// filled pill painted by the delegates, never text in the name, so no nickname can imitate
// it: a name is only ever drawn as text, and text cannot fill a rounded box. UI thread only.

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QRect>
#include <QSize>
#include <QString>

class QPainter;
class QPalette;

namespace chatport::ui {

class NameBadge {
  Q_DECLARE_TR_FUNCTIONS(NameBadge)

 public:
  enum class Kind { Host, You };

  /// The word in the pill.
  static QString text(Kind kind);
  /// What the badge means, for a tooltip over it.
  static QString toolTip(Kind kind);
  /// The pill's size beside a name set in font.
  static QSize size(Kind kind, const QFont& font);
  /// The pill's fill: the host's is a colour no sender is given (SenderPalette).
  static QColor fill(Kind kind, const QPalette& palette);
  /// Paints the pill in rect (its size() for the row's font).
  static void paint(QPainter* painter, const QRect& rect, Kind kind, const QFont& font, const QPalette& palette);

 private:
  static QFont badgeFont(const QFont& font);
};

}  // namespace chatport::ui
