#pragma once
// Chat > History…: whether sessions keep history and for how long, how much a host sends
// newcomers, and this room's or all history deleted or this room's exported. The deletions,
// the limits and the export run on a worker thread (the store is thread-safe): the window
// never waits on the disk. UI thread only.

#include "history_export.h"

#include <chatport/chat/history.h>

#include <QDialog>
#include <functional>

#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace chatport::ui {

class Settings;

class HistoryDialog : public QDialog {
  Q_OBJECT

 public:
  /// store: where history is kept; null if none can be (unavailable says why: this build keeps
  /// none, or the file cannot be opened), and then everything is greyed out and the reason
  /// shown. room: this window's room key (ConnectedEvent::historyRoom), empty if none;
  /// roomName: how to call it.
  HistoryDialog(Settings& settings, std::shared_ptr<chat::HistoryStore> store, const QString& unavailable,
                const std::string& room, const QString& roomName, QWidget* parent = nullptr);

  QCheckBox* keepBox() const { return keep_; }
  QSpinBox* daysBox() const { return days_; }
  QSpinBox* mibBox() const { return mib_; }
  QSpinBox* newcomersBox() const { return newcomers_; }
  QPushButton* deleteRoomButton() const { return deleteRoom_; }
  QPushButton* deleteAllButton() const { return deleteAll_; }
  QPushButton* exportButton() const { return export_; }
  QLabel* statusLabel() const { return status_; }
  QDialogButtonBox* buttons() const { return buttons_; }

 public Q_SLOTS:
  /// Asks, then deletes this room's history.
  void askToDeleteRoom();
  /// Asks, then deletes all history.
  void askToDeleteAll();
  /// Asks where, then exports this room's history there.
  void askToExport();
  /// Writes this room's history to path.
  void exportTo(const QString& path, chatport::ui::HistoryExport::Format format);
  /// Saves the settings and applies the limits.
  void accept() override;

 Q_SIGNALS:
  /// A deletion, export or applying of the limits has finished; message says how it went.
  void workFinished(const QString& message);

 private:
  bool confirmDeletion(const QString& question, const QString& yes);
  /// Runs task on a worker; message (or the failure it returns) is shown when it ends.
  void run(std::function<QString()> task, const QString& busy);
  void updateEnabled();

  Settings& settings_;
  std::shared_ptr<chat::HistoryStore> store_;
  std::string room_;
  QString roomName_;
  QCheckBox* keep_;
  QSpinBox* days_;
  QSpinBox* mib_;
  QSpinBox* newcomers_;
  QPushButton* export_;
  QPushButton* deleteRoom_;
  QPushButton* deleteAll_;
  QLabel* status_;
  QDialogButtonBox* buttons_;
  bool busy_ = false;
};

}  // namespace chatport::ui
