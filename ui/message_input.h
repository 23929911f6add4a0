#pragma once
// Where a message is written: Enter sends, Shift+Enter starts a new line, Escape asks to stop
// writing privately. Grows with its text up to a few lines. An image pasted into it is not text:
// it is handed on (imagePasted) to be offered as a file. UI thread only.

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
  /// Ctrl+V (or a drop) with an image in the clipboard.
  void imagePasted(const QImage& image);
  /// Ctrl+V with files or folders copied (in a file manager).
  void filesPasted(const QStringList& paths);

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  bool canInsertFromMimeData(const QMimeData* source) const override;
  void insertFromMimeData(const QMimeData* source) override;

 private:
  int heightForLines(int lines) const;
};

}  // namespace chatport::ui
