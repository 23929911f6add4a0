// Files in the window: an offer shows in the log with Accept and Decline (Accept asks where to
// save it, and whether to replace a file of the same name); the transfers panel follows each
// transfer; what arrived shows as a thumbnail (images) or with Open and Show in folder; a failure
// says why; a pasted image and files dropped on a person are offered. The window is fed the core's
// events directly and its commands are read as they go to the core.

#include "chat_log_model.h"
#include "chat_log_view.h"
#include "client_list_view.h"
#include "core_bridge.h"
#include "event_text.h"
#include "settings.h"
#include "transfer_list_model.h"
#include "transfer_panel.h"
#include "ui_test_support.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>

using namespace chatport;
using namespace chatport::test;
using namespace Qt::Literals::StringLiterals;
using ui::LogEntry;

namespace {

constexpr chat::ClientId kAnn = 1;
constexpr chat::ClientId kBob = 2;

/// Takes the file: URLs the window asks the desktop to open.
class UrlCatcher : public QObject {
  Q_OBJECT
 public:
  QList<QUrl> opened;
 public Q_SLOTS:
  void open(const QUrl& url) { opened << url; }
};

chat::FileOfferEvent offerFromBob(chat::TransferId id, const std::string& name, std::uint64_t size,
                                  chat::ClientId to = chat::kNoClient) {
  chat::FileOfferEvent e;
  e.id = id;
  e.from = kBob;
  e.fromName = "bob";
  e.to = to;
  e.name = name;
  e.size = size;
  e.files = {chat::OfferedFile{name, size}};
  e.time = std::chrono::system_clock::now();
  return e;
}

void feed(ui::ChatWindow& window, chat::Event event) {
  std::vector<chat::Event> events;
  events.push_back(std::move(event));
  window.handleEvents(events);
}

/// A PNG of w × h pixels at path.
void writeImage(const QString& path, int w, int h) {
  QImage image(w, h, QImage::Format_RGB32);
  image.fill(QColor(0x2a, 0x7a, 0xc0));
  QPainter(&image).fillRect(0, 0, w / 2, h / 2, Qt::yellow);
  QVERIFY(image.save(path, "PNG"));
}

}  // namespace

class FileTransferUiTest : public QObject {
  Q_OBJECT

  std::unique_ptr<ui::ChatWindow> window_;
  std::vector<chat::Command> commands_;
  UrlCatcher urls_;
  QTemporaryDir dir_;

  /// The last command the window gave its core, of type T (fails the test if there is none).
  template <typename T>
  const T* lastCommand() const {
    for (auto it = commands_.rbegin(); it != commands_.rend(); ++it)
      if (const auto* c = std::get_if<T>(&*it)) return c;
    return nullptr;
  }

  int fileRow(chat::TransferId id) const {
    return findRow(*window_, [id](const LogEntry& e) { return e.kind == LogEntry::Kind::File && e.transferId == id; });
  }

  const LogEntry& fileEntry(chat::TransferId id) const { return window_->logModel()->entry(fileRow(id)); }

  /// Clicks what a File row shows for action, as a person would.
  bool clickFileAction(chat::TransferId id, LogEntry::FileAction action) {
    const int row = fileRow(id);
    if (row < 0) return false;
    window_->logView()->scrollTo(window_->logModel()->index(row));
    const QRect rect = window_->logView()->fileActionRect(row, action);
    if (rect.isEmpty()) return false;
    QTest::mouseClick(window_->logView()->viewport(), Qt::LeftButton, {}, rect.center());
    return true;
  }

  /// A drag of local files over widget's pos, dropped there.
  static void dropFiles(QWidget* widget, QPoint pos, const QStringList& paths) {
    QMimeData data;
    QList<QUrl> urls;
    for (const QString& path : paths) urls << QUrl::fromLocalFile(path);
    data.setUrls(urls);
    QDragEnterEvent enter(pos, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &enter);
    QDragMoveEvent move(pos, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &move);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &drop);
  }

 private Q_SLOTS:
  void initTestCase() {
    quietOffscreenNoise();
    QVERIFY(dir_.isValid());
    QDesktopServices::setUrlHandler(u"file"_s, &urls_, "open");
  }

  void cleanupTestCase() { QDesktopServices::unsetUrlHandler(u"file"_s); }

  void init() {
    commands_.clear();
    urls_.opened.clear();
    window_ = std::make_unique<ui::ChatWindow>(hostRequest(u"ann"_s), testCoreOptions());
    window_->bridge()->setObserver([this](const chat::Command& c) { commands_.push_back(c); });
    window_->resize(900, 640);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    std::vector<chat::Event> events;
    events.emplace_back(chat::ConnectedEvent{chat::Role::Host, kAnn, "ann", "127.0.0.1", 5150});
    std::vector<chat::Participant> people{{kAnn, "ann", true}, {kBob, "bob", false}};
    events.emplace_back(chat::ClientListEvent{people});
    window_->handleEvents(events);
    QCOMPARE(window_->state(), ui::ConnectionState::Connected);
  }

  void cleanup() { window_.reset(); }

  void offerShowsAcceptAndDeclineAndAcceptSavesInTheChosenFolder() {
    feed(*window_, offerFromBob(7, "report.pdf", 123'456));
    const int row = fileRow(7);
    QVERIFY2(row >= 0, qPrintable(logDump(*window_)));
    QCOMPARE(fileEntry(7).fileName, u"report.pdf"_s);
    QCOMPARE(fileEntry(7).sender, u"bob"_s);
    QVERIFY(window_->logModel()->plainText(row).contains(u"report.pdf"_s));
    QVERIFY(!window_->logView()->fileActionRect(row, LogEntry::Accept).isEmpty());
    QVERIFY(!window_->logView()->fileActionRect(row, LogEntry::Decline).isEmpty());
    QVERIFY(window_->logView()->fileActionRect(row, LogEntry::Open).isEmpty());

    QString suggested;
    const QString folder = dir_.filePath(u"incoming"_s);
    window_->setSaveFolderChooser([&](const QString& start) {
      suggested = start;
      return folder;
    });
    QVERIFY(clickFileAction(7, LogEntry::Accept));
    QVERIFY2(!suggested.isEmpty(), "no folder was asked for");
    const auto* accept = lastCommand<chat::AcceptFileCommand>();
    QVERIFY2(accept, "Accept sent nothing to the core");
    QCOMPARE(accept->id, chat::TransferId{7});
    QCOMPARE(QString::fromStdString(accept->directory), QDir::toNativeSeparators(folder));
    QVERIFY(!accept->overwrite);
    // Answered: no Accept or Decline any more, Cancel instead.
    QVERIFY(window_->logView()->fileActionRect(fileRow(7), LogEntry::Accept).isEmpty());
    QVERIFY(!window_->logView()->fileActionRect(fileRow(7), LogEntry::Cancel).isEmpty());
    QVERIFY2(fileEntry(7).fileStatus.contains(QDir::toNativeSeparators(folder)), qPrintable(fileEntry(7).fileStatus));
  }

  void acceptAsksWhetherToReplaceAFileOfTheSameName() {
    QFile existing(dir_.filePath(u"notes.txt"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("old");
    existing.close();
    window_->setSaveFolderChooser([this](const QString&) { return dir_.path(); });

    feed(*window_, offerFromBob(8, "notes.txt", 10));
    auto answered = answerNextDialog<QMessageBox>([](QMessageBox* box) {
      box->findChild<QPushButton*>(u"replaceButton"_s)->click();
    });
    QVERIFY(clickFileAction(8, LogEntry::Accept));
    QVERIFY2(*answered, "nobody was asked whether to replace notes.txt");
    QVERIFY(lastCommand<chat::AcceptFileCommand>() && lastCommand<chat::AcceptFileCommand>()->overwrite);

    feed(*window_, offerFromBob(9, "notes.txt", 10));
    answered = answerNextDialog<QMessageBox>([](QMessageBox* box) {
      box->findChild<QPushButton*>(u"keepBothButton"_s)->click();
    });
    QVERIFY(clickFileAction(9, LogEntry::Accept));
    QVERIFY(*answered);
    const auto* accept = lastCommand<chat::AcceptFileCommand>();
    QVERIFY(accept && accept->id == 9 && !accept->overwrite);
  }

  void declineSendsDecline() {
    feed(*window_, offerFromBob(11, "song.mp3", 4'000'000, kAnn));
    QVERIFY(fileEntry(11).text.contains(u"you"_s));
    QVERIFY(clickFileAction(11, LogEntry::Decline));
    const auto* decline = lastCommand<chat::DeclineFileCommand>();
    QVERIFY2(decline, "Decline sent nothing to the core");
    QCOMPARE(decline->id, chat::TransferId{11});
    QVERIFY(!lastCommand<chat::AcceptFileCommand>());
    QVERIFY(window_->logView()->fileActionRect(fileRow(11), LogEntry::Accept).isEmpty());
    QCOMPARE(fileEntry(11).fileStatus, ui::EventText::transferFailure(chat::TransferFailure::Declined, false));
  }

  void progressUpdatesTheTransfersPanel() {
    feed(*window_, offerFromBob(12, "video.mkv", 1000));
    QVERIFY(!window_->transfersDock()->isVisible());
    chat::FileProgressEvent running{12, false, kBob, chat::TransferState::Running, 250, 1000, 100.0};
    feed(*window_, running);
    QVERIFY2(window_->transfersDock()->isVisible(), "the transfers panel did not open when a transfer started");
    const ui::TransferListModel* model = window_->transferModel();
    QCOMPARE(model->rowCount(), 1);
    auto cell = [model](int column) { return model->index(0, column).data().toString(); };
    QCOMPARE(cell(ui::TransferListModel::NameColumn), u"video.mkv"_s);
    QVERIFY(cell(ui::TransferListModel::PeerColumn).contains(u"bob"_s));
    QCOMPARE(cell(ui::TransferListModel::ProgressColumn), u"25%"_s);
    QCOMPARE(cell(ui::TransferListModel::StateColumn), u"Receiving"_s);
    QVERIFY(!cell(ui::TransferListModel::SpeedColumn).isEmpty());
    QVERIFY(!cell(ui::TransferListModel::TimeLeftColumn).isEmpty());

    running.done = 600;
    feed(*window_, running);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(cell(ui::TransferListModel::ProgressColumn), u"60%"_s);

    QPushButton* pause = window_->transferPanel()->button(0, u"pauseButton"_s);
    QVERIFY2(pause && pause->isVisible(), "a running transfer shows no Pause button");
    pause->click();
    const auto* paused = lastCommand<chat::PauseFileCommand>();
    QVERIFY(paused && paused->id == 12 && paused->paused);

    feed(*window_, chat::FileProgressEvent{12, false, kBob, chat::TransferState::Paused, 600, 1000, 0});
    QCOMPARE(cell(ui::TransferListModel::StateColumn), u"Paused"_s);
    QVERIFY(cell(ui::TransferListModel::SpeedColumn).isEmpty());
    QPushButton* resume = window_->transferPanel()->button(0, u"resumeButton"_s);
    QVERIFY2(resume, "a paused transfer shows no Resume button");
    resume->click();
    QVERIFY(!lastCommand<chat::PauseFileCommand>()->paused);
    window_->transferPanel()->button(0, u"cancelButton"_s)->click();
    const auto* cancel = lastCommand<chat::CancelFileCommand>();
    QVERIFY(cancel && cancel->id == 12 && cancel->peer == kBob);
    QCOMPARE(fileEntry(12).fileStatus, u"Paused"_s);
  }

  void quittingWithATransferUnfinishedSaysItWillStop() {
    // What the question says, answered with Cancel: nothing ends. The question is modal, so it
    // has been asked and answered by the time Quit returns (empty: none was asked).
    auto askedWith = [](ui::ChatWindow& window) {
      auto text = std::make_shared<QString>();
      answerNextDialog<QMessageBox>([text](QMessageBox* box) {
        *text = box->text() + u'\n' + box->informativeText();
        box->button(QMessageBox::Cancel)->click();
      });
      window.findChild<QAction*>(u"quitAction"_s)->trigger();
      return *text;
    };
    // A joiner receiving a file: leaving would stop it, so it asks.
    QTemporaryDir home;
    ui::Settings settings(home.filePath(u"settings.ini"_s));
    ui::ChatWindow bob(joinRequest(u"bob"_s, 5150), testCoreOptions(), &settings);
    bob.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bob));
    std::vector<chat::Event> events;
    events.emplace_back(chat::ConnectedEvent{chat::Role::Joiner, kBob, "bob", "127.0.0.1", 5150});
    events.emplace_back(chat::ClientListEvent{{{kAnn, "ann", true}, {kBob, "bob", false}}});
    bob.handleEvents(events);
    chat::FileOfferEvent offer = offerFromBob(21, "film.mkv", 1000);
    offer.from = kAnn;
    offer.fromName = "ann";
    feed(bob, offer);
    feed(bob, chat::FileProgressEvent{21, false, kAnn, chat::TransferState::Running, 100, 1000, 50.0});
    const QString question = askedWith(bob);
    QVERIFY2(question.contains(u"Stop the file transfers?"_s) && question.contains(u"1 file transfer"_s) && question.contains(u"will stop"_s),
             qPrintable(question));
    QVERIFY(bob.isVisible());
    QCOMPARE(bob.state(), ui::ConnectionState::Connected);

    // The host ending the chat says it too, in the one question it asks.
    feed(*window_, offerFromBob(22, "big.iso", 1000));
    feed(*window_, chat::FileProgressEvent{22, false, kBob, chat::TransferState::Paused, 100, 1000, 0});
    const QString hosting = askedWith(*window_);
    QVERIFY2(hosting.contains(u"End the chat for everyone?"_s) && hosting.contains(u"1 file transfer"_s) && hosting.contains(u"will stop"_s),
             qPrintable(hosting));
    feed(*window_, chat::FileDoneEvent{22, false, kBob, "/tmp/big.iso"});
    QVERIFY2(!askedWith(*window_).contains(u"will stop"_s), "a finished transfer is nothing to stop");
  }

  void aReceivedImageShowsAsAThumbnailThatOpensIt() {
    const QString small = dir_.filePath(u"small.png"_s);
    const QString large = dir_.filePath(u"large.png"_s);
    writeImage(small, 100, 60);
    writeImage(large, 1200, 600);
    feed(*window_, offerFromBob(13, "small.png", 1));
    feed(*window_, offerFromBob(14, "large.png", 1));
    feed(*window_, chat::FileDoneEvent{13, false, kBob, small.toStdString(), 1, "ab"});
    feed(*window_, chat::FileDoneEvent{14, false, kBob, large.toStdString(), 1, "cd"});

    QTRY_VERIFY(!fileEntry(13).thumbnail.isNull() && !fileEntry(14).thumbnail.isNull());
    QCOMPARE(fileEntry(13).thumbnail.deviceIndependentSize().toSize(), QSize(100, 60));
    QCOMPARE(fileEntry(14).thumbnail.deviceIndependentSize().toSize(), QSize(240, 120));
    const int row = fileRow(14);
    window_->logView()->scrollTo(window_->logModel()->index(row));
    QTRY_VERIFY(!window_->logView()->thumbnailRect(row).isEmpty());
    QVERIFY(!window_->logView()->fileActionRect(row, LogEntry::Open).isEmpty());
    QVERIFY(!window_->logView()->fileActionRect(row, LogEntry::ShowInFolder).isEmpty());
    // Drawn in the row: the row is as tall as the thumbnail and more.
    QVERIFY(window_->logView()->visualRect(window_->logModel()->index(row)).height() > 120);

    // The thumbnail itself opens the image, and so does the Open button.
    const QRect thumb = window_->logView()->thumbnailRect(row);
    QCOMPARE(thumb.size(), QSize(240, 120));
    QTest::mouseClick(window_->logView()->viewport(), Qt::LeftButton, {}, thumb.center());
    QCOMPARE(urls_.opened, QList<QUrl>{QUrl::fromLocalFile(large)});
  }

  void aReceivedFileShowsOpenAndShowInFolder() {
    const QString path = dir_.filePath(u"data.bin"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("0123456789");
    file.close();
    feed(*window_, offerFromBob(15, "data.bin", 10));
    feed(*window_, chat::FileProgressEvent{15, false, kBob, chat::TransferState::Running, 5, 10, 5});
    feed(*window_, chat::FileDoneEvent{15, false, kBob, path.toStdString(), 10, "ef"});
    QVERIFY(fileEntry(15).thumbnail.isNull());
    QVERIFY(window_->logView()->thumbnailRect(fileRow(15)).isEmpty());
    QVERIFY(fileEntry(15).fileStatus.contains(QDir::toNativeSeparators(dir_.path())));
    QVERIFY(clickFileAction(15, LogEntry::Open));
    QVERIFY(clickFileAction(15, LogEntry::ShowInFolder));
    QCOMPARE(urls_.opened, (QList<QUrl>{QUrl::fromLocalFile(path), QUrl::fromLocalFile(dir_.path())}));

    const ui::TransferListModel* model = window_->transferModel();
    QCOMPARE(model->index(0, ui::TransferListModel::ProgressColumn).data().toString(), u"100%"_s);
    QCOMPARE(model->index(0, ui::TransferListModel::StateColumn).data().toString(), u"Saved"_s);
    QPushButton* open = window_->transferPanel()->button(0, u"openButton"_s);
    QVERIFY2(open, "a finished transfer shows no Open button");
    QVERIFY(window_->transferPanel()->button(0, u"showInFolderButton"_s));
    QVERIFY(!window_->transferPanel()->button(0, u"pauseButton"_s));
    open->click();
    QCOMPARE(urls_.opened.last(), QUrl::fromLocalFile(path));
  }

  void aFailureSaysWhy() {
    feed(*window_, offerFromBob(16, "archive.zip", 100));
    feed(*window_, chat::FileProgressEvent{16, false, kBob, chat::TransferState::Checking, 100, 100, 0});
    feed(*window_, chat::FileFailedEvent{16, false, kBob, chat::TransferFailure::HashMismatch, "sha-256 differs"});
    const QString why = ui::EventText::transferFailure(chat::TransferFailure::HashMismatch, false);
    QVERIFY(why.contains(u"not what was sent"_s));
    QCOMPARE(fileEntry(16).fileStatus, why);
    QCOMPARE(fileEntry(16).fileActions, std::uint8_t{LogEntry::NoFileAction});
    QCOMPARE(window_->transferModel()->index(0, ui::TransferListModel::StateColumn).data().toString(), why);
  }

  void anOutgoingOfferShowsCancel() {
    chat::FileOfferEvent mine = offerFromBob(17, "plan.odt", 2048, kBob);
    mine.outgoing = true;
    mine.from = kAnn;
    mine.fromName = "ann";
    feed(*window_, mine);
    QVERIFY(fileEntry(17).own);
    QVERIFY(fileEntry(17).text.contains(u"bob"_s));
    QVERIFY(clickFileAction(17, LogEntry::Cancel));
    const auto* cancel = lastCommand<chat::CancelFileCommand>();
    QVERIFY(cancel && cancel->id == 17 && cancel->peer == chat::kNoClient);
    feed(*window_, chat::FileFailedEvent{17, true, chat::kNoClient, chat::TransferFailure::Cancelled, {}});
    QCOMPARE(fileEntry(17).fileStatus, ui::EventText::transferFailure(chat::TransferFailure::Cancelled, true));
  }

  // This program stopped in the middle of receiving one file and of sending another; started
  // again, it shows both as taken up, with Cancel and without Accept or Decline.
  void transfersTakenUpAfterARestartAreShownSoAndOfferOnlyCancel() {
    chat::FileOfferEvent receiving = offerFromBob(19, "video.mp4", 5000);
    receiving.from = chat::kNoClient;  // bob's number then is not known now
    receiving.resumed = true;
    feed(*window_, receiving);
    chat::FileOfferEvent sending = offerFromBob(20, "photos.zip", 9000);
    sending.outgoing = true;
    sending.from = kAnn;
    sending.fromName = "ann";
    sending.resumed = true;
    feed(*window_, sending);
    for (chat::TransferId id : {19, 20}) {
      QVERIFY2(fileRow(id) >= 0, qPrintable(logDump(*window_)));
      QCOMPARE(fileEntry(id).fileStatus, ui::ChatWindow::tr("Taken up where it stopped"));
      QCOMPARE(fileEntry(id).fileActions, std::uint8_t{LogEntry::Cancel});
      QVERIFY(window_->logView()->fileActionRect(fileRow(id), LogEntry::Accept).isEmpty());
    }
    QCOMPARE(fileEntry(19).sender, u"bob"_s);
    QVERIFY(fileEntry(20).own);
    QVERIFY(clickFileAction(19, LogEntry::Cancel));
    const auto* cancel = lastCommand<chat::CancelFileCommand>();
    QVERIFY(cancel && cancel->id == 19);
  }

  // An offer to the room has a row for each person receiving it; each row's Pause and Resume
  // are for that person's copy only.
  void eachRecipientsRowPausesTheirCopyOnly() {
    constexpr chat::ClientId kCarol = 3;
    chat::FileOfferEvent mine = offerFromBob(18, "slides.pdf", 1000, chat::kNoClient);
    mine.outgoing = true;
    mine.from = kAnn;
    mine.fromName = "ann";
    feed(*window_, mine);
    feed(*window_, chat::FileProgressEvent{18, true, kBob, chat::TransferState::Running, 100, 1000, 10.0});
    feed(*window_, chat::FileProgressEvent{18, true, kCarol, chat::TransferState::Paused, 300, 1000, 0});
    const ui::TransferListModel* model = window_->transferModel();
    QCOMPARE(model->rowCount(), 2);
    const int bobRow = model->rowOf(18, kBob), carolRow = model->rowOf(18, kCarol);
    QVERIFY(bobRow >= 0 && carolRow >= 0);
    QPushButton* pause = window_->transferPanel()->button(bobRow, u"pauseButton"_s);
    QVERIFY2(pause, "bob's running copy shows no Pause button");
    pause->click();
    const auto* paused = lastCommand<chat::PauseFileCommand>();
    QVERIFY(paused && paused->id == 18 && paused->paused);
    QCOMPARE(paused->peer, kBob);
    QPushButton* resume = window_->transferPanel()->button(carolRow, u"resumeButton"_s);
    QVERIFY2(resume, "carol's paused copy shows no Resume button");
    resume->click();
    const auto* resumed = lastCommand<chat::PauseFileCommand>();
    QVERIFY(resumed && resumed->id == 18 && !resumed->paused);
    QCOMPARE(resumed->peer, kCarol);
  }

  void pastingAnImageOffersItAsAPng() {
    QImage image(64, 48, QImage::Format_ARGB32);
    image.fill(Qt::red);
    QGuiApplication::clipboard()->setImage(image);
    window_->input()->setFocus();
    auto answered = answerNextDialog<QMessageBox>([](QMessageBox* box) {
      QVERIFY(!box->iconPixmap().isNull());  // a preview of what is sent
      box->button(QMessageBox::Yes)->click();
    });
    QTest::keyClick(window_->input(), Qt::Key_V, Qt::ControlModifier);
    QVERIFY2(*answered, "pasting an image asked nothing");
    QVERIFY2(window_->input()->toPlainText().isEmpty(), "the image went into the message as text");
    const auto* send = lastCommand<chat::SendFileCommand>();
    QVERIFY2(send, "the pasted image was not offered");
    QCOMPARE(send->to, chat::kNoClient);
    const QString path = QString::fromStdString(send->path);
    QVERIFY2(path.endsWith(u".png"_s), qPrintable(path));
    QVERIFY(QDir::fromNativeSeparators(path).startsWith(window_->pastedImagesFolder()));
    const QImage saved(path);
    QCOMPARE(saved.size(), image.size());
    QCOMPARE(saved.pixelColor(3, 3), QColor(Qt::red));

    // Cancelled: nothing offered.
    commands_.clear();
    answered = answerNextDialog<QMessageBox>([](QMessageBox* box) { box->button(QMessageBox::Cancel)->click(); });
    QTest::keyClick(window_->input(), Qt::Key_V, Qt::ControlModifier);
    QVERIFY(*answered);
    QVERIFY(!lastCommand<chat::SendFileCommand>());
  }

  void pastingCopiedFilesOffersThem() {
    const QString path = dir_.filePath(u"copied.txt"_s);
    auto* data = new QMimeData;
    data->setUrls({QUrl::fromLocalFile(path)});
    data->setText(path);
    QGuiApplication::clipboard()->setMimeData(data);
    window_->input()->setFocus();
    QTest::keyClick(window_->input(), Qt::Key_V, Qt::ControlModifier);
    QVERIFY2(window_->input()->toPlainText().isEmpty(), "the copied file went into the message as text");
    const auto* send = lastCommand<chat::SendFileCommand>();
    QVERIFY2(send, "the copied file was not offered");
    QCOMPARE(QString::fromStdString(send->path), QDir::toNativeSeparators(path));
  }

  void filesDroppedOnAPersonAreOfferedToThem() {
    const QString path = dir_.filePath(u"drop.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    ui::ClientListView* list = window_->clientView();
    const QModelIndex bob = list->indexOf(kBob);
    QVERIFY(bob.isValid());
    dropFiles(list->viewport(), list->visualRect(bob).center(), {path});
    const auto* send = lastCommand<chat::SendFileCommand>();
    QVERIFY2(send, "nothing was offered for the drop on bob");
    QCOMPARE(send->to, kBob);
    QCOMPARE(QString::fromStdString(send->path), QDir::toNativeSeparators(path));

    // On oneself: nothing. On the log: to everyone.
    commands_.clear();
    dropFiles(list->viewport(), list->visualRect(list->indexOf(kAnn)).center(), {path});
    QVERIFY(!lastCommand<chat::SendFileCommand>());
    dropFiles(window_->logView()->viewport(), window_->logView()->viewport()->rect().center(), {path});
    send = lastCommand<chat::SendFileCommand>();
    QVERIFY2(send, "nothing was offered for the drop on the window");
    QCOMPARE(send->to, chat::kNoClient);
  }

  void aFloodOfOffersTakesBoundedMemory() {
    window_->logModel()->setMaximumRows(100);
    constexpr int kOffers = 6000;
    for (int first = 1; first <= kOffers; first += 500) {
      std::vector<chat::Event> events;
      for (int id = first; id < first + 500; ++id) {
        events.emplace_back(offerFromBob(static_cast<chat::TransferId>(id), "f" + std::to_string(id), 1));
        events.emplace_back(chat::FileDoneEvent{static_cast<chat::TransferId>(id), false, kBob, "/nowhere/f", 1, "00"});
      }
      window_->handleEvents(events);
    }
    QVERIFY(window_->logModel()->rowCount() <= 100);
    QVERIFY2(window_->offersTracked() <= 1024, qPrintable(QString::number(window_->offersTracked())));
    QCOMPARE(window_->transferModel()->offersKept(), ui::TransferListModel::kMaxOffers);
    QCOMPARE(window_->transferModel()->rowCount(), ui::TransferListModel::kMaxFinishedRows);
    // The newest are still the ones shown.
    QCOMPARE(window_->transferModel()->transfer(window_->transferModel()->rowCount() - 1).name, u"f6000"_s);
    QVERIFY(fileRow(kOffers) >= 0);
  }

  void aFileSentByAJoinerIsSavedByTheHost() {
    // Real cores on loopback: bob offers a small file to the room, ann accepts it into a folder
    // of her choice, and it arrives there whole.
    auto ann = startWindow(hostRequest(u"ann"_s));
    WAIT_CONNECTED(*ann);
    auto bob = startWindow(joinRequest(u"bob"_s, ann->port()));
    WAIT_CONNECTED(*bob);
    QTRY_COMPARE_WITH_TIMEOUT(ann->clientModel()->count(), 2, kWaitMs);
    const QString source = dir_.filePath(u"outbox/minutes 会议.txt"_s);
    QVERIFY(QDir().mkpath(dir_.filePath(u"outbox"_s)));
    QByteArray contents;
    for (int i = 0; i < 5000; ++i) contents += "line " + QByteArray::number(i) + '\n';
    {
      QFile file(source);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(contents);
    }
    bob->offerFiles({source}, chat::kNoClient);

    auto offerRow = [](const ui::ChatWindow& w) {
      return findRow(w, [](const LogEntry& e) { return e.kind == LogEntry::Kind::File; });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(offerRow(*ann) >= 0, qPrintable(logDump(*ann)), kWaitMs);
    QTRY_VERIFY2_WITH_TIMEOUT(offerRow(*bob) >= 0, qPrintable(logDump(*bob)), kWaitMs);
    const LogEntry& offer = ann->logModel()->entry(offerRow(*ann));
    QCOMPARE(offer.fileName, u"minutes 会议.txt"_s);
    QCOMPARE(offer.fileSize, static_cast<std::uint64_t>(contents.size()));
    QCOMPARE(offer.sender, u"bob"_s);
    QVERIFY(bob->logModel()->entry(offerRow(*bob)).own);

    const QString inbox = dir_.filePath(u"ann inbox"_s);
    ann->setSaveFolderChooser([&](const QString&) { return inbox; });
    const int row = offerRow(*ann);
    ann->logView()->scrollTo(ann->logModel()->index(row));
    const QRect accept = ann->logView()->fileActionRect(row, LogEntry::Accept);
    QVERIFY(!accept.isEmpty());
    QTest::mouseClick(ann->logView()->viewport(), Qt::LeftButton, {}, accept.center());

    // Saved: Open shows in the log and in the panel, and the file is there, whole.
    QTRY_VERIFY2_WITH_TIMEOUT(ann->logModel()->entry(offerRow(*ann)).fileActions & LogEntry::Open,
                              qPrintable(logDump(*ann)), kWaitMs);
    const QString saved = ann->logModel()->entry(offerRow(*ann)).filePath;
    QCOMPARE(QDir::cleanPath(saved), QDir::cleanPath(inbox + u"/minutes 会议.txt"_s));
    QFile arrived(saved);
    QVERIFY(arrived.open(QIODevice::ReadOnly));
    QCOMPARE(arrived.readAll(), contents);
    QCOMPARE(ann->transferModel()->rowCount(), 1);
    QCOMPARE(ann->transferModel()->index(0, ui::TransferListModel::StateColumn).data().toString(), u"Saved"_s);
    QVERIFY(ann->transferPanel()->button(0, u"openButton"_s));
    // And bob is told ann has it.
    QTRY_VERIFY2_WITH_TIMEOUT(bob->logModel()->entry(offerRow(*bob)).fileStatus.contains(u"ann"_s),
                              qPrintable(bob->logModel()->entry(offerRow(*bob)).fileStatus), kWaitMs);
  }

  void filesGoToThePrivateRecipient() {
    window_->setPrivateTarget(kBob);
    window_->offerFilesHere({dir_.filePath(u"x.txt"_s)});
    const auto* send = lastCommand<chat::SendFileCommand>();
    QVERIFY(send && send->to == kBob);
    // Bob left: nothing goes to everyone instead.
    commands_.clear();
    chat::LeftEvent left;
    left.who = chat::Participant{kBob, "bob", false};
    feed(*window_, left);
    QVERIFY(!window_->attachButton()->isEnabled());
    window_->offerFilesHere({dir_.filePath(u"x.txt"_s)});
    QVERIFY(!lastCommand<chat::SendFileCommand>());
  }
};

QTEST_MAIN(FileTransferUiTest)
#include "file_transfer_ui_test.moc"
