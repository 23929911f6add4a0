#include "chat_window.h"

#include "app_icon.h"
#include "banned_people_menu.h"
#include "chat_log_model.h"
#include "chat_log_view.h"
#include "client_list_model.h"
#include "client_list_view.h"
#include "connection_banner.h"
#include "core_bridge.h"
#include "dropped_files.h"
#include "emoji_picker.h"
#include "event_text.h"
#include "history_context_dialog.h"
#include "history_dialog.h"
#include "history_search_bar.h"
#include "host_key_dialog.h"
#include "input_checks.h"
#include "local_addresses.h"
#include "log_entry.h"
#include "message_input.h"
#include "presence_control.h"
#include "session_status_bar.h"
#include "settings.h"
#include "transfer_list_model.h"
#include "transfer_panel.h"
#include "unread_notifier.h"
#include "wrong_room_dialog.h"

#include <chatport/log.h>

#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QImageReader>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

qint64 msSinceEpoch(chat::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

// A log row for a chat or private message.
LogEntry spoken(LogEntry::Kind kind, chat::ClientId self, chat::ClientId host, chat::ClientId from,
                const std::string& fromName, chat::TimePoint time, const std::string& text) {
  LogEntry entry;
  entry.kind = kind;
  entry.own = from == self;
  entry.senderId = from;
  entry.senderIsHost = from != chat::kNoClient && from == host;
  entry.sender = qs(fromName);
  entry.timeMs = msSinceEpoch(time);
  entry.text = qs(text);
  return entry;
}

LogEntry systemLine(const QString& text) {
  LogEntry e;
  e.kind = LogEntry::Kind::System;
  e.timeMs = nowMs();
  e.text = text;
  return e;
}

/// Whether starting the same session again may work: not after being removed or banned, nor
/// with a nickname that was refused (another one is needed).
bool retryMayWork(chat::ErrorCode code) {
  switch (code) {
    case chat::ErrorCode::Kicked:
    case chat::ErrorCode::Banned:
    case chat::ErrorCode::NotAnnouncedRoom:
    case chat::ErrorCode::NameTaken:
    case chat::ErrorCode::InvalidName: return false;
    default: return true;
  }
}

bool nameRefused(chat::ErrorCode code) {
  return code == chat::ErrorCode::NameTaken || code == chat::ErrorCode::InvalidName;
}

LogEntry errorLine(const QString& text) {
  LogEntry e = systemLine(text);
  e.kind = LogEntry::Kind::Error;
  return e;
}

void openFile(const QString& path) { QDesktopServices::openUrl(QUrl::fromLocalFile(path)); }
void showInFolder(const QString& path) {
  QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
}

/// A received image, scaled to show in the log (at most kThumbnail logical pixels a side, drawn
/// sharp at dpr); null if path is not an image this build can read.
QImage thumbnailOf(const QString& path, qreal dpr) {
  constexpr int kThumbnail = 240;
  static const QStringList kImageSuffixes = {u"png"_s, u"jpg"_s, u"jpeg"_s, u"gif"_s, u"webp"_s, u"bmp"_s};
  if (!kImageSuffixes.contains(QFileInfo(path).suffix().toLower())) return {};
  QImageReader reader(path);
  reader.setAutoTransform(true);
  if (!reader.canRead()) return {};
  QSize size = reader.size();
  if (size.isEmpty()) return {};
  const int most = static_cast<int>(kThumbnail * dpr);
  if (size.width() > most || size.height() > most) size.scale(most, most, Qt::KeepAspectRatio);
  reader.setScaledSize(size);  // decoded at that size: a large photo costs no more
  QImage image = reader.read();
  if (image.isNull()) return {};
  image.setDevicePixelRatio(dpr);
  return image;
}

}  // namespace

/// What one batch of events changes, applied at its end: the log gets its rows in one
/// insertion.
struct ChatWindow::Batch {
  std::vector<LogEntry> rows;
  /// Offers whose row is in rows (by index) and not yet in the log.
  QHash<chat::TransferId, std::size_t> offers;
};

ChatWindow::ChatWindow(SessionRequest request, chat::CoreOptions options, Settings* settings,
                       QWidget* parent)
    : QMainWindow(parent), request_(std::move(request)), settings_(settings),
      logger_(logging::get("ui")), bridge_(new CoreBridge(options, this)),
      log_(new ChatLogModel(this)), clients_(new ClientListModel(this)),
      logView_(new ChatLogView), clientView_(new ClientListView), input_(new MessageInput),
      sendButton_(new QPushButton(tr("&Send"))), privateBar_(new QFrame), privateLabel_(new QLabel),
      privateIcon_(new QLabel),
      banner_(new ConnectionBanner), status_(new SessionStatusBar(this)), unread_(new UnreadNotifier(this)),
      presence_(new PresenceControl(settings, this)),
      splitter_(new QSplitter(Qt::Horizontal)), countdown_(new QTimer(this)), historySearch_(new HistorySearchBar),
      transfers_(new TransferListModel(this)), transferPanel_(new TransferPanel(transfers_)),
      transfersDock_(new QDockWidget(tr("Transfers"), this)), attachButton_(new QToolButton),
      emojiButton_(new QToolButton), emojiPicker_(new EmojiPicker(this)),
      dataDir_(options.dataDir) {
  setObjectName(u"chatWindow"_s);
  setWindowIcon(AppIcon::icon());

  logView_->setModel(log_);
  logView_->setSenderPalette(&colors_);
  clients_->setSenderPalette(&colors_);
  logView_->setPictureBook(&pictures_);
  clients_->setPictureBook(&pictures_);
  clientView_->setSourceModel(clients_);
  clientView_->setCanKick(request_.role == chat::Role::Host);

  privateBar_->setObjectName(u"privateBar"_s);
  privateBar_->setFrameShape(QFrame::StyledPanel);
  privateLabel_->setObjectName(u"privateLabel"_s);
  privateIcon_->setObjectName(u"privateWarning"_s);
  privateIcon_->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(16, 16));
  privateIcon_->hide();
  auto* everyone = new QToolButton;
  everyone->setObjectName(u"everyoneButton"_s);
  everyone->setText(tr("Back to everyone"));
  everyone->setToolTip(tr("Send your messages to everyone again (Esc)"));
  auto* privateRow = new QHBoxLayout(privateBar_);
  privateRow->setContentsMargins(8, 3, 4, 3);
  privateRow->addWidget(privateIcon_);
  privateRow->addWidget(privateLabel_, 1);
  privateRow->addWidget(everyone);
  privateBar_->hide();

  sendButton_->setObjectName(u"sendButton"_s);
  attachButton_->setObjectName(u"attachButton"_s);
  attachButton_->setIcon(QIcon::fromTheme(u"mail-attachment"_s, style()->standardIcon(QStyle::SP_FileIcon)));
  attachButton_->setToolTip(tr("Send a file or a folder"));
  attachButton_->setAccessibleName(tr("Send a file or a folder"));
  attachButton_->setPopupMode(QToolButton::InstantPopup);
  attachButton_->setAutoRaise(true);
  emojiButton_->setObjectName(u"emojiButton"_s);
  emojiButton_->setText(u"🙂"_s);
  emojiButton_->setToolTip(tr("Insert an emoji (Ctrl+E)"));
  emojiButton_->setAccessibleName(tr("Insert an emoji"));
  emojiButton_->setAutoRaise(true);
  connect(emojiButton_, &QToolButton::clicked, this, [this] { emojiPicker_->popUpAt(emojiButton_); });
  connect(emojiPicker_, &EmojiPicker::picked, this, [this](const QString& emoji) {
    if (input_->isEnabled() && !input_->isReadOnly()) input_->insertPlainText(emoji);
    focusInput();
  });
  auto* emojiShortcut = new QAction(this);
  emojiShortcut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  emojiShortcut->setShortcutContext(Qt::WindowShortcut);
  connect(emojiShortcut, &QAction::triggered, emojiButton_, &QToolButton::click);
  addAction(emojiShortcut);
  auto* inputRow = new QHBoxLayout;
  inputRow->addWidget(attachButton_, 0, Qt::AlignBottom);
  inputRow->addWidget(emojiButton_, 0, Qt::AlignBottom);
  inputRow->addWidget(input_, 1);
  inputRow->addWidget(sendButton_, 0, Qt::AlignBottom);

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->setSpacing(4);
  leftLayout->addWidget(historySearch_);
  leftLayout->addWidget(logView_, 1);
  leftLayout->addWidget(banner_);
  leftLayout->addWidget(privateBar_);
  leftLayout->addLayout(inputRow);

  splitter_->addWidget(left);
  splitter_->addWidget(clientView_);
  splitter_->setStretchFactor(0, 4);
  splitter_->setStretchFactor(1, 1);
  splitter_->setSizes({620, 180});
  auto* central = new QWidget;
  auto* centralLayout = new QVBoxLayout(central);
  centralLayout->setContentsMargins(6, 6, 6, 0);
  centralLayout->addWidget(splitter_);
  setCentralWidget(central);
  setStatusBar(status_);
  status_->addPermanentWidget(presence_->button());
  transfersDock_->setObjectName(u"transfersDock"_s);
  transfersDock_->setWidget(transferPanel_);
  transfersDock_->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                              QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::BottomDockWidgetArea, transfersDock_);
  transfersDock_->hide();
  setAcceptDrops(true);  // files dropped on the window are offered to the room
  status_->setRole(request_.role);
  status_->setEndpoint(request_.role == chat::Role::Host ? LocalAddresses::forBinding(request_.address).value(0)
                                                         : request_.address,
                       request_.port);
  buildMenus();

  countdown_->setInterval(1000);
  connect(countdown_, &QTimer::timeout, this, &ChatWindow::updateCountdown);
  connect(input_, &MessageInput::sendRequested, this, &ChatWindow::sendInput);
  connect(input_, &MessageInput::escapePressed, this, &ChatWindow::clearPrivateTarget);
  connect(sendButton_, &QPushButton::clicked, this, &ChatWindow::sendInput);
  connect(everyone, &QToolButton::clicked, this, &ChatWindow::clearPrivateTarget);
  connect(clientView_, &ClientListView::privateMessageRequested, this, &ChatWindow::setPrivateTarget);
  connect(historySearch_, &HistorySearchBar::resultActivated, this, &ChatWindow::showHistoryMessage);
  connect(historySearch_, &HistorySearchBar::closed, this, &ChatWindow::focusInput);
  connect(clientView_, &ClientListView::kickRequested, this, [this](chat::ClientId id) { askToRemove(id, false); });
  connect(clientView_, &ClientListView::banRequested, this, [this](chat::ClientId id) { askToRemove(id, true); });
  connect(clientView_, &ClientListView::exemptRequested, this, [this](chat::ClientId id, bool exempt) {
    if (connected() && request_.role == chat::Role::Host && id != session_.self())
      bridge_->submit(chat::ExemptCommand{id, exempt});
  });
  connect(logView_, &ChatLogView::linkActivated, this, [](const QUrl& url) { QDesktopServices::openUrl(url); });
  connect(logView_, &ChatLogView::fileActionTriggered, this, &ChatWindow::fileActionTriggered);
  connect(input_, &MessageInput::imagePasted, this, &ChatWindow::offerImage);
  connect(input_, &MessageInput::filesPasted, this, &ChatWindow::offerFilesHere);
  connect(clientView_, &ClientListView::filesDropped, this,
          [this](chat::ClientId to, const QStringList& paths) { offerFiles(paths, to); });
  connect(transferPanel_, &TransferPanel::pauseRequested, this,
          [this](chat::TransferId id, chat::ClientId peer, bool paused) {
            bridge_->submit(chat::PauseFileCommand{id, paused, peer});
          });
  connect(transferPanel_, &TransferPanel::cancelRequested, this, [this](chat::TransferId id, chat::ClientId peer) {
    bridge_->submit(chat::CancelFileCommand{id, peer});
  });
  connect(transferPanel_, &TransferPanel::openRequested, this, &openFile);
  connect(transferPanel_, &TransferPanel::showInFolderRequested, this, &showInFolder);
  connect(banner_, &ConnectionBanner::cancelClicked, this, &ChatWindow::leave);
  connect(banner_, &ConnectionBanner::retryClicked, this, &ChatWindow::retry);
  connect(banner_, &ConnectionBanner::changeClicked, this, [this] { Q_EMIT changeSessionRequested(request_); });
  connect(unread_, &UnreadNotifier::unreadChanged, this, &ChatWindow::updateTitle);
  connect(presence_, &PresenceControl::presenceChosen, this,
          [this](chat::Presence presence) { bridge_->submit(chat::SetPresenceCommand{presence}); });
  bridge_->setSink([this](std::vector<chat::Event>& batch) { handleEvents(batch); });
  if (settings_) {
    // The core keeps it for every session of this window.
    const QByteArray saved = settings_->picture();
    if (!saved.isEmpty() && !PictureBook::decode(saved).isNull())
      bridge_->submit(chat::SetPictureCommand{PictureBook::pictureOf(saved)});
  }

  resize(860, 560);
  if (settings_) {
    restoreGeometry(settings_->windowGeometry());
    splitter_->restoreState(settings_->splitterState());
  }
  showPhase();
}

ChatWindow::~ChatWindow() {
  // The views are children, destroyed after the members: they may still draw on their way out.
  clients_->setSenderPalette(nullptr);
  logView_->setSenderPalette(nullptr);
  clients_->setPictureBook(nullptr);
  logView_->setPictureBook(nullptr);
}

HostKeyDialog* ChatWindow::hostKeyDialog() const { return hostKeyDialog_.data(); }

WrongRoomDialog* ChatWindow::wrongRoomDialog() const { return wrongRoomDialog_.data(); }

void ChatWindow::buildMenus() {
  QMenu* chatMenu = menuBar()->addMenu(tr("&Chat"));
  renameAction_ = chatMenu->addAction(tr("Change &nickname…"), this, &ChatWindow::changeNickname);
  renameAction_->setObjectName(u"renameAction"_s);
  leaveAction_ = chatMenu->addAction(request_.role == chat::Role::Host ? tr("&End the chat") : tr("&Leave the chat"),
                                     this, &ChatWindow::leave);
  leaveAction_->setObjectName(u"leaveAction"_s);
  chatMenu->addAction(tr("New &session…"), this, [this] { Q_EMIT changeSessionRequested(request_); })
      ->setObjectName(u"newSessionAction"_s);
  chatMenu->addMenu(presence_->menu());
  chatMenu->addAction(tr("Your &picture…"), this, &ChatWindow::choosePicture)->setObjectName(u"pictureAction"_s);
  removePictureAction_ = chatMenu->addAction(tr("Remove your pictu&re"), this, [this] { setPicture({}); });
  removePictureAction_->setObjectName(u"removePictureAction"_s);
  removePictureAction_->setEnabled(settings_ && !settings_->picture().isEmpty());
  if (request_.role == chat::Role::Host) {
    bannedMenu_ = new BannedPeopleMenu(chatMenu);
    chatMenu->addMenu(bannedMenu_);
    connect(bannedMenu_, &BannedPeopleMenu::unbanRequested, this,
            [this](const std::string& fingerprint) { bridge_->submit(chat::UnbanCommand{fingerprint}); });
  }
  chatMenu->addSeparator();
  sendFileAction_ = chatMenu->addAction(tr("Send &file…"), this, &ChatWindow::askForFilesToSend);
  sendFileAction_->setObjectName(u"sendFileAction"_s);
  sendFolderAction_ = chatMenu->addAction(tr("Send f&older…"), this, &ChatWindow::askForFolderToSend);
  sendFolderAction_->setObjectName(u"sendFolderAction"_s);
  auto* attachMenu = new QMenu(attachButton_);
  attachMenu->addAction(sendFileAction_);
  attachMenu->addAction(sendFolderAction_);
  attachButton_->setMenu(attachMenu);
  chatMenu->addSeparator();
  QAction* history = chatMenu->addAction(tr("&History…"), this, &ChatWindow::showHistorySettings);
  history->setObjectName(u"historyAction"_s);
  history->setEnabled(settings_ != nullptr);  // its choices are saved settings
  chatMenu->addSeparator();
  QAction* quit = chatMenu->addAction(tr("&Quit"), this, &ChatWindow::quit);
  quit->setObjectName(u"quitAction"_s);
  quit->setShortcut(QKeySequence::Quit);
  // Windows (and the platforms that follow its key scheme) have none: Ctrl+Q, as elsewhere.
  if (quit->shortcut().isEmpty()) quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quit->setMenuRole(QAction::QuitRole);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* latest = view->addAction(tr("&Jump to latest message"), logView_, &ChatLogView::jumpToLatest);
  latest->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_End));
  QAction* find = view->addAction(tr("&Find in history…"), this, &ChatWindow::findInHistory);
  find->setObjectName(u"findAction"_s);
  find->setShortcut(QKeySequence::Find);
  view->addAction(tr("&Clear the log"), this, &ChatWindow::askToClearLog)->setObjectName(u"clearLogAction"_s);
  view->addSeparator();
  QAction* transfers = transfersDock_->toggleViewAction();
  transfers->setText(tr("&Transfers"));
  transfers->setObjectName(u"transfersAction"_s);
  view->addAction(transfers);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About ChatPort"), this, [this] {
    QMessageBox::about(this, tr("About ChatPort"),
                       tr("<h3>ChatPort %1</h3><p>Chat with the people on your local network: one "
                          "person hosts, everyone else joins.</p>")
                           .arg(QCoreApplication::applicationVersion()));
    focusInput();
  });
}

void ChatWindow::start() {
  const chat::ClientState::Change change = session_.starting(request_.role, request_.name.toStdString());
  banning_.clear();
  if (change.roster) showRoster();
  offerRows_.clear();  // the new session numbers its offers anew: the old rows stay as they are
  if (hostKeyDialog_) hostKeyDialog_->reject();
  if (privateTarget_ != chat::kNoClient) {
    // The new session's ids name other people. A private message half written stays private:
    // nothing is sent until the person picks someone or goes back to everyone.
    if (input_->toPlainText().trimmed().isEmpty()) {
      clearPrivateTarget();
    } else {
      recipient_ = Recipient::Elsewhere;
      updatePrivateBar();
    }
  }
  logger_->info("{} as '{}' at {}:{}", request_.role == chat::Role::Host ? "hosting" : "joining",
                request_.name.toStdString(), request_.address.toStdString(), request_.port);
  if (change.phase) showPhase();
  pictures_.clear();  // the new session's ids name other people
  bridge_->submit(request_.toCommand());
  request_.acceptNewHostKey = false;  // for this attempt only: a later change is asked about again
}

void ChatWindow::retry() { start(); }

void ChatWindow::leave() {
  const chat::ClientState::Change change = session_.leaving();
  if (!change.phase) return;  // nothing under way
  bridge_->submit(chat::LeaveCommand{});
  log_->append(systemLine(endText()));
  showRoster();
  showPhase();
}

void ChatWindow::askToRemove(chat::ClientId id, bool ban) {
  const chat::Participant* who = session_.find(id);
  if (!who || !connected() || request_.role != chat::Role::Host || id == session_.self()) return;
  const QString name = qs(who->name);
  const bool yes = ban ? confirm(Settings::Confirmation::Remove, tr("Remove %1 from the chat and ban them?").arg(name),
                                 tr("They can't join this room again, even after a restart, until you let them (Chat ▸ Banned people)."), tr("Remove and &ban"))
                       : confirm(Settings::Confirmation::Remove, tr("Remove %1 from the chat?").arg(name),
                                 tr("They can join again."), tr("&Remove"));
  if (!yes) return;
  if (ban)
    this->ban(id);
  else
    kick(id);
}

void ChatWindow::askToClearLog() {
  if (log_->rowCount() == 0) return;
  if (confirm(Settings::Confirmation::ClearLog, tr("Clear the log?"),
              tr("The messages shown here are removed from this window; nobody else's is changed."),
              tr("C&lear")))
    log_->clear();
}

void ChatWindow::quit() {
  if (mayEndTheChat()) QApplication::closeAllWindows();  // asked already: closing does not ask again
}

bool ChatWindow::mayEndTheChat() {
  const int here = static_cast<int>(session_.roster().size());
  const bool endsItForOthers = request_.role == chat::Role::Host && connected() && here > 1;
  const int moving = connected() ? transfers_->unfinished() : 0;
  const QString stops = tr("%n file transfer(s) will stop; a file being received is kept only once it is whole.",
                           nullptr, moving);
  if (endsItForOthers) {
    QString consequence = tr("You are hosting: %n other person(s) will be disconnected.", nullptr, here - 1);
    if (moving > 0) consequence += u' ' + stops;
    return confirm(Settings::Confirmation::EndChat, tr("End the chat for everyone?"), consequence,
                   tr("&End the chat"));
  }
  return moving == 0 || confirm(Settings::Confirmation::StopTransfers, tr("Stop the file transfers?"), stops,
                                tr("&Leave anyway"));
}

bool ChatWindow::confirm(Settings::Confirmation what, const QString& question, const QString& consequence,
                         const QString& yes) {
  if (settings_ && !settings_->asksBefore(what)) return true;
  QMessageBox box(QMessageBox::Question, tr("ChatPort"), question, QMessageBox::Yes | QMessageBox::Cancel, this);
  box.setObjectName(u"confirmation"_s);
  box.setInformativeText(consequence);
  box.button(QMessageBox::Yes)->setText(yes);
  box.setDefaultButton(QMessageBox::Cancel);
  box.setCheckBox(new QCheckBox(tr("&Don't ask again")));
  const bool go = box.exec() == QMessageBox::Yes;
  if (go && box.checkBox()->isChecked() && settings_) {
    settings_->setAsksBefore(what, false);
    settings_->sync();
  }
  focusInput();
  return go;
}

void ChatWindow::kick(chat::ClientId id) {
  if (!connected() || request_.role != chat::Role::Host || id == session_.self()) return;
  bridge_->submit(chat::KickCommand{id});
}

void ChatWindow::ban(chat::ClientId id) {
  if (!connected() || request_.role != chat::Role::Host || id == session_.self()) return;
  banning_.insert(id);
  bridge_->submit(chat::KickCommand{id, true});
}

void ChatWindow::changeNickname() {
  QString problem;
  QString name = ownName();
  for (;;) {
    bool ok = false;
    const QString label = problem.isEmpty() ? tr("New nickname:") : problem + u"\n\n"_s + tr("New nickname:");
    name = QInputDialog::getText(this, tr("Change nickname"), label, QLineEdit::Normal, name, &ok);
    focusInput();
    if (!ok || name == ownName()) return;
    problem = InputChecks::nameProblem(name);
    if (problem.isEmpty()) break;
  }
  if (!connected()) return;
  session_.renaming(name.toStdString());
  bridge_->submit(chat::RenameCommand{name.toStdString()});
}

std::shared_ptr<chat::HistoryStore> ChatWindow::historyStore(QString& why) {
  if (history_) return history_;
  if (!chat::HistoryStore::available()) {
    why = qs(chat::HistoryStore::unavailableReason());
    return nullptr;
  }
  std::string error;
  history_ = chat::HistoryStore::open(dataDir_, error);  // a second connection to the core's file
  if (!history_) {
    logger_->warn("cannot read the history: {}", error);
    why = qs(error);
  }
  return history_;
}

void ChatWindow::findInHistory() {
  QString why;
  historySearch_->setStore(historyStore(why), why);
  historySearch_->setRoom(historyRoom_);
  historySearch_->open();
}

void ChatWindow::showHistorySettings() {
  if (!settings_) return;
  QString why;
  auto store = historyStore(why);
  const QString room = request_.role == chat::Role::Host ? tr("your room")
                                                         : EventText::endpoint(request_.address, request_.port);
  auto* dialog = new HistoryDialog(*settings_, std::move(store), why, historyRoom_, room, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::finished, this, &ChatWindow::focusInput);
  dialog->open();
}

int ChatWindow::logRowOfSeq(std::uint64_t seq) const {
  for (int row = log_->rowCount() - 1; row >= 0; --row) {
    const LogEntry& entry = log_->entry(row);
    if (entry.kind == LogEntry::Kind::Message && entry.seq == seq) return row;
  }
  return -1;
}

void ChatWindow::showHistoryMessage(const chat::StoredMessage& message) {
  if (message.kind == chat::StoredMessage::Kind::Chat && message.seq != 0 && message.room == historyRoom_) {
    if (const int row = logRowOfSeq(message.seq); row >= 0) {
      const QModelIndex index = log_->index(row);
      logView_->setCurrentIndex(index);
      logView_->scrollTo(index, QAbstractItemView::PositionAtCenter);
      return;
    }
  }
  QString why;
  auto store = historyStore(why);
  if (!store) return;
  auto* watcher = new QFutureWatcher<std::vector<chat::StoredMessage>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this,
          [this, watcher, id = message.id, words = historySearch_->resultWords(),
           room = historySearch_->roomName(message.room)] {
            watcher->deleteLater();
            auto* dialog = new HistoryContextDialog(watcher->result(), id, words, room, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
          });
  watcher->setFuture(QtConcurrent::run([store, id = message.id] { return store->around(id, 10, 10); }));
}

void ChatWindow::setPrivateTarget(chat::ClientId id) {
  const chat::Participant* who = session_.find(id);
  if (!who || id == session_.self()) return;
  privateTarget_ = id;
  recipient_ = Recipient::Here;
  recipientName_ = qs(who->name);
  checkRecipientName_ = false;
  updatePrivateBar();
  updateInput();
  input_->setFocus(Qt::OtherFocusReason);
}

void ChatWindow::clearPrivateTarget() {
  if (privateTarget_ == chat::kNoClient) return;
  privateTarget_ = chat::kNoClient;
  recipient_ = Recipient::Here;
  recipientName_.clear();
  checkRecipientName_ = false;
  updatePrivateBar();
  updateInput();
}

void ChatWindow::recipientSeen(const chat::Participant* who) {
  if (privateTarget_ == chat::kNoClient || recipient_ == Recipient::Elsewhere) return;
  if (who && checkRecipientName_ && qs(who->name) != recipientName_) {
    recipient_ = Recipient::Elsewhere;
  } else if (who) {
    recipient_ = Recipient::Here;
    recipientName_ = qs(who->name);
  } else {
    recipient_ = Recipient::Left;
  }
  checkRecipientName_ = false;
  updatePrivateBar();
  updateInput();
}

void ChatWindow::updatePrivateBar() {
  if (privateTarget_ == chat::kNoClient) {
    privateBar_->hide();
    return;
  }
  const QString name = recipientName_.toHtmlEscaped();
  switch (recipient_) {
    case Recipient::Here:
      privateLabel_->setText(tr("Private message to <b>%1</b>: only they will see it.").arg(name));
      privateLabel_->setToolTip(QString());
      break;
    case Recipient::Left:
      privateLabel_->setText(tr("<b>%1</b> left — your message will not be sent.").arg(name));
      privateLabel_->setToolTip(tr("If %1 comes back in the same session, your message goes to them. "
                                   "Go back to everyone to write to the whole chat instead.")
                                    .arg(recipientName_));
      break;
    case Recipient::Elsewhere:
      privateLabel_->setText(tr("<b>%1</b> is not in this chat — your message will not be sent.").arg(name));
      privateLabel_->setToolTip(tr("Double-click a name in the list to write to that person, or go back "
                                   "to everyone."));
      break;
  }
  privateIcon_->setVisible(recipient_ != Recipient::Here);
  privateBar_->show();
}

void ChatWindow::sendInput() {
  if (!connected()) return;
  QString text = input_->toPlainText();
  while (text.endsWith(u'\n')) text.chop(1);
  if (text.trimmed().isEmpty()) return;
  if (privateTarget_ != chat::kNoClient && recipient_ != Recipient::Here) {
    // Never to everyone instead: the text waits until the recipient is back, or until the
    // person goes back to everyone themselves. The bar says why.
    QApplication::beep();
    return;
  }
  std::string utf8 = text.toStdString();
  if (auto problem = chat::validateText(utf8)) {
    // Not sent: keep the text so it can be shortened.
    log_->append(errorLine(EventText::failure(*problem, request_)));
    return;
  }
  if (privateTarget_ != chat::kNoClient)
    bridge_->submit(chat::PrivateCommand{privateTarget_, std::move(utf8)});
  else
    bridge_->submit(chat::SendCommand{std::move(utf8)});
  input_->clear();
  logView_->jumpToLatest();
}

void ChatWindow::closeEvent(QCloseEvent* event) {
  // The person closed the window (the program closing it, on Quit or a termination signal,
  // has asked already or must not ask).
  if (event->spontaneous() && !mayEndTheChat()) {
    event->ignore();
    return;
  }
  if (settings_) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setSplitterState(splitter_->saveState());
    settings_->sync();
  }
  if (session_.leaving().phase) {
    bridge_->submit(chat::LeaveCommand{});
    showRoster();
    showPhase();
  }
  QMainWindow::closeEvent(event);
}

void ChatWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  focusInput();
}

void ChatWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  if (event->type() == QEvent::ActivationChange && isActiveWindow()) focusInput();
}

void ChatWindow::focusInput() {
  if (input_->isEnabled()) input_->setFocus(Qt::OtherFocusReason);
}

void ChatWindow::showPhase() {
  const ConnectionState state = this->state();
  const bool inChat = state == ConnectionState::Connected;
  if (state != ConnectionState::Reconnecting) countdown_->stop();
  status_->setState(state, session_.secondsToReconnect(chat::ClientState::Clock::now()));
  if (!inChat) status_->clearSecurity();  // shown again for the host reached next
  status_->setConnectedCount(static_cast<int>(session_.roster().size()));
  showBanner();
  leaveAction_->setEnabled(state != ConnectionState::Idle && state != ConnectionState::Disconnected);
  renameAction_->setEnabled(inChat);
  updateInput();
  updateTitle();
  logger_->debug("state {}", EventText::state(state, 0).toStdString());
  Q_EMIT stateChanged(state);
}

QString ChatWindow::endText() const {
  const auto& why = session_.lastDisconnect();
  if (!why) return {};
  if (why->reason != chat::ErrorCode::Left) return EventText::ended(why->reason, request_);
  const auto from = session_.leftFrom();
  return !from || *from == chat::ClientState::Phase::Connected ? EventText::youLeft(request_.role)
                                                               : EventText::connectCancelled();
}

void ChatWindow::showBanner() {
  using Phase = chat::ClientState::Phase;
  const Phase phase = session_.phase();
  banner_->setVisible(phase != Phase::Idle && phase != Phase::Connected);
  if (phase == Phase::Connecting) {
    banner_->showMessage(ConnectionBanner::Kind::Progress, EventText::connecting(request_));
  } else if (phase == Phase::Reconnecting) {
    const int attempt = session_.reconnectAttempt();  // 0: the core has not said when yet
    banner_->showMessage(ConnectionBanner::Kind::Progress,
                         attempt > 0 ? EventText::reconnecting(
                                           session_.secondsToReconnect(chat::ClientState::Clock::now()), attempt)
                                     : endText());
  } else if (phase == Phase::Ended) {
    const auto& why = session_.lastDisconnect();
    const bool failed = why && why->reason != chat::ErrorCode::Left;
    // Retrying cannot help after being removed, nor with a refused nickname: changing it can.
    banner_->showMessage(failed ? ConnectionBanner::Kind::Failure : ConnectionBanner::Kind::Ended, endText(),
                         !failed || retryMayWork(why->reason));
    banner_->retryButton()->setText(request_.role == chat::Role::Host ? tr("Host again") : tr("Join again"));
    banner_->changeButton()->setText(failed && nameRefused(why->reason) ? tr("Choose another nickname…")
                                                                        : tr("Change…"));
  }
}

void ChatWindow::showRoster() {
  std::vector<chat::Participant> here;
  for (const auto& [id, who] : session_.roster()) here.push_back(who);
  clients_->setClients(here);
  status_->setConnectedCount(clients_->count());
}

void ChatWindow::updateInput() {
  const bool inChat = connected();
  const bool isPrivate = privateTarget_ != chat::kNoClient;
  const bool wasEnabled = input_->isEnabled();
  input_->setEnabled(inChat);
  if (inChat && !wasEnabled) focusInput();
  sendButton_->setEnabled(inChat && (!isPrivate || recipient_ == Recipient::Here));
  if (inChat && isPrivate) {
    switch (recipient_) {
      case Recipient::Here:
        input_->setPlaceholderText(
            tr("Write to %1 privately. Enter sends, Esc goes back to everyone.").arg(recipientName_));
        break;
      case Recipient::Left:
        input_->setPlaceholderText(tr("%1 left: nothing is sent. Esc goes back to everyone.").arg(recipientName_));
        break;
      case Recipient::Elsewhere:
        input_->setPlaceholderText(
            tr("%1 is not in this chat: nothing is sent. Esc goes back to everyone.").arg(recipientName_));
        break;
    }
  } else {
    input_->setPlaceholderText(EventText::cannotSend(state()));
  }
  input_->setToolTip(inChat ? QString() : EventText::cannotSend(state()));
  updateFileActions();
}

void ChatWindow::updateTitle() {
  QString title;
  if (request_.role == chat::Role::Host)
    title = port_ ? tr("%1 — hosting on port %2").arg(ownName()).arg(port_) : tr("%1 — hosting").arg(ownName());
  else
    title = tr("%1 — %2").arg(ownName(), EventText::endpoint(request_.address, request_.port));
  // Without "ChatPort": the platform adds the application's display name where it shows one
  // (X11 and Windows append " — ChatPort"), and a title naming it already would say it twice.
  if (const int unread = unread_->unread(); unread > 0) title = u"(%1) "_s.arg(unread) + title;
  setWindowTitle(title);
}

void ChatWindow::updateCountdown() {
  const int seconds = session_.secondsToReconnect(chat::ClientState::Clock::now());
  status_->setState(state(), seconds);
  showBanner();
  if (seconds <= 0) countdown_->stop();
}

QString ChatWindow::endpointForStatus() const {
  if (request_.role == chat::Role::Host) return LocalAddresses::forBinding(address_).value(0);
  return address_.isEmpty() ? request_.address : address_;
}

// ---- Events ------------------------------------------------------------------------------

void ChatWindow::handleEvents(std::vector<chat::Event>& events) {
  Batch batch;
  batch.rows.reserve(events.size());
  bool rosterChanged = false;
  for (chat::Event& event : events) {
    change_ = session_.apply(event);
    std::visit([&](auto& e) { on(e, batch); }, event);
    rosterChanged = rosterChanged || change_.roster;
    if (change_.phase) showPhase();
  }
  if (rosterChanged) showRoster();
  const std::size_t count = batch.rows.size();
  log_->append(std::move(batch.rows));
  // The offers' rows are the batch's last count rows (fewer if the log kept fewer).
  for (auto it = batch.offers.cbegin(); it != batch.offers.cend(); ++it) {
    const auto fromEnd = static_cast<int>(count - 1 - it.value());
    if (fromEnd < log_->rowCount()) offerRows_.insert(it.key(), log_->serial(log_->rowCount() - 1 - fromEnd));
  }
  if (static_cast<std::size_t>(offerRows_.size()) > pruneOffersAt_) {
    // Offers whose rows the log let go (or cleared) are forgotten, now and then.
    offerRows_.removeIf([this](const auto& it) { return log_->rowOfSerial(it.value()) < 0; });
    pruneOffersAt_ = std::max<std::size_t>(1024, 2 * static_cast<std::size_t>(offerRows_.size()));
  }
}

void ChatWindow::on(chat::ConnectedEvent& e, Batch& batch) {
  if (session_.leftFrom()) return;  // it crossed the person's leave or cancel: that session is over
  // Back after a lost link under the same id: the host kept our session, and its ids still
  // name the same people. Otherwise a private recipient's id means nothing here.
  const bool resumed = session_.resumed();
  if (privateTarget_ != chat::kNoClient) {
    if (resumed) {
      checkRecipientName_ = true;
    } else {
      recipient_ = Recipient::Elsewhere;
      updatePrivateBar();
    }
  }
  if (!resumed) {  // a new session: its ids name other people
    colors_.clear();
    pictures_.clear();
  }
  address_ = qs(e.address);
  port_ = e.port;
  historyRoom_ = e.historyRoom;
  historySearch_->setRoom(historyRoom_);
  clients_->setSelf(session_.self());
  status_->setEndpoint(endpointForStatus(), port_);
  if (e.role == chat::Role::Host) {
    if (e.portAsked != 0) batch.rows.push_back(systemLine(EventText::portMoved(e.portAsked, port_)));
    batch.rows.push_back(systemLine(EventText::hosting(LocalAddresses::forBinding(address_), port_)));
  } else
    batch.rows.push_back(systemLine(EventText::joinedChat(request_.address, port_, ownName())));
  if (e.firstContact)
    batch.rows.push_back(systemLine(EventText::firstContact(request_.address, request_.port, qs(e.hostFingerprint))));
  logger_->info("connected as '{}' (id {}) at {}:{}", e.name, e.self, e.address, e.port);
  if (settings_ && e.role == chat::Role::Joiner) {
    // Remembered once it worked: a mistyped address is not offered next time.
    settings_->setJoinAddress(request_.address);
    settings_->setJoinPort(request_.port);
    settings_->sync();
  }
  status_->setSecurity(qs(e.hostFingerprint), e.role == chat::Role::Host, e.passwordProtected);
}

void ChatWindow::on(chat::ClientListEvent& e, Batch&) {
  colors_.setPresent(e.clients);
  if (privateTarget_ != chat::kNoClient && connected()) recipientSeen(session_.find(privateTarget_));
}

void ChatWindow::on(chat::JoinedEvent& e, Batch& batch) {
  if (e.who.id == session_.self()) return;
  colors_.arrived(e.who.id);
  batch.rows.push_back(systemLine(EventText::joined(qs(e.who.name))));
  if (e.who.id == privateTarget_ && recipient_ == Recipient::Left) recipientSeen(&e.who);
}

void ChatWindow::on(chat::LeftEvent& e, Batch& batch) {
  if (e.who.id == session_.self()) return;
  colors_.left(e.who.id);
  const QString name = qs(e.who.name);
  const bool iKicked = request_.role == chat::Role::Host && e.reason == chat::LeaveReason::Kicked;
  const bool iBanned = iKicked && banning_.remove(e.who.id);
  batch.rows.push_back(systemLine(iBanned  ? EventText::youBanned(name)
                                  : iKicked ? EventText::youRemoved(name)
                                            : EventText::left(name, e.reason)));
  if (e.who.id == privateTarget_ && recipient_ == Recipient::Here) {
    // At once, not when the list follows: from now on nothing written to them is sent.
    recipient_ = Recipient::Left;
    recipientName_ = name;
    updatePrivateBar();
    updateInput();
  }
}

void ChatWindow::on(chat::RenamedEvent& e, Batch& batch) {
  if (e.id == session_.self()) {
    request_.name = qs(e.newName);  // joining or hosting again is under the name in use now
    batch.rows.push_back(systemLine(EventText::youAreNowCalled(request_.name)));
    updateTitle();
  } else {
    batch.rows.push_back(systemLine(EventText::renamed(qs(e.oldName), qs(e.newName))));
  }
  if (e.id == privateTarget_ && recipient_ == Recipient::Here) {
    recipientName_ = qs(e.newName);
    updatePrivateBar();
    updateInput();
  }
}

void ChatWindow::markHistory(LogEntry& entry, bool history, Batch& batch) {
  // The room's past comes as one run right after connecting; a line says where it starts and
  // another where the live conversation takes over.
  if (history != showingHistory_) {
    batch.rows.push_back(systemLine(history ? EventText::historyStarts() : EventText::historyEnds()));
    showingHistory_ = history;
  }
  if (!history) return;
  entry.history = true;
  entry.own = entry.sender == ownName();  // ids from before name nobody now
}

void ChatWindow::on(chat::MessageEvent& e, Batch& batch) {
  LogEntry entry = spoken(LogEntry::Kind::Message, session_.self(), session_.host(), e.from, e.fromName, e.time, e.text);
  entry.seq = e.seq;
  markHistory(entry, e.history, batch);
  unread_->messageArrived({.from = entry.sender, .text = entry.text, .own = entry.own, .history = e.history});
  batch.rows.push_back(std::move(entry));
}

void ChatWindow::on(chat::PrivateMessageEvent& e, Batch& batch) {
  LogEntry entry = spoken(LogEntry::Kind::Private, session_.self(), session_.host(), e.from, e.fromName, e.time, e.text);
  entry.recipient = qs(e.toName);
  entry.recipientId = e.to;
  entry.recipientIsHost = e.to != chat::kNoClient && e.to == session_.host();
  markHistory(entry, e.history, batch);
  unread_->messageArrived(
      {.from = entry.sender, .text = entry.text, .isPrivate = true, .own = entry.own, .history = e.history});
  batch.rows.push_back(std::move(entry));
}

void ChatWindow::showFailure(chat::ErrorCode code, const std::string& detail, Batch& batch, bool ended) {
  SessionRequest context = request_;
  if (!change_.refusedName.empty()) context.name = qs(change_.refusedName);  // a rename refused
  const QString text = ended ? EventText::ended(code, context) : EventText::failure(code, context);
  logger_->warn("{}: {}", chat::errorName(code), detail);
  batch.rows.push_back(errorLine(text));
}

void ChatWindow::on(chat::PresenceEvent& e, Batch&) {
  // Everyone's reaches the client list with the roster (showRoster); this person's own is also
  // shown by the status bar's button and the Status menu.
  if (e.id != session_.self()) return;
  presence_->setConfirmed(e.presence);
  unread_->setBusy(e.presence == chat::Presence::Busy);
}

void ChatWindow::on(chat::PictureEvent& e, Batch&) {
  if (!change_.pictures || !pictures_.set(e.id, e.picture)) return;
  clients_->pictureChanged(e.id);
  logView_->viewport()->update();
}

void ChatWindow::choosePicture() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Your picture"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
      tr("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)"));
  focusInput();
  if (path.isEmpty()) return;
  QImageReader reader(path);
  reader.setAutoTransform(true);  // a photo as it was taken, upright
  const QImage image = reader.read();
  if (image.isNull()) {
    QMessageBox::warning(this, tr("Your picture"),
                         tr("%1 cannot be used as a picture: %2").arg(QDir::toNativeSeparators(path), reader.errorString()));
    return;
  }
  setPicture(image);
}

bool ChatWindow::setPicture(const QImage& image) {
  const chat::Picture picture = PictureBook::encode(image);
  if (!image.isNull() && picture.empty()) {
    QMessageBox::warning(this, tr("Your picture"), tr("This image cannot be made small enough to send."));
    return false;
  }
  if (settings_) {
    settings_->setPicture(PictureBook::bytesOf(picture));
    settings_->sync();
  }
  removePictureAction_->setEnabled(!picture.empty());
  // Shown once the room has it (its PictureEvent), as everyone else sees it.
  bridge_->submit(chat::SetPictureCommand{picture});
  return true;
}

void ChatWindow::on(chat::RateLimitEvent& e, Batch& batch) {
  const bool exempt = e.sendRate <= 0;
  if (e.who == session_.self()) {
    batch.rows.push_back(systemLine(EventText::yourRateLimit(e.sendRate, e.sendBurst)));
    return;
  }
  clientView_->setExempt(e.who, exempt);
  batch.rows.push_back(systemLine(EventText::rateLimit(QString::fromStdString(e.name), e.sendRate, e.sendBurst)));
}

void ChatWindow::on(chat::BansEvent& e, Batch& batch) {
  if (!bannedMenu_) return;
  for (const QString& name : bannedMenu_->setBanned(std::move(e.banned)))
    batch.rows.push_back(systemLine(tr("%1 may join this room again.").arg(name)));
}

void ChatWindow::on(chat::ErrorEvent& e, Batch& batch) {
  if (session_.leftFrom()) return;  // about a session the person left
  // A request that failed; a failure that ends the session comes as its DisconnectedEvent.
  showFailure(e.code, e.detail, batch);
}

void ChatWindow::askAboutHostKey(const QString& pinned, const QString& offered) {
  if (hostKeyDialog_) hostKeyDialog_->reject();
  auto* dialog = new HostKeyDialog(EventText::endpoint(request_.address, request_.port), pinned, offered, this);
  hostKeyDialog_ = dialog;
  connect(dialog, &QDialog::finished, this, [this, dialog, offered] {
    if (hostKeyDialog_ != dialog) return;  // answered already (a reject() after a click, say)
    hostKeyDialog_.clear();
    focusInput();
    dialog->deleteLater();
    // Only if nothing else started meanwhile: the answer is about this refusal.
    if (!dialog->trusted() || session_.phase() != chat::ClientState::Phase::Ended) return;
    logger_->warn("the person trusts the host's new key {}", offered.toStdString());
    log_->append(systemLine(EventText::trustingNewKey(request_.address, request_.port, offered)));
    request_.acceptNewHostKey = true;
    start();
  });
  dialog->open();  // window-modal; the log and banner already say what happened
}

void ChatWindow::on(chat::DisconnectedEvent& e, Batch& batch) {
  // Not taken by the session: after the person's leave or cancel (already shown), or the
  // confirmation of an earlier attempt's leave while a new one connects.
  if (session_.leftFrom() || session_.phase() == chat::ClientState::Phase::Connecting) return;
  if (e.reason == chat::ErrorCode::Left) {
    batch.rows.push_back(systemLine(endText()));
    return;
  }
  showFailure(e.reason, e.detail, batch, true);
  if (e.willReconnect) return;  // a private recipient is kept: see on(ConnectedEvent) and start()
  if (e.reason == chat::ErrorCode::HostKeyChanged && request_.role == chat::Role::Joiner)
    askAboutHostKey(qs(e.pinnedFingerprint), qs(e.offeredFingerprint));
  if (e.reason == chat::ErrorCode::NotAnnouncedRoom) {
    if (wrongRoomDialog_) wrongRoomDialog_->reject();
    wrongRoomDialog_ = new WrongRoomDialog(EventText::endpoint(request_.address, request_.port),
                                           qs(e.pinnedFingerprint), qs(e.offeredFingerprint), this);
    wrongRoomDialog_->setAttribute(Qt::WA_DeleteOnClose);
    wrongRoomDialog_->open();
  }
}

void ChatWindow::on(chat::ReconnectingEvent&, Batch&) {
  if (session_.phase() != chat::ClientState::Phase::Reconnecting) return;  // the person left
  updateCountdown();
  countdown_->start();
}

void ChatWindow::on(chat::SkippedEvent& e, Batch& batch) {
  batch.rows.push_back(systemLine(EventText::skipped(e.messages, e.notices)));
}

void ChatWindow::on(chat::MissedEvent& e, Batch& batch) {
  batch.rows.push_back(systemLine(EventText::missed(e.messages)));
}

void ChatWindow::on(chat::StatsEvent& e, Batch&) {
  logger_->trace("stats: {} clients, {} in, {} out", e.clients, e.messagesIn, e.messagesOut);
}

// ---- Files --------------------------------------------------------------------------------

void ChatWindow::updateFileActions() {
  const bool canSend = connected() &&
                       (privateTarget_ == chat::kNoClient || recipient_ == Recipient::Here);
  sendFileAction_->setEnabled(canSend);
  sendFolderAction_->setEnabled(canSend);
  attachButton_->setEnabled(canSend);
}

QString ChatWindow::nameOf(chat::ClientId id, const QString& fallback) const {
  const chat::Participant* who = session_.find(id);
  return who ? qs(who->name) : fallback;
}

void ChatWindow::offerFiles(const QStringList& paths, chat::ClientId to) {
  if (!connected() || to == session_.self()) return;
  for (const QString& path : paths) {
    if (path.isEmpty()) continue;
    logger_->info("offering {} to {}", path.toStdString(),
                  to == chat::kNoClient ? std::string("everyone") : std::to_string(to));
    bridge_->submit(chat::SendFileCommand{to, QDir::toNativeSeparators(path).toStdString()});
  }
}

void ChatWindow::offerFilesHere(const QStringList& paths) {
  // As with messages: once someone is picked, nothing goes to everyone by mistake.
  if (privateTarget_ != chat::kNoClient && recipient_ != Recipient::Here) return;
  offerFiles(paths, privateTarget_);
}

void ChatWindow::askForFilesToSend() {
  const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Send files"));
  focusInput();
  offerFilesHere(paths);
}

void ChatWindow::askForFolderToSend() {
  const QString path = QFileDialog::getExistingDirectory(this, tr("Send a folder"));
  focusInput();
  if (!path.isEmpty()) offerFilesHere({path});
}

QString ChatWindow::pastedImagesFolder() {
  if (!pastedImages_) pastedImages_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/chatport-pasted-XXXXXX"_s);
  return pastedImages_->isValid() ? pastedImages_->path() : QString();
}

void ChatWindow::offerImage(const QImage& image) {
  if (image.isNull() || !connected()) return;
  if (privateTarget_ != chat::kNoClient && recipient_ != Recipient::Here) return;
  QMessageBox box(QMessageBox::Question, tr("Send image"),
                  privateTarget_ == chat::kNoClient ? tr("Send this image to everyone?")
                                                    : tr("Send this image to %1?").arg(recipientName_),
                  QMessageBox::Yes | QMessageBox::Cancel, this);
  box.setObjectName(u"sendImageQuestion"_s);
  box.setInformativeText(tr("%1 × %2 pixels, sent as a PNG file.").arg(image.width()).arg(image.height()));
  const qreal dpr = devicePixelRatioF();
  QPixmap preview = QPixmap::fromImage(image);
  const int most = static_cast<int>(200 * dpr);
  if (preview.width() > most || preview.height() > most)
    preview = preview.scaled(most, most, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  preview.setDevicePixelRatio(dpr);
  box.setIconPixmap(preview);
  box.button(QMessageBox::Yes)->setText(tr("&Send"));
  box.setDefaultButton(QMessageBox::Yes);
  const bool send = box.exec() == QMessageBox::Yes;
  focusInput();
  if (!send) return;
  const QString folder = pastedImagesFolder();
  const QString stem = u"image-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
  QString path = folder + u'/' + stem + u".png"_s;
  for (int n = 2; QFileInfo::exists(path); ++n) path = folder + u'/' + stem + u'-' + QString::number(n) + u".png"_s;
  if (folder.isEmpty() || !image.save(path, "PNG")) {
    logger_->warn("cannot save a pasted image in {}", folder.toStdString());
    log_->append(errorLine(tr("ChatPort could not save the pasted image to send it: the temporary folder can't be "
                              "written to.")));
    return;
  }
  offerFiles({path}, privateTarget_);
}

void ChatWindow::updateOffer(chat::TransferId id, Batch& batch, const std::function<void(LogEntry&)>& change) {
  if (auto it = batch.offers.constFind(id); it != batch.offers.constEnd()) {
    change(batch.rows[it.value()]);
    return;
  }
  updateOffer(id, change);
}

void ChatWindow::updateOffer(chat::TransferId id, const std::function<void(LogEntry&)>& change) {
  if (auto it = offerRows_.constFind(id); it != offerRows_.constEnd())
    log_->update(log_->rowOfSerial(it.value()), change);
}

void ChatWindow::on(chat::FileOfferEvent& e, Batch& batch) {
  transfers_->offered(e);
  LogEntry entry = spoken(LogEntry::Kind::File, session_.self(), session_.host(), e.from, e.fromName, e.time, {});
  entry.own = e.outgoing;
  if (e.outgoing) entry.sender = ownName();
  entry.transferId = e.id;
  entry.fileName = qs(e.name);
  entry.folder = e.folder;
  entry.fileSize = e.size;
  if (e.to == chat::kNoClient)
    entry.text = e.folder ? tr("offers a folder to everyone") : tr("offers a file to everyone");
  else if (e.outgoing)
    entry.text = (e.folder ? tr("offers %1 a folder") : tr("offers %1 a file")).arg(nameOf(e.to, tr("someone")));
  else
    entry.text = e.folder ? tr("offers you a folder") : tr("offers you a file");
  entry.recipientId = e.to;
  if (e.resumed) {  // an earlier run of this program stopped in the middle of it
    entry.fileStatus = tr("Taken up where it stopped");
    entry.fileActions = LogEntry::Cancel;
  } else if (e.outgoing) {
    entry.fileStatus = tr("Waiting for an answer");
    entry.fileActions = LogEntry::Cancel;
  } else {
    entry.fileStatus = tr("Waiting for your answer");
    entry.fileActions = LogEntry::Accept | LogEntry::Decline;
    unread_->messageArrived(
        {.from = entry.sender, .text = entry.text + u' ' + entry.fileName, .isPrivate = e.to != chat::kNoClient});
  }
  batch.offers.insert(e.id, batch.rows.size());
  batch.rows.push_back(std::move(entry));
}

void ChatWindow::on(chat::FileProgressEvent& e, Batch& batch) {
  const QString peer = nameOf(e.peer, tr("someone"));
  // The panel opens when something starts moving, not for every offer made.
  if (transfers_->progressed(e, peer) && e.state != chat::TransferState::Waiting) showTransfers();
  QString status;
  switch (e.state) {
    case chat::TransferState::Waiting: return;
    case chat::TransferState::Running:
      status = e.outgoing ? tr("Sending to %1…").arg(peer) : tr("Receiving…");
      break;
    case chat::TransferState::Paused: status = tr("Paused"); break;
    case chat::TransferState::Checking: status = tr("Checking…"); break;
  }
  updateOffer(e.id, batch, [&](LogEntry& entry) {
    entry.fileStatus = status;
    // Under way: accepted (here or, for the same person, in another window), so only Cancel.
    if (!e.outgoing) entry.fileActions = LogEntry::Cancel;
  });
}

void ChatWindow::on(chat::FileDoneEvent& e, Batch& batch) {
  const QString path = qs(e.path);
  const QString peer = nameOf(e.peer, tr("someone"));
  transfers_->finished(e, peer);
  if (e.outgoing) {
    updateOffer(e.id, batch, [&](LogEntry& entry) {
      entry.fileStatus = tr("%1 has it").arg(peer);
      if (entry.recipientId != chat::kNoClient) entry.fileActions = LogEntry::NoFileAction;  // nothing left to cancel
    });
    return;
  }
  updateOffer(e.id, batch, [&](LogEntry& entry) {
    entry.filePath = path;
    entry.fileSize = e.size;
    entry.fileStatus = tr("Saved in %1").arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
    entry.fileActions = LogEntry::Open | LogEntry::ShowInFolder;
  });
  showThumbnail(e.id, path);
}

void ChatWindow::showThumbnail(chat::TransferId id, const QString& path) {
  // Decoded on a worker: a large photo must not hold up the window.
  auto* watcher = new QFutureWatcher<QImage>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, path] {
    watcher->deleteLater();
    const QImage image = watcher->result();
    if (image.isNull()) return;
    updateOffer(id, [&](LogEntry& entry) {
      if (entry.filePath == path) entry.thumbnail = image;
    });
    // The oldest go back to an icon: the log's images take bounded memory.
    thumbnails_.push_back(id);
    while (thumbnails_.size() > kMaxThumbnails) {
      updateOffer(thumbnails_.front(), [](LogEntry& entry) { entry.thumbnail = QImage(); });
      thumbnails_.pop_front();
    }
  });
  watcher->setFuture(QtConcurrent::run(thumbnailOf, path, devicePixelRatioF()));
}

void ChatWindow::on(chat::FileFailedEvent& e, Batch& batch) {
  const QString peer = nameOf(e.peer, tr("someone"));
  transfers_->failed(e, peer);
  const QString reason = EventText::transferFailure(e.reason, e.outgoing);
  logger_->info("transfer {} {}: {} {}", e.id, e.outgoing ? "out" : "in", chat::transferFailureName(e.reason),
                e.detail);
  updateOffer(e.id, batch, [&](LogEntry& entry) {
    // A room's offer goes on for the others when one person declines or leaves.
    const bool forEveryone = !e.outgoing || e.peer == chat::kNoClient || entry.recipientId != chat::kNoClient;
    entry.fileStatus = forEveryone ? reason : tr("%1: %2").arg(peer, reason);
    if (forEveryone) entry.fileActions = LogEntry::NoFileAction;
  });
}

void ChatWindow::fileActionTriggered(int row, LogEntry::FileAction action) {
  if (row < 0 || row >= log_->rowCount()) return;
  const LogEntry& entry = log_->entry(row);
  if (entry.kind != LogEntry::Kind::File || !(entry.fileActions & action)) return;
  switch (action) {
    case LogEntry::Accept: acceptOffer(entry.transferId); break;
    case LogEntry::Decline: declineOffer(entry.transferId); break;
    case LogEntry::Cancel: cancelOffer(entry.transferId); break;
    case LogEntry::Open: openFile(entry.filePath); break;
    case LogEntry::ShowInFolder: showInFolder(entry.filePath); break;
    case LogEntry::NoFileAction: break;
  }
}

void ChatWindow::acceptOffer(chat::TransferId id) {
  const auto it = offerRows_.constFind(id);
  const int row = it == offerRows_.constEnd() ? -1 : log_->rowOfSerial(it.value());
  if (row < 0 || !connected()) return;
  const QString name = log_->entry(row).fileName;
  const QString suggested = settings_ ? settings_->downloadFolder()
                                      : QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
  const QString folder = chooseSaveFolder_
                             ? chooseSaveFolder_(suggested)
                             : QFileDialog::getExistingDirectory(this, tr("Save “%1” in").arg(name), suggested);
  focusInput();
  if (folder.isEmpty()) return;
  if (settings_) {
    settings_->setDownloadFolder(folder);
    settings_->sync();
  }
  bool overwrite = false;
  if (QFileInfo::exists(QDir(folder).filePath(name))) {
    QMessageBox box(QMessageBox::Question, tr("ChatPort"), tr("“%1” is already in that folder.").arg(name),
                    QMessageBox::NoButton, this);
    box.setObjectName(u"replaceQuestion"_s);
    box.setInformativeText(tr("Replace it with the one you receive, or keep both (the new one gets a number)?"));
    QPushButton* replace = box.addButton(tr("&Replace"), QMessageBox::DestructiveRole);
    replace->setObjectName(u"replaceButton"_s);
    QPushButton* keep = box.addButton(tr("&Keep both"), QMessageBox::AcceptRole);
    keep->setObjectName(u"keepBothButton"_s);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(keep);
    box.exec();
    focusInput();
    if (box.clickedButton() != replace && box.clickedButton() != keep) return;
    overwrite = box.clickedButton() == replace;
  }
  if (!connected()) return;  // the chat ended while asking
  bridge_->submit(chat::AcceptFileCommand{id, QDir::toNativeSeparators(folder).toStdString(), overwrite});
  updateOffer(id, [&](LogEntry& entry) {
    entry.fileStatus = tr("Accepted: it will be saved in %1").arg(QDir::toNativeSeparators(folder));
    entry.fileActions = LogEntry::Cancel;
  });
}

void ChatWindow::declineOffer(chat::TransferId id) {
  if (!connected()) return;
  bridge_->submit(chat::DeclineFileCommand{id});
  updateOffer(id, [](LogEntry& entry) {
    entry.fileStatus = EventText::transferFailure(chat::TransferFailure::Declined, false);
    entry.fileActions = LogEntry::NoFileAction;
  });
}

void ChatWindow::cancelOffer(chat::TransferId id) {
  if (!connected()) return;
  bridge_->submit(chat::CancelFileCommand{id, chat::kNoClient});
  updateOffer(id, [](LogEntry& entry) {
    entry.fileStatus = EventText::transferFailure(chat::TransferFailure::Cancelled, entry.own);
    entry.fileActions = LogEntry::NoFileAction;
  });
}

void ChatWindow::showTransfers() {
  transfersDock_->show();
  transfersDock_->raise();
}

void ChatWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (connected() && !droppedFiles(event->mimeData()).isEmpty())
    event->acceptProposedAction();
  else
    event->ignore();
}

void ChatWindow::dropEvent(QDropEvent* event) {
  const QStringList paths = droppedFiles(event->mimeData());
  if (paths.isEmpty() || !connected()) {
    event->ignore();
    return;
  }
  event->acceptProposedAction();
  offerFiles(paths, chat::kNoClient);
}

}  // namespace chatport::ui
