#include "emoji_picker.h"

#include <QApplication>
#include <QGridLayout>
#include <QScreen>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace chatport::ui {

namespace {

// The common ones, by kind. Single code points or sequences the system's colour emoji font
// draws as one picture.
const QStringList& common() {
  static const QStringList list = {
      // faces
      u"😀"_s, u"😄"_s, u"😂"_s, u"🙂"_s, u"😉"_s, u"😊"_s, u"😍"_s, u"😘"_s, u"😎"_s, u"🤔"_s,
      u"😐"_s, u"🙄"_s, u"😴"_s, u"😅"_s, u"😢"_s, u"😭"_s, u"😮"_s, u"😱"_s, u"😡"_s, u"🥳"_s,
      // hands and people
      u"👍"_s, u"👎"_s, u"👌"_s, u"👏"_s, u"🙏"_s, u"👋"_s, u"💪"_s, u"🤝"_s, u"✌️"_s, u"🙋"_s,
      // things and food
      u"🎉"_s, u"🎂"_s, u"☕"_s, u"🍵"_s, u"🍕"_s, u"🍜"_s, u"📎"_s, u"💻"_s, u"📅"_s, u"⏰"_s,
      // symbols
      u"❤️"_s, u"💔"_s, u"🔥"_s, u"⭐"_s, u"✅"_s, u"❌"_s, u"❓"_s, u"❗"_s, u"💯"_s, u"🚀"_s,
  };
  return list;
}

}  // namespace

EmojiPicker::EmojiPicker(QWidget* parent) : QFrame(parent, Qt::Popup), grid_(new QGridLayout(this)) {
  setObjectName(u"emojiPicker"_s);
  setFrameShape(QFrame::StyledPanel);
  grid_->setContentsMargins(4, 4, 4, 4);
  grid_->setSpacing(0);
  rebuild();
}

QStringList EmojiPicker::offered() const {
  QStringList out = recent_;
  for (const QString& e : common())
    if (!recent_.contains(e)) out << e;
  return out;
}

void EmojiPicker::rebuild() {
  while (QLayoutItem* item = grid_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  // In colour where the system has a colour emoji font: asked for first, since a text font
  // (DejaVu Sans, say) may also have plain outlines for some of them.
  QFont font = this->font();
  font.setFamilies({u"Noto Color Emoji"_s, u"Apple Color Emoji"_s, u"Segoe UI Emoji"_s, font.family()});
  font.setPointSizeF(font.pointSizeF() * 1.5);
  const QStringList emoji = offered();
  for (int i = 0; i < emoji.size(); ++i) {
    auto* button = new QToolButton(this);
    button->setText(emoji[i]);
    button->setFont(font);
    button->setAutoRaise(true);
    button->setAccessibleName(emoji[i]);
    const QString e = emoji[i];
    connect(button, &QToolButton::clicked, this, [this, e] { pick(e); });
    grid_->addWidget(button, i / kColumns, i % kColumns);
  }
}

void EmojiPicker::pick(const QString& emoji) {
  recent_.removeAll(emoji);
  recent_.prepend(emoji);
  while (recent_.size() > kRecent) recent_.removeLast();
  hide();
  rebuild();
  Q_EMIT picked(emoji);
}

void EmojiPicker::popUpAt(QWidget* anchor) {
  adjustSize();
  QPoint at = anchor->mapToGlobal(QPoint(0, anchor->height()));
  if (const QScreen* screen = anchor->screen()) {
    const QRect room = screen->availableGeometry();
    if (at.y() + height() > room.bottom()) at.setY(anchor->mapToGlobal(QPoint(0, 0)).y() - height());
    at.setX(std::clamp(at.x(), room.left(), std::max(room.left(), room.right() - width())));
  }
  move(at);
  show();
  if (QWidget* first = grid_->itemAt(0) ? grid_->itemAt(0)->widget() : nullptr) first->setFocus();
}

}  // namespace chatport::ui
