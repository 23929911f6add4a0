#include "client_list_model.h"

#include "client_list_delegate.h"
#include "picture_book.h"
#include "sender_palette.h"

#include <QFont>
#include <QGuiApplication>
#include <QHash>
#include <QIcon>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <unordered_set>

namespace chatport::ui {

namespace {

/// A round swatch of the person's colour, as in the chat log.
QIcon makeDot(const QColor& color) {
  return ClientListDelegate::paintedIcon([&color](QPainter& painter, int size) {
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    const qreal inset = size * 0.2;
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset));
  });
}

}  // namespace

ClientListModel::ClientListModel(QObject* parent) : QAbstractListModel(parent) {}

QString ClientListModel::presenceText(chat::Presence presence) {
  switch (presence) {
    case chat::Presence::Available: return tr("Available");
    case chat::Presence::Away: return tr("Away");
    case chat::Presence::Busy: return tr("Busy: notifications off");
  }
  return {};
}

int ClientListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant ClientListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const chat::Participant& p = clients_[static_cast<std::size_t>(index.row())];
  const QString name = QString::fromStdString(p.name);
  const bool isSelf = p.id == self_ && self_ != chat::kNoClient;
  switch (role) {
    case Qt::DisplayRole:
      // The name alone: the host and you are marked by badges the delegate paints
      // (ClientListDelegate), which no name can imitate as text in it could be.
      return name;
    case Qt::AccessibleTextRole: {
      QString text = name;
      if (p.isHost && isSelf) text = tr("%1 (host, you)").arg(name);
      else if (p.isHost) text = tr("%1 (host)").arg(name);
      else if (isSelf) text = tr("%1 (you)").arg(name);
      return p.presence == chat::Presence::Available ? text : tr("%1, %2").arg(text, presenceText(p.presence));
    }
    case Qt::ToolTipRole: {
      QString tip;
      if (isSelf) tip = p.isHost ? tr("This is you, the host of this chat.") : tr("This is you.");
      else if (p.isHost) tip = tr("The host of this chat. Double-click to send “%1” a private message.").arg(name);
      else tip = tr("Double-click to send %1 a private message.").arg(name);
      return p.presence == chat::Presence::Available ? tip : QString(tip + u'\n' + presenceText(p.presence));
    }
    case Qt::DecorationRole: {
      if (pictures_ && pictures_->has(p.id)) return pictures_->icon(p.id);
      const bool dark = SenderPalette::isDark(QGuiApplication::palette().color(QPalette::Base));
      const QColor color = palette_ ? palette_->colorFor(p.id, name, dark) : SenderPalette::colorFor(name, dark);
      auto it = dots_.find(color.rgb());
      if (it == dots_.end()) it = dots_.insert(color.rgb(), makeDot(color));
      return *it;
    }
    case Qt::FontRole:
      if (isSelf || p.isHost) {
        QFont font;
        font.setBold(isSelf);
        font.setItalic(p.isHost && !isSelf);
        return font;
      }
      return {};
    case IdRole: return static_cast<uint>(p.id);
    case NameRole: return name;
    case IsHostRole: return p.isHost;
    case IsSelfRole: return isSelf;
    case PresenceRole: return static_cast<int>(p.presence);
    case SortRole:
      return QString(QString(p.isHost ? u'0' : isSelf ? u'1' : u'2') + name.toCaseFolded());
    default: return {};
  }
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
    return tr("Connected (%1)").arg(count());
  return QAbstractListModel::headerData(section, orientation, role);
}

Qt::ItemFlags ClientListModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ClientListModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names.insert(IdRole, "id");
  names.insert(NameRole, "name");
  names.insert(IsHostRole, "isHost");
  names.insert(IsSelfRole, "isSelf");
  names.insert(PresenceRole, "presence");
  return names;
}

void ClientListModel::setSelf(chat::ClientId self) {
  if (self == self_) return;
  const int oldRow = rowOf(self_);
  self_ = self;
  for (int row : {oldRow, rowOf(self_)})
    if (row >= 0) Q_EMIT dataChanged(index(row), index(row));
}

void ClientListModel::setClients(const std::vector<chat::Participant>& clients) {
  const int before = count();
  std::unordered_set<chat::ClientId> incoming;
  for (const auto& p : clients) incoming.insert(p.id);

  // Remove the people who left, as runs of adjacent rows, from the bottom up.
  for (int row = count() - 1; row >= 0;) {
    if (incoming.count(clients_[static_cast<std::size_t>(row)].id)) {
      --row;
      continue;
    }
    int first = row;
    while (first > 0 && !incoming.count(clients_[static_cast<std::size_t>(first - 1)].id)) --first;
    beginRemoveRows({}, first, row);
    clients_.erase(clients_.begin() + first, clients_.begin() + row + 1);
    endRemoveRows();
    row = first - 1;
  }

  std::vector<chat::Participant> added;
  for (const auto& p : clients) {
    const int row = rowOf(p.id);
    if (row < 0) {
      added.push_back(p);
    } else if (!(clients_[static_cast<std::size_t>(row)] == p)) {
      clients_[static_cast<std::size_t>(row)] = p;
      Q_EMIT dataChanged(index(row), index(row));
    }
  }
  if (!added.empty()) {
    beginInsertRows({}, count(), count() + static_cast<int>(added.size()) - 1);
    clients_.insert(clients_.end(), added.begin(), added.end());
    endInsertRows();
  }
  if (count() != before) Q_EMIT headerDataChanged(Qt::Horizontal, 0, 0);
}

void ClientListModel::clear() {
  if (clients_.empty()) return;
  beginResetModel();
  clients_.clear();
  endResetModel();
  Q_EMIT headerDataChanged(Qt::Horizontal, 0, 0);
}

const chat::Participant* ClientListModel::find(chat::ClientId id) const {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &clients_[static_cast<std::size_t>(row)];
}

QString ClientListModel::nameOf(chat::ClientId id) const {
  const chat::Participant* p = find(id);
  return p ? QString::fromStdString(p->name) : QString();
}

void ClientListModel::pictureChanged(chat::ClientId id) {
  if (const int row = rowOf(id); row >= 0) Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole});
}

int ClientListModel::rowOf(chat::ClientId id) const {
  const auto it = std::find_if(clients_.begin(), clients_.end(),
                               [id](const chat::Participant& p) { return p.id == id; });
  return it == clients_.end() ? -1 : static_cast<int>(it - clients_.begin());
}

}  // namespace chatport::ui
