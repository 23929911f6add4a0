#include "chat_log_view.h"

#include "chat_log_delegate.h"
#include "chat_log_model.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QWheelEvent>

#include <algorithm>
#include <utility>

namespace chatport::ui {

ChatLogView::ChatLogView(QWidget* parent)
    : QTreeView(parent), delegate_(new ChatLogDelegate(this)), jumpButton_(new QToolButton(this)),
      seen_(new QTimer(this)) {
  setObjectName(QStringLiteral("chatLog"));
  setItemDelegate(delegate_);
  setHeaderHidden(true);
  setRootIsDecorated(false);
  setItemsExpandable(false);
  setUniformRowHeights(false);
  setAllColumnsShowFocus(true);
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  // Per item: only the rows near the viewport are ever measured (per pixel would measure all).
  // A row taller than the view is scrolled through per pixel by scrollAction().
  setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setTextElideMode(Qt::ElideNone);
  setMouseTracking(true);
  header()->setStretchLastSection(true);
  setAccessibleName(tr("Chat messages"));

  jumpButton_->setObjectName(QStringLiteral("jumpToLatest"));
  jumpButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  jumpButton_->setCursor(Qt::PointingHandCursor);
  jumpButton_->hide();
  connect(jumpButton_, &QToolButton::clicked, this, &ChatLogView::jumpToLatest);
  connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
    if (following_) showEnd();
  });
  connect(verticalScrollBar(), &QAbstractSlider::actionTriggered, this, &ChatLogView::scrollAction);
  seen_->setSingleShot(true);
  seen_->setInterval(kSeenMs);
  connect(seen_, &QTimer::timeout, this, [this] {
    if (auto* log = qobject_cast<ChatLogModel*>(model()); log && following_ && window()->isActiveWindow())
      log->setUnreadMarker(-1);
  });
}

void ChatLogView::setModel(QAbstractItemModel* model) {
  if (this->model()) disconnect(this->model(), nullptr, this, nullptr);
  QTreeView::setModel(model);
  if (!model) return;
  connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &ChatLogView::rowsAboutToBeAdded);
  connect(model, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex&, int first, int last) { rowsAdded(first, last); });
  connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
          [this](const QModelIndex&, int first, int last) {
            if (first == 0) oldRowsAboutToGo(last - first + 1);
          });
  connect(model, &QAbstractItemModel::rowsRemoved, this, &ChatLogView::oldRowsRemoved);
  connect(model, &QAbstractItemModel::modelReset, this, [this] {
    following_ = true;
    unseen_ = 0;
    updateJumpButton();
  });
}

void ChatLogView::setSenderPalette(const SenderPalette* palette) {
  delegate_->setSenderPalette(palette);
  viewport()->update();
}

void ChatLogView::setPictureBook(const PictureBook* pictures) {
  delegate_->setPictureBook(pictures);
  viewport()->update();
}

bool ChatLogView::atBottom() const {
  const QScrollBar* bar = verticalScrollBar();
  return bar->value() >= bar->maximum() && topRowOverflow() <= rowOffset_;
}

int ChatLogView::topRowOverflow() const {
  if (!model()) return 0;
  const QModelIndex top = model()->index(verticalScrollBar()->value(), 0);
  if (!top.isValid()) return 0;
  // The viewport reaches rowOffset_ above what is seen (see setRowOffset).
  return std::max(0, visualRect(top).height() - (viewport()->height() - rowOffset_));
}

void ChatLogView::setRowOffset(int pixels) {
  pixels = std::clamp(pixels, 0, topRowOverflow());
  offsetRow_ = verticalScrollBar()->value();
  if (pixels == rowOffset_) return;
  rowOffset_ = pixels;
  following_ = false;  // the range changes under the new margin: not a reason to jump down
  // The viewport moves up under the frame by that much: the top row's first pixels are out of
  // sight, and everything else (painting, hit tests, visualRect) stays in viewport coordinates.
  setViewportMargins(0, -rowOffset_, 0, 0);
  following_ = atBottom();
  if (following_) unseen_ = 0;
  updateJumpButton();
  updateUnreadLine();
}

void ChatLogView::scrollAction(int action) {
  QScrollBar* bar = verticalScrollBar();
  if (bar->isSliderDown() || !model()) return;  // a drag moves by rows
  const int line = fontMetrics().lineSpacing();
  const int page = std::max(line, viewport()->height() - rowOffset_ - line);
  int pixels = 0;
  switch (action) {
    case QAbstractSlider::SliderSingleStepAdd: pixels = line; break;
    case QAbstractSlider::SliderSingleStepSub: pixels = -line; break;
    case QAbstractSlider::SliderPageStepAdd: pixels = page; break;
    case QAbstractSlider::SliderPageStepSub: pixels = -page; break;
    default: break;  // a wheel turn: see wheelEvent()
  }
  if ((pixels > 0 && rowOffset_ < topRowOverflow()) || (pixels < 0 && rowOffset_ > 0)) {
    bar->setSliderPosition(bar->value());  // stay on this row, and scroll within it
    setRowOffset(rowOffset_ + pixels);
    return;
  }
  // Moving by rows: stop at a row taller than the view rather than pass it unread.
  const int from = bar->value();
  int to = bar->sliderPosition();
  const int seen = viewport()->height() - rowOffset_;
  const auto tall = [&](int row) { return rowHeight(model()->index(row, 0)) > seen; };
  for (int row = from + 1; row < to; ++row)
    if (tall(row)) to = row;
  for (int row = from - 1; row > to; --row)
    if (tall(row)) to = row;
  bar->setSliderPosition(to);
  enterFromBelow_ = to < from;  // a tall row above is read from its end up
}

void ChatLogView::wheelEvent(QWheelEvent* event) {
  // In eighths of a degree, up positive: 120 is one notch, which scrolls wheelScrollLines lines.
  const int delta = event->angleDelta().y();
  const int pixels = -delta * QApplication::wheelScrollLines() * fontMetrics().lineSpacing() / 120;
  if ((pixels > 0 && rowOffset_ < topRowOverflow()) || (pixels < 0 && rowOffset_ > 0)) {
    setRowOffset(rowOffset_ + pixels);
    event->accept();
    return;
  }
  QTreeView::wheelEvent(event);  // by rows, through scrollAction()
}

void ChatLogView::updateGeometries() {
  QTreeView::updateGeometries();
  setViewportMargins(0, -rowOffset_, 0, 0);  // QTreeView sets them for its (hidden) header
}

void ChatLogView::showEnd() {
  scrollToBottom();
  setRowOffset(topRowOverflow());
}

void ChatLogView::rowsAboutToBeAdded() { wasFollowing_ = following_; }

void ChatLogView::rowsAdded(int first, int last) {
  // While following, the range change after the (coalesced) layout scrolls down: scrolling here
  // would force one layout per batch.
  if (!wasFollowing_) {
    unseen_ += last - first + 1;
    updateJumpButton();
  }
  auto* log = qobject_cast<ChatLogModel*>(model());
  if (!log) return;
  const bool away = !wasFollowing_ || !window()->isActiveWindow();
  for (int row = first; row <= last; ++row) {
    const LogEntry& e = log->entry(row);
    if (!e.isSpoken() || e.history) continue;
    if (e.own) log->setUnreadMarker(-1);  // they wrote: they have caught up
    else if (away && log->unreadMarkerRow() < 0) log->setUnreadMarker(row);
  }
  updateUnreadLine();
}

void ChatLogView::updateUnreadLine() {
  const auto* log = qobject_cast<const ChatLogModel*>(model());
  if (log && log->unreadMarkerRow() >= 0 && following_ && isVisible() && window()->isActiveWindow()) {
    if (!seen_->isActive()) seen_->start();
  } else {
    seen_->stop();
  }
}

bool ChatLogView::event(QEvent* event) {
  const bool done = QTreeView::event(event);
  // A window's activation reaches its children as these.
  if (event->type() == QEvent::WindowActivate || event->type() == QEvent::WindowDeactivate) updateUnreadLine();
  return done;
}

void ChatLogView::oldRowsAboutToGo(int count) {
  // Per-item scrolling keeps the same row number at the top; while reading back, keep the
  // same message there instead.
  anchorRow_ = following_ ? -1 : std::max(0, verticalScrollBar()->value() - count);
}

void ChatLogView::oldRowsRemoved() {
  if (anchorRow_ < 0) return;
  executeDelayedItemsLayout();  // the scroll range must count the rows that are left
  offsetRow_ = anchorRow_;       // the same place within it, too
  verticalScrollBar()->setValue(anchorRow_);
  anchorRow_ = -1;
}

void ChatLogView::focusInEvent(QFocusEvent* event) {
  // Qt makes the first row current on focus, and finding where row 0 is measures every row
  // between it and the viewport: start from a row on screen instead.
  if (model() && selectionModel() && !currentIndex().isValid() && model()->rowCount() > 0) {
    QModelIndex shown = indexAt(QPoint(1, viewport()->height() - 2));
    if (!shown.isValid()) shown = model()->index(model()->rowCount() - 1, 0);
    selectionModel()->setCurrentIndex(shown, QItemSelectionModel::NoUpdate);
  }
  QTreeView::focusInEvent(event);
}

void ChatLogView::scrollContentsBy(int dx, int dy) {
  QTreeView::scrollContentsBy(dx, dy);
  if (verticalScrollBar()->value() != offsetRow_)
    setRowOffset(std::exchange(enterFromBelow_, false) ? topRowOverflow() : 0);
  enterFromBelow_ = false;
  following_ = atBottom();
  if (following_) unseen_ = 0;
  updateJumpButton();
  updateUnreadLine();
}

void ChatLogView::jumpToLatest() {
  following_ = true;
  unseen_ = 0;
  showEnd();
  updateJumpButton();
  updateUnreadLine();
}

void ChatLogView::updateJumpButton() {
  if (following_ || unseen_ == 0) {
    jumpButton_->hide();
    return;
  }
  jumpButton_->setText(tr("↓ %n new message(s)", nullptr, unseen_));
  jumpButton_->adjustSize();
  const QRect area = viewport()->geometry();
  jumpButton_->move(area.right() - jumpButton_->width() - 12, area.bottom() - jumpButton_->height() - 8);
  jumpButton_->show();
  jumpButton_->raise();
}

void ChatLogView::resizeEvent(QResizeEvent* event) {
  const bool follow = following_;
  QTreeView::resizeEvent(event);
  if (viewport()->width() != lastWidth_) {
    // Wrapped rows change height with the width; drop the measured heights.
    lastWidth_ = viewport()->width();
    scheduleDelayedItemsLayout();
  }
  following_ = follow;
  if (following_) showEnd();
  updateJumpButton();
}

QString ChatLogView::selectedText() const {
  const auto* log = qobject_cast<const ChatLogModel*>(model());
  if (!log || !selectionModel()) return {};
  QList<int> rows;
  for (const QModelIndex& index : selectionModel()->selectedRows()) rows << index.row();
  std::sort(rows.begin(), rows.end());
  QStringList lines;
  lines.reserve(rows.size());
  for (int row : rows) lines << log->plainText(row);
  return lines.join(u'\n');
}

void ChatLogView::copySelection() const {
  const QString text = selectedText();
  if (!text.isEmpty()) QGuiApplication::clipboard()->setText(text);
}

QUrl ChatLogView::linkAt(QPoint pos) const {
  const QModelIndex index = indexAt(pos);
  if (!index.isValid()) return {};
  QStyleOptionViewItem option;
  initViewItemOption(&option);
  option.rect = visualRect(index);
  return delegate_->linkAt(option, index, pos);
}

LogEntry::FileAction ChatLogView::fileActionAt(QPoint pos) const {
  const QModelIndex index = indexAt(pos);
  if (!index.isValid()) return LogEntry::NoFileAction;
  QStyleOptionViewItem option;
  initViewItemOption(&option);
  option.rect = visualRect(index);
  return delegate_->fileActionAt(option, index, pos);
}

QRect ChatLogView::fileActionRect(int row, LogEntry::FileAction action) const {
  const QStyleOptionViewItem option = optionFor(row);
  return option.rect.isEmpty() ? QRect() : delegate_->fileActionRect(option, model()->index(row, 0), action);
}

QStyleOptionViewItem ChatLogView::optionFor(int row) const {
  QStyleOptionViewItem option;
  initViewItemOption(&option);
  option.rect = model() ? visualRect(model()->index(row, 0)) : QRect();
  return option;
}

ChatLogDelegate::Parts ChatLogView::rowParts(int row) const {
  const QStyleOptionViewItem option = optionFor(row);
  return option.rect.isEmpty() ? ChatLogDelegate::Parts{} : delegate_->parts(option, model()->index(row, 0));
}

QRect ChatLogView::thumbnailRect(int row) const {
  const QStyleOptionViewItem option = optionFor(row);
  return option.rect.isEmpty() ? QRect() : delegate_->thumbnailRect(option, model()->index(row, 0));
}

void ChatLogView::keyPressEvent(QKeyEvent* event) {
  if (event->matches(QKeySequence::Copy)) {
    copySelection();
    event->accept();
    return;
  }
  QTreeView::keyPressEvent(event);
}

void ChatLogView::mousePressEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  pressedLink_ = event->button() == Qt::LeftButton ? linkAt(pos) : QUrl();
  pressedAction_ = event->button() == Qt::LeftButton ? fileActionAt(pos) : LogEntry::NoFileAction;
  pressedRow_ = indexAt(pos);
  QTreeView::mousePressEvent(event);
}

void ChatLogView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  viewport()->setCursor(linkAt(pos).isEmpty() && fileActionAt(pos) == LogEntry::NoFileAction ? Qt::ArrowCursor
                                                                                              : Qt::PointingHandCursor);
  QTreeView::mouseMoveEvent(event);
}

void ChatLogView::mouseReleaseEvent(QMouseEvent* event) {
  QTreeView::mouseReleaseEvent(event);
  if (event->button() == Qt::LeftButton && pressedAction_ != LogEntry::NoFileAction) {
    // Only where it was pressed: a button pressed and dragged off does nothing.
    const QPoint pos = event->position().toPoint();
    const LogEntry::FileAction action = pressedAction_;
    pressedAction_ = LogEntry::NoFileAction;
    if (fileActionAt(pos) == action && indexAt(pos) == pressedRow_)
      Q_EMIT fileActionTriggered(pressedRow_.row(), action);
    return;
  }
  if (event->button() != Qt::LeftButton || pressedLink_.isEmpty()) return;
  const QUrl link = linkAt(event->position().toPoint());
  if (link == pressedLink_) Q_EMIT linkActivated(link);
  pressedLink_.clear();
}

QMenu* ChatLogView::createContextMenu(QPoint pos) {
  auto* menu = new QMenu(this);
  const QModelIndex index = indexAt(pos);
  if (index.isValid() && selectionModel() && !selectionModel()->isRowSelected(index.row(), {}))
    selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

  QAction* copy = menu->addAction(tr("&Copy"), this, &ChatLogView::copySelection);
  copy->setObjectName(QStringLiteral("copyAction"));
  copy->setShortcut(QKeySequence::Copy);
  copy->setEnabled(selectionModel() && selectionModel()->hasSelection());
  if (index.isValid()) {
    const QString text = index.data(ChatLogModel::TextRole).toString();
    QAction* copyText = menu->addAction(tr("Copy message &text"), this, [text] {
      QGuiApplication::clipboard()->setText(text);
    });
    copyText->setObjectName(QStringLiteral("copyTextAction"));
  }
  if (const QUrl link = linkAt(pos); !link.isEmpty()) {
    menu->addSeparator();
    QAction* open = menu->addAction(tr("&Open link"), this, [this, link] { Q_EMIT linkActivated(link); });
    open->setObjectName(QStringLiteral("openLinkAction"));
    QAction* copyLink = menu->addAction(tr("Copy &link address"), this, [link] {
      QGuiApplication::clipboard()->setText(link.toString());
    });
    copyLink->setObjectName(QStringLiteral("copyLinkAction"));
  }
  menu->addSeparator();
  QAction* all = menu->addAction(tr("Select &all"), this, &QAbstractItemView::selectAll);
  all->setShortcut(QKeySequence::SelectAll);
  if (!following_) menu->addAction(tr("&Jump to latest"), this, &ChatLogView::jumpToLatest);
  return menu;
}

void ChatLogView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu* menu = createContextMenu(event->pos());  // viewport coordinates
  menu->setAttribute(Qt::WA_DeleteOnClose);
  menu->popup(event->globalPos());
}

}  // namespace chatport::ui
