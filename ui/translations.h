#pragma once
// Loads ChatPort's translation (built into the program) and Qt's own for a locale.
// UI thread only, after the QApplication exists.

#include <QLocale>

namespace chatport::ui {

class Translations {
 public:
  /// Replaces translators installed by an earlier call. Returns whether ChatPort has a
  /// translation for the locale (English, the language of the sources, always does). Any other
  /// language is shown in English.
  static bool install(const QLocale& locale);
};

}  // namespace chatport::ui
