#pragma once
// Counts messages that arrive while the window is not active and gets the person's attention:
// the taskbar entry is flagged (QApplication::alert) and, where the desktop has a tray, a
// notification shows (at most one every few seconds, so a busy chat is not a storm). The count
// resets when the window becomes active. UI thread only.

#include <QElapsedTimer>
#include <QObject>

class QSystemTrayIcon;
class QWidget;

namespace chatport::ui {

class UnreadNotifier : public QObject {
  Q_OBJECT

 public:
  explicit UnreadNotifier(QWidget* window);

  /// A message from someone else arrived.
  void messageArrived(const QString& from, const QString& text, bool isPrivate);
  int unread() const { return unread_; }
  void reset();

 Q_SIGNALS:
  void unreadChanged(int unread);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void notify(const QString& from, const QString& text, bool isPrivate);

  QWidget* window_;
  QSystemTrayIcon* tray_ = nullptr;
  QElapsedTimer sinceNotification_;
  int unread_ = 0;
};

}  // namespace chatport::ui
