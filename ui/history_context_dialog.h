#pragma once
// A message found in the history, with what was said around it in its room
// (HistoryStore::around), the message itself marked. UI thread only.

#include <chatport/chat/history.h>

#include <QDialog>

#include <vector>

class QTextBrowser;

namespace chatport::ui {

class HistoryContextDialog : public QDialog {
  Q_OBJECT

 public:
  /// messages oldest first; hit: the id of the one found; words: what was searched for.
  HistoryContextDialog(const std::vector<chat::StoredMessage>& messages, std::int64_t hit, const QString& words,
                       const QString& roomName, QWidget* parent = nullptr);

  QTextBrowser* view() const { return view_; }

 private:
  QTextBrowser* view_;
};

}  // namespace chatport::ui
