#pragma once
// Draws one chat log row: time, the sender's name in their colour (with the host's badge,
// NameBadge, painted after the host's name), the wrapped text with its links; own and private
// messages set apart, system and error lines styled as such; a file offer as a card under its
// line (icon or thumbnail, name, size, where it stands, and its buttons). UI thread only.

#include "log_entry.h"

#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>
#include <QUrl>

#include <memory>

class QTextLayout;

namespace chatport::ui {

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
  /// The session's colours (it outlives the delegate); without one, colours come from names.
  void setSenderPalette(const SenderPalette* palette) { palette_ = palette; }

 private:
  struct RowLayout;
  RowLayout layoutRow(const QStyleOptionViewItem& option, const QModelIndex& index, QPoint topLeft,
                      int width, bool selected) const;
  static int rowWidth(const QStyleOptionViewItem& option);
  /// A File row's card, under its line at at, width wide.
  static void layoutCard(RowLayout& row, const LogEntry& e, const QStyleOptionViewItem& option, QPoint at, int width);
  static void paintCard(QPainter* painter, const RowLayout& row, const LogEntry& e, const QStyleOptionViewItem& option,
                        bool selected);

  // Measured heights by row serial, for the width and font they were measured at: a view
  // measures a row again after every layout, and walking far from the viewport (keyboard
  // navigation, the current row) must not lay out the same text twice.
  const SenderPalette* palette_ = nullptr;
  mutable QHash<quint64, int> heights_;
  mutable int heightsWidth_ = -1;
  mutable QFont heightsFont_;
};

}  // namespace chatport::ui
