#pragma once
// The first thing a person sees: host a chat (nickname, port; shows where others can join) or
// join one (nickname, address, port), with or without a room password. Each field explains
// what is wrong with it next to it as it is typed, and the dialog accepts only valid input.
// The last choices come back next time, except the password, which is never saved.
// Joining, it lists the rooms found on the network and those joined before (greyed while not
// heard), and asks the rooms joined before and the addresses the person added directly.
// UI thread only.

#include "session_request.h"

#include <QDialog>

#include <memory>

class QAction;
class QButtonGroup;
class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTreeView;

namespace chatport::chat {
class RoomFinder;
}

namespace chatport::ui {

class RoomListModel;
class Settings;

class StartDialog : public QDialog {
  Q_OBJECT

 public:
  /// Prefills from settings; saves the choices there when accepted. dataFolder: where the
  /// chat core keeps the rooms joined before (empty: the platform's data folder).
  explicit StartDialog(Settings& settings, QWidget* parent = nullptr, std::string dataFolder = {});
  ~StartDialog() override;

  /// What was chosen (meaningful once accepted).
  SessionRequest request() const;
  /// Prefills the fields, e.g. to change a session that failed.
  void setRequest(const SessionRequest& request);

  /// Checks every field of the chosen mode and shows what is wrong; true if all are fine.
  bool validateAll();
  /// Rejected with its Quit button (not Escape or the window's close button): the person wants
  /// to quit ChatPort, not just this dialog.
  bool quitRequested() const { return quitRequested_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 public Q_SLOTS:
  void accept() override;

 private:
  chat::Role role() const;
  void roleChanged();
  void updateAddresses();
  void splitPastedPort();
  void showProblem(QLabel* label, const QString& problem);
  QWidget* buildHostPage();
  QWidget* buildJoinPage();
  /// Join: starts looking for rooms on the network (once), and asks the rooms joined before,
  /// the addresses added and the last address joined directly.
  void startLookingForRooms();
  void showRooms();
  void roomPicked(const QModelIndex& index);
  /// Forgets the remembered room in the current row.
  void forgetCurrentRoom();
  /// Looks for rooms at the address or subnet typed in probeEdit_, and keeps it for next time.
  void addProbe();
  /// Lets the person choose the network interfaces; looks for rooms again on those chosen.
  void chooseInterfaces();
  Settings& settings_;
  const std::string dataFolder_;
  QLineEdit* name_;
  QLabel* nameError_;
  QLineEdit* password_;
  QCheckBox* showPassword_;
  QRadioButton* host_;
  QRadioButton* join_;
  QButtonGroup* roles_;
  QWidget* hostPage_;
  QWidget* joinPage_;
  QLineEdit* hostPort_ = nullptr;
  QLabel* hostPortError_ = nullptr;
  QLabel* addresses_ = nullptr;
  QLineEdit* address_ = nullptr;
  QLabel* addressError_ = nullptr;
  QLineEdit* joinPort_ = nullptr;
  QLabel* joinPortError_ = nullptr;
  QTreeView* roomList_ = nullptr;
  QLabel* roomsStatus_ = nullptr;
  RoomListModel* rooms_ = nullptr;
  QAction* forgetRoom_ = nullptr;
  QFormLayout* joinForm_ = nullptr;
  QWidget* probeRow_ = nullptr;  // a row of joinForm_
  QLineEdit* probeEdit_ = nullptr;
  QLabel* probeError_ = nullptr;
  /// The room picked from the list, while the address and port are still the ones it filled in.
  std::string pickedRoomId_;
  std::optional<std::array<std::byte, 32>> pickedKey_;
  std::unique_ptr<chat::RoomFinder> finder_;  // last: stopped before the widgets go
  QDialogButtonBox* buttons_;
  bool quitRequested_ = false;
};

}  // namespace chatport::ui
