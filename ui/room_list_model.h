#pragma once
// The rooms found on the network (chat::RoomFinder), as the start dialog lists them: room,
// people, whether it needs a password, where. UI thread only; fed whole lists, it keeps rows
// stable by room so that a selection survives the updates.

#include <chatport/chat/discovery.h>

#include <QAbstractTableModel>

#include <vector>

namespace chatport::ui {

class RoomListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { RoomColumn, PeopleColumn, AddressColumn, ColumnCount };

  explicit RoomListModel(QObject* parent = nullptr);

  /// The rooms as they stand now (RoomFinder::rooms()).
  void setRooms(const std::vector<chat::FoundRoom>& rooms);
  const chat::FoundRoom& room(int row) const { return rooms_.at(static_cast<std::size_t>(row)); }
  /// The row of the room with that id, or -1.
  int rowOf(const std::string& id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<chat::FoundRoom> rooms_;
};

}  // namespace chatport::ui
