#include "history_dialog.h"

#include "settings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

namespace chatport::ui {

using namespace Qt::Literals::StringLiterals;

HistoryDialog::HistoryDialog(Settings& settings, std::shared_ptr<chat::HistoryStore> store,
                             const QString& unavailable, const std::string& room, const QString& roomName,
                             QWidget* parent)
    : QDialog(parent), settings_(settings), store_(std::move(store)), room_(room), roomName_(roomName),
      keep_(new QCheckBox(tr("&Keep the history of the rooms you are in"))), days_(new QSpinBox),
      mib_(new QSpinBox), newcomers_(new QSpinBox), export_(new QPushButton(tr("E&xport this room…"))),
      deleteRoom_(new QPushButton(tr("&Delete this room's history…"))),
      deleteAll_(new QPushButton(tr("Delete &all history…"))), status_(new QLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel)) {
  setObjectName(u"historyDialog"_s);
  setWindowTitle(tr("History"));
  keep_->setObjectName(u"historyKeep"_s);
  keep_->setToolTip(tr("Takes effect from the next chat you host or join"));
  days_->setObjectName(u"historyDays"_s);
  days_->setRange(0, Settings::kMaxHistoryDays);
  days_->setSpecialValueText(tr("forever"));
  days_->setSuffix(tr(" days"));
  mib_->setObjectName(u"historyMiB"_s);
  mib_->setRange(0, Settings::kMaxHistoryMiB);
  mib_->setSpecialValueText(tr("no limit"));
  mib_->setSuffix(tr(" MiB"));
  newcomers_->setObjectName(u"historyNewcomers"_s);
  newcomers_->setRange(0, Settings::kMaxHistoryForNewcomers);
  newcomers_->setSpecialValueText(tr("none"));
  newcomers_->setSuffix(tr(" messages"));
  newcomers_->setToolTip(tr("When you host, each person who joins is shown this many of the room's latest messages"));
  keep_->setChecked(settings_.keepsHistory());
  days_->setValue(settings_.historyDays());
  mib_->setValue(settings_.historyMiB());
  newcomers_->setValue(settings_.historyForNewcomers());
  export_->setObjectName(u"historyExport"_s);
  deleteRoom_->setObjectName(u"historyDeleteRoom"_s);
  deleteAll_->setObjectName(u"historyDeleteAll"_s);
  status_->setObjectName(u"historyStatus"_s);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* keeping = new QGroupBox(tr("Keeping"));
  auto* form = new QFormLayout(keeping);
  form->addRow(keep_);
  form->addRow(tr("Keep &messages for:"), days_);
  form->addRow(tr("&Use at most:"), mib_);
  form->addRow(tr("&Newcomers see:"), newcomers_);
  auto* stored = new QGroupBox(roomName_.isEmpty() ? tr("Stored history") : tr("Stored history — %1").arg(roomName_));
  auto* actions = new QHBoxLayout(stored);
  actions->addWidget(export_);
  actions->addWidget(deleteRoom_);
  actions->addStretch(1);
  actions->addWidget(deleteAll_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(keeping);
  layout->addWidget(stored);
  layout->addWidget(status_);
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &HistoryDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &HistoryDialog::reject);
  connect(export_, &QPushButton::clicked, this, &HistoryDialog::askToExport);
  connect(deleteRoom_, &QPushButton::clicked, this, &HistoryDialog::askToDeleteRoom);
  connect(deleteAll_, &QPushButton::clicked, this, &HistoryDialog::askToDeleteAll);
  connect(keep_, &QCheckBox::toggled, this, &HistoryDialog::updateEnabled);

  if (!store_) {
    status_->setText(tr("History is not available: %1").arg(unavailable));
    buttons_->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
  }
  status_->setVisible(!status_->text().isEmpty());
  updateEnabled();
}

void HistoryDialog::updateEnabled() {
  const bool usable = store_ != nullptr;
  // The limits go on applying to what is kept, also while nothing new is.
  for (QWidget* w : std::initializer_list<QWidget*>{keep_, days_, mib_, buttons_->button(QDialogButtonBox::Save)})
    w->setEnabled(usable);
  newcomers_->setEnabled(usable && keep_->isChecked());
  export_->setEnabled(usable && !busy_ && !room_.empty());
  deleteRoom_->setEnabled(usable && !busy_ && !room_.empty());
  deleteAll_->setEnabled(usable && !busy_);
  if (room_.empty() && usable) {
    const QString why = tr("Not in a room that keeps history");
    export_->setToolTip(why);
    deleteRoom_->setToolTip(why);
  }
}

bool HistoryDialog::confirmDeletion(const QString& question, const QString& yes) {
  QMessageBox box(QMessageBox::Warning, tr("History"), question, QMessageBox::Yes | QMessageBox::Cancel, this);
  box.setObjectName(u"confirmation"_s);
  box.setInformativeText(tr("The messages are erased from this computer; this cannot be undone."));
  box.button(QMessageBox::Yes)->setText(yes);
  box.setDefaultButton(QMessageBox::Cancel);
  return box.exec() == QMessageBox::Yes;
}

void HistoryDialog::run(std::function<QString()> task, const QString& busy) {
  busy_ = true;
  status_->setText(busy);
  status_->show();
  updateEnabled();
  auto* watcher = new QFutureWatcher<QString>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    busy_ = false;
    status_->setText(watcher->result());
    updateEnabled();
    Q_EMIT workFinished(watcher->result());
  });
  watcher->setFuture(QtConcurrent::run(std::move(task)));
}

void HistoryDialog::askToDeleteRoom() {
  if (!store_ || room_.empty() || busy_) return;
  if (!confirmDeletion(tr("Delete the history of %1?").arg(roomName_), tr("&Delete"))) return;
  run([store = store_, room = room_] {
        store->deleteRoom(room);
        return tr("This room's history is deleted.");
      },
      tr("Deleting…"));
}

void HistoryDialog::askToDeleteAll() {
  if (!store_ || busy_) return;
  if (!confirmDeletion(tr("Delete the history of every room?"), tr("&Delete all"))) return;
  run([store = store_] {
        store->deleteAll();
        return tr("All history is deleted.");
      },
      tr("Deleting…"));
}

void HistoryDialog::askToExport() {
  if (!store_ || room_.empty() || busy_) return;
  const QString text = tr("Text (*.txt)");
  const QString json = tr("JSON lines (*.jsonl)");
  QString filter = text;
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  const QString path = QFileDialog::getSaveFileName(this, tr("Export this room's history"),
                                                    folder + u"/chatport-history.txt"_s, text + u";;"_s + json,
                                                    &filter);
  if (path.isEmpty()) return;
  exportTo(path, filter == json || path.endsWith(u".jsonl"_s) || path.endsWith(u".json"_s)
                     ? HistoryExport::Format::Json
                     : HistoryExport::Format::Text);
}

void HistoryDialog::exportTo(const QString& path, HistoryExport::Format format) {
  if (!store_ || room_.empty() || busy_) return;
  run([store = store_, room = room_, name = roomName_, path, format] {
        const auto messages = store->latest(room, std::numeric_limits<std::size_t>::max());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(HistoryExport::format(format, room, name, messages)) < 0 ||
            !file.commit())
          return tr("Could not write %1: %2").arg(path, file.errorString());
        return tr("%n message(s) exported to %1.", nullptr, static_cast<int>(messages.size())).arg(path);
      },
      tr("Exporting…"));
}

void HistoryDialog::accept() {
  if (!store_) return;
  settings_.setKeepsHistory(keep_->isChecked());
  settings_.setHistoryDays(days_->value());
  settings_.setHistoryMiB(mib_->value());
  settings_.setHistoryForNewcomers(newcomers_->value());
  settings_.sync();
  // Older messages go now, not at the next start; the worker holds the store until done.
  if (settings_.historyDays() > 0 || settings_.historyMiB() > 0)
    (void)QtConcurrent::run([store = store_, limits = settings_.historyLimits()] { store->applyLimits(limits); });
  QDialog::accept();
}

}  // namespace chatport::ui
