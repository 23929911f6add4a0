#pragma once
// Helpers shared by the UI suites: open host and joiner windows on loopback, type into them,
// and read what their logs and lists show. Every wait has a deadline; nothing sleeps.

#include "chat_log_model.h"
#include "chat_window.h"
#include "client_list_model.h"
#include "message_input.h"

#include <chatport/noise/password.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QCheckBox>
#include <QInputMethodEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

#include <deque>
#include <functional>
#include <memory>

namespace chatport::test {

inline constexpr int kWaitMs = 20'000;

/// The offscreen platform warns each time a window's minimum size changes; that is noise.
inline void quietOffscreenNoise() {
  static const QtMessageHandler previous = qInstallMessageHandler(
      [](QtMsgType type, const QMessageLogContext& context, const QString& message) {
        if (message.contains(QLatin1String("propagateSizeHints"))) return;
        if (previous) previous(type, context, message);
      });
}

/// A data folder of its own (key, pinned hosts) under the system's temporary folder, removed
/// when the test program ends: tests never touch the real one.
inline QString newDataDir() {
  static std::deque<QTemporaryDir> dirs;  // main thread only
  dirs.emplace_back(QDir::tempPath() + QStringLiteral("/chatport-ui-test-XXXXXX"));
  return dirs.back().path();
}

/// Options for windows in tests: few threads (the machine is shared), quick timeouts, the
/// cheapest password hashing, and a data folder of their own (a key of their own).
inline chat::CoreOptions testCoreOptions(const QString& dataDir = newDataDir()) {
  chat::CoreOptions options;
  options.threads = 1;
  options.statsInterval = std::chrono::milliseconds(0);
  options.dataDir = QDir::toNativeSeparators(dataDir).toStdString();
  options.passwordMemoryKiB = chatport::noise::kMinPasswordCost.memoryKiB;
  options.passwordIterations = chatport::noise::kMinPasswordCost.iterations;
  return options;
}

inline ui::SessionRequest hostRequest(const QString& name, quint16 port = 0) {
  ui::SessionRequest r;
  r.role = chat::Role::Host;
  r.name = name;
  r.address = QStringLiteral("127.0.0.1");
  r.port = port;
  return r;
}

inline ui::SessionRequest joinRequest(const QString& name, quint16 port,
                                      const QString& address = QStringLiteral("127.0.0.1")) {
  ui::SessionRequest r;
  r.role = chat::Role::Joiner;
  r.name = name;
  r.address = address;
  r.port = port;
  return r;
}

/// A started window (deleted with the unique_ptr; its core leaves cleanly).
inline std::unique_ptr<ui::ChatWindow> startWindow(const ui::SessionRequest& request,
                                                   chat::CoreOptions options = testCoreOptions()) {
  auto window = std::make_unique<ui::ChatWindow>(request, options);
  window->show();
  window->start();
  return window;
}

/// Row texts of a window's log, for failure messages.
inline QString logDump(const ui::ChatWindow& window) {
  QStringList lines;
  const ui::ChatLogModel* log = window.logModel();
  const int first = std::max(0, log->rowCount() - 30);
  for (int row = first; row < log->rowCount(); ++row) lines << log->plainText(row);
  return lines.join(u'\n');
}

/// The first log row satisfying pred, or -1.
inline int findRow(const ui::ChatWindow& window, const std::function<bool(const ui::LogEntry&)>& pred) {
  const ui::ChatLogModel* log = window.logModel();
  for (int row = 0; row < log->rowCount(); ++row)
    if (pred(log->entry(row))) return row;
  return -1;
}

inline int findText(const ui::ChatWindow& window, const QString& text) {
  return findRow(window, [&](const ui::LogEntry& e) { return e.text == text; });
}

/// A row whose text contains part (system and error lines).
inline int findLine(const ui::ChatWindow& window, ui::LogEntry::Kind kind, const QString& part) {
  return findRow(window, [&](const ui::LogEntry& e) { return e.kind == kind && e.text.contains(part); });
}

/// Types text as a person would: ASCII on the keyboard, everything else (Chinese, emoji)
/// committed by an input method, line breaks with Shift+Enter.
inline void typeText(QWidget* widget, const QString& text) {
  QString run;
  bool runIsAscii = true;
  auto flush = [&] {
    if (run.isEmpty()) return;
    if (runIsAscii) {
      QTest::keyClicks(widget, run);
    } else {
      QInputMethodEvent commit;
      commit.setCommitString(run);
      QCoreApplication::sendEvent(widget, &commit);
    }
    run.clear();
  };
  for (QChar c : text) {
    if (c == u'\n') {
      flush();
      QTest::keyClick(widget, Qt::Key_Return, Qt::ShiftModifier);
      continue;
    }
    const bool ascii = c.unicode() >= 0x20 && c.unicode() < 0x7f;
    if (ascii != runIsAscii) flush();
    runIsAscii = ascii;
    run += c;
  }
  flush();
}

/// Types ASCII text on the keyboard into a window, not into a widget: the keys go wherever the
/// window's keyboard focus is, as a person's typing does.
inline void typeIntoWindow(QWidget* window, const QString& ascii) {
  for (QChar c : ascii) QTest::keyClick(window->windowHandle(), c.toLatin1());
}

/// Answers the next modal dialog of type T as soon as it is open: act runs on it from the
/// event loop the dialog's exec() turns (no waiting for time). Call before what opens it; the
/// flag returned says whether it was answered.
template <typename T>
std::shared_ptr<bool> answerNextDialog(std::function<void(T*)> act, int turnsLeft = 10'000,
                                       std::shared_ptr<bool> answered = std::make_shared<bool>(false)) {
  QTimer::singleShot(0, [act = std::move(act), turnsLeft, answered] {
    if (auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget()); dialog && dialog->isVisible()) {
      *answered = true;
      act(dialog);
    } else if (turnsLeft > 0) {
      answerNextDialog<T>(std::move(act), turnsLeft - 1, answered);
    }
  });
  return answered;
}

/// Answers the next confirmation (a QMessageBox) with yes or Cancel, ticking "Don't ask again"
/// if asked to.
inline std::shared_ptr<bool> answerNextConfirmation(bool yes, bool dontAskAgain = false) {
  return answerNextDialog<QMessageBox>([yes, dontAskAgain](QMessageBox* box) {
    if (dontAskAgain && box->checkBox()) box->checkBox()->setChecked(true);
    box->button(yes ? QMessageBox::Yes : QMessageBox::Cancel)->click();
  });
}

/// The mnemonic of a label, button or menu text ("&Join" -> 'j'), or a null QChar.
inline QChar mnemonicOf(const QString& text) {
  for (qsizetype i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != u'&') continue;
    if (text[i + 1] == u'&') {
      ++i;  // "&&" is a literal ampersand
      continue;
    }
    return text[i + 1].toLower();
  }
  return {};
}

/// The texts among these whose mnemonic another one has too, or an empty list.
inline QStringList mnemonicClashes(const QStringList& texts) {
  QStringList clashes;
  for (qsizetype i = 0; i < texts.size(); ++i)
    for (qsizetype j = 0; j < texts.size(); ++j)
      if (i != j && !mnemonicOf(texts[i]).isNull() && mnemonicOf(texts[i]) == mnemonicOf(texts[j]))
        clashes << texts[i];
  return clashes;
}

/// The texts with a mnemonic a person can press in window now: its visible buttons and its
/// visible labels that have a buddy.
inline QStringList mnemonicTexts(QWidget* window) {
  QStringList texts;
  for (auto* button : window->findChildren<QAbstractButton*>())
    if (button->isVisibleTo(window) && !mnemonicOf(button->text()).isNull()) texts << button->text();
  for (auto* label : window->findChildren<QLabel*>())
    if (label->isVisibleTo(window) && label->buddy() && !mnemonicOf(label->text()).isNull()) texts << label->text();
  return texts;
}

/// Types text into the window's input and presses Enter.
inline void typeAndSend(ui::ChatWindow& window, const QString& text) {
  typeText(window.input(), text);
  QTest::keyClick(window.input(), Qt::Key_Return);
}

}  // namespace chatport::test

#define WAIT_CONNECTED(window)                                                                   \
  QTRY_VERIFY2_WITH_TIMEOUT((window).state() == chatport::ui::ConnectionState::Connected,      \
                            qPrintable(QStringLiteral("%1 is not connected; its log:\n%2")     \
                                           .arg((window).request().name,                       \
                                                chatport::test::logDump(window))),             \
                            chatport::test::kWaitMs)
