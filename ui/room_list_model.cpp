#include "room_list_model.h"

#include "event_text.h"

#include <QApplication>
#include <QLocale>
#include <QPalette>
#include <QString>

#include <algorithm>

namespace chatport::ui {
namespace {

bool sameRoom(const chat::FoundRoom& found, const chat::RememberedRoom& remembered) {
  return found.hostKey == remembered.hostKey && found.port == remembered.port;
}

QDateTime timeOf(const chat::RememberedRoom& room) {
  return QDateTime::fromSecsSinceEpoch(
      std::chrono::duration_cast<std::chrono::seconds>(room.lastJoined.time_since_epoch()).count());
}

}  // namespace

RoomListModel::RoomListModel(QObject* parent) : QAbstractTableModel(parent) {}

void RoomListModel::setRooms(const std::vector<chat::FoundRoom>& rooms) {
  found_ = rooms;
  update();
}

void RoomListModel::setRemembered(const std::vector<chat::RememberedRoom>& rooms) {
  remembered_ = rooms;
  update();
}

void RoomListModel::update() {
  std::vector<Entry> wanted;
  for (const auto& room : found_) {
    Entry e{room.id, room, std::nullopt};
    for (const auto& r : remembered_)
      if (sameRoom(room, r)) {
        e.remembered = r;
        break;
      }
    wanted.push_back(std::move(e));
  }
  for (const auto& r : remembered_) {
    const bool heard = std::any_of(found_.begin(), found_.end(), [&](const auto& f) { return sameRoom(f, r); });
    if (!heard) wanted.push_back(Entry{"joined " + r.address + " " + std::to_string(r.port), std::nullopt, r});
  }

  // Rows removed, then changed in place, then added: views keep their selection and scroll.
  for (int row = rowCount() - 1; row >= 0; --row) {
    const auto& id = entries_[static_cast<std::size_t>(row)].id;
    if (std::any_of(wanted.begin(), wanted.end(), [&](const Entry& e) { return e.id == id; })) continue;
    beginRemoveRows({}, row, row);
    entries_.erase(entries_.begin() + row);
    endRemoveRows();
  }
  for (auto& e : wanted) {
    const int row = rowOf(e.id);
    if (row >= 0) {
      auto& mine = entries_[static_cast<std::size_t>(row)];
      if (mine != e) {
        mine = std::move(e);
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
      }
      continue;
    }
    // The rooms heard come before the ones only remembered.
    int at = rowCount();
    if (e.found)
      at = static_cast<int>(std::find_if(entries_.begin(), entries_.end(), [](const Entry& x) { return !x.found; }) -
                            entries_.begin());
    beginInsertRows({}, at, at);
    entries_.insert(entries_.begin() + at, std::move(e));
    endInsertRows();
  }
}

int RoomListModel::rowOf(const std::string& id) const {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].id == id) return static_cast<int>(i);
  return -1;
}

int RoomListModel::heardCount() const {
  return static_cast<int>(std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.found.has_value(); }));
}

QString RoomListModel::lastJoined(const QDateTime& when, const QDateTime& now) {
  const qint64 seconds = std::max<qint64>(0, when.secsTo(now));
  const int days = static_cast<int>(when.date().daysTo(now.date()));
  if (seconds < 60) return tr("last joined just now");
  if (seconds < 3600) return tr("last joined %n minute(s) ago", nullptr, static_cast<int>(seconds / 60));
  if (days == 0) return tr("last joined %n hour(s) ago", nullptr, static_cast<int>(seconds / 3600));
  if (days == 1) return tr("last joined yesterday");
  if (days < 60) return tr("last joined %n day(s) ago", nullptr, days);
  return tr("last joined on %1").arg(QLocale().toString(when.date(), QLocale::ShortFormat));
}

int RoomListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

int RoomListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RoomListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Entry& e = entries_[static_cast<std::size_t>(index.row())];
  if (!e.found) {
    // Joined before, not heard now: greyed, with when it was last joined.
    const auto& room = *e.remembered;
    const QString name = QString::fromStdString(room.hostName);
    const QString address = EventText::endpoint(QString::fromStdString(room.address), room.port);
    const QString when = lastJoined(timeOf(room), QDateTime::currentDateTime());
    switch (role) {
      case Qt::DisplayRole:
        switch (index.column()) {
          case RoomColumn: return tr("%1 · not found now, %2").arg(name, when);
          case PeopleColumn: return QStringLiteral("–");
          case AddressColumn: return address;
          default: return {};
        }
      case Qt::ForegroundRole: return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
      case Qt::ToolTipRole:
        return tr("Joined before (%1), not heard on the network now: it may be off, or beyond what "
                  "ChatPort can hear. Double-click to try to join it at %2.\nHost's key: %3\n"
                  "Delete forgets it.")
            .arg(when, address, QString::fromStdString(room.fingerprint));
      case Qt::AccessibleTextRole: return tr("%1, not found now, %2").arg(name, when);
      case Qt::TextAlignmentRole:
        return index.column() == PeopleColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
      default: return {};
    }
  }
  const auto& room = *e.found;
  const QString name = QString::fromStdString(room.displayName());
  const QString address = EventText::endpoint(QString::fromStdString(room.addresses.front()), room.port);
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
