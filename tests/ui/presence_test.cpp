// Presence as a person meets it in the window: away when they stop using ChatPort, back when
// they return.

#include "idle_watcher.h"
#include "ui_test_support.h"

#include <QLineEdit>
#include <QSignalSpy>

using chatport::test::kWaitMs;
using chatport::test::quietOffscreenNoise;
using chatport::ui::IdleWatcher;
using namespace std::chrono_literals;

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
