#pragma once
// Ctrl+F in the chat window: searches the installation's history (HistoryStore::search) in
// this room or in every room, on a worker thread so the window never waits on the disk, and
// lists what it finds, newest first, the words marked. Activating a result asks to see it in
// context. Esc closes the bar. UI thread only.

#include <chatport/chat/history.h>

#include <QFrame>

#include <map>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QStandardItemModel;
class QTimer;
class QToolButton;
class QTreeView;

namespace chatport::ui {

class HistorySearchBar : public QFrame {
  Q_OBJECT

 public:
  /// The most results listed (the newest).
  static constexpr std::size_t kMaxResults = 200;

  explicit HistorySearchBar(QWidget* parent = nullptr);

  /// Where to search; store null: searching is not possible, and unavailable says why.
  void setStore(std::shared_ptr<chat::HistoryStore> store, const QString& unavailable);
  /// This room's key in the store (ConnectedEvent::historyRoom); empty: none, every room is
  /// searched.
  void setRoom(const std::string& room);

  QLineEdit* wordsEdit() const { return words_; }
  QCheckBox* allRoomsBox() const { return allRooms_; }
  QTreeView* resultsView() const { return results_; }
  QLabel* statusLabel() const { return status_; }
  const std::vector<chat::StoredMessage>& results() const { return hits_; }
  /// The words that found the results listed.
  QString resultWords() const { return shownWords_; }
  bool isSearching() const { return pending_ > 0; }
  /// A room of the results, for people (its name where it has one).
  QString roomName(const std::string& room) const;

 public Q_SLOTS:
  /// Shows the bar and puts the cursor in it, its words selected.
  void open();
  void closeBar();
  /// Searches now for the words typed (typing searches after a short pause).
  void search();

 Q_SIGNALS:
  /// A search's results are listed.
  void searchFinished();
  void resultActivated(const chatport::chat::StoredMessage& message);
  void closed();

 private:
  struct Found;
  void list(Found found, const QString& words);
  void updateRoomBox();

  std::shared_ptr<chat::HistoryStore> store_;
  std::string room_;
  QLineEdit* words_;
  QCheckBox* allRooms_;
  QLabel* status_;
  QToolButton* close_;
  QTreeView* results_;
  QStandardItemModel* model_;
  QTimer* typing_;
  std::vector<chat::StoredMessage> hits_;
  QString shownWords_;
  std::map<std::string, std::string> roomNames_;  ///< of the rooms in the results
  int generation_ = 0;  // the latest search's; older ones' results are dropped
  int pending_ = 0;     // searches still running
};

}  // namespace chatport::ui
