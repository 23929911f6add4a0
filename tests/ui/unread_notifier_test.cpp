// UnreadNotifier: what a message arriving in a window not in front calls for (counted, the
// taskbar flagged, a notification with its title and preview) on every platform, and the
// notification itself from a real tray icon where the desktop has a tray (under Xvfb, with the
// tray host trayer when it is installed).

#include "app_icon.h"
#include "unread_notifier.h"

#include <QApplication>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTest>

#include <memory>

using chatport::ui::UnreadNotifier;
using Arrival = UnreadNotifier::Arrival;

namespace {

constexpr int kWaitMs = 20'000;
constexpr qint64 kNever = -1;  // no notification shown yet

Arrival from(const char* who, const char* text) { return {QString::fromUtf8(who), QString::fromUtf8(text)}; }

/// The notification balloon Qt draws by the tray icon on X11, if one shows; its words.
QStringList balloonWords() {
  for (QWidget* w : QApplication::topLevelWidgets()) {
    if (qstrcmp(w->metaObject()->className(), "QBalloonTip") != 0 || !w->isVisible()) continue;
    QStringList words;
    for (const QLabel* label : w->findChildren<QLabel*>()) words << label->text();
    return words;
  }
  return {};
}

}  // namespace

class UnreadNotifierTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void aMessageSeenAsItArrivesCallsForNothing() {
    const auto notice = UnreadNotifier::noticeFor(from("ann", "hi"), true, 0, kNever);
    QVERIFY(!notice.counts);
    QVERIFY(!notice.alert);
    QVERIFY(!notice.notify);
  }

  void ownAndPastMessagesCallForNothingEvenInTheBackground() {
    Arrival own = from("bob", "my own words");
    own.own = true;
    Arrival past = from("ann", "said yesterday");
    past.history = true;
    for (const Arrival& a : {own, past}) {
      const auto notice = UnreadNotifier::noticeFor(a, false, 0, kNever);
      QVERIFY2(!notice.counts && !notice.alert && !notice.notify, qPrintable(a.text));
    }
  }

  void theFirstUnreadMessageFlagsTheTaskbarAndNotifiesWhoSaidWhat() {
    const auto notice = UnreadNotifier::noticeFor(from("卡萝尔", "are you there?"), false, 0, kNever);
    QVERIFY(notice.counts);
    QVERIFY(notice.alert);
    QVERIFY(notice.notify);
    QCOMPARE(notice.title, QStringLiteral("Message from 卡萝尔"));
    QCOMPARE(notice.preview, QStringLiteral("are you there?"));
    // The next one counts, but the taskbar is flagged already.
    const auto next = UnreadNotifier::noticeFor(from("ann", "hello?"), false, 1, UnreadNotifier::kNotificationGapMs);
    QVERIFY(next.counts);
    QVERIFY(!next.alert);
    QVERIFY(next.notify);
  }

  void aPrivateMessageFlagsTheTaskbarEveryTimeAndSaysItIsPrivate() {
    Arrival whisper = from("ann", "just between us");
    whisper.isPrivate = true;
    const auto notice = UnreadNotifier::noticeFor(whisper, false, 3, kNever);
    QVERIFY(notice.counts);
    QVERIFY(notice.alert);
    QCOMPARE(notice.title, QStringLiteral("Private message from ann"));
  }

  void notificationsAreMutedForAFewSecondsAfterOneWhileMessagesStillCount() {
    const auto muted = UnreadNotifier::noticeFor(from("ann", "again"), false, 1, UnreadNotifier::kNotificationGapMs - 1);
    QVERIFY(muted.counts);
    QVERIFY(!muted.notify);
    QVERIFY(muted.title.isEmpty());
    Arrival whisper = from("ann", "psst");
    whisper.isPrivate = true;
    const auto mutedPrivate = UnreadNotifier::noticeFor(whisper, false, 1, 0);
    QVERIFY2(!mutedPrivate.notify, "private too: a busy chat is not a storm");
    QVERIFY(mutedPrivate.alert);
  }

  void aBusyPersonIsNeitherFlaggedNorNotifiedButMessagesStillCount() {
    Arrival whisper = from("ann", "psst");
    whisper.isPrivate = true;
    for (const Arrival& a : {from("ann", "hi"), whisper}) {
      const auto notice = UnreadNotifier::noticeFor(a, false, 0, kNever, true);
      QVERIFY(notice.counts);
      QVERIFY2(!notice.alert && !notice.notify, qPrintable(a.text));
    }
  }

  void aLongMessageIsPreviewedShortOnOneLine() {
    const QString longText = QStringLiteral("first line\n\n  second   line ") + QString(200, u'x');
    const auto notice = UnreadNotifier::noticeFor({QStringLiteral("ann"), longText}, false, 0, kNever);
    QCOMPARE(notice.preview.size(), UnreadNotifier::kPreviewChars + 1);
    QVERIFY2(notice.preview.startsWith(QStringLiteral("first line second line x")), qPrintable(notice.preview));
    QCOMPARE(notice.preview.back(), QChar(0x2026));
  }

  void aWindowInTheBackgroundCountsUntilItIsActive() {
    QWidget window;
    QWidget other;
    window.show();
    other.show();
    QApplication::setActiveWindow(&other);
    QTRY_VERIFY_WITH_TIMEOUT(other.isActiveWindow(), kWaitMs);
    UnreadNotifier notifier(&window);
    QSignalSpy changed(&notifier, &UnreadNotifier::unreadChanged);
    QVERIFY(notifier.messageArrived(from("ann", "one")).counts);
    notifier.messageArrived(from("ann", "two"));
    QCOMPARE(notifier.unread(), 2);
    QCOMPARE(changed.size(), 2);
    QApplication::setActiveWindow(&window);
    QTRY_COMPARE_WITH_TIMEOUT(notifier.unread(), 0, kWaitMs);
    QCOMPARE(changed.last().at(0).toInt(), 0);
    QVERIFY(!notifier.messageArrived(from("ann", "seen")).counts);
    QCOMPARE(notifier.unread(), 0);
  }

  void aNotificationShowsFromTheTrayIconWhereThereIsATray() {
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
      QSKIP(qPrintable(QStringLiteral("no system tray on the %1 platform (the Xvfb run, ui.UnreadNotifierTray, has one)")
                           .arg(QGuiApplication::platformName())));
    QProcess trayHost;
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
      const QString trayer = QStandardPaths::findExecutable(QStringLiteral("trayer"));
      if (trayer.isEmpty()) QSKIP("no system tray on this X display, and no tray host (trayer) installed to start one");
      trayHost.start(trayer, {QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"),
                              QStringLiteral("right"), QStringLiteral("--SetDockType"), QStringLiteral("false")});
      QVERIFY2(trayHost.waitForStarted(kWaitMs), qPrintable(trayHost.errorString()));
      QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), kWaitMs);
    }
    QVERIFY(QSystemTrayIcon::supportsMessages());

    QWidget window;
    window.setWindowIcon(chatport::ui::AppIcon::icon());
    QWidget other;
    window.show();
    other.show();
    QApplication::setActiveWindow(&other);
    QTRY_VERIFY_WITH_TIMEOUT(other.isActiveWindow(), kWaitMs);
    UnreadNotifier notifier(&window);
    QVERIFY2(!notifier.trayIcon(), "no icon until there is something to tell");
    QVERIFY(notifier.messageArrived(from("卡萝尔", "are you there?")).notify);
    QVERIFY(notifier.trayIcon());
    QVERIFY(notifier.trayIcon()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!notifier.trayIcon()->geometry().isEmpty(), kWaitMs);  // docked in the tray
    QTRY_VERIFY_WITH_TIMEOUT(!balloonWords().isEmpty(), kWaitMs);
    const QStringList words = balloonWords();
    QVERIFY2(words.contains(QStringLiteral("Message from 卡萝尔")), qPrintable(words.join(u'|')));
    QVERIFY2(words.contains(QStringLiteral("are you there?")), qPrintable(words.join(u'|')));

    // Read: the icon goes until the next message.
    QApplication::setActiveWindow(&window);
    QTRY_COMPARE_WITH_TIMEOUT(notifier.unread(), 0, kWaitMs);
    QVERIFY(!notifier.trayIcon()->isVisible());
    if (trayHost.state() != QProcess::NotRunning) {
      trayHost.terminate();
      trayHost.waitForFinished(kWaitMs);
    }
  }
};

QTEST_MAIN(UnreadNotifierTest)
#include "unread_notifier_test.moc"
