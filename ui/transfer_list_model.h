#pragma once
// The transfers of one session, one row per transfer and peer (a file offered to the room has a
// row for each person receiving it): name, peer, progress, speed, time left and where it
// stands. Rows appear when a transfer starts (its first FileProgressEvent) and stay, finished
// or failed, until cleared. UI thread only.

#include <chatport/chat/types.h>

#include <QAbstractTableModel>

#include <map>
#include <vector>

namespace chatport::ui {

class TransferListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { NameColumn, PeerColumn, ProgressColumn, SpeedColumn, TimeLeftColumn, StateColumn, ActionsColumn,
                ColumnCount };
  /// Where a row stands: the core's TransferState, then how it ended.
  enum class State : std::uint8_t { Waiting, Running, Paused, Checking, Done, Failed };
  enum Role {
    IdRole = Qt::UserRole + 1,  ///< qulonglong (chat::TransferId)
    PeerRole,                   ///< uint (chat::ClientId)
    OutgoingRole,               ///< bool
    StateRole,                  ///< int: State
    PercentRole,                ///< int, 0-100
    PathRole,                   ///< QString: where it was saved (or, sent, what was sent)
  };
  Q_ENUM(Role)

  struct Transfer {
    chat::TransferId id = 0;
    bool outgoing = false;
    chat::ClientId peer = chat::kNoClient;
    QString peerName;
    QString name;
    bool folder = false;
    std::uint64_t size = 0;
    std::uint64_t done = 0;
    double bytesPerSecond = 0;
    State state = State::Waiting;
    QString path;
    QString failure;  ///< the reason in words, once Failed
  };

  /// Offers kept to name the rows that follow: a room with many offers cannot grow this.
  static constexpr std::size_t kMaxOffers = 4096;
  /// Finished and failed rows kept; the oldest go beyond it.
  static constexpr int kMaxFinishedRows = 500;

  explicit TransferListModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  /// Remembers an offer's name and size for the rows its transfers will have.
  void offered(const chat::FileOfferEvent& e);
  /// peerName: the peer's nickname as shown now. True if the transfer got its row now.
  bool progressed(const chat::FileProgressEvent& e, const QString& peerName);
  void finished(const chat::FileDoneEvent& e, const QString& peerName);
  /// A sender's failure for every recipient (peer kNoClient) ends each row of the offer.
  void failed(const chat::FileFailedEvent& e, const QString& peerName);
  /// Removes the rows that are done or failed.
  void clearFinished();

  /// The row of a transfer with a peer, or -1.
  int rowOf(chat::TransferId id, chat::ClientId peer) const;
  /// Transfers not over yet (waiting, running, paused or being checked), either way.
  int unfinished() const;
  std::size_t offersKept() const { return offers_.size(); }
  const Transfer& transfer(int row) const { return rows_[static_cast<std::size_t>(row)]; }
  /// The State column's words for a row.
  static QString stateText(const Transfer& t);

 private:
  struct Offer {
    QString name;
    bool folder = false;
    std::uint64_t size = 0;
  };
  /// The row for id and peer, added if missing; added: whether it was.
  int ensureRow(chat::TransferId id, bool outgoing, chat::ClientId peer, const QString& peerName, bool& added);
  void rowChanged(int row);
  /// Ends a row (Done or Failed), then drops the oldest ended rows beyond kMaxFinishedRows.
  void ended(int row);

  std::vector<Transfer> rows_;
  std::map<chat::TransferId, Offer> offers_;  // the newest kMaxOffers
};

}  // namespace chatport::ui
