// Real X11 windows (run through run_under_xvfb.sh): saves PNGs of the start dialog and of a
// host and a joiner window mid-conversation, in Simplified Chinese, into the build tree, and
// checks they show something (many distinct colours, no single colour dominating).

#include "chat_log_model.h"
#include "chat_log_view.h"
#include "core_bridge.h"
#include "emoji_picker.h"
#include "headless_core.h"
#include "raw_socket.h"
#include "history_context_dialog.h"
#include "history_dialog.h"
#include "history_search_bar.h"
#include "host_key_dialog.h"
#include "interfaces_dialog.h"
#include "client_list_model.h"
#include "presence_control.h"
#include "settings.h"
#include "start_dialog.h"
#include "transfer_list_model.h"
#include "translations.h"
#include "ui_test_support.h"
#include "wrong_room_dialog.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QCheckBox>
#include <QDockWidget>
#include <QPainter>

using namespace chatport;
using namespace chatport::test;
using ui::ChatWindow;

namespace {

// CHATPORT_SCREENSHOT_DIR: elsewhere (the same pictures at another scale, say).
QString outputDir() {
  return qEnvironmentVariable("CHATPORT_SCREENSHOT_DIR", QStringLiteral(CHATPORT_TEST_OUTPUT_DIR "/screenshots"));
}

struct Colours {
  int distinct = 0;
  double commonest = 0;  // share of the pixels with the most common colour
};

Colours colours(const QImage& image) {
  QHash<QRgb, int> counts;
  const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < rgb.height(); ++y) {
    const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
    for (int x = 0; x < rgb.width(); ++x) ++counts[line[x]];
  }
  int most = 0;
  for (int n : std::as_const(counts)) most = std::max(most, n);
  return {static_cast<int>(counts.size()), double(most) / double(rgb.width() * rgb.height())};
}

/// Saves widget's picture as name.png and checks it is not blank.
void saveAndCheck(QWidget* widget, const QString& name, int minColours) {
  QVERIFY(QDir().mkpath(outputDir()));
  // Let pending layouts and paints run first, as they would before a person sees the window.
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  const QImage image = widget->grab().toImage();
  QVERIFY(!image.isNull());
  const QString path = outputDir() + u'/' + name + QStringLiteral(".png");
  QVERIFY2(image.save(path), qPrintable(path));
  const Colours c = colours(image);
  qInfo("%s: %dx%d, %d colours, commonest %.0f%%", qPrintable(path), image.width(), image.height(),
        c.distinct, c.commonest * 100);
  QVERIFY2(c.distinct >= minColours, qPrintable(QStringLiteral("%1 looks blank: %2 colours").arg(path).arg(c.distinct)));
  QVERIFY2(c.commonest < 0.97, qPrintable(QStringLiteral("%1 is almost one colour").arg(path)));
}

}  // namespace

class ScreenshotTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != QStringLiteral("xcb"))
      QSKIP("needs an X server: run through run_under_xvfb.sh");
    const QLocale chinese(QLocale::Chinese, QLocale::SimplifiedChineseScript, QLocale::China);
    QLocale::setDefault(chinese);
    QVERIFY2(ui::Translations::install(chinese), "no zh_CN translation built in");
  }

  void startDialog() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    ui::StartDialog dialog(settings);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QLineEdit*>(QStringLiteral("nameEdit"))->setText(QStringLiteral("小明 🐼"));
    QVERIFY(dialog.windowTitle().contains(QStringLiteral("ChatPort")));
    saveAndCheck(&dialog, QStringLiteral("start_dialog_host"), 60);

    // Join, with mistakes explained next to the fields.
    QTest::mouseClick(dialog.findChild<QRadioButton*>(QStringLiteral("joinChoice")), Qt::LeftButton);
    auto* address = dialog.findChild<QLineEdit*>(QStringLiteral("addressEdit"));
    auto* port = dialog.findChild<QLineEdit*>(QStringLiteral("joinPortEdit"));
    address->clear();
    QTest::keyClicks(address, QStringLiteral("192.168.1.300 x"));
    port->clear();
    QTest::keyClicks(port, QStringLiteral("70000"));
    QVERIFY(!dialog.validateAll());
    auto* portError = dialog.findChild<QLabel*>(QStringLiteral("joinPortError"));
    QVERIFY(portError->isVisible());
    QVERIFY2(!portError->text().contains(QStringLiteral("port must")), "the message is not translated");
    saveAndCheck(&dialog, QStringLiteral("start_dialog_join_errors"), 60);
  }

  void startDialogWithRoomsFoundAndJoinedBefore() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    chat::DiscoveryOptions discovery;
    discovery.port = freeUdpPort();
    QVERIFY(discovery.port != 0);
    settings.setDiscovery(discovery);
    settings.setLastRole(chat::Role::Joiner);
    settings.setNickname(QStringLiteral("小明 🐼"));
    // Two rooms heard now, one of them with a password.
    chat::CoreOptions options;
    options.threads = 1;
    options.dataDir = dir.filePath(QStringLiteral("ann")).toStdString();
    HeadlessCore ann(options);
    ann.core().submit(chat::HostCommand{"李雷", "", 0, {}, true, false, discovery});
    options.dataDir = dir.filePath(QStringLiteral("bea")).toStdString();
    HeadlessCore bea(options);
    bea.core().submit(chat::HostCommand{"Design review", "", 0, "secret", true, false, discovery});
    // Two joined before that are not on now, as the file the core keeps says (docs/protocol.md).
    const QString data = dir.filePath(QStringLiteral("mine"));
    QVERIFY(QDir().mkpath(data));
    QFile rooms(data + QStringLiteral("/recent_rooms"));
    QVERIFY(rooms.open(QIODevice::WriteOnly));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    rooms.write(QStringLiteral("10.0.5.7 5150 %1 %2 王老师\n192.168.20.14 5151 %3 %4 Zoë\n")
                    .arg(QString(64, u'a')).arg(now - 2 * 86400).arg(QString(64, u'b')).arg(now - 3 * 3600)
                    .toUtf8());
    rooms.close();

    ui::StartDialog dialog(settings, nullptr, data.toStdString());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* list = dialog.findChild<QAbstractItemView*>(QStringLiteral("roomList"));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 4, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!list->model()->index(1, 0).data().toString().contains(u'·'), kWaitMs);
    list->setCurrentIndex(list->model()->index(0, 0));
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("addProbeButton")), Qt::LeftButton);
    auto* probe = dialog.findChild<QLineEdit*>(QStringLiteral("probeEdit"));
    QTest::keyClicks(probe, QStringLiteral("10.0.5.0/33"));
    QTest::keyClick(probe, Qt::Key_Return);
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("probeError"))->isVisible());
    saveAndCheck(&dialog, QStringLiteral("start_dialog_rooms"), 60);
  }

  void interfacesAndWrongRoomDialogs() {
    QTemporaryDir dir;
    ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    ui::InterfacesDialog interfaces(settings);
    interfaces.show();
    QVERIFY(QTest::qWaitForWindowExposed(&interfaces));
    saveAndCheck(&interfaces, QStringLiteral("interfaces_dialog"), 60);

    ui::WrongRoomDialog wrongRoom(QStringLiteral("192.168.1.5:5150"), QStringLiteral("4JY7-Q5GN-USZ2-C2KS-56OT"),
                                  QStringLiteral("4WM6-3FJ5-NXOQ-JX3A-DZJD"));
    wrongRoom.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wrongRoom));
    saveAndCheck(&wrongRoom, QStringLiteral("wrong_room_dialog"), 60);
  }

  void hostAndJoinerMidConversation() {
    auto host = startWindow(hostRequest(QStringLiteral("李雷")));
    WAIT_CONNECTED(*host);
    auto joiner = startWindow(joinRequest(QStringLiteral("韩梅梅"), host->port()));
    WAIT_CONNECTED(*joiner);
    auto third = startWindow(joinRequest(QStringLiteral("Zoë"), host->port()));
    WAIT_CONNECTED(*third);
    for (ChatWindow* w : {host.get(), joiner.get()}) {
      w->resize(900, 560);
      QVERIFY(QTest::qWaitForWindowExposed(w));
    }
    // Zoë has a picture (a sun over the sea); the others show their initials.
    {
      QImage picture(240, 240, QImage::Format_ARGB32);
      QPainter paint(&picture);
      paint.fillRect(0, 0, 240, 160, QColor(0x7F, 0xC8, 0xF8));
      paint.fillRect(0, 160, 240, 80, QColor(0x1F, 0x6F, 0xB0));
      paint.setRenderHint(QPainter::Antialiasing);
      paint.setPen(Qt::NoPen);
      paint.setBrush(QColor(0xFF, 0xC8, 0x2E));
      paint.drawEllipse(QPointF(120, 150), 60, 60);
      paint.fillRect(0, 160, 240, 80, QColor(0x1F, 0x6F, 0xB0));
      paint.end();
      QVERIFY(third->setPicture(picture));
      for (ChatWindow* w : {host.get(), joiner.get()})
        QTRY_VERIFY_WITH_TIMEOUT(w->pictures().has(third->selfId()), kWaitMs);
    }

    // The third window is the active one: the other two show where their reader left off.
    third->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(third.get()));

    // One line at a time, each seen by both windows before the next, as people take turns.
    auto say = [&](ChatWindow& from, const QString& text) {
      typeAndSend(from, text);
      for (ChatWindow* w : {host.get(), joiner.get()})
        QTRY_VERIFY_WITH_TIMEOUT(findText(*w, text) >= 0, kWaitMs);
    };
    say(*host, QStringLiteral("大家好！欢迎来到局域网聊天室 👋"));
    say(*host, QStringLiteral("今天的议程在群文件里。"));  // one group with the line before
    say(*joiner, QStringLiteral("你好，李雷！今天下午三点开会吗？"));
    say(*third, QStringLiteral("Hi all 😀 the slides are at https://example.org/slides"));
    say(*host, QStringLiteral("是的，在二楼会议室。\n记得带上电脑 💻"));
    joiner->setPrivateTarget(host->selfId());  // and still writing privately in the picture
    say(*joiner, QStringLiteral("悄悄话：我可能会晚到五分钟 🙏"));
    say(*host, QStringLiteral("好的，没问题 👍"));
    // The translation is in use: the title speaks Chinese.
    QVERIFY2(host->windowTitle().contains(QStringLiteral("主持")), qPrintable(host->windowTitle()));

    QApplication::processEvents();
    say(*third, QStringLiteral("我也到了 🙋"));
    // Zoë steps away; 韩梅梅 is busy: each list marks them, and 韩梅梅's status bar says it.
    third->bridge()->submit(chat::SetPresenceCommand{chat::Presence::Away});
    joiner->presenceControl()->choose(chat::Presence::Busy);
    QTRY_COMPARE_WITH_TIMEOUT(joiner->presenceControl()->shown(), chat::Presence::Busy, kWaitMs);
    for (ChatWindow* w : {host.get(), joiner.get()})
      QTRY_VERIFY_WITH_TIMEOUT(w->clientModel()->find(third->selfId()) &&
                                   w->clientModel()->find(third->selfId())->presence == chat::Presence::Away &&
                                   w->clientModel()->find(joiner->selfId())->presence == chat::Presence::Busy,
                               kWaitMs);
    QApplication::processEvents();
    // Each shows the day's line, the host's first two lines as one group, and the unread line
    // above the first message that came after its reader last wrote.
    QCOMPARE(joiner->logModel()->unreadMarkerRow(), findText(*joiner, QStringLiteral("好的，没问题 👍")));
    QCOMPARE(host->logModel()->unreadMarkerRow(), findText(*host, QStringLiteral("我也到了 🙋")));
    for (ChatWindow* w : {host.get(), joiner.get()}) {
      const int greeting = findText(*w, QStringLiteral("大家好！欢迎来到局域网聊天室 👋"));
      QCOMPARE(findText(*w, QStringLiteral("今天的议程在群文件里。")), greeting + 1);
      QVERIFY(!w->logView()->rowParts(greeting).dayLine.isNull());
      QVERIFY(!w->logView()->rowParts(greeting).avatar.isNull());
      // (Unless the clock's minute turned between the two.)
      const ui::ChatLogModel& log = *w->logModel();
      if (log.entry(greeting).timeMs / 60'000 == log.entry(greeting + 1).timeMs / 60'000)
        QVERIFY(w->logView()->rowParts(greeting + 1).avatar.isNull());
      QVERIFY(!w->logView()->rowParts(w->logModel()->unreadMarkerRow()).unreadLine.isNull());
    }
    saveAndCheck(host.get(), QStringLiteral("host_window"), 200);
    saveAndCheck(joiner.get(), QStringLiteral("joiner_window"), 200);
    // The emoji panel, over the message box it fills.
    joiner->emojiPicker()->popUpAt(joiner->emojiButton());
    QTRY_VERIFY_WITH_TIMEOUT(joiner->emojiPicker()->isVisible(), kWaitMs);
    saveAndCheck(joiner->emojiPicker(), QStringLiteral("emoji_picker"), 20);
    joiner->emojiPicker()->hide();

    // Reading back: the log stays put and counts what arrives meanwhile.
    for (int i = 1; i <= 30; ++i) host->bridge()->submit(chat::SendCommand{"第 " + std::to_string(i) + " 条通知"});
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host, QStringLiteral("第 30 条通知")) >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(host->logView()->verticalScrollBar()->maximum() > 0, kWaitMs);
    host->logView()->verticalScrollBar()->setValue(0);
    typeAndSend(*joiner, QStringLiteral("有人在吗？"));
    typeAndSend(*joiner, QStringLiteral("请看最新消息 👀"));
    QTRY_COMPARE_WITH_TIMEOUT(host->logView()->unseenRows(), 2, kWaitMs);
    QCOMPARE(host->logView()->verticalScrollBar()->value(), 0);
    saveAndCheck(host.get(), QStringLiteral("host_reading_back"), 200);

    // The host ends the chat: the joiner says so above the input, with what to do next.
    host->leave();
    QTRY_COMPARE_WITH_TIMEOUT(joiner->state(), ui::ConnectionState::Disconnected, kWaitMs);
    saveAndCheck(joiner.get(), QStringLiteral("joiner_after_host_ended"), 200);
  }

  void chatLogWithHistoryGroupsAndUnreadLine() {
    // The log alone: the room's history from earlier days under their date lines, groups of
    // messages under their senders' avatars (a Chinese name, an emoji name, a Latin one), and the
    // unread line above what came while the reader was away.
    using Kind = ui::LogEntry::Kind;
    const QDate today = QDate::currentDate();
    const auto row = [](Kind kind, const QString& from, QDate day, QTime time, const QString& text) {
      ui::LogEntry e;
      e.kind = kind;
      e.sender = from;
      e.timeMs = QDateTime(day, time).toMSecsSinceEpoch();
      e.text = text;
      return e;
    };
    std::vector<ui::LogEntry> rows;
    rows.push_back(row(Kind::System, {}, today, QTime(9, 0), QStringLiteral("以下是聊天室的历史记录。")));
    rows.push_back(row(Kind::Message, QStringLiteral("王老师"), today.addDays(-3), QTime(16, 20, 5), QStringLiteral("下周一交报告。")));
    rows.push_back(row(Kind::Message, QStringLiteral("王老师"), today.addDays(-3), QTime(16, 20, 40), QStringLiteral("别忘了附上数据表 📊")));
    rows.push_back(row(Kind::Message, QStringLiteral("Zoë Li"), today.addDays(-1), QTime(21, 5), QStringLiteral("Good night 🌙")));
    for (auto it = rows.begin() + 1; it != rows.end(); ++it) it->history = true;
    rows.push_back(row(Kind::System, {}, today, QTime(9, 0), QStringLiteral("以上是历史记录。")));
    rows.push_back(row(Kind::Message, QStringLiteral("李雷"), today, QTime(9, 12, 1), QStringLiteral("早上好！")));
    rows.back().senderIsHost = true;
    rows.push_back(row(Kind::Message, QStringLiteral("李雷"), today, QTime(9, 12, 30), QStringLiteral("今天十点在二楼开会，请准时参加。会议大约一个小时，结束后一起吃午饭。")));
    rows.back().senderIsHost = true;
    rows.push_back(row(Kind::Message, QStringLiteral("韩梅梅"), today, QTime(9, 13), QStringLiteral("收到 👌")));
    rows.back().own = true;
    rows.push_back(row(Kind::Message, QStringLiteral("韩梅梅"), today, QTime(9, 13, 20), QStringLiteral("我带投影仪。")));
    rows.back().own = true;
    rows.push_back(row(Kind::Private, QStringLiteral("李雷"), today, QTime(9, 14), QStringLiteral("谢谢！")));
    rows.back().senderIsHost = true;
    rows.back().recipient = QStringLiteral("韩梅梅");
    rows.push_back(row(Kind::System, {}, today, QTime(9, 19), QStringLiteral("🐼 加入了聊天。")));
    rows.push_back(row(Kind::Message, QStringLiteral("🐼"), today, QTime(9, 20, 2), QStringLiteral("我在路上 🚲")));
    rows.push_back(row(Kind::Message, QStringLiteral("🐼"), today, QTime(9, 20, 9), QStringLiteral("马上到")));
    ui::ChatLogModel model;
    model.append(std::move(rows));
    model.setUnreadMarker(model.rowCount() - 2);
    ui::ChatLogView view;
    view.setModel(&model);
    view.resize(640, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.isFollowing() && view.rowParts(model.rowCount() - 1).text.isValid());
    for (int r : {1, 3, 5}) QVERIFY2(!view.rowParts(r).dayLine.isNull(), qPrintable(QString::number(r)));
    for (int r : {2, 6, 8, 12}) QVERIFY2(view.rowParts(r).avatar.isNull(), qPrintable(QString::number(r)));
    QVERIFY(!view.rowParts(model.rowCount() - 2).unreadLine.isNull());
    saveAndCheck(&view, QStringLiteral("chat_log_days_groups_unread"), 100);
  }

  void historySearchAndSettings() {
    const QString data = newDataDir();
    {
      // Another room this computer was in, a week ago.
      std::string error;
      auto store = chat::HistoryStore::open(data.toStdString(), error);
      QVERIFY2(store, error.c_str());
      const std::string other = "key:" + std::string(64, 'c');
      store->setRoomName(other, "王老师");
      const qint64 weekAgo = QDateTime::currentMSecsSinceEpoch() - 7 * 86'400'000LL;
      int seq = 0;
      for (const char* text : {"明天的作业是第三章", "你好，王老师！作业什么时候交？", "周五之前交就可以"}) {
        chat::StoredMessage m;
        m.room = other;
        m.seq = static_cast<std::uint64_t>(++seq);
        m.timeMs = weekAgo + seq * 60'000;
        m.from = seq == 2 ? "小明" : "王老师";
        m.text = text;
        store->append(m);
      }
    }
    auto host = startWindow(hostRequest(QStringLiteral("李雷")), testCoreOptions(data));
    WAIT_CONNECTED(*host);
    host->resize(900, 600);
    QVERIFY(QTest::qWaitForWindowExposed(host.get()));
    for (const QString& text : {QStringLiteral("大家好，你好！今天下午三点开会"), QStringLiteral("会议室在二楼"),
                                QStringLiteral("你好 👋 slides: https://example.org/slides")}) {
      typeAndSend(*host, text);
      QTRY_VERIFY_WITH_TIMEOUT(findText(*host, text) >= 0, kWaitMs);
    }
    host->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(host.get()));
    QTest::keyClick(host->windowHandle(), Qt::Key_F, Qt::ControlModifier);
    ui::HistorySearchBar* bar = host->historySearch();
    bar->allRoomsBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          QSignalSpy finished(bar, &ui::HistorySearchBar::searchFinished);
          bar->wordsEdit()->setText(QStringLiteral("你好"));
          bar->search();
          return finished.wait(kWaitMs) && bar->results().size() == 3;
        }(),
        kWaitMs);
    saveAndCheck(host.get(), QStringLiteral("history_search"), 200);

    bar->resultsView()->setCurrentIndex(bar->resultsView()->model()->index(2, 0));
    QTest::keyClick(bar->resultsView(), Qt::Key_Return);
    ui::HistoryContextDialog* context = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((context = host->findChild<ui::HistoryContextDialog*>()) != nullptr, kWaitMs);
    QVERIFY(QTest::qWaitForWindowExposed(context));
    saveAndCheck(context, QStringLiteral("history_in_context"), 60);
    context->close();

    ui::Settings settings(data + QStringLiteral("/settings.ini"));
    std::string error;
    std::shared_ptr<chat::HistoryStore> store = chat::HistoryStore::open(data.toStdString(), error);
    ui::HistoryDialog dialog(settings, store, {}, host->historyRoom(), QStringLiteral("李雷"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    saveAndCheck(&dialog, QStringLiteral("history_dialog"), 60);
    ui::HistoryDialog unavailable(settings, nullptr, QStringLiteral("this Windows build keeps no history: "
                                                                    "there is no SQLite for it"), {}, {});
    unavailable.show();
    QVERIFY(QTest::qWaitForWindowExposed(&unavailable));
    saveAndCheck(&unavailable, QStringLiteral("history_dialog_unavailable"), 30);
  }

  void hostKeyChangedDialog() {
    // A joiner met one host at an address; another installation (another key) hosts there now.
    const QString joinerData = newDataDir();
    auto first = startWindow(hostRequest(QStringLiteral("李雷")));
    WAIT_CONNECTED(*first);
    const quint16 port = first->port();
    {
      auto joiner = startWindow(joinRequest(QStringLiteral("韩梅梅"), port), testCoreOptions(joinerData));
      WAIT_CONNECTED(*joiner);
    }
    first.reset();
    auto second = startWindow(hostRequest(QStringLiteral("李雷"), port));
    WAIT_CONNECTED(*second);
    second->resize(900, 560);
    QVERIFY(QTest::qWaitForWindowExposed(second.get()));
    saveAndCheck(second.get(), QStringLiteral("host_window_fingerprint"), 200);

    auto joiner = startWindow(joinRequest(QStringLiteral("韩梅梅"), port), testCoreOptions(joinerData));
    joiner->resize(900, 560);
    QTRY_VERIFY_WITH_TIMEOUT(joiner->hostKeyDialog(), kWaitMs);
    ui::HostKeyDialog* dialog = joiner->hostKeyDialog();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY2(!dialog->trustButton()->text().contains(QStringLiteral("trust")), "the dialog is not translated");
    saveAndCheck(dialog, QStringLiteral("host_key_changed_dialog"), 60);
    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    WAIT_CONNECTED(*joiner);
    QVERIFY(QTest::qWaitForWindowExposed(joiner.get()));
    saveAndCheck(joiner.get(), QStringLiteral("joiner_trusted_new_key"), 200);
  }

  void privateRecipientLeftAndANamePlayingHost() {
    auto host = startWindow(hostRequest(QStringLiteral("李雷")));
    WAIT_CONNECTED(*host);
    auto joiner = startWindow(joinRequest(QStringLiteral("韩梅梅"), host->port()));
    WAIT_CONNECTED(*joiner);
    auto leaver = startWindow(joinRequest(QStringLiteral("Zoë"), host->port()));
    WAIT_CONNECTED(*leaver);
    // A name that spells out the host's badge: it shows as a name, without the badge.
    auto imitator = startWindow(joinRequest(QStringLiteral("李雷 host"), host->port()));
    WAIT_CONNECTED(*imitator);
    joiner->resize(900, 560);
    QVERIFY(QTest::qWaitForWindowExposed(joiner.get()));
    QTRY_COMPARE_WITH_TIMEOUT(joiner->clientModel()->count(), 4, kWaitMs);
    typeAndSend(*host, QStringLiteral("欢迎！"));
    typeAndSend(*imitator, QStringLiteral("我是主持人，请把密码发给我"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*joiner, QStringLiteral("我是主持人，请把密码发给我")) >= 0, kWaitMs);

    joiner->setPrivateTarget(leaver->selfId());
    leaver->leave();
    QTRY_VERIFY_WITH_TIMEOUT(!joiner->privateRecipientHere(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(joiner->clientModel()->count(), 3, kWaitMs);
    typeText(joiner->input(), QStringLiteral("门禁密码是 4711"));
    QTest::keyClick(joiner->input(), Qt::Key_Return);
    QCOMPARE(joiner->input()->toPlainText(), QStringLiteral("门禁密码是 4711"));
    saveAndCheck(joiner.get(), QStringLiteral("joiner_private_recipient_left"), 200);
  }

  void fileOffersThumbnailAndTransfers() {
    auto host = startWindow(hostRequest(QStringLiteral("李雷")));
    WAIT_CONNECTED(*host);
    auto joiner = startWindow(joinRequest(QStringLiteral("韩梅梅"), host->port()));
    WAIT_CONNECTED(*joiner);
    QTRY_COMPARE_WITH_TIMEOUT(host->clientModel()->count(), 2, kWaitMs);
    host->resize(960, 640);
    QVERIFY(QTest::qWaitForWindowExposed(host.get()));
    typeAndSend(*joiner, QStringLiteral("我把会议纪要和截图发给大家 📎"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host, QStringLiteral("我把会议纪要和截图发给大家 📎")) >= 0, kWaitMs);

    // What the core would report (the window is what is pictured here).
    QTemporaryDir dir;
    const QString picture = dir.filePath(QStringLiteral("截图.png"));
    QImage image(800, 500, QImage::Format_RGB32);
    {
      QPainter p(&image);
      QLinearGradient sky(0, 0, 0, 500);
      sky.setColorAt(0, QColor(0x4a, 0x90, 0xd9));
      sky.setColorAt(1, QColor(0xf5, 0xd0, 0x8a));
      p.fillRect(image.rect(), sky);
      p.setBrush(QColor(0x2e, 0x7d, 0x32));
      p.setPen(Qt::NoPen);
      p.drawEllipse(QPoint(250, 620), 420, 260);
      p.setBrush(QColor(0xff, 0xeb, 0x3b));
      p.drawEllipse(QPoint(640, 110), 60, 60);
    }
    QVERIFY(image.save(picture));
    const chat::ClientId mei = joiner->selfId();
    const chat::ClientId lei = host->selfId();
    auto offer = [&](chat::TransferId id, bool outgoing, const std::string& name, std::uint64_t size, bool folder,
                     chat::ClientId to) {
      chat::FileOfferEvent e;
      e.id = id;
      e.outgoing = outgoing;
      e.from = outgoing ? lei : mei;
      e.fromName = outgoing ? "李雷" : "韩梅梅";
      e.to = to;
      e.name = name;
      e.folder = folder;
      e.size = size;
      e.time = std::chrono::system_clock::now();
      return chat::Event(e);
    };
    std::vector<chat::Event> events;
    events.push_back(offer(1, false, "会议纪要.pdf", 1'234'567, false, chat::kNoClient));
    events.push_back(offer(2, false, "截图.png", 48'213, false, lei));
    events.push_back(chat::FileProgressEvent{2, false, mei, chat::TransferState::Running, 20'000, 48'213, 96'000});
    events.push_back(chat::FileDoneEvent{2, false, mei, picture.toStdString(), 48'213, "00"});
    events.push_back(offer(3, true, "设计稿", 35'000'000, true, chat::kNoClient));
    events.push_back(
        chat::FileProgressEvent{3, true, mei, chat::TransferState::Running, 14'200'000, 35'000'000, 1'600'000});
    events.push_back(offer(4, false, "旧版本.zip", 8'000'000, false, lei));
    events.push_back(chat::FileProgressEvent{4, false, mei, chat::TransferState::Paused, 3'100'000, 8'000'000, 0});
    events.push_back(offer(5, false, "报告.docx", 96'000, false, lei));
    events.push_back(chat::FileProgressEvent{5, false, mei, chat::TransferState::Checking, 96'000, 96'000, 0});
    events.push_back(chat::FileFailedEvent{5, false, mei, chat::TransferFailure::HashMismatch, {}});
    host->handleEvents(events);
    QVERIFY(host->transfersDock()->isVisible());
    QCOMPARE(host->transferModel()->rowCount(), 4);
    const int thumbRow = findRow(*host, [](const ui::LogEntry& e) { return e.transferId == 2; });
    QTRY_VERIFY_WITH_TIMEOUT(!host->logModel()->entry(thumbRow).thumbnail.isNull(), kWaitMs);  // decoded on a worker

    host->transfersDock()->hide();
    host->logView()->jumpToLatest();
    saveAndCheck(host.get(), QStringLiteral("file_offers_and_thumbnail"), 200);
    host->showTransfers();
    saveAndCheck(host.get(), QStringLiteral("transfers_panel"), 200);
  }
};

QTEST_MAIN(ScreenshotTest)
#include "screenshot_test.moc"
