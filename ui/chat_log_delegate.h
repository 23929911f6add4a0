#pragma once
// Draws one chat log row. A message that starts a group (ChatLogModel::ContinuesGroupRole
// false) shows the sender's avatar (Avatar) at the left and their name in their colour (with
// the host's badge, NameBadge, painted after the host's name) and the time above the text; the
// rest of the group shows only its text, indented under it. Other rows show the time at the
// left and their line: private messages, system and error lines styled as such, a file offer
// with a card under its line (icon or thumbnail, name, size, where it stands, and its buttons).
// Own and private messages are set apart by a tint and a bar. Above a row, a date line starts
// a new day and the unread line marks where the reader left off. UI thread only.

#include "log_entry.h"

#include <QDate>
#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>
#include <QUrl>

#include <memory>

class QTextLayout;

namespace chatport::ui {

class PictureBook;
class SenderPalette;

class ChatLogDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  struct Link {
    int start = 0;   ///< in the text, in UTF-16 code units
    int length = 0;
    QUrl url;
  };
  /// http(s)://, ftp:// and www. links in text, without trailing punctuation.
  static QList<Link> findLinks(const QString& text);

  explicit ChatLogDelegate(QObject* parent = nullptr);
  ~ChatLogDelegate() override;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                 const QModelIndex& index) override;

  /// The link under pos (view viewport coordinates) in the row drawn at option.rect.
  QUrl linkAt(const QStyleOptionViewItem& option, const QModelIndex& index, QPoint pos) const;
  /// Where the row drawn at option.rect shows the host's badge; null if it shows none.
  QRect hostBadgeRect(const QStyleOptionViewItem& option, const QModelIndex& index) const;
  /// What a click at pos does in a File row (a button, or its thumbnail: Open); NoFileAction
  /// elsewhere.
  LogEntry::FileAction fileActionAt(const QStyleOptionViewItem& option, const QModelIndex& index, QPoint pos) const;
  /// Where a File row drawn at option.rect shows the button for action; null if it shows none.
  QRect fileActionRect(const QStyleOptionViewItem& option, const QModelIndex& index, LogEntry::FileAction action) const;
  /// Where a File row shows its thumbnail; null if it has none.
  QRect thumbnailRect(const QStyleOptionViewItem& option, const QModelIndex& index) const;
  /// What the row drawn at option.rect shows where: its avatar (null if none), the first line of
  /// its own text, its date line and its unread line (null if it has none).
  struct Parts {
    QRect avatar;
    QRect text;
    QRect dayLine;
    QRect unreadLine;
  };
  Parts parts(const QStyleOptionViewItem& option, const QModelIndex& index) const;
  /// The date line's words for a local day: "Today", "Yesterday", else the date.
  static QString dayText(QDate day, QDate today);
  /// The unread line's words.
  static QString unreadText();
  /// The session's colours (it outlives the delegate); without one, colours come from names.
  void setSenderPalette(const SenderPalette* palette) { palette_ = palette; }
  /// The session's pictures (they outlive the delegate): a sender with one shows it instead of
  /// their initials.
  void setPictureBook(const PictureBook* pictures) { pictures_ = pictures; }

 private:
  struct RowLayout;
  RowLayout layoutRow(const QStyleOptionViewItem& option, const QModelIndex& index, QPoint topLeft,
                      int width, bool selected) const;
  static int rowWidth(const QStyleOptionViewItem& option);
  /// A person's colour: the session's, or by name without one.
  QColor colorOf(chat::ClientId id, const QString& name, bool dark) const;
  /// A File row's card, under its line at at, width wide.
  static void layoutCard(RowLayout& row, const LogEntry& e, const QStyleOptionViewItem& option, QPoint at, int width);
  /// The unread and date lines above a row.
  static void paintLines(QPainter* painter, const RowLayout& row, const LogEntry& e,
                         const QStyleOptionViewItem& option);
  static void paintCard(QPainter* painter, const RowLayout& row, const LogEntry& e, const QStyleOptionViewItem& option,
                        bool selected);

  const SenderPalette* palette_ = nullptr;
  const PictureBook* pictures_ = nullptr;
  // Measured heights by row serial, for the width and font they were measured at: a view
  // measures a row again after every layout, and walking far from the viewport (keyboard
  // navigation, the current row) must not lay out the same text twice.
  mutable QHash<quint64, int> heights_;
  mutable int heightsWidth_ = -1;
  mutable QFont heightsFont_;
};

}  // namespace chatport::ui
