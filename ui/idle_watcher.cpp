#include "idle_watcher.h"

#include <QCoreApplication>
#include <QEvent>

namespace chatport::ui {

IdleWatcher::IdleWatcher(QObject* parent) : QObject(parent) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &IdleWatcher::check);
  QCoreApplication::instance()->installEventFilter(this);
}

IdleWatcher::~IdleWatcher() {
  if (QCoreApplication* app = QCoreApplication::instance()) app->removeEventFilter(this);
}

void IdleWatcher::setTimeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
  restart();
}

void IdleWatcher::restart() {
  sinceInput_.start();
  if (timeout_.count() > 0)
    timer_.start(timeout_);
  else
    timer_.stop();
}

void IdleWatcher::check() {
  const qint64 left = timeout_.count() - sinceInput_.elapsed();
  if (left > 0) {
    timer_.start(static_cast<int>(left));
    return;
  }
  idle_ = true;
  Q_EMIT becameIdle();
}

bool IdleWatcher::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
      // Each event reaches the filter once per object it is sent to: while active, only the
      // stamp moves, and the timer, when it fires, waits for the rest.
      if (idle_) {
        idle_ = false;
        restart();
        Q_EMIT becameActive();
      } else {
        sinceInput_.start();
      }
      break;
    default:
      break;
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace chatport::ui
