#pragma once
// A small panel of emoji to put in a message: the ones used lately first, then the common ones
// by kind (faces, hands and people, things, symbols), each a button that inserts its emoji.
// Opens as a popup under (or over) the button that asks for it; Escape or a click elsewhere
// closes it. Keeps the lately used ones for the session. UI thread only.

#include <QFrame>
#include <QStringList>

class QGridLayout;

namespace chatport::ui {

class EmojiPicker : public QFrame {
  Q_OBJECT

 public:
  explicit EmojiPicker(QWidget* parent = nullptr);

  /// Shows the panel next to anchor (over it if there is no room below).
  void popUpAt(QWidget* anchor);
  /// The emoji offered, in order: the lately used ones first.
  QStringList offered() const;
  /// The ones picked this session, the latest first (at most kRecent).
  const QStringList& recent() const { return recent_; }

  static constexpr int kRecent = 8;
  static constexpr int kColumns = 10;

 Q_SIGNALS:
  /// One was picked; the panel has closed.
  void picked(const QString& emoji);

 private:
  void pick(const QString& emoji);
  void rebuild();

  QGridLayout* grid_;
  QStringList recent_;
};

}  // namespace chatport::ui
