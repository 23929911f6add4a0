#include "unread_notifier.h"

#include <QApplication>
#include <QEvent>
#include <QSystemTrayIcon>
#include <QWidget>

namespace chatport::ui {

UnreadNotifier::Notice UnreadNotifier::noticeFor(const Arrival& arrival, bool windowActive, int unread,
                                                 qint64 msSinceNotified, bool busy) {
  Notice notice;
  // Seen as it arrives, or nothing new: nothing to tell.
  if (windowActive || arrival.own || arrival.history) return notice;
  notice.counts = true;
  if (busy) return notice;
  notice.alert = unread == 0 || arrival.isPrivate;
  notice.notify = msSinceNotified < 0 || msSinceNotified >= kNotificationGapMs;
  if (!notice.notify) return notice;
  notice.title = arrival.isPrivate ? tr("Private message from %1").arg(arrival.from)
                                   : tr("Message from %1").arg(arrival.from);
  notice.preview = arrival.text.simplified();
  if (notice.preview.size() > kPreviewChars) notice.preview = notice.preview.left(kPreviewChars) + QChar(0x2026);
  return notice;
}

UnreadNotifier::UnreadNotifier(QWidget* window) : QObject(window), window_(window) {
  window_->installEventFilter(this);
}

UnreadNotifier::Notice UnreadNotifier::messageArrived(const Arrival& arrival) {
  const Notice notice = noticeFor(arrival, window_->isActiveWindow(), unread_,
                                  sinceNotification_.isValid() ? sinceNotification_.elapsed() : -1, busy_);
  if (!notice.counts) return notice;
  ++unread_;
  Q_EMIT unreadChanged(unread_);
  if (notice.alert) QApplication::alert(window_);
  if (notice.notify) {
    sinceNotification_.start();
    notify(notice);
  }
  return notice;
}

void UnreadNotifier::reset() {
  if (unread_ == 0) return;
  unread_ = 0;
  if (tray_) tray_->hide();
  Q_EMIT unreadChanged(0);
}

void UnreadNotifier::notify(const Notice& notice) {
  if (!QSystemTrayIcon::isSystemTrayAvailable() || !QSystemTrayIcon::supportsMessages()) return;
  if (!tray_) {
    tray_ = new QSystemTrayIcon(window_->windowIcon(), this);
    tray_->setToolTip(QApplication::applicationDisplayName());
    connect(tray_, &QSystemTrayIcon::activated, window_, [this] {
      window_->showNormal();
      window_->raise();
      window_->activateWindow();
    });
    connect(tray_, &QSystemTrayIcon::messageClicked, window_, [this] {
      window_->raise();
      window_->activateWindow();
    });
  }
  tray_->show();
  tray_->showMessage(notice.title, notice.preview, window_->windowIcon());
}

bool UnreadNotifier::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::ActivationChange && window_->isActiveWindow())
    reset();
  return QObject::eventFilter(watched, event);
}

}  // namespace chatport::ui
