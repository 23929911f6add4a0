#include "idle_watcher.h"

#include <QCoreApplication>
#include <QEvent>

namespace chatport::ui {

IdleWatcher::IdleWatcher(QObject* parent) : QObject(parent) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, [this] {
    idle_ = true;
    Q_EMIT becameIdle();
  });
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
  if (timeout_.count() > 0)
    timer_.start(timeout_);
  else
    timer_.stop();
}

bool IdleWatcher::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
      // Each event reaches the filter once per object it is sent to: a restart is cheap.
      restart();
      if (idle_) {
        idle_ = false;
        Q_EMIT becameActive();
      }
      break;
    default:
      break;
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace chatport::ui
