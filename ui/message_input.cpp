#include "message_input.h"

#include "dropped_files.h"

#include <QImage>
#include <QKeyEvent>
#include <QMimeData>
#include <QTextBlock>

#include <algorithm>
#include <cmath>

namespace chatport::ui {
namespace {
constexpr int kMinLines = 2;
constexpr int kMaxLines = 6;
}  // namespace

MessageInput::MessageInput(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName(QStringLiteral("messageInput"));
  setTabChangesFocus(true);
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setAccessibleName(tr("Message"));
  connect(this, &QPlainTextEdit::textChanged, this, &QWidget::updateGeometry);
}

int MessageInput::heightForLines(int lines) const {
  const int margins = contentsMargins().top() + contentsMargins().bottom() +
                      static_cast<int>(std::ceil(2 * document()->documentMargin()));
  return fontMetrics().lineSpacing() * lines + margins;
}

QSize MessageInput::sizeHint() const {
  // Visual lines, counting wrapped ones.
  int lines = 0;
  for (QTextBlock block = document()->begin(); block.isValid(); block = block.next())
    lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
  return {QPlainTextEdit::sizeHint().width(), heightForLines(std::clamp(lines, kMinLines, kMaxLines))};
}

QSize MessageInput::minimumSizeHint() const {
  return {QPlainTextEdit::minimumSizeHint().width(), heightForLines(kMinLines)};
}

void MessageInput::keyPressEvent(QKeyEvent* event) {
  const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
  if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
    event->accept();
    Q_EMIT sendRequested(toPlainText());
    return;
  }
  if (enter) {
    // Shift+Enter: a plain new line (QPlainTextEdit would insert a line separator).
    insertPlainText(QStringLiteral("\n"));
    event->accept();
    return;
  }
  if (event->key() == Qt::Key_Escape) {
    Q_EMIT escapePressed();
    event->accept();
    return;
  }
  QPlainTextEdit::keyPressEvent(event);
}


bool MessageInput::canInsertFromMimeData(const QMimeData* source) const {
  // Files dragged here go on to the window, which offers them (a drop asks this; a paste not).
  if (!droppedFiles(source).isEmpty()) return false;
  return source->hasImage() || QPlainTextEdit::canInsertFromMimeData(source);
}

void MessageInput::insertFromMimeData(const QMimeData* source) {
  if (const QStringList paths = droppedFiles(source); !paths.isEmpty()) {
    Q_EMIT filesPasted(paths);
    return;
  }
  // An image copied from a browser or an editor also comes as text (its address, HTML): the
  // picture is what was meant.
  if (source->hasImage()) {
    if (const QImage image = qvariant_cast<QImage>(source->imageData()); !image.isNull()) {
      Q_EMIT imagePasted(image);
      return;
    }
  }
  QPlainTextEdit::insertFromMimeData(source);
}

}  // namespace chatport::ui
