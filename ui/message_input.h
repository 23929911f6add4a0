#pragma once
// Where a message is written: Enter sends, Shift+Enter starts a new line, Escape asks to stop
// writing privately. Grows with its text up to a few lines. UI thread only.

#include <QPlainTextEdit>

namespace chatport::ui {

class MessageInput : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit MessageInput(QWidget* parent = nullptr);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 Q_SIGNALS:
  /// Enter pressed; text is what was written (the caller clears the input once it is sent).
  void sendRequested(const QString& text);
  void escapePressed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  int heightForLines(int lines) const;
};

}  // namespace chatport::ui
