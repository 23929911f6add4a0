#pragma once
// The chat log: every message and system line of one session, oldest first. Rows only grow
// at the end, in batches; the oldest rows go once maximumRows is reached. Each row, as it is
// appended, is compared with the one before it (O(1)): whether it continues its sender's group
// and whether it starts a new local day. One row may carry the unread marker ("New messages"
// above it). UI thread only.

#include "log_entry.h"

#include <QAbstractListModel>

#include <deque>
#include <functional>
#include <vector>

namespace chatport::ui {

class ChatLogModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    KindRole = Qt::UserRole + 1,  ///< int: LogEntry::Kind
    OwnRole,                      ///< bool
    SenderRole,                   ///< QString
    SenderIdRole,                 ///< uint (chat::ClientId)
    RecipientRole,                ///< QString
    TimeRole,                     ///< QDateTime, local time
    TextRole,                     ///< QString: just the text
    SeqRole,                      ///< qulonglong
    SerialRole,                   ///< qulonglong: unique per row for this model's lifetime
    SenderIsHostRole,             ///< bool: the sender hosts the chat (a badge, not text)
    RecipientIsHostRole,          ///< bool: Private: the recipient hosts the chat
    ContinuesGroupRole,           ///< bool: drawn under the row before, without name and time
    StartsDayRole,                ///< bool: a date line above the row
    UnreadMarkerRole,             ///< bool: the "New messages" line above the row
  };
  Q_ENUM(Role)

  static constexpr int kDefaultMaximumRows = 200'000;

  explicit ChatLogModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

  /// Appends entries as one insertion (one rowsInserted), dropping the oldest rows beyond
  /// maximumRows() first.
  void append(std::vector<LogEntry> entries);
  void append(LogEntry entry);
  void clear();

  const LogEntry& entry(int row) const { return rows_[static_cast<std::size_t>(row)].entry; }
  quint64 serial(int row) const { return rows_[static_cast<std::size_t>(row)].serial; }
  /// The row with this serial, or -1 once it is gone (dropped as old, or cleared).
  int rowOfSerial(quint64 serial) const;
  /// Changes a row in place (a file offer that moves on), as one dataChanged.
  void update(int row, const std::function<void(LogEntry&)>& change);
  /// The line as copied to the clipboard: "[12:34] ann: hello".
  QString plainText(int row) const;

  int maximumRows() const { return maximumRows_; }
  void setMaximumRows(int rows);

  /// Whether the row continues the group of the row before it; the first row never does (its
  /// group's head may have gone as old).
  bool continuesGroup(int row) const { return row > 0 && entry(row).continuesGroup; }
  /// Puts the "New messages" line above row (moving it from where it was); -1 takes it away.
  void setUnreadMarker(int row);
  /// The row with the "New messages" line above it, or -1.
  int unreadMarkerRow() const { return unreadSerial_ ? rowOfSerial(unreadSerial_) : -1; }

 private:
  struct Row {
    LogEntry entry;
    quint64 serial = 0;
  };
  void dropOldest(int count);
  /// Sets e's continuesGroup and startsDay from the row appended before it.
  void placeAfterPrevious(LogEntry& e);
  /// The local day (Julian day number) of a time; the day's bounds are kept, so the usual case
  /// (same day as the row before) is two comparisons.
  qint64 localDay(qint64 timeMs);

  std::deque<Row> rows_;
  quint64 nextSerial_ = 1;
  int maximumRows_ = kDefaultMaximumRows;
  quint64 unreadSerial_ = 0;  // the marked row's serial; 0: none
  qint64 lastSpokenDay_ = -1;  // the local day of the last spoken row appended; -1: none yet
  qint64 dayStartMs_ = 0;      // the bounds of dayNumber_, [start, end)
  qint64 dayEndMs_ = 0;
  qint64 dayNumber_ = -1;
};

}  // namespace chatport::ui
