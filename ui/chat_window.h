#pragma once
// One chat session's window: the log, the input, the people connected and the session's
// status. It talks to the chat core only through its CoreBridge: commands in, events out,
// drained in bounded batches, so the window never waits on the network. UI thread only.

#include "connection_banner.h"
#include "connection_state.h"
#include "log_entry.h"
#include "picture_book.h"
#include "sender_palette.h"
#include "session_request.h"
#include "settings.h"

#include <chatport/chat/chat_core.h>
#include <chatport/chat/client_state.h>

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

class QAction;
class QDockWidget;
class QFrame;
class QLabel;
class QPushButton;
class QSplitter;
class QTemporaryDir;
class QTimer;
class QToolButton;

namespace spdlog {
class logger;
}

namespace chatport::ui {

class EmojiPicker;

class ChatLogModel;
class ChatLogView;
class ClientListModel;
class ClientListView;
class CoreBridge;
class HistorySearchBar;
class HostKeyDialog;
class WrongRoomDialog;
class MessageInput;
class BannedPeopleMenu;
class PresenceControl;
class SessionStatusBar;
class TransferListModel;
class TransferPanel;
class UnreadNotifier;

class ChatWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// settings (may be null) keeps the window's size and layout between runs.
  explicit ChatWindow(SessionRequest request, chat::CoreOptions options = {},
                      Settings* settings = nullptr, QWidget* parent = nullptr);
  ~ChatWindow() override;

  /// Starts hosting or joining as requested.
  void start();

  ConnectionState state() const { return connectionState(session_.phase()); }
  const SessionRequest& request() const { return request_; }
  /// Once connected: who this window's user is, and the chat's actual port.
  chat::ClientId selfId() const { return session_.self(); }
  QString nickname() const { return ownName(); }
  quint16 port() const { return port_; }
  /// The person private messages go to, or kNoClient for everyone. Once chosen, it stays until
  /// the person goes back to everyone (or picks someone else): if the recipient leaves, nothing
  /// is sent rather than sending to everyone.
  chat::ClientId privateTarget() const { return privateTarget_; }
  /// Whether what is written now can be sent to the private recipient.
  bool privateRecipientHere() const { return recipient_ == Recipient::Here; }

  ChatLogModel* logModel() const { return log_; }
  ClientListModel* clientModel() const { return clients_; }
  ChatLogView* logView() const { return logView_; }
  ClientListView* clientView() const { return clientView_; }
  MessageInput* input() const { return input_; }
  SessionStatusBar* sessionStatus() const { return status_; }
  ConnectionBanner* banner() const { return banner_; }
  CoreBridge* bridge() const { return bridge_; }
  UnreadNotifier* unreadNotifier() const { return unread_; }
  QAction* leaveAction() const { return leaveAction_; }
  /// Host: Chat ▸ Banned people (null for a joiner).
  BannedPeopleMenu* bannedMenu() const { return bannedMenu_; }
  PresenceControl* presenceControl() const { return presence_; }
  HistorySearchBar* historySearch() const { return historySearch_; }
  /// This room's key in the history store, once connected (ConnectedEvent::historyRoom).
  const std::string& historyRoom() const { return historyRoom_; }
  /// Open while asking whether to trust a host's changed key; null otherwise.
  HostKeyDialog* hostKeyDialog() const;
  /// Open while telling that the room picked was not the one announced; null otherwise.
  WrongRoomDialog* wrongRoomDialog() const;

  TransferListModel* transferModel() const { return transfers_; }
  TransferPanel* transferPanel() const { return transferPanel_; }
  QDockWidget* transfersDock() const { return transfersDock_; }
  QToolButton* attachButton() const { return attachButton_; }
  QToolButton* emojiButton() const { return emojiButton_; }
  EmojiPicker* emojiPicker() const { return emojiPicker_; }
  /// Where to save an accepted offer: suggested is the folder used last (or Downloads); an empty
  /// answer cancels. A folder dialog unless set (tests answer without one).
  using FolderChooser = std::function<QString(const QString& suggested)>;
  void setSaveFolderChooser(FolderChooser chooser) { chooseSaveFolder_ = std::move(chooser); }
  /// The folder pasted images are saved in to be offered (the window's own; removed with it).
  QString pastedImagesFolder();

  /// Offers whose log row the window can still change (they go with their rows).
  std::size_t offersTracked() const { return static_cast<std::size_t>(offerRows_.size()); }

  /// The pictures people in this session have set, decoded.
  const PictureBook& pictures() const { return pictures_; }
  /// Makes image (its middle square, made small) this person's picture, here and in every
  /// session from now on; a null image removes it. False, and a message, if it cannot be sent.
  bool setPicture(const QImage& image);

  /// Shows a batch of the core's events (CoreBridge's sink; tests may feed events directly).
  void handleEvents(std::vector<chat::Event>& batch);

 public Q_SLOTS:
  void setPrivateTarget(chatport::chat::ClientId id);
  void clearPrivateTarget();
  /// Sends what is in the input (Enter does this).
  void sendInput();
  /// Leaves the chat (a host ends it for everyone), or cancels connecting.
  void leave();
  /// Starts the same session again after a failure or leaving.
  void retry();
  /// Host: asks whether to remove (or remove and ban) someone, then does.
  void askToRemove(chatport::chat::ClientId id, bool ban);
  /// Asks whether to clear the log, then does.
  void askToClearLog();
  /// Quits ChatPort, asking first if that ends a chat others are in.
  void quit();
  void kick(chatport::chat::ClientId id);
  /// Host: removes someone and bans their key from this room.
  void ban(chatport::chat::ClientId id);
  void changeNickname();
  /// Ctrl+F: shows the history search bar.
  void findInHistory();
  /// Chat > History…: the history settings dialog.
  void showHistorySettings();
  /// A message found in the history: scrolled to if the log shows it, else shown in context.
  void showHistoryMessage(const chatport::chat::StoredMessage& message);
  /// Offers files or folders to one person, or to everyone (kNoClient).
  void offerFiles(const QStringList& paths, chatport::chat::ClientId to);
  /// Offers them to whom messages go now: the private recipient, or everyone.
  void offerFilesHere(const QStringList& paths);
  /// Chat > Send file… and Send folder…: asks which, then offers it here.
  void askForFilesToSend();
  void askForFolderToSend();
  /// A pasted image: shown small, and offered here as a PNG if the person agrees.
  void offerImage(const QImage& image);
  /// Accept asks where to save (and whether to replace a file of the same name there).
  void acceptOffer(chatport::chat::TransferId id);
  void declineOffer(chatport::chat::TransferId id);
  /// Sender: stops it for everyone; recipient: stops receiving it.
  void cancelOffer(chatport::chat::TransferId id);
  /// Transfers > View: shows the panel.
  void showTransfers();

 Q_SIGNALS:
  void stateChanged(chatport::ui::ConnectionState state);
  /// The person wants a different session (nickname, address, port); the application shows
  /// the start dialog prefilled with current.
  void changeSessionRequested(const chatport::ui::SessionRequest& current);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  struct Batch;
  void buildMenus();
  bool connected() const { return session_.phase() == chat::ClientState::Phase::Connected; }
  /// Renders where the session stands (status bar, banner, actions, input, title) after it changed.
  void showPhase();
  /// The banner for where the session stands, and why if it ended or broke (hidden when connected).
  void showBanner();
  /// The client list, from the session's roster.
  void showRoster();
  /// The words for how the session last ended or broke; empty if it has not.
  QString endText() const;
  void updateInput();
  /// Typing goes to the message box: when the window is shown or active again (a dialog
  /// closed), and when the box can be used again.
  void focusInput();
  /// Asks a yes-or-no question with a "Don't ask again" box, unless the person ticked it
  /// before; true: go ahead.
  bool confirm(Settings::Confirmation what, const QString& question, const QString& consequence,
               const QString& yes);
  /// Whether leaving now ends the chat for others, and the person agrees to that.
  bool mayEndTheChat();
  void updatePrivateBar();
  /// The private recipient is listed (again) under the same session, or not.
  void recipientSeen(const chat::Participant* who);
  void updateTitle();
  void updateCountdown();
  /// ended: the session ends with it (a DisconnectedEvent's reason).
  void showFailure(chat::ErrorCode code, const std::string& detail, Batch& batch, bool ended = false);
  /// The host's key is not the one pinned: asks whether to join anyway, trusting the new one.
  void askAboutHostKey(const QString& pinned, const QString& offered);
  QString endpointForStatus() const;
  /// The history store, opened the first time it is needed; null if it cannot be (why says
  /// why, for a person).
  std::shared_ptr<chat::HistoryStore> historyStore(QString& why);
  /// The log's row showing the room's chat message seq, or -1.
  int logRowOfSeq(std::uint64_t seq) const;

  void on(chat::ConnectedEvent& e, Batch& batch);
  void on(chat::ClientListEvent& e, Batch& batch);
  void on(chat::JoinedEvent& e, Batch& batch);
  void on(chat::LeftEvent& e, Batch& batch);
  void on(chat::RenamedEvent& e, Batch& batch);
  /// A message said before this session is marked so, after a line saying the past starts;
  /// the first live one after it gets a line saying the live conversation starts.
  void markHistory(LogEntry& entry, bool history, Batch& batch);
  void on(chat::MessageEvent& e, Batch& batch);
  void on(chat::PrivateMessageEvent& e, Batch& batch);
  void on(chat::ErrorEvent& e, Batch& batch);
  void on(chat::DisconnectedEvent& e, Batch& batch);
  void on(chat::ReconnectingEvent& e, Batch& batch);
  void on(chat::StatsEvent& e, Batch& batch);
  void on(chat::SkippedEvent& e, Batch& batch);
  void on(chat::MissedEvent& e, Batch& batch);
  void on(chat::FileOfferEvent& e, Batch& batch);
  void on(chat::FileProgressEvent& e, Batch& batch);
  void on(chat::FileDoneEvent& e, Batch& batch);
  void on(chat::FileFailedEvent& e, Batch& batch);
  void on(chat::RateLimitEvent& e, Batch& batch);
  void on(chat::PresenceEvent& e, Batch& batch);
  void on(chat::PictureEvent& e, Batch& batch);
  void on(chat::BansEvent& e, Batch& batch);
  /// Asks for an image file and makes it this person's picture.
  void choosePicture();
  /// Changes the log row of an offer, whether it is still in this batch or shown already.
  void updateOffer(chat::TransferId id, Batch& batch, const std::function<void(LogEntry&)>& change);
  void updateOffer(chat::TransferId id, const std::function<void(LogEntry&)>& change);
  void fileActionTriggered(int row, LogEntry::FileAction action);
  /// A person's nickname as listed now, or fallback.
  QString nameOf(chat::ClientId id, const QString& fallback = {}) const;
  void updateFileActions();
  /// Gives an offer's row the thumbnail of the image received at path, if it is one.
  void showThumbnail(chat::TransferId id, const QString& path);

  SessionRequest request_;
  Settings* settings_;
  SenderPalette colors_;  ///< the views forget it in the destructor: they outlive the members
  PictureBook pictures_;  ///< likewise
  std::shared_ptr<spdlog::logger> logger_;

  CoreBridge* bridge_;
  ChatLogModel* log_;
  ClientListModel* clients_;
  ChatLogView* logView_;
  ClientListView* clientView_;
  MessageInput* input_;
  QPushButton* sendButton_;
  QFrame* privateBar_;
  QLabel* privateLabel_;
  QLabel* privateIcon_;
  ConnectionBanner* banner_;
  SessionStatusBar* status_;
  UnreadNotifier* unread_;
  PresenceControl* presence_;
  QSplitter* splitter_;
  QTimer* countdown_;
  QAction* leaveAction_ = nullptr;
  QAction* renameAction_ = nullptr;
  QAction* removePictureAction_ = nullptr;
  BannedPeopleMenu* bannedMenu_ = nullptr;  ///< host only
  HistorySearchBar* historySearch_;
  TransferListModel* transfers_;
  TransferPanel* transferPanel_;
  QDockWidget* transfersDock_;
  QToolButton* attachButton_;
  QToolButton* emojiButton_;
  EmojiPicker* emojiPicker_;
  QAction* sendFileAction_ = nullptr;
  QAction* sendFolderAction_ = nullptr;
  QHash<chat::TransferId, quint64> offerRows_;  ///< the log row (serial) of each offer shown
  std::size_t pruneOffersAt_ = 1024;            ///< offerRows_'s size that has gone rows removed
  static constexpr std::size_t kMaxThumbnails = 500;
  std::deque<chat::TransferId> thumbnails_;     ///< the offers drawn with a thumbnail, oldest first
  FolderChooser chooseSaveFolder_;
  std::unique_ptr<QTemporaryDir> pastedImages_;
  std::string dataDir_;  ///< where the history store is (CoreOptions::dataDir)
  std::shared_ptr<chat::HistoryStore> history_;  ///< for reading; the core writes through its own
  std::string historyRoom_;

  /// The room as this window sees it (roster, own id and name, a rename on its way, where the
  /// session stands and why): the client layer, applied every event before the window renders it.
  chat::ClientState session_;
  chat::ClientState::Change change_;  ///< what the event being rendered changed in session_
  /// This window's user's name in the room; before the session has one, the one asked for.
  QString ownName() const {
    return session_.name().empty() ? request_.name : QString::fromStdString(session_.name());
  }
  QString address_;  // the chat's address as the core reported it
  quint16 port_ = 0;
  /// Where the private recipient is.
  enum class Recipient : std::uint8_t {
    Here,       ///< in the chat: messages go to them
    Left,       ///< left this session: nothing is sent; back under the same id, they are Here
    Elsewhere,  ///< chosen in another session, where ids named other people: nothing is sent
  };
  chat::ClientId privateTarget_ = chat::kNoClient;
  Recipient recipient_ = Recipient::Here;
  QString recipientName_;  ///< as last seen
  /// After resuming our own session: the recipient counts as the same person only if listed
  /// under the same id and name (a host started anew also numbers from the start).
  bool checkRecipientName_ = false;
  QSet<chat::ClientId> banning_;  ///< host: removed with a ban, not yet reported gone
  QPointer<HostKeyDialog> hostKeyDialog_;
  QPointer<WrongRoomDialog> wrongRoomDialog_;
  bool showingHistory_ = false;  // the last message shown was from before this session
};

}  // namespace chatport::ui
