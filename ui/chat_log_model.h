#pragma once
// The chat log: every message and system line of one session, oldest first. Rows only grow
// at the end, in batches; the oldest rows go once maximumRows is reached. UI thread only.

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

 private:
  struct Row {
    LogEntry entry;
    quint64 serial = 0;
  };
  void dropOldest(int count);

  std::deque<Row> rows_;
  quint64 nextSerial_ = 1;
  int maximumRows_ = kDefaultMaximumRows;
};

}  // namespace chatport::ui
