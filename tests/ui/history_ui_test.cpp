// The window's history: Ctrl+F searches what this installation kept (this room or every room,
// Chinese included) and shows a result in context; the History dialog saves its settings,
// deletes and exports; the limits apply at start; and a build without history says why.

#include "chat_log_model.h"
#include "chat_log_view.h"
#include "history_context_dialog.h"
#include "history_dialog.h"
#include "history_search_bar.h"
#include "history_upkeep.h"
#include "settings.h"
#include "ui_test_support.h"

#include <chatport/chat/history.h>

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTextBrowser>
#include <QTreeView>

#include <limits>

using namespace chatport;
using namespace chatport::test;
using namespace Qt::Literals::StringLiterals;
using chat::StoredMessage;

namespace {

const std::string kAlpha = "key:" + std::string(64, 'a');
const std::string kBeta = "key:" + std::string(64, 'b');
constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

StoredMessage said(const std::string& room, std::uint64_t seq, const std::string& from, const std::string& text,
                   std::int64_t timeMs = nowMs()) {
  StoredMessage m;
  m.room = room;
  m.seq = seq;
  m.timeMs = timeMs;
  m.from = from;
  m.text = text;
  return m;
}

/// A data folder whose history holds two rooms, Latin and Chinese.
struct KeptHistory {
  QString dir = newDataDir();
  std::shared_ptr<chat::HistoryStore> store;

  KeptHistory() {
    std::string error;
    store = chat::HistoryStore::open(dir.toStdString(), error);
    if (!store) qFatal("cannot open the history: %s", error.c_str());
    store->setRoomName(kAlpha, "Alpha");
    store->setRoomName(kBeta, "Beta");
    store->append(said(kAlpha, 1, "ann", "before anything"));
    store->append(said(kAlpha, 2, "ann", "hello from alpha"));
    store->append(said(kAlpha, 3, "李雷", "你好，世界"));
    store->append(said(kAlpha, 4, "ann", "after it all"));
    store->append(said(kBeta, 1, "bob", "hello from beta"));
    store->append(said(kBeta, 2, "韩梅梅", "大家你好"));
    store->flush();
  }

  QStringList texts(const std::string& words, const std::string& room = {}) const {
    QStringList out;
    for (const StoredMessage& m : store->search(words, room, 100)) out << QString::fromStdString(m.text);
    out.sort();
    return out;
  }
};

/// A window connected (as the core would say) to the room alpha.
std::unique_ptr<ui::ChatWindow> windowInAlpha(const QString& dataDir, ui::Settings* settings = nullptr) {
  auto window = std::make_unique<ui::ChatWindow>(hostRequest(u"ann"_s), testCoreOptions(dataDir), settings);
  window->show();
  chat::ConnectedEvent connected{chat::Role::Host, 1, "ann", "127.0.0.1", 5150};
  connected.historyRoom = kAlpha;
  std::vector<chat::Event> events{std::move(connected)};
  window->handleEvents(events);
  window->activateWindow();
  if (!QTest::qWaitForWindowActive(window.get())) qWarning("the window did not become active");
  return window;
}

/// Ctrl+F pressed in the window, where its keyboard focus is.
void pressCtrlF(ui::ChatWindow& window) { QTest::keyClick(window.windowHandle(), Qt::Key_F, Qt::ControlModifier); }

QStringList resultTexts(const ui::HistorySearchBar& bar) {
  QStringList out;
  for (const StoredMessage& m : bar.results()) out << QString::fromStdString(m.text);
  out.sort();
  return out;
}

/// Searches for words as a person does (typed, then Enter) and waits for the results.
void searchFor(ui::HistorySearchBar& bar, const QString& words) {
  QSignalSpy finished(&bar, &ui::HistorySearchBar::searchFinished);
  bar.wordsEdit()->selectAll();
  typeText(bar.wordsEdit(), words);
  QTest::keyClick(bar.wordsEdit(), Qt::Key_Return);
  QVERIFY2(finished.wait(kWaitMs), "the search never finished");
  QTRY_VERIFY_WITH_TIMEOUT(!bar.isSearching(), kWaitMs);
}

void toggleAllRooms(ui::HistorySearchBar& bar) {
  QSignalSpy finished(&bar, &ui::HistorySearchBar::searchFinished);
  bar.allRoomsBox()->click();
  QVERIFY2(finished.wait(kWaitMs), "the search never finished");
}

QString settingsFile() { return newDataDir() + u"/chatport.ini"_s; }

}  // namespace

class HistoryUiTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    quietOffscreenNoise();
    if (!chat::HistoryStore::available()) QSKIP("this build keeps no history");
  }

  void ctrlFSearchesThisRoomOrAllRooms() {
    KeptHistory kept;
    auto window = windowInAlpha(kept.dir);
    ui::HistorySearchBar* bar = window->historySearch();
    QVERIFY(!bar->isVisible());
    pressCtrlF(*window);
    QVERIFY2(bar->isVisible(), "Ctrl+F did not open the search bar");
    QTRY_VERIFY(bar->wordsEdit()->hasFocus());
    QVERIFY(!bar->allRoomsBox()->isChecked());

    searchFor(*bar, u"hello"_s);
    QCOMPARE(resultTexts(*bar), QStringList{u"hello from alpha"_s});
    const auto* model = qobject_cast<const QStandardItemModel*>(bar->resultsView()->model());
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->item(0, 1)->text(), u"Alpha"_s);
    QCOMPARE(model->item(0, 2)->text(), u"ann"_s);
    QVERIFY2(model->item(0, 3)->data(Qt::UserRole + 1).toString().contains(u">hello</span> from alpha"_s),
             qPrintable(model->item(0, 3)->data(Qt::UserRole + 1).toString()));

    toggleAllRooms(*bar);
    QCOMPARE(resultTexts(*bar), (QStringList{u"hello from alpha"_s, u"hello from beta"_s}));

    searchFor(*bar, u"你好"_s);
    QCOMPARE(resultTexts(*bar), (QStringList{u"你好，世界"_s, u"大家你好"_s}));
    toggleAllRooms(*bar);
    QCOMPARE(resultTexts(*bar), QStringList{u"你好，世界"_s});
    QVERIFY(bar->statusLabel()->text().contains(u"1 message"_s));

    searchFor(*bar, u"nowhere"_s);
    QVERIFY(bar->results().empty());
    QVERIFY(bar->statusLabel()->text().contains(u"Nothing found"_s));

    bar->wordsEdit()->setFocus();
    QTest::keyClick(bar->wordsEdit(), Qt::Key_Escape);
    QVERIFY2(!bar->isVisible(), "Esc did not close the search bar");
  }

  void aResultShowsInContext() {
    KeptHistory kept;
    auto window = windowInAlpha(kept.dir);
    ui::HistorySearchBar* bar = window->historySearch();
    pressCtrlF(*window);
    searchFor(*bar, u"你好"_s);
    QCOMPARE(bar->results().size(), std::size_t{1});
    // Down from the words to the results, Enter on the one found.
    QTest::keyClick(bar->wordsEdit(), Qt::Key_Down);
    QTRY_VERIFY(bar->resultsView()->hasFocus());
    QTest::keyClick(bar->resultsView(), Qt::Key_Return);
    ui::HistoryContextDialog* context = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((context = window->findChild<ui::HistoryContextDialog*>()) != nullptr, kWaitMs);
    QTRY_VERIFY(context->isVisible());
    const QString shown = context->view()->toPlainText();
    for (const QString& text : {u"before anything"_s, u"hello from alpha"_s, u"你好，世界"_s, u"after it all"_s})
      QVERIFY2(shown.contains(text), qPrintable(shown));
    QVERIFY2(!shown.contains(u"beta"_s), "another room's message is shown in context");
    QVERIFY(context->view()->toHtml().contains(u"你好</span>"_s));
    QVERIFY(context->windowTitle().contains(u"Alpha"_s));
  }

  void aResultInTheLogIsScrolledTo() {
    KeptHistory kept;
    auto window = windowInAlpha(kept.dir);
    std::vector<chat::Event> events;
    for (int i = 1; i <= 400; ++i) {
      chat::MessageEvent m{2, "ann", static_cast<std::uint64_t>(i), std::chrono::system_clock::now(),
                           i == 2 ? "hello from alpha" : "line " + std::to_string(i)};
      events.emplace_back(std::move(m));
    }
    window->handleEvents(events);
    pressCtrlF(*window);
    searchFor(*window->historySearch(), u"hello"_s);
    QTest::keyClick(window->historySearch()->resultsView(), Qt::Key_Return);
    const QModelIndex current = window->logView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(window->logModel()->entry(current.row()).text, u"hello from alpha"_s);
    QVERIFY(window->logView()->viewport()->rect().intersects(window->logView()->visualRect(current)));
    QVERIFY(!window->findChild<ui::HistoryContextDialog*>());
  }

  void aHostedRoomIsSearchedAsThisRoom() {
    KeptHistory kept;
    auto host = startWindow(hostRequest(u"ann"_s), testCoreOptions(kept.dir));
    WAIT_CONNECTED(*host);
    QVERIFY2(host->historyRoom().rfind("key:", 0) == 0, host->historyRoom().c_str());
    QVERIFY(host->historyRoom() != kAlpha && host->historyRoom() != kBeta);
    typeAndSend(*host, u"live 你好 from the host"_s);
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host, u"live 你好 from the host"_s) >= 0, kWaitMs);
    host->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(host.get()));
    pressCtrlF(*host);
    ui::HistorySearchBar* bar = host->historySearch();
    QVERIFY(!bar->allRoomsBox()->isChecked());
    // The core commits what is said in batches: searched again until it is there.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          searchFor(*bar, u"你好"_s);
          return resultTexts(*bar) == QStringList{u"live 你好 from the host"_s};
        }(),
        kWaitMs);
    // Said in this session: shown where it is in the log, not in a window of its own.
    QTest::keyClick(bar->resultsView(), Qt::Key_Return);
    QCOMPARE(host->logModel()->entry(host->logView()->currentIndex().row()).text, u"live 你好 from the host"_s);
    QVERIFY(!host->findChild<ui::HistoryContextDialog*>());
  }

  void historyDialogSavesItsSettings() {
    KeptHistory kept;
    const QString ini = settingsFile();
    ui::Settings settings(ini);
    QVERIFY(settings.keepsHistory());
    QCOMPARE(settings.historyForNewcomers(), 100);
    ui::HistoryDialog dialog(settings, kept.store, {}, kAlpha, u"Alpha"_s);
    dialog.show();
    dialog.daysBox()->setValue(30);
    dialog.mibBox()->setValue(5);
    dialog.newcomersBox()->setValue(20);
    dialog.keepBox()->click();
    QVERIFY2(!dialog.newcomersBox()->isEnabled(), "what newcomers see is offered while nothing is kept");
    dialog.buttons()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QSettings saved(ini, QSettings::IniFormat);
    QCOMPARE(saved.value(u"history/keep"_s).toBool(), false);
    QCOMPARE(saved.value(u"history/days"_s).toInt(), 30);
    QCOMPARE(saved.value(u"history/mib"_s).toInt(), 5);
    QCOMPARE(saved.value(u"history/newcomers"_s).toInt(), 20);
    chat::CoreOptions options;
    settings.applyHistory(options);
    QCOMPARE(options.keepHistory, false);
    QCOMPARE(options.historyForNewcomers, std::size_t{20});
  }

  void deletesAfterAsking() {
    KeptHistory kept;
    ui::Settings settings(settingsFile());
    ui::HistoryDialog dialog(settings, kept.store, {}, kAlpha, u"Alpha"_s);
    dialog.show();
    QSignalSpy done(&dialog, &ui::HistoryDialog::workFinished);

    auto answered = answerNextConfirmation(false);
    dialog.deleteRoomButton()->click();
    QVERIFY(*answered);
    QCOMPARE(kept.texts("hello"), (QStringList{u"hello from alpha"_s, u"hello from beta"_s}));

    answered = answerNextConfirmation(true);
    dialog.deleteRoomButton()->click();
    QVERIFY(*answered);
    QVERIFY(done.wait(kWaitMs));
    QCOMPARE(kept.texts("hello"), QStringList{u"hello from beta"_s});
    QVERIFY(kept.texts("你好", kAlpha).isEmpty());
    QCOMPARE(kept.texts("你好"), QStringList{u"大家你好"_s});

    answered = answerNextConfirmation(true);
    dialog.deleteAllButton()->click();
    QVERIFY(*answered);
    QVERIFY(done.wait(kWaitMs));
    QVERIFY(kept.texts("hello").isEmpty());
    QVERIFY(kept.store->rooms().empty());
  }

  void exportsThisRoom() {
    KeptHistory kept;
    ui::Settings settings(settingsFile());
    ui::HistoryDialog dialog(settings, kept.store, {}, kAlpha, u"Alpha"_s);
    QSignalSpy done(&dialog, &ui::HistoryDialog::workFinished);
    const QString text = newDataDir() + u"/alpha.txt"_s;
    dialog.exportTo(text, ui::HistoryExport::Format::Text);
    QVERIFY(done.wait(kWaitMs));
    QFile file(text);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString written = QString::fromUtf8(file.readAll());
    QVERIFY2(written.startsWith(u"# ChatPort history of Alpha"_s), qPrintable(written));
    QVERIFY(written.contains(u"<ann> hello from alpha"_s));
    QVERIFY(written.contains(u"<李雷> 你好，世界"_s));
    QVERIFY(!written.contains(u"beta"_s));
    QVERIFY(dialog.statusLabel()->text().contains(u"exported to"_s));

    const QString json = newDataDir() + u"/alpha.jsonl"_s;
    dialog.exportTo(json, ui::HistoryExport::Format::Json);
    QVERIFY(done.wait(kWaitMs));
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    QStringList texts;
    for (const QByteArray& line : jsonFile.readAll().split('\n')) {
      if (line.isEmpty()) continue;
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      QCOMPARE(o.value(u"room"_s).toString(), QString::fromStdString(kAlpha));
      QCOMPARE(o.value(u"history"_s).toBool(), true);
      texts << o.value(u"text"_s).toString();
    }
    QCOMPARE(texts, (QStringList{u"before anything"_s, u"hello from alpha"_s, u"你好，世界"_s, u"after it all"_s}));
  }

  void limitsApplyAtStart() {
    KeptHistory kept;
    kept.store->append(said(kBeta, 3, "bob", "an old hello", nowMs() - 40 * kDayMs));
    kept.store->flush();
    QVERIFY(kept.texts("old").contains(u"an old hello"_s));
    ui::Settings settings(settingsFile());
    settings.setHistoryDays(30);
    app::applyHistoryLimits(settings, kept.dir.toStdString());
    QVERIFY(kept.texts("old").isEmpty());
    QCOMPARE(kept.texts("hello"), (QStringList{u"hello from alpha"_s, u"hello from beta"_s}));
  }

  void withoutHistoryEverythingSaysWhy() {
    const QString why = u"this Windows build keeps no history: no SQLite"_s;
    ui::Settings settings(settingsFile());
    ui::HistoryDialog dialog(settings, nullptr, why, kAlpha, u"Alpha"_s);
    dialog.show();
    for (QWidget* w : std::initializer_list<QWidget*>{dialog.keepBox(), dialog.daysBox(), dialog.mibBox(),
                                                      dialog.newcomersBox(), dialog.deleteRoomButton(),
                                                      dialog.deleteAllButton(), dialog.exportButton(),
                                                      dialog.buttons()->button(QDialogButtonBox::Save)})
      QVERIFY2(!w->isEnabled(), qPrintable(w->objectName()));
    QVERIFY(dialog.statusLabel()->isVisible());
    QVERIFY2(dialog.statusLabel()->text().contains(why), qPrintable(dialog.statusLabel()->text()));

    ui::HistorySearchBar bar;
    bar.setStore(nullptr, why);
    bar.open();
    bar.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&bar));
    QVERIFY(!bar.wordsEdit()->isEnabled());
    QVERIFY(bar.statusLabel()->text().contains(u"not available"_s));
    QVERIFY(bar.statusLabel()->text().contains(why));
    QTRY_VERIFY(bar.focusWidget() != nullptr);
    QTest::keyClick(bar.focusWidget(), Qt::Key_Escape);
    QVERIFY2(!bar.isVisible(), "Esc did not close the search bar");
  }
};

QTEST_MAIN(HistoryUiTest)
#include "history_ui_test.moc"
