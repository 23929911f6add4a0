// ChatLogView and its delegate: following new rows, staying put while reading back, copying,
// clickable links, and a long log that costs no more than a screenful.

#include "chat_log_delegate.h"
#include "chat_log_model.h"
#include "chat_log_view.h"
#include "chat_window.h"
#include "name_badge.h"
#include "ui_test_support.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QWheelEvent>

#include <climits>

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
    QPoint onLink;
    for (int x = row.left(); x < row.right() && onLink.isNull(); ++x)
      if (!f.view.linkAt(QPoint(x, row.center().y())).isEmpty()) onLink = QPoint(x + 2, row.center().y());
    QVERIFY2(!onLink.isNull(), "no link drawn in the row");
    QCOMPARE(f.view.linkAt(onLink), QUrl(QStringLiteral("https://example.org/page?id=1")));
    QSignalSpy activated(&f.view, &ChatLogView::linkActivated);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, onLink);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://example.org/page?id=1")));
    std::unique_ptr<QMenu> menu(f.view.createContextMenu(onLink));
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("copyLinkAction")));
    // Not on the link: nothing opens.
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(row.left() + 2, row.center().y()));
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
