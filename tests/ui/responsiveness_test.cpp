// The window never waits on the network: connecting to a host that never answers leaves it
// usable (and cancellable), and a flood of messages is drained in bounded batches with input
// and timers served in between. Asserted on the order of events, never on elapsed time.

#include "chat_log_view.h"
#include "connection_banner.h"
#include "core_bridge.h"
#include "session_status_bar.h"
#include "headless_core.h"
#include "ui_test_support.h"

#include <raw_socket.h>

#include <QAction>
#include <QKeyEvent>
#include <QPushButton>
#include <QTimer>


using namespace chatport;
using namespace chatport::test;
using ui::ChatWindow;
using ui::ConnectionState;
using ui::LogEntry;


class ResponsivenessTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void silentHostLeavesTheWindowUsableAndCancellable() {
    RawSocket silent;
    QVERIFY(silent.listenLoopback(0));
    std::vector<RawSocket> fillers(8);
    for (auto& f : fillers) QVERIFY(f.connectNoWait(silent.localEndpoint()));
    chat::CoreOptions options = testCoreOptions();
    options.connectTimeout = std::chrono::minutes(5);  // it will not give up during the test
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), silent.localEndpoint().port()), options);
    QCOMPARE(bob->state(), ConnectionState::Connecting);

    // The event loop keeps turning: a timer, a repaint and a resize all happen while connecting.
    bool timerFired = false;
    QTimer::singleShot(0, bob.get(), [&] { timerFired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(timerFired, kWaitMs);
    QCOMPARE(bob->state(), ConnectionState::Connecting);
    bob->resize(700, 480);
    QVERIFY(!bob->grab().isNull());
    QCOMPARE(bob->sessionStatus()->stateText(), QStringLiteral("Connecting…"));
    QVERIFY2(bob->banner()->text().contains(QStringLiteral("Connecting to 127.0.0.1")), qPrintable(bob->banner()->text()));
    QVERIFY(!bob->input()->isEnabled());
    QVERIFY(bob->leaveAction()->isEnabled());

    // Cancel is there and works.
    QPushButton* cancel = bob->banner()->cancelButton();
    QVERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(bob->state(), ConnectionState::Disconnected);
    QVERIFY(findLine(*bob, LogEntry::Kind::System, QStringLiteral("Cancelled")) >= 0);
    QVERIFY(bob->banner()->retryButton()->isVisible());
    // The core confirms the leave; that is not a failure.
    const quint64 drained = bob->bridge()->eventsDrained();
    QTRY_VERIFY_WITH_TIMEOUT(bob->bridge()->eventsDrained() > drained, kWaitMs);
    QCOMPARE(findRow(*bob, [](const LogEntry& e) { return e.kind == LogEntry::Kind::Error; }), -1);
    QCOMPARE(bob->state(), ConnectionState::Disconnected);
  }

  void aFloodIsDrainedInBatchesWithTheUiServedInBetween() {
    constexpr int kFlood = 20'000;
    chat::CoreOptions roomy = testCoreOptions();
    roomy.ratePerSecond = 1e9;
    roomy.rateBurst = 1e9;
    roomy.maxQueuedBytesPerClient = std::size_t{256} << 20;
    roomy.heartbeatTimeout = std::chrono::minutes(5);  // the UI thread is held below on purpose
    auto host = startWindow(hostRequest(QStringLiteral("ann")), roomy);
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()), roomy);
    WAIT_CONNECTED(*bob);

    HeadlessCore flooder(roomy);
    flooder.setKeep(false);
    flooder.core().submit(chat::JoinCommand{"flood", "127.0.0.1", host->port()});
    QVERIFY(flooder.waitFor([](const chat::Event& e) { return std::holds_alternative<chat::ConnectedEvent>(e); },
                            1, std::chrono::seconds(30)));
    QTRY_COMPARE_WITH_TIMEOUT(bob->clientModel()->count(), 3, kWaitMs);

    // Flood, holding the UI thread until the flooder has its own messages back from the host:
    // by then the events pile up in bob's core, and the window meets them as one backlog.
    const QString last = QStringLiteral("flood %1").arg(kFlood);
    for (int i = 1; i <= kFlood; ++i) flooder.core().submit(chat::SendCommand{"flood " + std::to_string(i)});
    QVERIFY2(flooder.waitFor([](const chat::Event& e) { return std::holds_alternative<chat::MessageEvent>(e); },
                             kFlood, std::chrono::seconds(60)),
             "the host did not relay the flood");

    // What happens next, in order: B a batch drained, T the timer fired, K the key was typed,
    // E the flood's last message reached bob's log.
    QString order;
    int largestBatch = 0;
    int batches = 0;
    auto connection = connect(bob->bridge(), &ui::CoreBridge::batchDrained, this, [&](int count) {
      largestBatch = std::max(largestBatch, count);
      ++batches;
      order += u'B';
      const ui::ChatLogModel* log = bob->logModel();
      if (!order.contains(u'E') && log->entry(log->rowCount() - 1).text == last) order += u'E';
    });
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, this, [&] {
      if (!order.endsWith(u'T')) order += u'T';
    });
    ticker.start();
    connect(bob->input(), &QPlainTextEdit::textChanged, this, [&] { order += u'K'; });
    QCoreApplication::postEvent(bob->input(), new QKeyEvent(QEvent::KeyPress, Qt::Key_X, Qt::NoModifier, QStringLiteral("x")));

    QTRY_VERIFY2_WITH_TIMEOUT(order.contains(u'E'), qPrintable(QStringLiteral("order so far: %1").arg(order.left(200))), 60'000);
    ticker.stop();
    disconnect(connection);

    qInfo("%d batches, the largest %d; order: %s", batches, largestBatch, qPrintable(order.left(120)));
    QVERIFY2(largestBatch <= static_cast<int>(ui::CoreBridge::kBatchSize), qPrintable(QString::number(largestBatch)));
    QVERIFY2(batches >= kFlood / static_cast<int>(ui::CoreBridge::kBatchSize),
             qPrintable(QStringLiteral("%1 batches").arg(batches)));
    const qsizetype end = order.indexOf(u'E');
    const qsizetype firstBatch = order.indexOf(u'B');
    const qsizetype tick = order.indexOf(u'T', firstBatch);
    QVERIFY2(tick > firstBatch && tick < end,
             qPrintable(QStringLiteral("no timer between the batches: %1").arg(order.left(200))));
    const qsizetype key = order.indexOf(u'K');
    QVERIFY2(key >= 0 && key < end, qPrintable(QStringLiteral("the key waited for the flood: %1").arg(order.left(200))));
    QCOMPARE(bob->input()->toPlainText(), QStringLiteral("x"));
    QVERIFY(findText(*bob, QStringLiteral("flood 1")) >= 0);
    // Nothing lost or reordered.
    const int firstRow = findText(*bob, QStringLiteral("flood 1"));
    QCOMPARE(bob->logModel()->entry(firstRow + kFlood - 1).text, last);
  }
};

QTEST_MAIN(ResponsivenessTest)
#include "responsiveness_test.moc"
