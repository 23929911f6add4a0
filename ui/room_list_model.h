#pragma once
// The rooms the start dialog lists: those found on the network (chat::RoomFinder), then the
// rooms joined before (chat::rememberedRooms) that are not heard now, greyed. A remembered room
// that answers is one row, the live one (matched by its host's key and port). UI thread only;
// fed whole lists, it keeps rows stable by room so that a selection survives the updates.

#include <chatport/chat/discovery.h>

#include <QAbstractTableModel>
#include <QDateTime>

#include <optional>
#include <vector>

namespace chatport::ui {

class RoomListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { RoomColumn, PeopleColumn, AddressColumn, ColumnCount };

  /// One row: a room heard now, joined before, or both.
  struct Entry {
    std::string id;
    std::optional<chat::FoundRoom> found;
    std::optional<chat::RememberedRoom> remembered;
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  explicit RoomListModel(QObject* parent = nullptr);

  /// The rooms heard as they stand now (RoomFinder::rooms()).
  void setRooms(const std::vector<chat::FoundRoom>& rooms);
  /// The rooms joined before (chat::rememberedRooms()), newest first.
  void setRemembered(const std::vector<chat::RememberedRoom>& rooms);
  const Entry& entry(int row) const { return entries_.at(static_cast<std::size_t>(row)); }
  /// The row of the entry with that id, or -1.
  int rowOf(const std::string& id) const;
  /// Rows of rooms heard now.
  int heardCount() const;

  /// "last joined 2 days ago", as the list says it (now: the time to count from).
  static QString lastJoined(const QDateTime& when, const QDateTime& now);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  void update();

  std::vector<chat::FoundRoom> found_;
  std::vector<chat::RememberedRoom> remembered_;
  std::vector<Entry> entries_;
};

}  // namespace chatport::ui
