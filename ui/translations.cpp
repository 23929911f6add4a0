#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace chatport::ui {
namespace {
using namespace Qt::Literals::StringLiterals;
const QString kTranslatorName = u"chatport-translator"_s;
}  // namespace

bool Translations::install(const QLocale& locale) {
  QCoreApplication* app = QCoreApplication::instance();
  Q_ASSERT(app);
  for (QTranslator* old : app->findChildren<QTranslator*>(kTranslatorName, Qt::FindDirectChildrenOnly)) {
    QCoreApplication::removeTranslator(old);
    delete old;
  }
  auto load = [&](const QLocale& l, const QString& name, const QString& dir) {
    auto* translator = new QTranslator(app);
    translator->setObjectName(kTranslatorName);
    if (translator->load(l, name, u"_"_s, dir)) {
      QCoreApplication::installTranslator(translator);
      return true;
    }
    delete translator;
    return false;
  };
  // Qt's dialogs and context menus (qtbase_zh_CN.qm, when the system has it).
  load(locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
  const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
  const bool ours = !english && load(locale, u"chatport"_s, u":/i18n"_s);
  // Everything else is shown in English, which takes only its plural forms from chatport_en
  // ("1 message", "2 messages").
  if (!ours) load(QLocale(QLocale::English), u"chatport"_s, u":/i18n"_s);
  return ours || english;
}

}  // namespace chatport::ui
