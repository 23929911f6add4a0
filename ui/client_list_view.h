#pragma once
// The connected-client list, sorted (host first, then you, then by name). Double-click a name
// to message that person privately; the host's context menu can remove someone, or remove and
// ban them (their key may not come back while the room lasts), or lift their rate limit. Files
// and folders dropped on a
// person are offered to them. Set a
// ClientListModel with setSourceModel. UI thread only.

#include <chatport/chat/types.h>

#include <QSet>
#include <QTreeView>

class QMenu;
class QSortFilterProxyModel;

namespace chatport::ui {

class ClientListModel;

class ClientListView : public QTreeView {
  Q_OBJECT

 public:
  explicit ClientListView(QWidget* parent = nullptr);

  void setSourceModel(ClientListModel* model);
  /// Whether this window's user may remove people (they host).
  void setCanKick(bool canKick) { canKick_ = canKick; }
  /// Host: whether id may send without the room's rate limit (a tick in its menu).
  void setExempt(chat::ClientId id, bool exempt);

  /// The view's index of the person with this id, if listed.
  QModelIndex indexOf(chat::ClientId id) const;
  /// The context menu for the row at pos (viewport coordinates), nullptr if there is none;
  /// public so tests can trigger its actions.
  QMenu* createContextMenu(QPoint pos);

 Q_SIGNALS:
  void privateMessageRequested(chatport::chat::ClientId id);
  void kickRequested(chatport::chat::ClientId id);
  void banRequested(chatport::chat::ClientId id);
  /// Host: lift id's rate limit (exempt), or put it back.
  void exemptRequested(chatport::chat::ClientId id, bool exempt);
  /// Local files or folders were dropped on someone (never on this window's user).
  void filesDropped(chatport::chat::ClientId id, const QStringList& paths);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void activate(const QModelIndex& index);
  /// Who a drop at pos (viewport coordinates) would go to, or kNoClient.
  chat::ClientId dropTarget(QPoint pos) const;

  QSortFilterProxyModel* proxy_;
  bool canKick_ = false;
  QSet<chat::ClientId> exempt_;
};

}  // namespace chatport::ui
