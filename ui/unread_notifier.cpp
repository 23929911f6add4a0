#include "unread_notifier.h"

#include <QApplication>
#include <QEvent>
#include <QSystemTrayIcon>
#include <QWidget>

namespace chatport::ui {
namespace {
constexpr qint64 kNotificationGapMs = 5000;
constexpr int kPreviewChars = 120;
}  // namespace

UnreadNotifier::UnreadNotifier(QWidget* window) : QObject(window), window_(window) {
  window_->installEventFilter(this);
}

void UnreadNotifier::messageArrived(const QString& from, const QString& text, bool isPrivate) {
  if (window_->isActiveWindow()) return;
  ++unread_;
  Q_EMIT unreadChanged(unread_);
  if (unread_ == 1 || isPrivate) QApplication::alert(window_);
  if (!sinceNotification_.isValid() || sinceNotification_.elapsed() >= kNotificationGapMs) {
    sinceNotification_.start();
    notify(from, text, isPrivate);
  }
}

void UnreadNotifier::reset() {
  if (unread_ == 0) return;
  unread_ = 0;
  if (tray_) tray_->hide();
  Q_EMIT unreadChanged(0);
}

void UnreadNotifier::notify(const QString& from, const QString& text, bool isPrivate) {
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
  const QString title = isPrivate ? tr("Private message from %1").arg(from) : tr("Message from %1").arg(from);
  QString preview = text.simplified();
  if (preview.size() > kPreviewChars) preview = preview.left(kPreviewChars) + QChar(0x2026);
  tray_->showMessage(title, preview, window_->windowIcon());
}

bool UnreadNotifier::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::ActivationChange && window_->isActiveWindow())
    reset();
  return QObject::eventFilter(watched, event);
}

}  // namespace chatport::ui
