#include "chat_log_model.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace chatport::ui {

using namespace Qt::Literals::StringLiterals;

ChatLogModel::ChatLogModel(QObject* parent) : QAbstractListModel(parent) {}

int ChatLogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ChatLogModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  const LogEntry& e = row.entry;
  switch (role) {
    case Qt::DisplayRole: return plainText(index.row());
    case Qt::ToolTipRole:
      return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs), QLocale::LongFormat);
    case Qt::AccessibleTextRole: return plainText(index.row());
    case KindRole: return static_cast<int>(e.kind);
    case OwnRole: return e.own;
    case SenderRole: return e.sender;
    case SenderIdRole: return static_cast<uint>(e.senderId);
    case RecipientRole: return e.recipient;
    case TimeRole: return QDateTime::fromMSecsSinceEpoch(e.timeMs);
    case TextRole: return e.text;
    case SeqRole: return static_cast<qulonglong>(e.seq);
    case SerialRole: return static_cast<qulonglong>(row.serial);
    case SenderIsHostRole: return e.senderIsHost;
    case RecipientIsHostRole: return e.recipientIsHost;
    case ContinuesGroupRole: return continuesGroup(index.row());
    case StartsDayRole: return e.startsDay;
    case UnreadMarkerRole: return unreadSerial_ != 0 && row.serial == unreadSerial_;
    default: return {};
  }
}

Qt::ItemFlags ChatLogModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ChatLogModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names.insert(KindRole, "kind");
  names.insert(OwnRole, "own");
  names.insert(SenderRole, "sender");
  names.insert(SenderIdRole, "senderId");
  names.insert(RecipientRole, "recipient");
  names.insert(TimeRole, "time");
  names.insert(TextRole, "text");
  names.insert(SeqRole, "seq");
  names.insert(SerialRole, "serial");
  names.insert(SenderIsHostRole, "senderIsHost");
  names.insert(RecipientIsHostRole, "recipientIsHost");
  names.insert(ContinuesGroupRole, "continuesGroup");
  names.insert(StartsDayRole, "startsDay");
  names.insert(UnreadMarkerRole, "unreadMarker");
  return names;
}

void ChatLogModel::append(std::vector<LogEntry> entries) {
  if (entries.empty()) return;
  // Past the limit, keep only the newest rows of the batch, then make room for them.
  const auto limit = static_cast<std::size_t>(maximumRows_);
  if (entries.size() > limit)
    entries.erase(entries.begin(), entries.end() - static_cast<std::ptrdiff_t>(limit));
  const std::size_t over = rows_.size() + entries.size();
  if (over > limit) dropOldest(static_cast<int>(over - limit));

  const int first = static_cast<int>(rows_.size());
  beginInsertRows({}, first, first + static_cast<int>(entries.size()) - 1);
  for (LogEntry& e : entries) {
    placeAfterPrevious(e);
    rows_.push_back(Row{std::move(e), nextSerial_++});
  }
  endInsertRows();
}

void ChatLogModel::placeAfterPrevious(LogEntry& e) {
  e.startsDay = false;
  if (e.isSpoken()) {
    const qint64 day = localDay(e.timeMs);
    e.startsDay = day != lastSpokenDay_;
    lastSpokenDay_ = day;
  }
  // Minutes since the epoch: the same in local time wherever offsets are whole minutes.
  const auto minute = [](qint64 ms) { return ms >= 0 ? ms / 60'000 : (ms - 59'999) / 60'000; };
  const LogEntry* before = rows_.empty() ? nullptr : &rows_.back().entry;
  e.continuesGroup = e.kind == LogEntry::Kind::Message && !e.startsDay && before &&
                     before->kind == LogEntry::Kind::Message && before->own == e.own &&
                     before->history == e.history && before->senderId == e.senderId &&
                     minute(before->timeMs) == minute(e.timeMs) && before->sender == e.sender;
}

qint64 ChatLogModel::localDay(qint64 timeMs) {
  if (dayNumber_ < 0 || timeMs < dayStartMs_ || timeMs >= dayEndMs_) {
    const QDate date = QDateTime::fromMSecsSinceEpoch(timeMs).date();
    dayNumber_ = date.toJulianDay();
    dayStartMs_ = date.startOfDay().toMSecsSinceEpoch();
    dayEndMs_ = date.addDays(1).startOfDay().toMSecsSinceEpoch();
  }
  return dayNumber_;
}

void ChatLogModel::setUnreadMarker(int row) {
  const quint64 serial = row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].serial : 0;
  if (serial == unreadSerial_) return;
  const int was = unreadMarkerRow();
  unreadSerial_ = serial;
  for (int changed : {was, serial ? row : -1}) {
    if (changed < 0) continue;
    const QModelIndex at = index(changed);
    Q_EMIT dataChanged(at, at, {UnreadMarkerRole});
  }
}

void ChatLogModel::append(LogEntry entry) {
  std::vector<LogEntry> one;
  one.push_back(std::move(entry));
  append(std::move(one));
}

int ChatLogModel::rowOfSerial(quint64 serial) const {
  // Serials grow by one per row and rows only go from the front: the row is an offset.
  if (rows_.empty() || serial < rows_.front().serial || serial > rows_.back().serial) return -1;
  return static_cast<int>(serial - rows_.front().serial);
}

void ChatLogModel::update(int row, const std::function<void(LogEntry&)>& change) {
  if (row < 0 || row >= rowCount()) return;
  change(rows_[static_cast<std::size_t>(row)].entry);
  const QModelIndex at = index(row);
  Q_EMIT dataChanged(at, at);
}

void ChatLogModel::clear() {
  if (rows_.empty()) return;
  beginResetModel();
  rows_.clear();
  unreadSerial_ = 0;
  lastSpokenDay_ = -1;
  endResetModel();
}

void ChatLogModel::setMaximumRows(int rows) {
  maximumRows_ = std::max(1, rows);
  if (rowCount() > maximumRows_) dropOldest(rowCount() - maximumRows_);
}

void ChatLogModel::dropOldest(int count) {
  count = std::min(count, rowCount());
  if (count <= 0) return;
  beginRemoveRows({}, 0, count - 1);
  rows_.erase(rows_.begin(), rows_.begin() + count);
  endRemoveRows();
}

QString ChatLogModel::plainText(int row) const {
  const LogEntry& e = entry(row);
  const QString time = QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs).time(),
                                          QLocale::ShortFormat);
  switch (e.kind) {
    case LogEntry::Kind::Message: return u"[%1] %2: %3"_s.arg(time, e.sender, e.text);
    case LogEntry::Kind::Private:
      return tr("[%1] %2 → %3 (private): %4").arg(time, e.sender, e.recipient, e.text);
    case LogEntry::Kind::System: return u"[%1] * %2"_s.arg(time, e.text);
    case LogEntry::Kind::Error: return u"[%1] ! %2"_s.arg(time, e.text);
    case LogEntry::Kind::File:
      return e.fileStatus.isEmpty() ? u"[%1] %2: %3"_s.arg(time, e.text, e.fileName)
                                    : u"[%1] %2: %3 (%4)"_s.arg(time, e.text, e.fileName, e.fileStatus);
  }
  return e.text;
}

}  // namespace chatport::ui
