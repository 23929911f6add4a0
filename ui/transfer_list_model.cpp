#include "transfer_list_model.h"

#include "event_text.h"

#include <QFileIconProvider>

#include <algorithm>

namespace chatport::ui {

TransferListModel::TransferListModel(QObject* parent) : QAbstractTableModel(parent) {}

int TransferListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TransferListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

namespace {

int percentOf(const TransferListModel::Transfer& t) {
  if (t.state == TransferListModel::State::Done) return 100;
  if (t.size == 0) return 0;
  return static_cast<int>(std::min<std::uint64_t>(100, t.done * 100 / t.size));
}

bool moving(const TransferListModel::Transfer& t) { return t.state == TransferListModel::State::Running; }

}  // namespace

QString TransferListModel::stateText(const Transfer& t) {
  switch (t.state) {
    case State::Waiting: return t.outgoing ? tr("Waiting for them to accept") : tr("Waiting to start");
    case State::Running: return t.outgoing ? tr("Sending") : tr("Receiving");
    case State::Paused: return tr("Paused");
    case State::Checking: return tr("Checking");
    case State::Done: return t.outgoing ? tr("Sent") : tr("Saved");
    case State::Failed: return t.failure;
  }
  return {};
}

QVariant TransferListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Transfer& t = rows_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return t.name;
        case PeerColumn: return t.outgoing ? tr("to %1").arg(t.peerName) : tr("from %1").arg(t.peerName);
        case ProgressColumn: return tr("%1%").arg(percentOf(t));
        case SpeedColumn: return moving(t) ? EventText::speed(t.bytesPerSecond) : QString();
        case TimeLeftColumn:
          return moving(t) ? EventText::timeLeft(t.size > t.done ? t.size - t.done : 0, t.bytesPerSecond) : QString();
        case StateColumn: return stateText(t);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (index.column() == NameColumn)
        return t.path.isEmpty() ? tr("%1 (%2)").arg(t.name, EventText::size(t.size)) : t.path;
      if (index.column() == StateColumn && t.state == State::Failed) return t.failure;
      if (index.column() == StateColumn || index.column() == ProgressColumn)
        return tr("%1 of %2").arg(EventText::size(t.done), EventText::size(t.size));
      return {};
    case Qt::DecorationRole:
      if (index.column() != NameColumn) return {};
      return QFileIconProvider().icon(t.folder ? QFileIconProvider::Folder : QFileIconProvider::File);
    case IdRole: return static_cast<qulonglong>(t.id);
    case PeerRole: return static_cast<uint>(t.peer);
    case OutgoingRole: return t.outgoing;
    case StateRole: return static_cast<int>(t.state);
    case PercentRole: return percentOf(t);
    case PathRole: return t.path;
    default: return {};
  }
}

QVariant TransferListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case PeerColumn: return tr("With");
    case ProgressColumn: return tr("Progress");
    case SpeedColumn: return tr("Speed");
    case TimeLeftColumn: return tr("Time left");
    case StateColumn: return tr("State");
    default: return {};
  }
}

void TransferListModel::offered(const chat::FileOfferEvent& e) {
  offers_[e.id] = Offer{QString::fromStdString(e.name), e.folder, e.size};
  while (offers_.size() > kMaxOffers) offers_.erase(offers_.begin());
}

int TransferListModel::unfinished() const {
  return static_cast<int>(std::count_if(rows_.begin(), rows_.end(), [](const Transfer& t) {
    return t.state != State::Done && t.state != State::Failed;
  }));
}

int TransferListModel::rowOf(chat::TransferId id, chat::ClientId peer) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == id && rows_[i].peer == peer) return static_cast<int>(i);
  return -1;
}

int TransferListModel::ensureRow(chat::TransferId id, bool outgoing, chat::ClientId peer, const QString& peerName,
                                 bool& added) {
  added = false;
  if (const int row = rowOf(id, peer); row >= 0) return row;
  Transfer t;
  t.id = id;
  t.outgoing = outgoing;
  t.peer = peer;
  t.peerName = peerName;
  if (auto it = offers_.find(id); it != offers_.end()) {
    t.name = it->second.name;
    t.folder = it->second.folder;
    t.size = it->second.size;
  }
  const int row = rowCount();
  beginInsertRows({}, row, row);
  rows_.push_back(std::move(t));
  endInsertRows();
  added = true;
  return row;
}

void TransferListModel::rowChanged(int row) {
  Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool TransferListModel::progressed(const chat::FileProgressEvent& e, const QString& peerName) {
  bool added = false;
  const int row = ensureRow(e.id, e.outgoing, e.peer, peerName, added);
  Transfer& t = rows_[static_cast<std::size_t>(row)];
  if (t.state == State::Done || t.state == State::Failed) return false;  // a late report
  switch (e.state) {
    case chat::TransferState::Waiting: t.state = State::Waiting; break;
    case chat::TransferState::Running: t.state = State::Running; break;
    case chat::TransferState::Paused: t.state = State::Paused; break;
    case chat::TransferState::Checking: t.state = State::Checking; break;
  }
  t.done = e.done;
  if (e.size != 0) t.size = e.size;
  t.bytesPerSecond = e.bytesPerSecond;
  rowChanged(row);
  return added;
}

void TransferListModel::finished(const chat::FileDoneEvent& e, const QString& peerName) {
  bool added = false;
  const int row = ensureRow(e.id, e.outgoing, e.peer, peerName, added);
  Transfer& t = rows_[static_cast<std::size_t>(row)];
  t.state = State::Done;
  t.size = e.size;
  t.done = e.size;
  t.bytesPerSecond = 0;
  t.path = QString::fromStdString(e.path);
  ended(row);
}

void TransferListModel::ended(int row) {
  rowChanged(row);
  int finished = 0;
  for (const Transfer& t : rows_) finished += t.state == State::Done || t.state == State::Failed ? 1 : 0;
  for (int i = 0; i < rowCount() && finished > kMaxFinishedRows; ++i) {
    const State state = rows_[static_cast<std::size_t>(i)].state;
    if (state != State::Done && state != State::Failed) continue;
    beginRemoveRows({}, i, i);
    rows_.erase(rows_.begin() + i);
    endRemoveRows();
    --finished;
    --i;
  }
}

void TransferListModel::failed(const chat::FileFailedEvent& e, const QString& peerName) {
  const QString reason = EventText::transferFailure(e.reason, e.outgoing);
  auto fail = [&](int row) {
    Transfer& t = rows_[static_cast<std::size_t>(row)];
    if (t.state == State::Done || t.state == State::Failed) return;
    t.state = State::Failed;
    t.bytesPerSecond = 0;
    t.failure = reason;
    ended(row);
  };
  if (e.outgoing && e.peer == chat::kNoClient) {
    std::vector<chat::ClientId> peers;  // rows may go as each ends
    for (const Transfer& t : rows_)
      if (t.id == e.id) peers.push_back(t.peer);
    for (const chat::ClientId peer : peers)
      if (const int row = rowOf(e.id, peer); row >= 0) fail(row);
    return;  // an offer nobody had taken yet has no row: the log says what became of it
  }
  if (e.reason == chat::TransferFailure::Declined && rowOf(e.id, e.peer) < 0) return;  // never started
  bool added = false;
  fail(ensureRow(e.id, e.outgoing, e.peer, peerName, added));
}

void TransferListModel::clearFinished() {
  for (int row = rowCount() - 1; row >= 0; --row) {
    const State state = rows_[static_cast<std::size_t>(row)].state;
    if (state != State::Done && state != State::Failed) continue;
    beginRemoveRows({}, row, row);
    rows_.erase(rows_.begin() + row);
    endRemoveRows();
  }
}

}  // namespace chatport::ui
