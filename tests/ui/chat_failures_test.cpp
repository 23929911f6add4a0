// Every failure a person can run into shows in the window, in words they can act on: in the
// log, in the banner above the input (with what can be done), with the input disabled.

#include "connection_banner.h"
#include "core_bridge.h"
#include "event_text.h"
#include "session_status_bar.h"
#include "settings.h"
#include "ui_test_support.h"

#include <raw_socket.h>

#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>

using namespace chatport;
using namespace chatport::test;
using ui::ChatWindow;
using ui::ConnectionState;
using ui::LogEntry;

namespace {

/// Waits until window has given up, then checks the failure is explained everywhere it should be.
void expectFailure(ChatWindow& window, const QString& words, bool canRetry = true) {
  QTRY_COMPARE_WITH_TIMEOUT(window.state(), ConnectionState::Disconnected, kWaitMs);
  QVERIFY2(findLine(window, LogEntry::Kind::Error, words) >= 0,
           qPrintable(QStringLiteral("no error line with “%1” in:\n%2").arg(words, logDump(window))));
  QVERIFY2(window.banner()->isVisible() && window.banner()->text().contains(words),
           qPrintable(QStringLiteral("banner says: %1").arg(window.banner()->text())));
  QCOMPARE(window.banner()->retryButton()->isVisible(), canRetry);
  QVERIFY(window.banner()->changeButton()->isVisible());
  QVERIFY(!window.input()->isEnabled());
  QCOMPARE(window.sessionStatus()->stateText(), QStringLiteral("Disconnected"));
  // Said once, not once per event about it.
  int lines = 0;
  for (int row = 0; row < window.logModel()->rowCount(); ++row)
    lines += window.logModel()->entry(row).kind == LogEntry::Kind::Error;
  QCOMPARE(lines, 1);
}

quint16 unusedPort() {
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
  return probe.serverPort();  // closed again when probe goes
}

}  // namespace

class ChatFailuresTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void portInUse() {
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::AnyIPv4, 0));
    auto host = startWindow(hostRequest(QStringLiteral("ann"), other.serverPort()));
    expectFailure(*host, QStringLiteral("Port %1 is already in use").arg(other.serverPort()));
    // Choose another port: the banner offers it.
    QSignalSpy change(host.get(), &ChatWindow::changeSessionRequested);
    QTest::mouseClick(host->banner()->changeButton(), Qt::LeftButton);
    QCOMPARE(change.count(), 1);
  }

  void defaultPortTakenMovesTheRoomAndSaysSo() {
    // Another program on 5150 (this one, or whatever holds it already): the room is
    // announced, so it moves to a free port rather than fail, and the log says where.
    QTcpServer other;
    other.listen(QHostAddress::LocalHost, chat::kDefaultPort);
    auto host = startWindow(hostRequest(QStringLiteral("ann"), chat::kDefaultPort));
    WAIT_CONNECTED(*host);
    QVERIFY(host->port() != chat::kDefaultPort);
    QVERIFY2(host->sessionStatus()->endpointText().endsWith(QStringLiteral(":%1").arg(host->port())),
             qPrintable(host->sessionStatus()->endpointText()));
    QVERIFY2(findLine(*host, LogEntry::Kind::System, QStringLiteral("Port %1 is in use").arg(chat::kDefaultPort)) >= 0,
             qPrintable(logDump(*host)));
  }

  void connectionRefused() {
    const quint16 port = unusedPort();
    auto joiner = startWindow(joinRequest(QStringLiteral("bob"), port));
    expectFailure(*joiner, QStringLiteral("Nobody is hosting a chat at 127.0.0.1:%1").arg(port));
  }

  void hostUnreachable() {
    // .invalid never resolves (RFC 6761).
    auto joiner = startWindow(joinRequest(QStringLiteral("bob"), 5150, QStringLiteral("nobody-here.invalid")));
    expectFailure(*joiner, QStringLiteral("Can't reach nobody-here.invalid"));
  }

  void hostThatNeverAnswers() {
    // A listener that never accepts, its queue full: connection requests go unanswered.
    RawSocket silent;
    QVERIFY(silent.listenLoopback(0));
    std::vector<RawSocket> fillers(8);
    for (auto& f : fillers) QVERIFY(f.connectNoWait(silent.localEndpoint()));
    chat::CoreOptions options = testCoreOptions();
    options.connectTimeout = std::chrono::milliseconds(300);
    auto joiner = startWindow(joinRequest(QStringLiteral("bob"), silent.localEndpoint().port()), options);
    expectFailure(*joiner, QStringLiteral("did not answer"));
  }

  void nameTaken() {
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    auto joiner = startWindow(joinRequest(QStringLiteral("ANN"), host->port()));
    // Joining again under the same name can only fail: another name is offered instead.
    expectFailure(*joiner, QStringLiteral("already called “ANN”"), false);
    QVERIFY2(joiner->banner()->changeButton()->text().contains(QStringLiteral("nickname")),
             qPrintable(joiner->banner()->changeButton()->text()));
  }

  void onlyAnAddressThatConnectedIsRemembered() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    {
      ChatWindow joiner(joinRequest(QStringLiteral("bob"), 5150, QStringLiteral("nosuchhost.invalid")),
                        testCoreOptions(), &settings);
      joiner.show();
      joiner.start();
      expectFailure(joiner, QStringLiteral("Can't reach nosuchhost.invalid"));
    }
    QCOMPARE(settings.joinAddress(), QString());
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    ChatWindow joiner(joinRequest(QStringLiteral("bob"), host->port()), testCoreOptions(), &settings);
    joiner.show();
    joiner.start();
    WAIT_CONNECTED(joiner);
    QCOMPARE(settings.joinAddress(), QStringLiteral("127.0.0.1"));
    QCOMPARE(settings.joinPort(), host->port());
  }

  void roomFull() {
    chat::CoreOptions options = testCoreOptions();
    options.maxClients = 1;  // one joiner besides the host
    auto host = startWindow(hostRequest(QStringLiteral("ann")), options);
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()));
    WAIT_CONNECTED(*bob);
    auto carol = startWindow(joinRequest(QStringLiteral("carol"), host->port()));
    expectFailure(*carol, QStringLiteral("The chat is full"));
  }

  void hostClosed() {
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()));
    WAIT_CONNECTED(*bob);
    host->leave();
    expectFailure(*bob, QStringLiteral("The host ended the chat"));
    // The host's own window says it ended the chat, as news, not as a failure.
    QVERIFY(findLine(*host, LogEntry::Kind::System, QStringLiteral("You ended the chat")) >= 0);
    QCOMPARE(host->banner()->kind(), ui::ConnectionBanner::Kind::Ended);
  }

  void kicked() {
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()));
    WAIT_CONNECTED(*bob);
    QTRY_VERIFY_WITH_TIMEOUT(host->clientModel()->find(bob->selfId()), kWaitMs);
    host->kick(bob->selfId());
    expectFailure(*bob, QStringLiteral("The host removed you"), /*canRetry=*/false);
  }

  void tooSlow() {
    // The host drops a joiner whose queue overflows; a joiner's window sees that as an event.
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()));
    WAIT_CONNECTED(*bob);
    std::vector<chat::Event> events;
    events.emplace_back(chat::DisconnectedEvent{chat::ErrorCode::TooSlow, "the host dropped you: too slow", false});
    bob->handleEvents(events);
    expectFailure(*bob, QStringLiteral("could not keep up"));
  }

  void aWindowThatFellBehindSaysWhatItSkipped() {
    // The core lets go of the oldest messages when a window stalls for long, and a resumed
    // joiner may find some of what it missed gone from the host: each is said.
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    std::vector<chat::Event> events;
    events.emplace_back(chat::SkippedEvent{312, 4});
    events.emplace_back(chat::SkippedEvent{0, 2});
    events.emplace_back(chat::MissedEvent{3});
    host->handleEvents(events);
    QVERIFY(findLine(*host, LogEntry::Kind::System,
                     ui::EventText::skipped(312, 4)) >= 0);
    QVERIFY(findLine(*host, LogEntry::Kind::System, ui::EventText::skipped(0, 2)) >= 0);
    QVERIFY(findLine(*host, LogEntry::Kind::System, ui::EventText::missed(3)) >= 0);
  }

  void lostHostIsRetriedWithACountdown() {
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()));
    WAIT_CONNECTED(*bob);
    std::vector<chat::Event> events;
    events.emplace_back(chat::DisconnectedEvent{chat::ErrorCode::ConnectionLost, "reset", true});
    events.emplace_back(chat::ReconnectingEvent{2, std::chrono::milliseconds(5000)});
    bob->handleEvents(events);
    QCOMPARE(bob->state(), ConnectionState::Reconnecting);
    QVERIFY2(bob->sessionStatus()->stateText().startsWith(QStringLiteral("Reconnecting in ")),
             qPrintable(bob->sessionStatus()->stateText()));
    QVERIFY2(bob->banner()->text().contains(QStringLiteral("attempt 2")), qPrintable(bob->banner()->text()));
    QVERIFY(bob->banner()->cancelButton()->isVisible());
    QVERIFY(!bob->input()->isEnabled());
    QVERIFY(findLine(*bob, LogEntry::Kind::Error, QStringLiteral("connection to the host was lost")) >= 0);
    // Cancel stops trying.
    QTest::mouseClick(bob->banner()->cancelButton(), Qt::LeftButton);
    QCOMPARE(bob->state(), ConnectionState::Disconnected);
  }

  void everyFailureHasItsOwnSentence() {
    ui::SessionRequest session = joinRequest(QStringLiteral("bob"), 5150);
    QSet<QString> seen;
    for (int code = 0; code <= static_cast<int>(chat::ErrorCode::HistoryUnavailable); ++code) {
      const QString text = ui::EventText::failure(static_cast<chat::ErrorCode>(code), session);
      QVERIFY2(text.size() > 15, qPrintable(text));
      QVERIFY2(!seen.contains(text), qPrintable(QStringLiteral("said twice: %1").arg(text)));
      seen.insert(text);
    }
  }
};

QTEST_MAIN(ChatFailuresTest)
#include "chat_failures_test.moc"
