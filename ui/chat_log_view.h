#pragma once
// Shows a ChatLogModel: follows new rows while the reader is at the bottom and stays put while
// they read back (with a button that counts what is new), copies selected rows (Ctrl+C, context
// menu), opens links on click. Where the reader left off, it puts the unread line: above the
// first message from someone else that arrives while the window is not active or the reader is
// scrolled up (once, until it goes); it goes once they have seen what follows (window active
// and at the bottom for kSeenMs) or when they write. A QTreeView scrolling per item measures
// only the rows it shows, so a log of 100,000 rows costs no more to lay out than a screenful; a
// message taller than the view is scrolled through line by line all the same (see
// rowOffset()). UI thread only.

#include "chat_log_delegate.h"
#include "log_entry.h"

#include <QTreeView>
#include <QUrl>

class QTimer;
class QToolButton;
class QMenu;

namespace chatport::ui {

class PictureBook;
class SenderPalette;

class ChatLogView : public QTreeView {
  Q_OBJECT

 public:
  /// How long the reader is at the bottom of the active window before the unread line goes.
  static constexpr int kSeenMs = 1500;

  explicit ChatLogView(QWidget* parent = nullptr);

  void setModel(QAbstractItemModel* model) override;
  /// The session's colours for the names in the log (it outlives the view).
  void setSenderPalette(const SenderPalette* palette);
  /// The session's pictures (they outlive the view), shown instead of initials.
  void setPictureBook(const PictureBook* pictures);

  /// True while new rows scroll into view.
  bool isFollowing() const { return following_; }
  /// Rows added since the reader scrolled away from the bottom.
  int unseenRows() const { return unseen_; }
  /// How far the top row, when it is taller than the view, is scrolled past (pixels). The
  /// scroll bar moves per item; within such a row, steps move per pixel instead.
  int rowOffset() const { return rowOffset_; }

  /// The selected rows' text, oldest first, one per line.
  QString selectedText() const;
  void copySelection() const;
  /// The link shown at pos (viewport coordinates), if any.
  QUrl linkAt(QPoint pos) const;
  /// What a click at pos (viewport coordinates) does to a file offer, if anything.
  LogEntry::FileAction fileActionAt(QPoint pos) const;
  /// Where a File row shows the button for action (viewport coordinates); null if it does not.
  QRect fileActionRect(int row, LogEntry::FileAction action) const;
  /// Where a File row shows a received image's thumbnail (a click opens it); null if it does not.
  QRect thumbnailRect(int row) const;
  /// Where a row shows its avatar, its own text, its date line and its unread line (viewport
  /// coordinates); each null where it shows none, all while the row is off screen.
  ChatLogDelegate::Parts rowParts(int row) const;
  /// The context menu for a click at pos (viewport coordinates); public so tests can use it.
  QMenu* createContextMenu(QPoint pos);

 public Q_SLOTS:
  void jumpToLatest();

 Q_SIGNALS:
  void linkActivated(const QUrl& url);
  /// A file offer's button (or thumbnail) was clicked; row: the log model's.
  void fileActionTriggered(int row, chatport::ui::LogEntry::FileAction action);

 protected:
  bool event(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;
  void wheelEvent(QWheelEvent* event) override;
  void updateGeometries() override;

 private:
  bool atBottom() const;
  /// The top row's height past what the view shows of it: how far rowOffset_ may go.
  int topRowOverflow() const;
  void setRowOffset(int pixels);
  /// A scroll bar step, page or wheel turn: within a row taller than the view, per pixel.
  void scrollAction(int action);
  /// At the last row: its end in view, however tall it is.
  void showEnd();
  void rowsAboutToBeAdded();
  void rowsAdded(int first, int last);
  /// Starts the wait after which the unread line goes while it is seen; stops it otherwise.
  void updateUnreadLine();
  QStyleOptionViewItem optionFor(int row) const;
  void oldRowsAboutToGo(int count);
  void oldRowsRemoved();
  void updateJumpButton();

  ChatLogDelegate* delegate_;
  QToolButton* jumpButton_;
  QTimer* seen_;  // runs while the unread line is in sight of an active window
  QUrl pressedLink_;
  LogEntry::FileAction pressedAction_ = LogEntry::NoFileAction;
  QPersistentModelIndex pressedRow_;
  bool following_ = true;
  bool wasFollowing_ = true;  // captured before an insertion
  int unseen_ = 0;
  int anchorRow_ = -1;  // the row to keep at the top while old rows go
  int lastWidth_ = -1;
  int rowOffset_ = 0;
  int offsetRow_ = -1;          // the row rowOffset_ belongs to
  bool enterFromBelow_ = false;  // scrolling up into a tall row shows its end first
};

}  // namespace chatport::ui
