#pragma once
// Counts messages that arrive while the window is not active and gets the person's attention:
// the taskbar entry is flagged (QApplication::alert) and, where the desktop has a tray, a
// notification shows (at most one every few seconds, so a busy chat is not a storm). The count
// resets when the window becomes active. What a message calls for is decided by noticeFor(),
// apart from the tray, so it is the same (and tested) on a desktop without one. UI thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QSystemTrayIcon;
class QWidget;

namespace chatport::ui {

class UnreadNotifier : public QObject {
  Q_OBJECT

 public:
  /// A message shown in the window.
  struct Arrival {
    QString from;
    QString text;
    bool isPrivate = false;
    bool own = false;      ///< written here (in this window or another of the same person)
    bool history = false;  ///< said before this session: nothing new
  };
  /// What an arrival calls for.
  struct Notice {
    bool counts = false;  ///< one more unread message
    bool alert = false;   ///< flag the window's taskbar entry
    bool notify = false;  ///< a notification, with title and preview (where the desktop has a tray)
    QString title;
    QString preview;
  };
  /// Notifications come at most this often.
  static constexpr qint64 kNotificationGapMs = 5000;
  /// A preview is cut to this many characters (an ellipsis ends it).
  static constexpr int kPreviewChars = 120;

  /// arrival while the window is active or not, with unread messages already counted, and
  /// msSinceNotified since the last notification (negative: none yet). busy: the person said
  /// so (presence): messages count, nothing else.
  static Notice noticeFor(const Arrival& arrival, bool windowActive, int unread, qint64 msSinceNotified,
                          bool busy = false);

  explicit UnreadNotifier(QWidget* window);

  /// A message arrived; returns what it called for (a notification only where a tray shows it).
  Notice messageArrived(const Arrival& arrival);
  int unread() const { return unread_; }
  void reset();
  /// The person is busy: no taskbar flag, no notification (the count still grows).
  void setBusy(bool busy) { busy_ = busy; }
  /// The tray icon the notifications show from; null until one has been shown.
  QSystemTrayIcon* trayIcon() const { return tray_; }

 Q_SIGNALS:
  void unreadChanged(int unread);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void notify(const Notice& notice);

  QWidget* window_;
  QSystemTrayIcon* tray_ = nullptr;
  QElapsedTimer sinceNotification_;
  int unread_ = 0;
  bool busy_ = false;
};

}  // namespace chatport::ui
