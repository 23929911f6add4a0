#pragma once
// Draws one row of the client list: the person's colour with their presence marked on it (a
// green dot: available; an amber crescent: away; a red dot with a bar: busy), their name
// (elided to leave room), and the badges after it, "host" and "you" (NameBadge), painted, so that no name can pass for
// the host's. The tooltip over a badge says what it means. UI thread only.

#include "name_badge.h"

#include <chatport/chat/types.h>

#include <QIcon>
#include <QStyledItemDelegate>

#include <functional>

#include <vector>

namespace chatport::ui {

class ClientListDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  explicit ClientListDelegate(QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                 const QModelIndex& index) override;

  struct Badge {
    NameBadge::Kind kind;
    QRect rect;
  };
  /// The presence mark's colour, and where the row drawn at option.rect shows it.
  static QColor presenceColor(chat::Presence presence);
  /// An icon at the sizes a list and a status bar ask for (12 to 32 pixels), each drawn by
  /// paint(painter, size) on a transparent square, antialiased.
  static QIcon paintedIcon(const std::function<void(QPainter&, int)>& paint);
  /// Paints the mark for presence in rect, ringed (and cut) in the background colour ring.
  static void paintPresence(QPainter* painter, const QRect& rect, chat::Presence presence, const QColor& ring);
  QRect presenceMark(const QStyleOptionViewItem& option, const QModelIndex& index) const;
  /// Where the row drawn at option.rect shows its badges, and the name as drawn (elided).
  std::vector<Badge> badges(const QStyleOptionViewItem& option, const QModelIndex& index,
                            QString* shownName = nullptr) const;
};

}  // namespace chatport::ui
