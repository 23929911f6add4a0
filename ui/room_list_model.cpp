#include "room_list_model.h"

#include "event_text.h"

#include <QString>

#include <algorithm>

namespace chatport::ui {

RoomListModel::RoomListModel(QObject* parent) : QAbstractTableModel(parent) {}

void RoomListModel::setRooms(const std::vector<chat::FoundRoom>& rooms) {
  // Rows removed, then changed in place, then added: views keep their selection and scroll.
  for (int row = rowCount() - 1; row >= 0; --row) {
    const auto& id = rooms_[static_cast<std::size_t>(row)].id;
    const bool kept = std::any_of(rooms.begin(), rooms.end(), [&](const auto& r) { return r.id == id; });
    if (kept) continue;
    beginRemoveRows({}, row, row);
    rooms_.erase(rooms_.begin() + row);
    endRemoveRows();
  }
  for (const auto& room : rooms) {
    const int row = rowOf(room.id);
    if (row >= 0) {
      auto& mine = rooms_[static_cast<std::size_t>(row)];
      if (mine != room) {
        mine = room;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
      }
      continue;
    }
    beginInsertRows({}, rowCount(), rowCount());
    rooms_.push_back(room);
    endInsertRows();
  }
}

int RoomListModel::rowOf(const std::string& id) const {
  for (std::size_t i = 0; i < rooms_.size(); ++i)
    if (rooms_[i].id == id) return static_cast<int>(i);
  return -1;
}

int RoomListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rooms_.size());
}

int RoomListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RoomListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& room = rooms_[static_cast<std::size_t>(index.row())];
  const QString name = QString::fromStdString(room.displayName());
  const QString address =
      EventText::endpoint(QString::fromStdString(room.addresses.front()), room.port);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case RoomColumn:
          // U+1F512 (lock) marks a room that needs a password.
          return room.passwordRequired ? name + QStringLiteral(" \U0001F512") : name;
        case PeopleColumn: return QString::number(room.people);
        case AddressColumn: return address;
        default: return {};
      }
    case Qt::ToolTipRole:
      return tr("Hosted by %1 at %2\nHost's key: %3%4")
          .arg(QString::fromStdString(room.hostName), address, QString::fromStdString(room.fingerprint),
               room.passwordRequired ? u'\n' + tr("Needs the room's password") : QString());
    case Qt::AccessibleTextRole:
      return tr("%1, %n people, %2", nullptr, static_cast<int>(room.people))
          .arg(name, room.passwordRequired ? tr("needs a password") : tr("open"));
    case Qt::TextAlignmentRole:
      return index.column() == PeopleColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default: return {};
  }
}

QVariant RoomListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case RoomColumn: return tr("Room");
    case PeopleColumn: return tr("People");
    case AddressColumn: return tr("Address");
    default: return {};
  }
}

}  // namespace chatport::ui
