// End to end on loopback, in one process: a host window and two joiner windows, driven
// through their widgets as a person would.

#include "chat_log_view.h"
#include "client_list_view.h"
#include "connection_banner.h"
#include "core_bridge.h"
#include "emoji_picker.h"
#include "event_text.h"
#include "headless_core.h"
#include "launcher.h"
#include "settings.h"
#include "start_dialog.h"
#include "session_status_bar.h"
#include "ui_test_support.h"
#include "unread_notifier.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QPointer>
#include <QSpontaneKeyEvent>
#include <QTemporaryDir>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>

using namespace chatport;
using namespace chatport::test;
using ui::ChatWindow;
using ui::ConnectionState;
using ui::LogEntry;

class ChatWindowTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<ChatWindow> host_;
  std::unique_ptr<ChatWindow> bob_;
  std::unique_ptr<ChatWindow> carol_;

  QList<ChatWindow*> all() const { return {host_.get(), bob_.get(), carol_.get()}; }

  /// Double-clicks name in window's client list.
  static void doubleClickClient(ChatWindow& window, chat::ClientId id) {
    ui::ClientListView* view = window.clientView();
    const QModelIndex index = view->indexOf(id);
    QVERIFY2(index.isValid(), "the person is not in the list");
    const QPoint at = view->visualRect(index).center();
    // A real double-click starts with a click; QAbstractItemView acts only on a double-click
    // on the row that was pressed.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
  }

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void init() {
    host_ = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host_);
    QVERIFY(host_->port() != 0);
    bob_ = startWindow(joinRequest(QStringLiteral("bob"), host_->port()));
    carol_ = startWindow(joinRequest(QStringLiteral("卡萝尔"), host_->port()));
    WAIT_CONNECTED(*bob_);
    WAIT_CONNECTED(*carol_);
    for (ChatWindow* w : all())
      QTRY_COMPARE_WITH_TIMEOUT(w->clientModel()->count(), 3, kWaitMs);
  }

  void cleanup() {
    carol_.reset();
    bob_.reset();
    host_.reset();
  }

  void typingGoesToTheMessageBoxWhenTheWindowOpensAndWhenADialogCloses() {
    // bob's window was shown while connecting, when the box could not be typed in yet.
    bob_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(bob_.get()));
    typeIntoWindow(bob_.get(), QStringLiteral("hi"));
    QCOMPARE(bob_->input()->toPlainText(), QStringLiteral("hi"));

    // Reading the log, then a dialog that is cancelled: typing goes to the box again.
    bob_->logView()->setFocus(Qt::MouseFocusReason);
    answerNextDialog<QInputDialog>([](QInputDialog* dialog) { dialog->reject(); });
    bob_->changeNickname();
    typeIntoWindow(bob_.get(), QStringLiteral(" there"));
    QCOMPARE(bob_->input()->toPlainText(), QStringLiteral("hi there"));
  }

  void endingTheChatRemovingSomeoneAndClearingTheLogAskFirst() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    ChatWindow host(hostRequest(QStringLiteral("dora")), testCoreOptions(), &settings);
    host.show();
    host.start();
    WAIT_CONNECTED(host);
    auto eve = startWindow(joinRequest(QStringLiteral("eve"), host.port()));
    HeadlessCore fay(testCoreOptions());  // not a window: Quit closes every window
    fay.core().submit(chat::JoinCommand{"fay", "127.0.0.1", host.port()});
    QVERIFY(fay.waitFor([](const chat::Event& e) { return std::holds_alternative<chat::ConnectedEvent>(e); }));
    WAIT_CONNECTED(*eve);
    QTRY_COMPARE_WITH_TIMEOUT(host.clientModel()->count(), 3, kWaitMs);

    // Removing someone: cancelled, nothing happens; confirmed, they go.
    ui::ClientListView* view = host.clientView();
    std::unique_ptr<QMenu> menu(view->createContextMenu(view->visualRect(view->indexOf(eve->selfId())).center()));
    auto* kick = menu->findChild<QAction*>(QStringLiteral("kickAction"));
    QVERIFY(kick);
    auto asked = answerNextConfirmation(false);
    kick->trigger();
    QVERIFY2(*asked, "removing someone did not ask");
    QVERIFY(host.clientModel()->find(eve->selfId()));
    answerNextConfirmation(true);
    kick->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(eve->state(), ConnectionState::Disconnected, kWaitMs);
    // The host's window may learn it after eve's: its list and its log line come together.
    QTRY_COMPARE_WITH_TIMEOUT(host.clientModel()->count(), 2, kWaitMs);

    // Clearing the log.
    auto* clear = host.findChild<QAction*>(QStringLiteral("clearLogAction"));
    QVERIFY(clear);
    const int rows = host.logModel()->rowCount();
    QVERIFY(rows > 0);
    asked = answerNextConfirmation(false);
    clear->trigger();
    QVERIFY2(*asked, "clearing the log did not ask");
    QCOMPARE(host.logModel()->rowCount(), rows);
    answerNextConfirmation(true);
    clear->trigger();
    QCOMPARE(host.logModel()->rowCount(), 0);

    // Closing the window, as the window's close button does: cancelled, the chat goes on.
    asked = answerNextConfirmation(false);
    QCloseEvent byPerson;
    QSpontaneKeyEvent::setSpontaneous(&byPerson);
    qApp->notify(&host, &byPerson);  // as delivered from the window system: spontaneous
    QVERIFY2(*asked, "closing the host's window did not ask");
    QVERIFY(!byPerson.isAccepted());
    QCOMPARE(host.state(), ConnectionState::Connected);
    QTRY_COMPARE_WITH_TIMEOUT(host.clientModel()->count(), 2, kWaitMs);  // dora and fay

    // Ctrl+Q, confirmed, with "Don't ask again": the chat ends for fay, and the answer stays.
    host.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&host));
    asked = answerNextConfirmation(true, true);
    QTest::keyClick(host.windowHandle(), Qt::Key_Q, Qt::ControlModifier);
    QVERIFY2(*asked, "Ctrl+Q did not ask");
    QVERIFY(fay.waitFor([](const chat::Event& e) {
      const auto* d = std::get_if<chat::DisconnectedEvent>(&e);
      return d && d->reason == chat::ErrorCode::HostClosed;
    }));
    QVERIFY(!host.isVisible());
    QVERIFY(!ui::Settings(dir.filePath(QStringLiteral("settings.ini"))).asksBefore(ui::Settings::Confirmation::EndChat));
    QVERIFY(ui::Settings(dir.filePath(QStringLiteral("settings.ini"))).asksBefore(ui::Settings::Confirmation::Remove));
  }

  void quitInTheChangeSessionDialogQuitsButEscapeOnlyClosesIt() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    app::Launcher launcher(settings, testCoreOptions());
    QPointer<ui::ChatWindow> window = launcher.open(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*window);

    auto closedByEscape = answerNextDialog<ui::StartDialog>([](ui::StartDialog* d) { QTest::keyClick(d, Qt::Key_Escape); });
    QVERIFY(!launcher.ask(window->request()));
    QVERIFY(*closedByEscape);
    QVERIFY(window && window->isVisible());
    QCOMPARE(window->state(), ui::ConnectionState::Connected);

    auto quit = answerNextDialog<ui::StartDialog>([](ui::StartDialog* d) {
      auto* button = d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel);
      QCOMPARE(button->text(), QStringLiteral("&Quit"));
      button->click();
    });
    QVERIFY(!launcher.ask(window->request()));
    QVERIFY(*quit);
    QTRY_VERIFY_WITH_TIMEOUT(!window || !window->isVisible(), kWaitMs);
  }

  void aWindowThatJoinsRunsOneNetworkLoop() {
#ifndef __linux__
    QSKIP("the loops are counted by their thread names in /proc");
#else
    // An engine names its loop threads chatport-net0, -net1...; threads they start inherit the
    // name. A core of one loop adds no chatport-net1; one of a loop per core (2 here) would.
    const auto secondLoops = [] {
      int n = 0;
      for (const QString& task : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(task));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "chatport-net1") ++n;
      }
      return n;
    };
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    chat::CoreOptions options = testCoreOptions();
    options.threads = 0;  // as the program starts it: the launcher decides
    app::Launcher launcher(settings, options);
    const int before = secondLoops();
    QPointer<ui::ChatWindow> window = launcher.open(joinRequest(QStringLiteral("dan"), host_->port()));
    WAIT_CONNECTED(*window);
    QCOMPARE(secondLoops(), before);
    window->close();
#endif
  }

  void noMnemonicIsUsedTwiceInTheWindowOrAMenu() {
    for (ChatWindow* w : {host_.get(), bob_.get()}) {
      QStringList altKeys = mnemonicTexts(w);  // the menu titles and the window's buttons
      for (QAction* title : w->menuBar()->actions()) {
        altKeys << title->text();
        QStringList items;
        for (QAction* item : title->menu()->actions())
          if (!item->isSeparator() && item->isVisible()) items << item->text();
        QVERIFY2(mnemonicClashes(items).isEmpty(),
                 qPrintable(title->text() + QStringLiteral(": ") + mnemonicClashes(items).join(u", ")));
      }
      QVERIFY2(mnemonicClashes(altKeys).isEmpty(), qPrintable(mnemonicClashes(altKeys).join(u", ")));
    }
  }

  void aMessageTypedInOneWindowShowsInAllThree() {
    const QString text = QStringLiteral("hello 你好, see https://example.org/a");
    typeAndSend(*bob_, text);
    for (ChatWindow* w : all())
      QTRY_VERIFY2_WITH_TIMEOUT(findText(*w, text) >= 0, qPrintable(w->request().name + QStringLiteral(":\n") + logDump(*w)), kWaitMs);
    QVERIFY(bob_->input()->toPlainText().isEmpty());
    for (ChatWindow* w : all()) {
      const LogEntry& e = w->logModel()->entry(findText(*w, text));
      QCOMPARE(e.kind, LogEntry::Kind::Message);
      QCOMPARE(e.sender, QStringLiteral("bob"));
      QCOMPARE(e.own, w == bob_.get());
      QVERIFY(e.seq > 0);
    }
    // Room order is the same everywhere.
    const auto seq = bob_->logModel()->entry(findText(*bob_, text)).seq;
    QCOMPARE(host_->logModel()->entry(findText(*host_, text)).seq, seq);
  }

  void aNewcomerSeesWhatWasSaidBeforeMarkedApartFromTheLiveConversation() {
    typeAndSend(*bob_, QStringLiteral("said before dan came"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host_, QStringLiteral("said before dan came")) >= 0, kWaitMs);
    auto dan = startWindow(joinRequest(QStringLiteral("dan"), host_->port()));
    WAIT_CONNECTED(*dan);
    QTRY_VERIFY2_WITH_TIMEOUT(findText(*dan, QStringLiteral("said before dan came")) >= 0, qPrintable(logDump(*dan)), kWaitMs);
    typeAndSend(*bob_, QStringLiteral("said after"));
    QTRY_VERIFY2_WITH_TIMEOUT(findText(*dan, QStringLiteral("said after")) >= 0, qPrintable(logDump(*dan)), kWaitMs);

    const int before = findText(*dan, QStringLiteral("said before dan came"));
    const int after = findText(*dan, QStringLiteral("said after"));
    const LogEntry& past = dan->logModel()->entry(before);
    QVERIFY(past.history);
    QCOMPARE(past.sender, QStringLiteral("bob"));
    QVERIFY(!dan->logModel()->entry(after).history);
    // A line before the past, and one where the live conversation takes over.
    const int starts = findLine(*dan, LogEntry::Kind::System, ui::EventText::historyStarts());
    const int ends = findLine(*dan, LogEntry::Kind::System, ui::EventText::historyEnds());
    QVERIFY2(starts >= 0 && starts < before && before < ends && ends < after, qPrintable(logDump(*dan)));
  }

  void emojiAndLineBreaksArriveIntact() {
    typeText(carol_->input(), QStringLiteral("第一行"));
    QTest::keyClick(carol_->input(), Qt::Key_Return, Qt::ShiftModifier);  // a new line, not sent
    QCOMPARE(carol_->input()->toPlainText(), QStringLiteral("第一行\n"));
    typeText(carol_->input(), QStringLiteral("second 🎉👍🏽"));
    QTest::keyClick(carol_->input(), Qt::Key_Return);
    const QString text = QStringLiteral("第一行\nsecond 🎉👍🏽");
    for (ChatWindow* w : all())
      QTRY_VERIFY2_WITH_TIMEOUT(findText(*w, text) >= 0, qPrintable(logDump(*w)), kWaitMs);
  }

  void anEmptyMessageIsNotSent() {
    QTest::keyClicks(bob_->input(), QStringLiteral("   "));
    QTest::keyClick(bob_->input(), Qt::Key_Return);
    QCOMPARE(bob_->input()->toPlainText(), QStringLiteral("   "));  // kept, not sent
    bob_->input()->clear();
    typeAndSend(*bob_, QStringLiteral("marker"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host_, QStringLiteral("marker")) >= 0, kWaitMs);
    QCOMPARE(findText(*host_, QStringLiteral("   ")), -1);
  }

  void clientListsShowEveryoneWithHostAndYouMarked() {
    for (ChatWindow* w : all()) {
      ui::ClientListModel* m = w->clientModel();
      int hosts = 0;
      int selves = 0;
      for (int row = 0; row < m->rowCount(); ++row) {
        const QModelIndex i = m->index(row);
        hosts += i.data(ui::ClientListModel::IsHostRole).toBool();
        if (i.data(ui::ClientListModel::IsSelfRole).toBool()) {
          ++selves;
          QCOMPARE(i.data(ui::ClientListModel::NameRole).toString(), w->nickname());
        }
      }
      QCOMPARE(hosts, 1);
      QCOMPARE(selves, 1);
      QCOMPARE(w->clientView()->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Connected (3)"));
      QCOMPARE(w->sessionStatus()->countText(), QStringLiteral("3 connected"));
      QCOMPARE(w->sessionStatus()->stateText(), QStringLiteral("Connected"));
      // Sorted: the host first.
      QVERIFY(w->clientView()->model()->index(0, 0).data(ui::ClientListModel::IsHostRole).toBool());
    }
    QCOMPARE(host_->sessionStatus()->roleText(), QStringLiteral("Host"));
    QCOMPARE(bob_->sessionStatus()->roleText(), QStringLiteral("Joiner"));
    QCOMPARE(bob_->sessionStatus()->endpointText(), QStringLiteral("127.0.0.1:%1").arg(host_->port()));
    QVERIFY(host_->windowTitle().contains(QString::number(host_->port())));
  }

  void theTitleSaysChatPortOnceWhereThePlatformAddsIt() {
    // As the application sets it; X11 and Windows then append " — ChatPort" to a window's title
    // unless it ends with it already (QPlatformWindow::formatWindowTitle).
    QGuiApplication::setApplicationDisplayName(QStringLiteral("ChatPort"));
    const QString app = QGuiApplication::applicationDisplayName();
    for (ChatWindow* w : all()) {
      const QString title = w->windowTitle();
      const QString shown = title.endsWith(app) ? title : title + QStringLiteral(" \u2014 ") + app;
      QCOMPARE(shown.count(QStringLiteral("ChatPort")), 1);
      QVERIFY2(title.contains(w->nickname()), qPrintable(title));
    }
  }

  void theHostsMessagesCarryTheBadgeInEveryLog() {
    typeAndSend(*host_, QStringLiteral("welcome"));
    typeAndSend(*bob_, QStringLiteral("hello, I am bob"));
    doubleClickClient(*carol_, host_->selfId());
    typeAndSend(*carol_, QStringLiteral("psst, host"));
    for (ChatWindow* w : all()) {
      QTRY_VERIFY2_WITH_TIMEOUT(findText(*w, QStringLiteral("hello, I am bob")) >= 0, qPrintable(logDump(*w)), kWaitMs);
      QVERIFY(w->logModel()->entry(findText(*w, QStringLiteral("welcome"))).senderIsHost);
      QVERIFY(!w->logModel()->entry(findText(*w, QStringLiteral("hello, I am bob"))).senderIsHost);
    }
    for (ChatWindow* w : {host_.get(), carol_.get()}) {
      QTRY_VERIFY_WITH_TIMEOUT(findText(*w, QStringLiteral("psst, host")) >= 0, kWaitMs);
      const LogEntry& e = w->logModel()->entry(findText(*w, QStringLiteral("psst, host")));
      QVERIFY(!e.senderIsHost);
      QVERIFY(e.recipientIsHost);
    }
  }

  void clientListsFollowJoinersComingAndGoing() {
    auto dave = startWindow(joinRequest(QStringLiteral("dave"), host_->port()));
    WAIT_CONNECTED(*dave);
    for (ChatWindow* w : all()) {
      QTRY_COMPARE_WITH_TIMEOUT(w->clientModel()->count(), 4, kWaitMs);
      QTRY_VERIFY_WITH_TIMEOUT(findLine(*w, LogEntry::Kind::System, QStringLiteral("dave joined")) >= 0, kWaitMs);
    }
    dave->close();  // leaves cleanly
    for (ChatWindow* w : all()) {
      QTRY_COMPARE_WITH_TIMEOUT(w->clientModel()->count(), 3, kWaitMs);
      QTRY_VERIFY2_WITH_TIMEOUT(findLine(*w, LogEntry::Kind::System, QStringLiteral("dave left the chat")) >= 0,
                                qPrintable(logDump(*w)), kWaitMs);
    }
    carol_->leaveAction()->trigger();
    QCOMPARE(carol_->state(), ConnectionState::Disconnected);
    QVERIFY(!carol_->input()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(host_->clientModel()->count(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->clientModel()->count(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->sessionStatus()->countText(), QStringLiteral("2 connected"), kWaitMs);
  }

  void aPrivateMessageReachesOnlyItsTarget() {
    // ann double-clicks bob in her list and writes.
    doubleClickClient(*host_, bob_->selfId());
    QCOMPARE(host_->privateTarget(), bob_->selfId());
    QVERIFY(host_->findChild<QWidget*>(QStringLiteral("privateBar"))->isVisible());
    const QString secret = QStringLiteral("just for you, bob 🤫");
    typeAndSend(*host_, secret);
    QTRY_VERIFY2_WITH_TIMEOUT(findText(*bob_, secret) >= 0, qPrintable(logDump(*bob_)), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host_, secret) >= 0, kWaitMs);
    const LogEntry& received = bob_->logModel()->entry(findText(*bob_, secret));
    QCOMPARE(received.kind, LogEntry::Kind::Private);
    QCOMPARE(received.sender, QStringLiteral("ann"));
    QCOMPARE(received.own, false);
    const LogEntry& sent = host_->logModel()->entry(findText(*host_, secret));
    QCOMPARE(sent.kind, LogEntry::Kind::Private);
    QCOMPARE(sent.own, true);
    QCOMPARE(sent.recipient, QStringLiteral("bob"));

    // A message to everyone after it, to know carol has seen everything sent before.
    QTest::keyClick(host_->input(), Qt::Key_Escape);
    QCOMPARE(host_->privateTarget(), chat::kNoClient);
    typeAndSend(*host_, QStringLiteral("to everyone"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*carol_, QStringLiteral("to everyone")) >= 0, kWaitMs);
    QCOMPARE(findText(*carol_, secret), -1);

    // A joiner to a joiner: the host relays but does not show it.
    doubleClickClient(*carol_, bob_->selfId());
    typeAndSend(*carol_, QStringLiteral("psst"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*bob_, QStringLiteral("psst")) >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(findText(*carol_, QStringLiteral("psst")) >= 0, kWaitMs);
    typeAndSend(*bob_, QStringLiteral("after psst"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host_, QStringLiteral("after psst")) >= 0, kWaitMs);
    QCOMPARE(findText(*host_, QStringLiteral("psst")), -1);
  }

  static QString privateBarText(ChatWindow& window) {
    return window.findChild<QLabel*>(QStringLiteral("privateLabel"))->text();
  }
  static bool privateBarShown(ChatWindow& window) {
    return window.findChild<QWidget*>(QStringLiteral("privateBar"))->isVisible();
  }

  void aPrivateMessageIsNeverSentToEveryoneAfterItsRecipientLeft() {
    const chat::ClientId bobId = bob_->selfId();
    doubleClickClient(*carol_, bobId);
    QCOMPARE(carol_->privateTarget(), bobId);
    bob_->leaveAction()->trigger();
    QTRY_VERIFY2_WITH_TIMEOUT(findLine(*carol_, LogEntry::Kind::System, QStringLiteral("bob left the chat")) >= 0,
                              qPrintable(logDump(*carol_)), kWaitMs);

    // At once, whether or not the new list has come yet: the bar stays and says so.
    const QString secret = QStringLiteral("the door code is 4711");
    typeAndSend(*carol_, secret);
    QCOMPARE(carol_->input()->toPlainText(), secret);  // kept, not sent
    QCOMPARE(carol_->privateTarget(), bobId);
    QVERIFY(privateBarShown(*carol_));
    QVERIFY2(privateBarText(*carol_).contains(QStringLiteral("bob</b> left — your message will not be sent")),
             qPrintable(privateBarText(*carol_)));
    QVERIFY2(carol_->input()->placeholderText().contains(QStringLiteral("bob left")),
             qPrintable(carol_->input()->placeholderText()));
    QVERIFY(!carol_->findChild<QPushButton*>(QStringLiteral("sendButton"))->isEnabled());

    // Once the list has caught up, and when someone else comes with the same name (a new
    // session: it may not be the same person), still nothing goes out.
    QTRY_COMPARE_WITH_TIMEOUT(carol_->clientModel()->count(), 2, kWaitMs);
    auto another = startWindow(joinRequest(QStringLiteral("bob"), host_->port()));
    WAIT_CONNECTED(*another);
    QVERIFY(another->selfId() != bobId);
    QTRY_COMPARE_WITH_TIMEOUT(carol_->clientModel()->count(), 3, kWaitMs);
    QTest::keyClick(carol_->input(), Qt::Key_Return);
    QTest::mouseClick(carol_->findChild<QPushButton*>(QStringLiteral("sendButton")), Qt::LeftButton);
    QCOMPARE(carol_->input()->toPlainText(), secret);
    QCOMPARE(carol_->privateTarget(), bobId);
    QVERIFY(privateBarText(*carol_).contains(QStringLiteral("will not be sent")));

    // Closing the bar is how to go back to the room; the text is still there to decide on.
    QTest::mouseClick(carol_->findChild<QToolButton*>(QStringLiteral("everyoneButton")), Qt::LeftButton);
    QCOMPARE(carol_->privateTarget(), chat::kNoClient);
    QVERIFY(!privateBarShown(*carol_));
    QCOMPARE(carol_->input()->toPlainText(), secret);
    carol_->input()->clear();
    typeAndSend(*carol_, QStringLiteral("marker"));
    for (ChatWindow* w : {host_.get(), carol_.get(), another.get()}) {
      QTRY_VERIFY2_WITH_TIMEOUT(findText(*w, QStringLiteral("marker")) >= 0, qPrintable(logDump(*w)), kWaitMs);
      QVERIFY2(findText(*w, secret) < 0, qPrintable(w->nickname() + QStringLiteral(" saw it:\n") + logDump(*w)));
    }
  }

  void aPrivateConversationGoesOnWhenItsRecipientComesBackUnderTheSameSession() {
    // Today's host forgets a joiner whose link closed, so a return under the same id is fed
    // here as the events a resumed session would bring; the sending is real.
    const chat::ClientId bobId = bob_->selfId();
    doubleClickClient(*carol_, bobId);
    std::vector<chat::Participant> everyone = carol_->clientModel()->clients();
    std::vector<chat::Participant> withoutBob;
    for (const auto& p : everyone)
      if (p.id != bobId) withoutBob.push_back(p);
    std::vector<chat::Event> gone;
    gone.emplace_back(chat::LeftEvent{{bobId, "bob", false}, chat::LeaveReason::Timeout});
    gone.emplace_back(chat::ClientListEvent{withoutBob});
    carol_->handleEvents(gone);
    const QString text = QStringLiteral("are you back?");
    typeAndSend(*carol_, text);
    QCOMPARE(carol_->input()->toPlainText(), text);

    std::vector<chat::Event> back;
    back.emplace_back(chat::JoinedEvent{{bobId, "bob", false}});
    back.emplace_back(chat::ClientListEvent{everyone});
    carol_->handleEvents(back);
    QVERIFY2(privateBarText(*carol_).contains(QStringLiteral("Private message to <b>")), qPrintable(privateBarText(*carol_)));
    QTest::keyClick(carol_->input(), Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(findText(*bob_, text) >= 0, qPrintable(logDump(*bob_)), kWaitMs);
    QCOMPARE(bob_->logModel()->entry(findText(*bob_, text)).kind, LogEntry::Kind::Private);
    QVERIFY(carol_->input()->toPlainText().isEmpty());
    typeAndSend(*carol_, QStringLiteral("then to you, bob"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*bob_, QStringLiteral("then to you, bob")) >= 0, kWaitMs);
    QTest::keyClick(carol_->input(), Qt::Key_Escape);
    typeAndSend(*carol_, QStringLiteral("marker"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host_, QStringLiteral("marker")) >= 0, kWaitMs);
    QCOMPARE(findText(*host_, text), -1);
  }

  void aPrivateConversationOutlivesYourOwnReconnectOnlyIntoTheSameSession() {
    const chat::ClientId bobId = bob_->selfId();
    const chat::ClientId self = carol_->selfId();
    const std::vector<chat::Participant> everyone = carol_->clientModel()->clients();
    doubleClickClient(*carol_, bobId);
    // Carol's link drops and her session is resumed (the events fed; the core stays connected).
    auto reconnect = [&](chat::ClientId as, std::vector<chat::Participant> list) {
      std::vector<chat::Event> events;
      events.emplace_back(chat::DisconnectedEvent{chat::ErrorCode::ConnectionLost, "reset", true});
      events.emplace_back(chat::ReconnectingEvent{1, std::chrono::milliseconds(100)});
      events.emplace_back(chat::ConnectedEvent{chat::Role::Joiner, as, "卡萝尔", "127.0.0.1", host_->port()});
      events.emplace_back(chat::ClientListEvent{std::move(list)});
      carol_->handleEvents(events);
      QCOMPARE(carol_->state(), ConnectionState::Connected);
    };
    reconnect(self, everyone);
    QCOMPARE(carol_->privateTarget(), bobId);
    QVERIFY(privateBarShown(*carol_));
    typeAndSend(*carol_, QStringLiteral("still private"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*bob_, QStringLiteral("still private")) >= 0, kWaitMs);
    QCOMPARE(bob_->logModel()->entry(findText(*bob_, QStringLiteral("still private"))).kind, LogEntry::Kind::Private);

    // A new session (another id for her: the host started again): ids name other people now.
    reconnect(self + 100, everyone);
    const QString text = QStringLiteral("not for a stranger");
    typeAndSend(*carol_, text);
    QCOMPARE(carol_->input()->toPlainText(), text);
    QVERIFY2(privateBarText(*carol_).contains(QStringLiteral("is not in this chat")), qPrintable(privateBarText(*carol_)));
  }

  void aHalfWrittenPrivateMessageStaysPrivateInTheNextSession() {
    doubleClickClient(*carol_, bob_->selfId());
    const QString text = QStringLiteral("between us: I am leaving at five");
    typeText(carol_->input(), text);
    carol_->leaveAction()->trigger();
    QTest::mouseClick(carol_->banner()->retryButton(), Qt::LeftButton);
    WAIT_CONNECTED(*carol_);
    QTRY_COMPARE_WITH_TIMEOUT(carol_->clientModel()->count(), 3, kWaitMs);
    QTest::keyClick(carol_->input(), Qt::Key_Return);
    QCOMPARE(carol_->input()->toPlainText(), text);
    QVERIFY2(privateBarText(*carol_).contains(QStringLiteral("is not in this chat")), qPrintable(privateBarText(*carol_)));
    // Choosing bob in this session's list sends it to him.
    doubleClickClient(*carol_, bob_->selfId());
    QTest::keyClick(carol_->input(), Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(findText(*bob_, text) >= 0, qPrintable(logDump(*bob_)), kWaitMs);
    QCOMPARE(bob_->logModel()->entry(findText(*bob_, text)).kind, LogEntry::Kind::Private);
    typeAndSend(*host_, QStringLiteral("marker"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*carol_, QStringLiteral("marker")) >= 0, kWaitMs);
    QCOMPARE(findText(*host_, text), -1);
  }

  void thePrivateBarAndThePlaceholderFollowTheRecipientAndTheMode() {
    const QString room = carol_->input()->placeholderText();
    QVERIFY(!room.contains(QStringLiteral("privately")));
    doubleClickClient(*carol_, bob_->selfId());
    QVERIFY2(carol_->input()->placeholderText().contains(QStringLiteral("Write to bob privately")),
             qPrintable(carol_->input()->placeholderText()));
    bob_->bridge()->submit(chat::RenameCommand{"robert"});
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*carol_, LogEntry::Kind::System, QStringLiteral("bob is now called robert")) >= 0,
                             kWaitMs);
    // With the news, not only once the list follows.
    QVERIFY2(privateBarText(*carol_).contains(QStringLiteral("<b>robert</b>")), qPrintable(privateBarText(*carol_)));
    QVERIFY2(carol_->input()->placeholderText().contains(QStringLiteral("Write to robert privately")),
             qPrintable(carol_->input()->placeholderText()));
    QTest::keyClick(carol_->input(), Qt::Key_Escape);
    QCOMPARE(carol_->input()->placeholderText(), room);
    QVERIFY(!privateBarShown(*carol_));
  }

  void yourOwnNameIsNotOfferedForPrivateMessages() {
    doubleClickClient(*bob_, bob_->selfId());
    QCOMPARE(bob_->privateTarget(), chat::kNoClient);
  }

  void theHostCanLiftSomeonesRateLimitFromTheContextMenu() {
    ui::ClientListView* view = host_->clientView();
    auto menuForBob = [&] {
      return std::unique_ptr<QMenu>(view->createContextMenu(view->visualRect(view->indexOf(bob_->selfId())).center()));
    };
    std::unique_ptr<QMenu> menu = menuForBob();
    QVERIFY(menu);
    auto* exempt = menu->findChild<QAction*>(QStringLiteral("exemptAction"));
    QVERIFY2(exempt, "the host's menu offers no way to lift a rate limit");
    QVERIFY(exempt->isCheckable());
    QVERIFY(!exempt->isChecked());
    exempt->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*bob_, LogEntry::Kind::System, QStringLiteral("The host lifted your rate limit")) >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*host_, LogEntry::Kind::System, QStringLiteral("may now send without a rate limit")) >= 0, kWaitMs);
    // Ticked from now on; unticking puts the limit back.
    menu = menuForBob();
    exempt = menu->findChild<QAction*>(QStringLiteral("exemptAction"));
    QVERIFY(exempt && exempt->isChecked());
    exempt->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*bob_, LogEntry::Kind::System, QStringLiteral("The host put your rate limit back")) >= 0, kWaitMs);
    QVERIFY(!menuForBob()->findChild<QAction*>(QStringLiteral("exemptAction"))->isChecked());
    // A joiner's menu has none.
    ui::ClientListView* bobView = bob_->clientView();
    std::unique_ptr<QMenu> bobMenu(bobView->createContextMenu(bobView->visualRect(bobView->indexOf(host_->selfId())).center()));
    QVERIFY(bobMenu);
    QVERIFY(!bobMenu->findChild<QAction*>(QStringLiteral("exemptAction")));
  }

  void theHostCanKickFromTheContextMenu() {
    ui::ClientListView* view = host_->clientView();
    std::unique_ptr<QMenu> menu(view->createContextMenu(view->visualRect(view->indexOf(carol_->selfId())).center()));
    QVERIFY(menu);
    auto* kick = menu->findChild<QAction*>(QStringLiteral("kickAction"));
    QVERIFY2(kick, "the host's menu offers no kick");
    answerNextConfirmation(true);
    kick->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(carol_->state(), ConnectionState::Disconnected, kWaitMs);
    QVERIFY2(findLine(*carol_, LogEntry::Kind::Error, QStringLiteral("The host removed you")) >= 0, qPrintable(logDump(*carol_)));
    QVERIFY(carol_->banner()->isVisible());
    QVERIFY(carol_->banner()->text().contains(QStringLiteral("removed you")));
    QVERIFY(!carol_->banner()->retryButton()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*host_, LogEntry::Kind::System, QStringLiteral("You removed 卡萝尔")) >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(findLine(*bob_, LogEntry::Kind::System, QStringLiteral("卡萝尔 was removed by the host")) >= 0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->clientModel()->count(), 2, kWaitMs);

    // A joiner's menu has no kick.
    ui::ClientListView* bobView = bob_->clientView();
    std::unique_ptr<QMenu> bobMenu(bobView->createContextMenu(bobView->visualRect(bobView->indexOf(host_->selfId())).center()));
    QVERIFY(bobMenu);
    QVERIFY(!bobMenu->findChild<QAction*>(QStringLiteral("kickAction")));
  }

  void aHostThatQuitsTellsItsJoiners() {
    host_->close();
    host_.reset();
    for (ChatWindow* w : {bob_.get(), carol_.get()}) {
      QTRY_COMPARE_WITH_TIMEOUT(w->state(), ConnectionState::Disconnected, kWaitMs);
      QVERIFY2(findLine(*w, LogEntry::Kind::Error, QStringLiteral("The host ended the chat")) >= 0, qPrintable(logDump(*w)));
      QVERIFY(!w->input()->isEnabled());
      QVERIFY(!w->input()->placeholderText().isEmpty());
      QCOMPARE(w->sessionStatus()->stateText(), QStringLiteral("Disconnected"));
      QCOMPARE(w->clientModel()->count(), 0);
    }
  }

  void anEmojiPickedFromThePanelGoesIntoTheMessageWhereTheCursorIs() {
    bob_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(bob_.get()));
    bob_->input()->clear();
    bob_->input()->insertPlainText(QStringLiteral("see you"));
    bob_->input()->moveCursor(QTextCursor::Start);
    QTest::mouseClick(bob_->emojiButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(bob_->emojiPicker()->isVisible(), kWaitMs);
    auto pickButton = [&](const QString& emoji) -> QToolButton* {
      for (auto* button : bob_->emojiPicker()->findChildren<QToolButton*>())
        if (button->text() == emoji) return button;
      return nullptr;
    };
    QToolButton* thumbsUp = pickButton(QStringLiteral("👍"));
    QVERIFY2(thumbsUp, "no 👍 offered");
    QTest::mouseClick(thumbsUp, Qt::LeftButton);
    QCOMPARE(bob_->input()->toPlainText(), QStringLiteral("👍see you"));
    QVERIFY(!bob_->emojiPicker()->isVisible());
    QCOMPARE(bob_->emojiPicker()->offered().front(), QStringLiteral("👍"));  // the lately used first
    QCOMPARE(bob_->emojiPicker()->offered().count(QStringLiteral("👍")), 1);

    // From the keyboard: Ctrl+E opens it, Escape closes it and leaves the message as it was.
    bob_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(bob_.get()));
    QTest::keyClick(bob_->input(), Qt::Key_E, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(bob_->emojiPicker()->isVisible(), kWaitMs);
    QTest::keyClick(bob_->emojiPicker(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(!bob_->emojiPicker()->isVisible(), kWaitMs);
    QCOMPARE(bob_->input()->toPlainText(), QStringLiteral("👍see you"));
    bob_->input()->clear();
  }

  void aRefusedRenameSaysWhichNameWasTakenAndKeepsTheOldOne() {
    const QString before = bob_->nickname();
    const QString taken = host_->nickname();
    answerNextDialog<QInputDialog>([&](QInputDialog* dialog) {
      dialog->setTextValue(taken);
      dialog->accept();
    });
    bob_->changeNickname();
    QTRY_VERIFY2_WITH_TIMEOUT(findLine(*bob_, LogEntry::Kind::Error, QStringLiteral("already called “%1”").arg(taken)) >= 0,
                              qPrintable(logDump(*bob_)), kWaitMs);
    QCOMPARE(bob_->nickname(), before);
    QVERIFY(bob_->windowTitle().contains(before));
  }

  void renamesShowEverywhere() {
    bob_->bridge()->submit(chat::RenameCommand{"robert"});
    for (ChatWindow* w : all())
      QTRY_VERIFY2_WITH_TIMEOUT(findLine(*w, LogEntry::Kind::System, QStringLiteral("robert")) >= 0, qPrintable(logDump(*w)), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->nickname(), QStringLiteral("robert"), kWaitMs);
    QVERIFY(bob_->windowTitle().contains(QStringLiteral("robert")));
    QTRY_COMPARE_WITH_TIMEOUT(host_->clientModel()->nameOf(bob_->selfId()), QStringLiteral("robert"), kWaitMs);
  }

  void joiningAgainAfterARenameIsUnderTheNewName() {
    bob_->bridge()->submit(chat::RenameCommand{"robert"});
    QTRY_COMPARE_WITH_TIMEOUT(bob_->nickname(), QStringLiteral("robert"), kWaitMs);
    bob_->leave();
    QTRY_COMPARE_WITH_TIMEOUT(host_->clientModel()->count(), 2, kWaitMs);
    QTest::mouseClick(bob_->banner()->retryButton(), Qt::LeftButton);
    WAIT_CONNECTED(*bob_);
    QCOMPARE(bob_->nickname(), QStringLiteral("robert"));
    QTRY_COMPARE_WITH_TIMEOUT(host_->clientModel()->nameOf(bob_->selfId()), QStringLiteral("robert"), kWaitMs);
  }

  void unreadMessagesCountInTheTitleWhileInactive() {
    bob_->activateWindow();
    QApplication::setActiveWindow(bob_.get());
    QTRY_VERIFY_WITH_TIMEOUT(bob_->isActiveWindow(), kWaitMs);
    QVERIFY(!host_->isActiveWindow());
    typeAndSend(*bob_, QStringLiteral("are you there?"));
    typeAndSend(*bob_, QStringLiteral("hello?"));
    QTRY_COMPARE_WITH_TIMEOUT(host_->unreadNotifier()->unread(), 2, kWaitMs);
    QVERIFY2(host_->windowTitle().startsWith(QStringLiteral("(2) ")), qPrintable(host_->windowTitle()));
    QCOMPARE(bob_->unreadNotifier()->unread(), 0);  // its own, and it is active
    QApplication::setActiveWindow(host_.get());
    QTRY_VERIFY_WITH_TIMEOUT(host_->isActiveWindow(), kWaitMs);
    QCOMPARE(host_->unreadNotifier()->unread(), 0);
    QVERIFY(!host_->windowTitle().startsWith(QStringLiteral("(")));
  }

  void inputIsDisabledWithAReasonWhileNotConnected() {
    QVERIFY(bob_->input()->isEnabled());
    bob_->leave();
    QVERIFY(!bob_->input()->isEnabled());
    QVERIFY(!bob_->findChild<QPushButton*>(QStringLiteral("sendButton"))->isEnabled());
    QVERIFY(bob_->input()->placeholderText().contains(QStringLiteral("Not connected")));
    QVERIFY(bob_->banner()->isVisible());
    QVERIFY(bob_->banner()->retryButton()->isVisible());
    // Join again from the banner.
    QTest::mouseClick(bob_->banner()->retryButton(), Qt::LeftButton);
    WAIT_CONNECTED(*bob_);
    QVERIFY(bob_->input()->isEnabled());
    QVERIFY(!bob_->banner()->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(host_->clientModel()->count(), 3, kWaitMs);
  }
};

QTEST_MAIN(ChatWindowTest)
#include "chat_window_test.moc"
