#include "core_bridge.h"

#include <QThread>

namespace chatport::ui {

CoreBridge::CoreBridge(chat::CoreOptions options, QObject* parent)
    : QObject(parent), core_(std::make_unique<chat::ChatCore>(options)) {
  // Runs on a core thread: only posts. `this` outlives every call: ~CoreBridge destroys the
  // core (joining its threads) before QObject's destructor discards what was posted.
  drainLater_.setSingleShot(true);
  connect(&drainLater_, &QTimer::timeout, this, &CoreBridge::drain);
  core_->setWakeCallback([this] { QMetaObject::invokeMethod(this, &CoreBridge::woken, Qt::QueuedConnection); });
}

void CoreBridge::woken() {
  const qint64 since = sinceDrain_.isValid() ? sinceDrain_.elapsed() : kDrainGapMs;
  if (since >= kDrainGapMs)
    drain();
  else if (!drainLater_.isActive())
    drainLater_.start(static_cast<int>(kDrainGapMs - since));
}

CoreBridge::~CoreBridge() { core_.reset(); }

void CoreBridge::setSink(Sink sink) {
  Q_ASSERT(QThread::currentThread() == thread());
  sink_ = std::move(sink);
}

void CoreBridge::setObserver(Observer observer) {
  Q_ASSERT(QThread::currentThread() == thread());
  observer_ = std::move(observer);
}

void CoreBridge::submit(chat::Command command) {
  Q_ASSERT(QThread::currentThread() == thread());
  if (observer_) observer_(command);
  core_->submit(std::move(command));
}

void CoreBridge::drain() {
  Q_ASSERT(QThread::currentThread() == thread());
  sinceDrain_.start();
  // A local batch: the sink may spin a nested event loop that drains again.
  std::vector<chat::Event> batch;
  batch.reserve(kBatchSize);
  const std::size_t n = core_->drainEvents(batch, kBatchSize);
  if (n == 0) return;
  // A full batch may have left more behind: take the rest on a later turn, after whatever is
  // already posted (input, paints, timers).
  if (n == kBatchSize) QMetaObject::invokeMethod(this, &CoreBridge::drain, Qt::QueuedConnection);
  eventsDrained_ += n;
  if (sink_) sink_(batch);
  Q_EMIT batchDrained(static_cast<int>(n));
}

}  // namespace chatport::ui
