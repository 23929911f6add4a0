// ChatLogView and its delegate: following new rows, staying put while reading back, copying,
// clickable links, and a long log that costs no more than a screenful.

#include "chat_log_delegate.h"
#include "chat_log_model.h"
#include "chat_log_view.h"
#include "chat_window.h"
#include "name_badge.h"
#include "sender_palette.h"
#include "ui_test_support.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QHelpEvent>
#include <QToolTip>
#include <QGuiApplication>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QWheelEvent>

#include <climits>
#include <cstdlib>

using namespace chatport;
using ui::ChatLogDelegate;
using ui::ChatLogModel;
using ui::ChatLogView;
using ui::LogEntry;

namespace {

std::vector<LogEntry> messages(int count, int first = 1, const QString& text = QStringLiteral("line %1")) {
  std::vector<LogEntry> out;
  for (int i = first; i < first + count; ++i) {
    LogEntry e;
    e.kind = LogEntry::Kind::Message;
    e.sender = i % 2 ? QStringLiteral("ann") : QStringLiteral("李雷");
    e.text = text.arg(i);
    e.seq = static_cast<std::uint64_t>(i);
    e.timeMs = 1'700'000'000'000;
    out.push_back(std::move(e));
  }
  return out;
}

LogEntry said(LogEntry::Kind kind, const QString& from, qint64 timeMs, const QString& text = QStringLiteral("hello")) {
  LogEntry e;
  e.kind = kind;
  e.sender = from;
  e.text = text;
  e.timeMs = timeMs;
  return e;
}

qint64 at(QDate day, int h, int m, int s) { return QDateTime(day, QTime(h, m, s)).toMSecsSinceEpoch(); }

bool near(const QColor& a, const QColor& b) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= 24;
}

/// A log view, with the options it draws its rows with.
class OpenLogView : public ChatLogView {
 public:
  using ChatLogView::initViewItemOption;
};

class CountingDelegate : public ChatLogDelegate {
 public:
  using ChatLogDelegate::ChatLogDelegate;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    ++calls;
    return ChatLogDelegate::sizeHint(option, index);
  }
  mutable int calls = 0;
};

struct Fixture {
  ChatLogModel model;
  ChatLogView view;
  Fixture() {
    view.setModel(&model);
    view.resize(500, 300);
    view.show();
  }
  void settle() { QCoreApplication::processEvents(); }
  bool atBottom() const { return view.verticalScrollBar()->value() == view.verticalScrollBar()->maximum(); }
};

}  // namespace

class ChatLogViewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::quietOffscreenNoise(); }

  void followsNewRowsWhileAtTheBottom() {
    Fixture f;
    for (int batch = 0; batch < 10; ++batch) {
      f.model.append(messages(20, batch * 20 + 1));
      f.settle();
      QTRY_VERIFY(f.atBottom());
    }
    QVERIFY(f.view.verticalScrollBar()->maximum() > 0);
    QVERIFY(f.view.isFollowing());
    QCOMPARE(f.view.unseenRows(), 0);
  }

  void staysPutWhileReadingBackAndCountsWhatIsNew() {
    Fixture f;
    f.model.append(messages(200));
    QTRY_VERIFY(f.atBottom() && f.view.verticalScrollBar()->maximum() > 0);
    f.view.verticalScrollBar()->setValue(10);  // reading back
    QVERIFY(!f.view.isFollowing());
    f.model.append(messages(30, 201));
    f.settle();
    QCOMPARE(f.view.verticalScrollBar()->value(), 10);
    QCOMPARE(f.view.unseenRows(), 30);
    auto* jump = f.view.findChild<QToolButton*>(QStringLiteral("jumpToLatest"));
    QVERIFY(jump->isVisible());
    QVERIFY2(jump->text().contains(QStringLiteral("30")), qPrintable(jump->text()));
    QTest::mouseClick(jump, Qt::LeftButton);
    QTRY_VERIFY(f.atBottom());
    QVERIFY(f.view.isFollowing());
    QVERIFY(!jump->isVisible());
  }

  void readingBackSurvivesTheOldestRowsGoing() {
    Fixture f;
    f.model.setMaximumRows(300);
    f.model.append(messages(300));
    QTRY_VERIFY(f.atBottom() && f.view.verticalScrollBar()->maximum() > 0);
    f.view.verticalScrollBar()->setValue(200);
    const QModelIndex top = f.view.indexAt(QPoint(5, 5));
    const QString shown = top.data(ChatLogModel::TextRole).toString();
    f.model.append(messages(50, 301));  // the 50 oldest go
    f.settle();
    QCOMPARE(f.view.indexAt(QPoint(5, 5)).data(ChatLogModel::TextRole).toString(), shown);
  }

  void copiesSelectedRowsInOrder() {
    Fixture f;
    f.model.append(messages(5));
    f.settle();
    f.view.selectionModel()->select(f.model.index(3), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    f.view.selectionModel()->select(f.model.index(1), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTest::keyClick(&f.view, Qt::Key_C, Qt::ControlModifier);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(QStringLiteral("line 2")) && copied.contains(QStringLiteral("line 4")), qPrintable(copied));
    QVERIFY(copied.indexOf(QStringLiteral("line 2")) < copied.indexOf(QStringLiteral("line 4")));
    QCOMPARE(copied.count(u'\n'), 1);
    QVERIFY(copied.contains(QStringLiteral("李雷: line 2")));
  }

  void contextMenuCopiesTheMessageText() {
    Fixture f;
    f.model.append(messages(3));
    f.settle();
    const QPoint at = f.view.visualRect(f.model.index(1)).center();
    std::unique_ptr<QMenu> menu(f.view.createContextMenu(at));
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("copyAction"))->isEnabled());
    menu->findChild<QAction*>(QStringLiteral("copyTextAction"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("line 2"));
  }

  void linksAreClickable() {
    Fixture f;
    f.model.append(messages(1, 1, QStringLiteral("see https://example.org/page?id=%1, thanks")));
    f.settle();
    const QModelIndex index = f.model.index(0);
    const QRect row = f.view.visualRect(index);
    const int y = f.view.rowParts(0).text.center().y();  // the text's line, under the name
    QPoint onLink;
    for (int x = row.left(); x < row.right() && onLink.isNull(); ++x)
      if (!f.view.linkAt(QPoint(x, y)).isEmpty()) onLink = QPoint(x + 2, y);
    QVERIFY2(!onLink.isNull(), "no link drawn in the row");
    QCOMPARE(f.view.linkAt(onLink), QUrl(QStringLiteral("https://example.org/page?id=1")));
    QSignalSpy activated(&f.view, &ChatLogView::linkActivated);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, onLink);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://example.org/page?id=1")));
    std::unique_ptr<QMenu> menu(f.view.createContextMenu(onLink));
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("copyLinkAction")));
    // Not on the link: nothing opens.
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(row.left() + 2, y));
    QCOMPARE(activated.count(), 1);
  }

  void theHostsNameCarriesAPaintedBadgeThatNoNameCanShow() {
    struct {
      ChatLogModel model;
      OpenLogView view;
    } f;
    f.view.setModel(&f.model);
    f.view.resize(600, 400);
    f.view.show();
    auto row = [](LogEntry::Kind kind, const QString& sender, const QString& text) {
      LogEntry e;
      e.kind = kind;
      e.sender = sender;
      e.text = text;
      e.timeMs = 1'700'000'000'000;
      return e;
    };
    std::vector<LogEntry> rows;
    rows.push_back(row(LogEntry::Kind::Message, QStringLiteral("ann"), QStringLiteral("welcome, everyone")));
    rows.back().senderIsHost = true;
    // Names that spell the badge out.
    rows.push_back(row(LogEntry::Kind::Message, QStringLiteral("ann (host)"), QStringLiteral("I am the host")));
    rows.push_back(row(LogEntry::Kind::Message, QStringLiteral("[host] ann"), QStringLiteral("I am the host")));
    rows.push_back(row(LogEntry::Kind::Message, QStringLiteral("ann ★ host"), QStringLiteral("I am the host")));
    // Private, from the host to you and from you to the host; and from someone else.
    rows.push_back(row(LogEntry::Kind::Private, QStringLiteral("ann"), QStringLiteral("psst")));
    rows.back().senderIsHost = true;
    rows.push_back(row(LogEntry::Kind::Private, QStringLiteral("bob"), QStringLiteral("psst back")));
    rows.back().own = true;
    rows.back().recipient = QStringLiteral("ann");
    rows.back().recipientIsHost = true;
    rows.push_back(row(LogEntry::Kind::Private, QStringLiteral("ann host"), QStringLiteral("psst")));
    f.model.append(std::move(rows));
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    QCoreApplication::processEvents();
    const QImage image = f.view.viewport()->grab().toImage().scaled(f.view.viewport()->size());
    const QColor host = ui::NameBadge::fill(ui::NameBadge::Kind::Host, f.view.palette());
    auto badgePixels = [&](int r) {
      const QRect rect = f.view.visualRect(f.model.index(r));
      int n = 0;
      for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) n += image.pixelColor(x, y).rgb() == host.rgb();
      return n;
    };
    for (int r : {0, 4, 5}) QVERIFY2(badgePixels(r) > 40, qPrintable(QStringLiteral("row %1: %2").arg(r).arg(badgePixels(r))));
    for (int r : {1, 2, 3, 6}) QVERIFY2(badgePixels(r) == 0, qPrintable(f.model.plainText(r)));

    // The badge sits after the name, before the text, on the name's line.
    auto* delegate = qobject_cast<ChatLogDelegate*>(f.view.itemDelegate());
    QVERIFY(delegate);
    QStyleOptionViewItem option;
    f.view.initViewItemOption(&option);
    option.rect = f.view.visualRect(f.model.index(0));
    const QRect badge = delegate->hostBadgeRect(option, f.model.index(0));
    QVERIFY(option.rect.contains(badge));
    const QFontMetrics metrics(f.view.font());
    QVERIFY2(badge.left() > option.rect.left() + metrics.horizontalAdvance(QStringLiteral("00:00 ann")),
             "the badge is over the name");
    option.rect = f.view.visualRect(f.model.index(1));
    QVERIFY(delegate->hostBadgeRect(option, f.model.index(1)).isNull());
  }

  void aGroupShowsItsSenderOnceWithAnAvatarInTheirColour() {
    using Kind = LogEntry::Kind;
    Fixture f;
    f.view.resize(500, 500);
    const QDate today = QDate::currentDate();
    std::vector<LogEntry> rows;
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(today, 9, 0, 1)));           // 0 opens
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(today, 9, 0, 20), QStringLiteral("second")));  // 1
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(today, 9, 0, 40), QStringLiteral("third")));   // 2
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(today, 9, 0, 41)));          // 3 opens
    rows.push_back(said(Kind::Private, QStringLiteral("李雷"), at(today, 9, 0, 42)));          // 4 private
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(today, 9, 0, 43)));          // 5 opens again
    rows.push_back(said(Kind::Message, QStringLiteral("me"), at(today, 9, 0, 44)));            // 6 own, opens
    rows.back().own = true;
    rows.push_back(said(Kind::Message, QStringLiteral("me"), at(today, 9, 0, 45)));            // 7 own, continues
    rows.back().own = true;
    f.model.append(std::move(rows));
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.settle();
    QTRY_VERIFY(f.view.visualRect(f.model.index(7)).isValid());

    for (int r : {0, 3, 5, 6}) QVERIFY2(!f.view.rowParts(r).avatar.isNull(), qPrintable(QStringLiteral("row %1").arg(r)));
    for (int r : {1, 2, 4, 7}) QVERIFY2(f.view.rowParts(r).avatar.isNull(), qPrintable(QStringLiteral("row %1").arg(r)));
    // The group's other messages are indented under its first, and say nothing before their
    // text: they are no taller than their text.
    const QFontMetrics metrics(f.view.font());
    for (int r : {1, 2, 7}) {
      QCOMPARE(f.view.rowParts(r).text.left(), f.view.rowParts(r - 1).text.left());
      const QRect row = f.view.visualRect(f.model.index(r));
      QVERIFY2(f.view.rowParts(r).text.top() - row.top() < metrics.height() / 2, qPrintable(QStringLiteral("row %1").arg(r)));
      QVERIFY2(row.height() < 2 * metrics.height(), qPrintable(QStringLiteral("row %1: %2 px").arg(r).arg(row.height())));
    }
    // The first has its name and time above its text, the avatar left of both.
    const QRect first = f.view.visualRect(f.model.index(0));
    QVERIFY(f.view.rowParts(0).text.top() - first.top() >= metrics.height() / 2 + metrics.ascent() / 2);
    QVERIFY(f.view.rowParts(0).avatar.right() < f.view.rowParts(0).text.left());
    QVERIFY(first.contains(f.view.rowParts(0).avatar));
    QCOMPARE(f.view.rowParts(3).avatar.left(), f.view.rowParts(0).avatar.left());

    // The circle is in the sender's colour; your own messages are tinted as before.
    const QImage image = f.view.viewport()->grab().toImage().scaled(f.view.viewport()->size());
    const bool dark = ui::SenderPalette::isDark(f.view.palette().color(QPalette::Base));
    for (int r : {0, 3}) {
      const QRect a = f.view.rowParts(r).avatar;
      const QColor seen = image.pixelColor(a.left() + a.width() / 6, a.center().y());
      const QColor colour = ui::SenderPalette::colorFor(f.model.entry(r).sender, dark);
      QVERIFY2(near(seen, colour), qPrintable(QStringLiteral("row %1: %2, not %3").arg(r).arg(seen.name(), colour.name())));
    }
    const QRect own = f.view.visualRect(f.model.index(7));
    QVERIFY(!near(image.pixelColor(own.right() - 4, own.center().y()), f.view.palette().color(QPalette::Base)));
    const QRect other = f.view.visualRect(f.model.index(1));
    QVERIFY(near(image.pixelColor(other.right() - 4, other.center().y()), f.view.palette().color(QPalette::Base)));
  }

  void aDateLineStartsEachDay() {
    using Kind = LogEntry::Kind;
    Fixture f;
    f.view.resize(500, 500);
    const QDate today = QDate::currentDate();
    const QDate longAgo(2026, 3, 14);
    std::vector<LogEntry> rows;
    rows.push_back(said(Kind::System, QString(), at(today, 9, 0, 0), QStringLiteral("history starts")));  // 0
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(longAgo, 10, 0, 0)));                    // 1
    rows.push_back(said(Kind::Message, QStringLiteral("bob"), at(today.addDays(-1), 23, 59, 0)));         // 2
    rows.push_back(said(Kind::Message, QStringLiteral("bob"), at(today.addDays(-1), 23, 59, 30)));        // 3
    rows.push_back(said(Kind::System, QString(), at(today, 9, 0, 0), QStringLiteral("history ends")));    // 4
    rows.push_back(said(Kind::Message, QStringLiteral("bob"), at(today, 9, 1, 0)));                       // 5
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(today, 9, 2, 0)));                       // 6
    f.model.append(std::move(rows));
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.settle();
    QTRY_VERIFY(f.view.visualRect(f.model.index(6)).isValid());
    for (int r : {1, 2, 5}) QVERIFY2(!f.view.rowParts(r).dayLine.isNull(), qPrintable(QStringLiteral("row %1").arg(r)));
    for (int r : {0, 3, 4, 6}) QVERIFY2(f.view.rowParts(r).dayLine.isNull(), qPrintable(QStringLiteral("row %1").arg(r)));
    // Above the row's own content, across the view, with something drawn in its middle.
    const QRect line = f.view.rowParts(5).dayLine;
    QVERIFY(line.bottom() < f.view.rowParts(5).text.top());
    QVERIFY(line.bottom() < f.view.rowParts(5).avatar.top());
    QCOMPARE(line.width(), f.view.viewport()->width());
    const QImage image = f.view.viewport()->grab().toImage().scaled(f.view.viewport()->size());
    int inked = 0;
    for (int x = line.center().x() - 20; x <= line.center().x() + 20; ++x)
      inked += !near(image.pixelColor(x, line.center().y()), f.view.palette().color(QPalette::Base));
    QVERIFY2(inked > 2, "the date line is blank in its middle");
    // Its words.
    QCOMPARE(ChatLogDelegate::dayText(today, today), QStringLiteral("Today"));
    QCOMPARE(ChatLogDelegate::dayText(today.addDays(-1), today), QStringLiteral("Yesterday"));
    QCOMPARE(ChatLogDelegate::dayText(longAgo, today), QLocale().toString(longAgo, QLocale::LongFormat));
  }

  void hoveringAMessageShowsItsFullDateAndTime() {
    Fixture f;
    const QDateTime when(QDate(2026, 3, 14), QTime(15, 9, 26));
    f.model.append(said(LogEntry::Kind::Message, QStringLiteral("ann"), when.toMSecsSinceEpoch() - 1000));
    f.model.append(said(LogEntry::Kind::Message, QStringLiteral("ann"), when.toMSecsSinceEpoch()));
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.settle();
    QVERIFY(f.view.rowParts(1).avatar.isNull());  // no time shown on the row itself
    const QPoint pos = f.view.rowParts(1).text.center();
    QHelpEvent help(QEvent::ToolTip, pos, f.view.viewport()->mapToGlobal(pos));
    QCoreApplication::sendEvent(f.view.viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), QLocale().toString(when, QLocale::LongFormat));
    QToolTip::hideText();
  }

  void theUnreadLineMarksWhereTheReaderLeftOff() {
    Fixture f;
    f.view.resize(500, 400);
    QWidget elsewhere;  // another window, to make the log's inactive
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto from = [&](const QString& who, int n) {
      std::vector<LogEntry> out;
      for (int i = 0; i < n; ++i) out.push_back(said(LogEntry::Kind::Message, who, now, QStringLiteral("%1 %2").arg(who).arg(i)));
      return out;
    };
    f.view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&f.view));
    f.model.append(from(QStringLiteral("ann"), 3));
    f.settle();
    QCOMPARE(f.model.unreadMarkerRow(), -1);  // read as it came

    // Away: the line goes above the first message that came meanwhile, and only there; that
    // message says who wrote it, though it continues ann's group.
    elsewhere.show();
    elsewhere.activateWindow();
    QTRY_VERIFY(!f.view.isActiveWindow());
    f.model.append(from(QStringLiteral("ann"), 2));  // 3, 4
    LogEntry history = said(LogEntry::Kind::Message, QStringLiteral("bob"), now, QStringLiteral("old"));
    history.history = true;
    f.model.append(history);  // 5
    f.model.append(said(LogEntry::Kind::System, QString(), now, QStringLiteral("bob joined")));  // 6
    f.model.append(from(QStringLiteral("bob"), 2));  // 7, 8
    f.settle();
    QCOMPARE(f.model.unreadMarkerRow(), 3);
    QTRY_VERIFY(!f.view.rowParts(3).unreadLine.isNull());
    const QRect marked = f.view.visualRect(f.model.index(3));
    const QRect line = f.view.rowParts(3).unreadLine;
    QVERIFY(marked.contains(line));
    QVERIFY(!f.view.rowParts(3).avatar.isNull());
    QVERIFY(line.bottom() < f.view.rowParts(3).avatar.top());
    QVERIFY(f.view.rowParts(3).text.top() > line.bottom());
    QVERIFY(f.view.rowParts(4).avatar.isNull());
    for (int r = 0; r < f.model.rowCount(); ++r)
      if (r != 3) QVERIFY(f.view.rowParts(r).unreadLine.isNull());

    // Back, at the bottom: it goes after a moment, and ann's five are one group again.
    f.view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&f.view));
    QVERIFY(f.view.isFollowing());
    QCOMPARE(f.model.unreadMarkerRow(), 3);  // not at once: they have not seen it yet
    QTRY_COMPARE_WITH_TIMEOUT(f.model.unreadMarkerRow(), -1, 4 * ChatLogView::kSeenMs);
    QTRY_VERIFY(f.view.rowParts(3).unreadLine.isNull());
    QVERIFY(f.view.rowParts(3).avatar.isNull());
    QTRY_COMPARE(f.view.visualRect(f.model.index(3)).height(), f.view.visualRect(f.model.index(4)).height());

    // Reading back in the active window: what comes meanwhile is unread too, until they write.
    f.model.append(messages(200, 100));
    f.settle();
    QTRY_VERIFY(f.atBottom() && f.view.verticalScrollBar()->maximum() > 0);
    QCOMPARE(f.model.unreadMarkerRow(), -1);
    f.view.verticalScrollBar()->setValue(0);
    QVERIFY(!f.view.isFollowing());
    const int first = f.model.rowCount();
    f.model.append(from(QStringLiteral("ann"), 2));
    f.settle();
    QCOMPARE(f.model.unreadMarkerRow(), first);
    LogEntry mine = said(LogEntry::Kind::Message, QStringLiteral("me"), now, QStringLiteral("my answer"));
    mine.own = true;
    f.model.append(mine);
    QCOMPARE(f.model.unreadMarkerRow(), -1);
  }

  void findsLinks_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("urls");
    QTest::newRow("plain") << QStringLiteral("go to http://a.example/x now") << QStringList{QStringLiteral("http://a.example/x")};
    QTest::newRow("trailing dot") << QStringLiteral("see https://a.example.") << QStringList{QStringLiteral("https://a.example")};
    QTest::newRow("www") << QStringLiteral("www.example.org!") << QStringList{QStringLiteral("http://www.example.org")};
    QTest::newRow("in brackets") << QStringLiteral("(https://en.wikipedia.org/wiki/Foo_(bar))")
                                 << QStringList{QStringLiteral("https://en.wikipedia.org/wiki/Foo_(bar)")};
    QTest::newRow("chinese after") << QStringLiteral("链接https://a.example/路径。谢谢")
                                   << QStringList{QStringLiteral("https://a.example/路径")};
    QTest::newRow("two") << QStringLiteral("ftp://f.example and https://b.example")
                         << QStringList{QStringLiteral("ftp://f.example"), QStringLiteral("https://b.example")};
    QTest::newRow("none") << QStringLiteral("no links: example.org, http:/broken") << QStringList{};
  }
  void findsLinks() {
    QFETCH(QString, text);
    QFETCH(QStringList, urls);
    QStringList found;
    for (const auto& link : ChatLogDelegate::findLinks(text)) found << link.url.toString();
    QCOMPARE(found, urls);
  }

  void aMessageTallerThanTheViewCanBeReadToItsEndStepByStep() {
    // As a person sees it: a window of 690 × 420 with 5,000 characters in one message, and
    // messages before and after it.
    ui::ChatWindow window(test::hostRequest(QStringLiteral("ann")), test::testCoreOptions());
    window.resize(690, 420);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ChatLogModel* model = window.logModel();
    ChatLogView* view = window.logView();
    model->append(messages(5));
    QString words;
    for (int i = 0; words.size() < 5000; ++i) words += QStringLiteral("word%1 ").arg(i);
    words.truncate(5000);
    std::vector<LogEntry> tall = messages(1, 6);
    tall[0].text = words;
    model->append(std::move(tall));
    model->append(messages(5, 7));
    QCoreApplication::processEvents();
    const QModelIndex tallRow = model->index(5, 0);

    // How much of the tall row, from its first pixel on, has been in sight without a gap.
    // Where it is seen: the part of the viewport inside the view's frame.
    const auto readThrough = [&](auto step) {
      int read = -1;
      int rowHeight = 0;
      for (int i = 0; i < 400; ++i) {
        QCoreApplication::processEvents();
        const QRect row = view->visualRect(tallRow).translated(view->viewport()->pos());
        rowHeight = row.height();
        const QRect seen = row & view->contentsRect();
        if (!seen.isEmpty() && seen.top() - row.top() <= read + 1)
          read = std::max(read, seen.bottom() - row.top());
        if (read >= rowHeight - 1) break;
        step();
      }
      return std::pair(read, rowHeight);
    };

    QScrollBar* bar = view->verticalScrollBar();
    bar->setValue(0);
    auto [byArrow, height] = readThrough([&] { bar->triggerAction(QAbstractSlider::SliderSingleStepAdd); });
    QVERIFY2(height > view->contentsRect().height(),
             qPrintable(QStringLiteral("the message is %1 px high, the view %2").arg(height).arg(view->contentsRect().height())));
    QVERIFY2(byArrow >= height - 1, qPrintable(QStringLiteral("scroll bar arrow: read %1 of %2 px").arg(byArrow + 1).arg(height)));

    bar->setValue(0);
    auto [byWheel, wheelHeight] = readThrough([&] {
      const QPoint at = view->viewport()->rect().center();
      QWheelEvent turn(at, view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                       Qt::NoModifier, Qt::NoScrollPhase, false);
      QCoreApplication::sendEvent(view->viewport(), &turn);
    });
    QVERIFY2(byWheel >= wheelHeight - 1, qPrintable(QStringLiteral("wheel: read %1 of %2 px").arg(byWheel + 1).arg(wheelHeight)));

    // The end of the log is reached too, and following resumes there.
    for (int i = 0; i < 400 && !view->isFollowing(); ++i) bar->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    QVERIFY(view->isFollowing());

    // Back up: the message is read from its end to its start, without a gap.
    int lowestUnread = INT_MAX;  // from the row's end up, as a distance from its top
    for (int i = 0; i < 400 && lowestUnread > 0; ++i) {
      bar->triggerAction(QAbstractSlider::SliderSingleStepSub);
      QCoreApplication::processEvents();
      const QRect row = view->visualRect(tallRow).translated(view->viewport()->pos());
      const QRect seen = row & view->contentsRect();
      if (seen.isEmpty()) continue;
      if (lowestUnread == INT_MAX) QCOMPARE(seen.bottom(), row.bottom());  // its end comes first
      if (seen.bottom() - row.top() >= lowestUnread - 1 || lowestUnread == INT_MAX)
        lowestUnread = std::min(lowestUnread, seen.top() - row.top());
    }
    QCOMPARE(lowestUnread, 0);
  }

  void aTallLastMessageShowsItsEndWhileFollowing() {
    Fixture f;
    f.model.append(messages(3));
    QString words;
    for (int i = 0; words.size() < 5000; ++i) words += QStringLiteral("word%1 ").arg(i);
    std::vector<LogEntry> tall = messages(1, 4);
    tall[0].text = words + QStringLiteral("THE END");
    f.model.append(std::move(tall));
    QCoreApplication::processEvents();
    QVERIFY(f.view.isFollowing());
    const QRect row = f.view.visualRect(f.model.index(3, 0)).translated(f.view.viewport()->pos());
    QVERIFY2(row.bottom() <= f.view.contentsRect().bottom() + 1,
             qPrintable(QStringLiteral("the newest message ends at %1, the view at %2")
                            .arg(row.bottom()).arg(f.view.contentsRect().bottom())));
  }

  void aHundredThousandRowsMeasureOnlyWhatIsShown() {
    Fixture f;
    auto* counting = new CountingDelegate(&f.view);
    f.view.setItemDelegate(counting);
    for (int batch = 0; batch < 200; ++batch) f.model.append(messages(500, batch * 500 + 1));
    QTRY_VERIFY(f.atBottom() && f.view.verticalScrollBar()->maximum() > 90'000);
    QVERIFY(!f.view.grab().isNull());
    QVERIFY2(counting->calls < 5'000, qPrintable(QStringLiteral("%1 rows measured").arg(counting->calls)));
    const QModelIndex top = f.view.indexAt(QPoint(5, 5));
    QVERIFY(top.isValid());
    QVERIFY2(top.row() > 99'900, qPrintable(QString::number(top.row())));
  }
};

QTEST_MAIN(ChatLogViewTest)
#include "chat_log_view_test.moc"
