// The Simplified Chinese translation is complete: every user-visible string in ui/ and
// app/gui/ has a translation, none is left unfinished, and the built-in .qm is used at run time.

#include "event_text.h"
#include "input_checks.h"
#include "translations.h"

#include <QDomDocument>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace chatport;

namespace {

const QString kTs = QStringLiteral(CHATPORT_SOURCE_DIR "/resources/translations/chatport_zh_CN.ts");

/// "context | source" of every message that has no finished, non-empty translation.
QStringList untranslated(const QString& tsPath, int* total) {
  QFile file(tsPath);
  if (!file.open(QIODevice::ReadOnly)) return {QStringLiteral("cannot read ") + tsPath};
  QDomDocument doc;
  if (!doc.setContent(&file)) return {QStringLiteral("not XML: ") + tsPath};
  QStringList missing;
  *total = 0;
  const QDomNodeList contexts = doc.elementsByTagName(QStringLiteral("context"));
  for (int c = 0; c < contexts.size(); ++c) {
    const QDomElement context = contexts.at(c).toElement();
    const QString name = context.firstChildElement(QStringLiteral("name")).text();
    for (QDomElement m = context.firstChildElement(QStringLiteral("message")); !m.isNull();
         m = m.nextSiblingElement(QStringLiteral("message"))) {
      ++*total;
      const QDomElement tr = m.firstChildElement(QStringLiteral("translation"));
      bool done = !tr.isNull() && tr.attribute(QStringLiteral("type")).isEmpty();
      if (m.attribute(QStringLiteral("numerus")) == QStringLiteral("yes")) {
        const QDomElement form = tr.firstChildElement(QStringLiteral("numerusform"));
        done = done && !form.isNull() && !form.text().isEmpty();
      } else {
        done = done && !tr.text().isEmpty();
      }
      if (!done) missing << name + QStringLiteral(" | ") + m.firstChildElement(QStringLiteral("source")).text();
    }
  }
  return missing;
}

}  // namespace

class TranslationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyStringInTheTsFileIsTranslated() {
    int total = 0;
    const QStringList missing = untranslated(kTs, &total);
    QVERIFY2(total > 100, qPrintable(QString::number(total)));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated:\n") + missing.join(u'\n')));
  }

  void theTsFileCoversEveryStringInTheSources() {
    // lupdate over today's sources, into a copy: anything new shows up unfinished.
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("check_zh_CN.ts"));
    QVERIFY(QFile::copy(kTs, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(CHATPORT_LUPDATE),
                  {QStringLiteral(CHATPORT_SOURCE_DIR "/ui"), QStringLiteral(CHATPORT_SOURCE_DIR "/app/gui"),
                   QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none"),
                   QStringLiteral("-ts"), copy});
    QVERIFY(lupdate.waitForFinished(120'000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
    int total = 0;
    const QStringList missing = untranslated(copy, &total);
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("strings without a translation (run the update_translations target, "
                                       "then translate them):\n") + missing.join(u'\n')));
  }

  void theBuiltInTranslationIsUsed() {
    QVERIFY(ui::Translations::install(QLocale(QLocale::Chinese, QLocale::China)));
    QCOMPARE(ui::EventText::state(ui::ConnectionState::Connected, 0), QStringLiteral("已连接"));
    QCOMPARE(ui::InputChecks::nameProblem(QString()), QStringLiteral("请输入昵称。"));
    QCOMPARE(ui::EventText::state(ui::ConnectionState::Reconnecting, 3), QStringLiteral("3 秒后重新连接"));
    QCOMPARE(ui::EventText::skipped(312, 0), QStringLiteral("此窗口跟不上了：跳过了 312 条消息。"));
    // And back to English, with its plural forms.
    QVERIFY(ui::Translations::install(QLocale(QLocale::English, QLocale::UnitedStates)));
    QCOMPARE(ui::EventText::state(ui::ConnectionState::Connected, 0), QStringLiteral("Connected"));
    QCOMPARE(ui::EventText::skipped(1, 0), QStringLiteral("This window fell behind: 1 message was skipped."));
    QCOMPARE(ui::EventText::missed(1),
             QStringLiteral("1 message said while you were disconnected could not be recovered."));
    QCOMPARE(ui::EventText::skipped(0, 2),
             QStringLiteral("This window fell behind: 2 join or leave notices were skipped."));
  }

  void aLanguageWithoutATranslationIsShownInEnglish() {
    QVERIFY(!ui::Translations::install(QLocale(QLocale::German, QLocale::Germany)));
    QCOMPARE(ui::EventText::skipped(3, 0), QStringLiteral("This window fell behind: 3 messages were skipped."));
    QVERIFY(ui::Translations::install(QLocale::c()));
    QCOMPARE(ui::EventText::skipped(3, 0), QStringLiteral("This window fell behind: 3 messages were skipped."));
  }
};

QTEST_GUILESS_MAIN(TranslationTest)
#include "translation_test.moc"
