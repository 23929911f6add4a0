// Presence as a person meets it in the window: away when they stop using ChatPort, back when
// they return.

#include "chat_window.h"
#include "client_list_model.h"
#include "idle_watcher.h"
#include "message_input.h"
#include "presence_control.h"
#include "unread_notifier.h"
#include "ui_test_support.h"

#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QToolButton>

using namespace chatport::test;
using chatport::chat::Presence;
using chatport::ui::ChatWindow;
using chatport::ui::ClientListModel;
using chatport::ui::IdleWatcher;
using namespace std::chrono_literals;

namespace {

/// How window's client list shows name's presence; -1 if name is not in it.
int presenceIn(const ChatWindow& window, const QString& name) {
  const ClientListModel* list = window.clientModel();
  for (int row = 0; row < list->rowCount(); ++row)
    if (list->index(row).data(ClientListModel::NameRole).toString() == name)
      return list->index(row).data(ClientListModel::PresenceRole).toInt();
  return -1;
}

QAction* statusAction(const ChatWindow& window, Presence presence) {
  return window.presenceControl()->menu()->findChild<QAction*>(QStringLiteral("presence%1").arg(static_cast<int>(presence)));
}

}  // namespace

class PresenceTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void noInputForTheTimeoutIsIdleAndAKeyIsActiveAgain() {
    QLineEdit box;
    box.show();
    IdleWatcher watcher;
    QSignalSpy idle(&watcher, &IdleWatcher::becameIdle);
    QSignalSpy active(&watcher, &IdleWatcher::becameActive);
    watcher.setTimeout(100ms);
    QVERIFY(idle.wait(kWaitMs));
    QVERIFY(watcher.isIdle());
    QCOMPARE(active.count(), 0);

    QTest::keyClick(&box, Qt::Key_A);
    QCOMPARE(active.count(), 1);
    QVERIFY(!watcher.isIdle());
    // Input keeps it active; only a quiet timeout makes it idle again.
    QVERIFY(idle.wait(kWaitMs));
    QCOMPARE(idle.count(), 2);
    QTest::mouseClick(&box, Qt::LeftButton);
    QCOMPARE(active.count(), 2);
  }

  void awayAndBusyChosenFromTheMenuReachEveryonesList() {
    auto ann = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*ann);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), ann->port()));
    WAIT_CONNECTED(*bob);
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Available), kWaitMs);

    QAction* away = statusAction(*bob, Presence::Away);
    QVERIFY(away);
    away->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Away), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob->presenceControl()->button()->text(), QStringLiteral("Away"), kWaitMs);
    QCOMPARE(presenceIn(*bob, QStringLiteral("bob")), static_cast<int>(Presence::Away));

    statusAction(*ann, Presence::Busy)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*bob, QStringLiteral("ann")), static_cast<int>(Presence::Busy), kWaitMs);
    QVERIFY(statusAction(*ann, Presence::Busy)->isChecked());
    // Busy: a message in the background counts, but flags nothing and notifies nobody.
    QTRY_COMPARE_WITH_TIMEOUT(ann->presenceControl()->shown(), Presence::Busy, kWaitMs);
    const auto busyNotice = ann->unreadNotifier()->messageArrived({QStringLiteral("bob"), QStringLiteral("hi"), true});
    QVERIFY(!busyNotice.alert && !busyNotice.notify);
    statusAction(*ann, Presence::Available)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(ann->presenceControl()->shown(), Presence::Available, kWaitMs);
    if (!ann->isActiveWindow()) {
      const auto notice = ann->unreadNotifier()->messageArrived({QStringLiteral("bob"), QStringLiteral("hi"), true});
      QVERIFY(notice.alert);
    }
  }

  void noInputForTheIdleTimeShowsAwayAndTheNextKeyBringsThemBack() {
    auto ann = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*ann);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), ann->port()));
    WAIT_CONNECTED(*bob);
    bob->presenceControl()->idleWatcher()->setTimeout(150ms);
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Away), kWaitMs);
    QTest::keyClick(bob->input(), Qt::Key_H);
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Available), kWaitMs);

    // Busy by choice stays busy, idle or not.
    bob->presenceControl()->idleWatcher()->setTimeout(0ms);
    statusAction(*bob, Presence::Busy)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Busy), kWaitMs);
    QSignalSpy idle(bob->presenceControl()->idleWatcher(), &IdleWatcher::becameIdle);
    bob->presenceControl()->idleWatcher()->setTimeout(100ms);
    QVERIFY(idle.wait(kWaitMs));
    QTest::keyClick(bob->input(), Qt::Key_I);
    bob->input()->setPlainText(QStringLiteral("after"));
    QTest::keyClick(bob->input(), Qt::Key_Return);  // a message after it: the presence news came first
    QTRY_VERIFY_WITH_TIMEOUT(findText(*ann, QStringLiteral("after")) >= 0, kWaitMs);
    QCOMPARE(presenceIn(*ann, QStringLiteral("bob")), static_cast<int>(Presence::Busy));
  }

  void aTimeoutOfZeroIsNeverIdle() {
    IdleWatcher watcher;
    QSignalSpy idle(&watcher, &IdleWatcher::becameIdle);
    watcher.setTimeout(50ms);
    watcher.setTimeout(0ms);
    QVERIFY(!idle.wait(300));  // a bounded look for a signal that must not come
    QVERIFY(!watcher.isIdle());
  }
};

QTEST_MAIN(PresenceTest)
#include "presence_test.moc"
