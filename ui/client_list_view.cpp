#include "client_list_view.h"

#include "client_list_delegate.h"
#include "client_list_model.h"
#include "dropped_files.h"

#include <QContextMenuEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>

namespace chatport::ui {

ClientListView::ClientListView(QWidget* parent)
    : QTreeView(parent), proxy_(new QSortFilterProxyModel(this)) {
  setObjectName(QStringLiteral("clientList"));
  setItemDelegate(new ClientListDelegate(this));
  proxy_->setSortRole(ClientListModel::SortRole);
  proxy_->setDynamicSortFilter(true);
  setRootIsDecorated(false);
  setItemsExpandable(false);
  setUniformRowHeights(true);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  header()->setStretchLastSection(true);
  header()->setSectionsClickable(false);
  setAccessibleName(tr("People in the chat"));
  // Double-click (not "activated", which some styles fire on a single click).
  connect(this, &QAbstractItemView::doubleClicked, this, &ClientListView::activate);
  // The viewport takes the drops, so they come in its coordinates (as indexAt wants them).
  setAcceptDrops(true);
  viewport()->setAcceptDrops(true);
  setDropIndicatorShown(false);
}

void ClientListView::setSourceModel(ClientListModel* model) {
  proxy_->setSourceModel(model);
  setModel(proxy_);
  proxy_->sort(0);
}

QModelIndex ClientListView::indexOf(chat::ClientId id) const {
  for (int row = 0; row < proxy_->rowCount(); ++row) {
    const QModelIndex index = proxy_->index(row, 0);
    if (index.data(ClientListModel::IdRole).toUInt() == id) return index;
  }
  return {};
}

void ClientListView::activate(const QModelIndex& index) {
  if (!index.isValid() || index.data(ClientListModel::IsSelfRole).toBool()) return;
  Q_EMIT privateMessageRequested(index.data(ClientListModel::IdRole).toUInt());
}

QMenu* ClientListView::createContextMenu(QPoint pos) {
  const QModelIndex index = indexAt(pos);
  if (!index.isValid()) return nullptr;
  const chat::ClientId id = index.data(ClientListModel::IdRole).toUInt();
  const QString name = index.data(ClientListModel::NameRole).toString();
  const bool isSelf = index.data(ClientListModel::IsSelfRole).toBool();
  auto* menu = new QMenu(this);
  menu->setToolTipsVisible(true);
  QAction* message = menu->addAction(tr("Send a &private message to %1").arg(name), this,
                                     [this, id] { Q_EMIT privateMessageRequested(id); });
  message->setObjectName(QStringLiteral("privateMessageAction"));
  message->setEnabled(!isSelf);
  if (canKick_ && !isSelf) {
    menu->addSeparator();
    QAction* kick = menu->addAction(tr("&Remove %1 from the chat").arg(name), this,
                                    [this, id] { Q_EMIT kickRequested(id); });
    kick->setObjectName(QStringLiteral("kickAction"));
    QAction* ban = menu->addAction(tr("Remove and &ban %1").arg(name), this, [this, id] { Q_EMIT banRequested(id); });
    ban->setObjectName(QStringLiteral("banAction"));
    ban->setToolTip(tr("%1 can't join this room again under any name, until you let them.").arg(name));
    QAction* exempt = menu->addAction(tr("No rate &limit for %1").arg(name));
    exempt->setObjectName(QStringLiteral("exemptAction"));
    exempt->setCheckable(true);
    exempt->setChecked(exempt_.contains(id));
    exempt->setToolTip(tr("%1 may send as fast as they like (a bot, say), even after reconnecting, while this room lasts.").arg(name));
    connect(exempt, &QAction::toggled, this, [this, id](bool on) { Q_EMIT exemptRequested(id, on); });
  }
  return menu;
}

void ClientListView::setExempt(chat::ClientId id, bool exempt) {
  if (exempt)
    exempt_.insert(id);
  else
    exempt_.remove(id);
}

chat::ClientId ClientListView::dropTarget(QPoint pos) const {
  const QModelIndex index = indexAt(pos);
  if (!index.isValid() || index.data(ClientListModel::IsSelfRole).toBool()) return chat::kNoClient;
  return index.data(ClientListModel::IdRole).toUInt();
}

void ClientListView::dragEnterEvent(QDragEnterEvent* event) {
  // Accepted here so that moves over the rows are asked about (dragMoveEvent picks the person).
  if (droppedFiles(event->mimeData()).isEmpty()) {
    event->ignore();
    return;
  }
  event->acceptProposedAction();
}

void ClientListView::dragMoveEvent(QDragMoveEvent* event) {
  const QPoint pos = event->position().toPoint();
  if (dropTarget(pos) == chat::kNoClient) {
    event->ignore(visualRect(indexAt(pos)));
    return;
  }
  setCurrentIndex(indexAt(pos));  // shows whom it goes to
  event->acceptProposedAction();
}

void ClientListView::dropEvent(QDropEvent* event) {
  const chat::ClientId id = dropTarget(event->position().toPoint());
  const QStringList paths = droppedFiles(event->mimeData());
  if (id == chat::kNoClient || paths.isEmpty()) {
    event->ignore();
    return;
  }
  event->acceptProposedAction();
  Q_EMIT filesDropped(id, paths);
}

void ClientListView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu* menu = createContextMenu(event->pos());  // viewport coordinates
  if (!menu) return;
  menu->setAttribute(Qt::WA_DeleteOnClose);
  menu->popup(event->globalPos());
}

}  // namespace chatport::ui
