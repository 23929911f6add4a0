#pragma once
// A stable colour per person: the same nickname gets the same colour in every window, on
// every machine and in every run, readable on the window's background. Thread-safe.

#include <QColor>
#include <QString>

namespace chatport::ui {

class SenderPalette {
 public:
  /// darkBackground: pick a light variant for dark themes.
  static QColor colorFor(const QString& name, bool darkBackground);
  static bool isDark(const QColor& background) { return background.lightnessF() < 0.5; }
};

}  // namespace chatport::ui
