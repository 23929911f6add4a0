#include "history_search_bar.h"

#include "history_text.h"

#include <QAbstractTextDocumentLayout>
#include <QCheckBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QShortcut>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;

enum Column { kTime, kRoom, kSender, kText, kColumns };
constexpr int kHtmlRole = Qt::UserRole + 1;

/// Draws the text column's HTML (the words marked) on one line.
class MarkedTextDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString html = index.data(kHtmlRole).toString();
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : nullptr;
    if (style) style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    QTextDocument doc;
    doc.setDefaultFont(opt.font);
    doc.setDocumentMargin(0);
    doc.setHtml(html);
    const QRect rect = opt.rect.adjusted(3, 0, -3, 0);
    painter->save();
    painter->setClipRect(rect);
    painter->translate(rect.left(), rect.top() + (rect.height() - doc.size().height()) / 2);
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = opt.palette;
    context.palette.setColor(QPalette::Text, opt.state & QStyle::State_Selected
                                                 ? opt.palette.color(QPalette::HighlightedText)
                                                 : opt.palette.color(QPalette::Text));
    doc.documentLayout()->draw(painter, context);
    painter->restore();
  }
};

}  // namespace

struct HistorySearchBar::Found {
  std::vector<chat::StoredMessage> hits;
  std::map<std::string, std::string> roomNames;
};

HistorySearchBar::HistorySearchBar(QWidget* parent)
    : QFrame(parent), words_(new QLineEdit), allRooms_(new QCheckBox(tr("&All rooms"))), status_(new QLabel),
      close_(new QToolButton), results_(new QTreeView), model_(new QStandardItemModel(0, kColumns, this)), typing_(new QTimer(this)) {
  setObjectName(u"historySearchBar"_s);
  setFrameShape(QFrame::StyledPanel);
  words_->setObjectName(u"historySearchWords"_s);
  words_->setPlaceholderText(tr("Search the history"));
  words_->setClearButtonEnabled(true);
  allRooms_->setObjectName(u"historyAllRooms"_s);
  allRooms_->setToolTip(tr("Search every room this computer has kept history of, not only this one"));
  status_->setObjectName(u"historySearchStatus"_s);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  close_->setObjectName(u"historySearchClose"_s);
  close_->setAutoRaise(true);
  close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
  close_->setToolTip(tr("Close the search (Esc)"));

  model_->setHorizontalHeaderLabels({tr("Time"), tr("Room"), tr("From"), tr("Message")});
  results_->setObjectName(u"historyResults"_s);
  results_->setModel(model_);
  results_->setRootIsDecorated(false);
  results_->setUniformRowHeights(true);
  results_->setAllColumnsShowFocus(true);
  results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  results_->setItemDelegateForColumn(kText, new MarkedTextDelegate(results_));
  results_->header()->setStretchLastSection(true);
  results_->header()->setSectionResizeMode(QHeaderView::Interactive);
  results_->setToolTip(tr("Enter or double-click shows the message in context"));
  results_->hide();

  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Find:")));
  row->addWidget(words_, 1);
  row->addWidget(allRooms_);
  row->addWidget(close_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 4, 6);
  layout->setSpacing(4);
  layout->addLayout(row);
  layout->addWidget(status_);
  layout->addWidget(results_);

  typing_->setSingleShot(true);
  typing_->setInterval(250);
  connect(typing_, &QTimer::timeout, this, &HistorySearchBar::search);
  connect(words_, &QLineEdit::textEdited, typing_, qOverload<>(&QTimer::start));
  connect(words_, &QLineEdit::returnPressed, this, &HistorySearchBar::search);
  connect(allRooms_, &QCheckBox::toggled, this, &HistorySearchBar::search);
  connect(close_, &QToolButton::clicked, this, &HistorySearchBar::closeBar);
  connect(results_, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const auto hit = static_cast<std::size_t>(index.row());
    if (hit < hits_.size()) Q_EMIT resultActivated(hits_[hit]);
  });
  auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  escape->setContext(Qt::WidgetWithChildrenShortcut);
  connect(escape, &QShortcut::activated, this, &HistorySearchBar::closeBar);
  // Down from the words goes to the results.
  auto* down = new QShortcut(QKeySequence(Qt::Key_Down), words_);
  down->setContext(Qt::WidgetShortcut);
  connect(down, &QShortcut::activated, this, [this] {
    if (model_->rowCount() == 0) return;
    results_->setFocus(Qt::ShortcutFocusReason);
    if (!results_->currentIndex().isValid()) results_->setCurrentIndex(model_->index(0, 0));
  });
  allRooms_->setChecked(true);
  updateRoomBox();
  hide();
}

void HistorySearchBar::setStore(std::shared_ptr<chat::HistoryStore> store, const QString& unavailable) {
  store_ = std::move(store);
  words_->setEnabled(store_ != nullptr);
  allRooms_->setEnabled(store_ != nullptr);
  if (!store_) status_->setText(tr("History search is not available: %1").arg(unavailable));
  else if (model_->rowCount() == 0) status_->clear();
  status_->setVisible(!status_->text().isEmpty());
  updateRoomBox();
}

void HistorySearchBar::setRoom(const std::string& room) {
  if (room == room_) return;
  room_ = room;
  // This room first, once there is one; without one (not in a room yet, or it keeps no
  // history) every room is searched.
  const QSignalBlocker quiet(allRooms_);
  allRooms_->setChecked(room_.empty());
  updateRoomBox();
}

void HistorySearchBar::updateRoomBox() { allRooms_->setEnabled(store_ && !room_.empty()); }

void HistorySearchBar::open() {
  show();
  if (!words_->isEnabled()) {
    close_->setFocus(Qt::ShortcutFocusReason);  // Esc closes it all the same
    return;
  }
  words_->setFocus(Qt::ShortcutFocusReason);
  words_->selectAll();
}

void HistorySearchBar::closeBar() {
  typing_->stop();
  ++generation_;  // a search still running is of no use now
  hide();
  Q_EMIT closed();
}

void HistorySearchBar::search() {
  typing_->stop();
  const int generation = ++generation_;
  const QString words = words_->text().simplified();
  if (!store_) return;
  if (words.isEmpty()) {
    list(Found{}, words);
    return;
  }
  status_->setText(tr("Searching…"));
  status_->show();
  auto* watcher = new QFutureWatcher<Found>(this);
  ++pending_;
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, words] {
    --pending_;
    watcher->deleteLater();
    if (generation == generation_) list(watcher->result(), words);
  });
  // The store is thread-safe, and the worker holds it for as long as it searches.
  watcher->setFuture(QtConcurrent::run(
      [store = store_, utf8 = words.toStdString(), room = allRooms_->isChecked() ? std::string() : room_] {
        Found found;
        found.hits = store->search(utf8, room, kMaxResults);
        if (!found.hits.empty())
          for (chat::StoredRoom& r : store->rooms()) found.roomNames.emplace(std::move(r.room), std::move(r.roomName));
        return found;
      }));
}

QString HistorySearchBar::roomName(const std::string& room) const {
  const auto it = roomNames_.find(room);
  return HistoryText::roomName(room, it == roomNames_.end() ? std::string() : it->second);
}

void HistorySearchBar::list(Found found, const QString& words) {
  hits_ = std::move(found.hits);
  roomNames_ = std::move(found.roomNames);
  shownWords_ = words;
  model_->removeRows(0, model_->rowCount());
  for (const chat::StoredMessage& m : hits_) {
    const QString text = QString::fromStdString(m.text);
    QList<QStandardItem*> items;
    items << new QStandardItem(HistoryText::time(m));
    items << new QStandardItem(roomName(m.room));
    items << new QStandardItem(HistoryText::sender(m));
    auto* textItem = new QStandardItem(text);
    textItem->setData(HistoryText::highlighted(QString(text).replace(u'\n', u' '), words), kHtmlRole);
    textItem->setToolTip(text);
    items << textItem;
    model_->appendRow(items);
  }
  results_->setVisible(!hits_.empty());
  if (!hits_.empty()) {
    for (int c : {kTime, kRoom, kSender}) {
      results_->resizeColumnToContents(c);
      results_->setColumnWidth(c, results_->columnWidth(c) + 12);  // room between the columns
    }
    // As tall as the results, up to eight rows: the log stays in sight below.
    const int rows = std::min(static_cast<int>(hits_.size()), 8);
    results_->setFixedHeight(results_->header()->sizeHint().height() + rows * results_->sizeHintForRow(0) +
                             2 * results_->frameWidth() + 2);
    results_->setCurrentIndex(model_->index(0, 0));
  }
  if (words.isEmpty())
    status_->clear();
  else if (hits_.empty())
    status_->setText(tr("Nothing found for “%1”.").arg(words));
  else if (hits_.size() >= kMaxResults)
    status_->setText(tr("The newest %n messages found; add words to narrow the search.", nullptr,
                        static_cast<int>(hits_.size())));
  else
    status_->setText(tr("%n message(s) found. Enter or double-click one to see it in context.", nullptr,
                        static_cast<int>(hits_.size())));
  status_->setVisible(!status_->text().isEmpty());
  Q_EMIT searchFinished();
}

}  // namespace chatport::ui
