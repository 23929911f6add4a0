#pragma once
// Notices when the person has stopped using ChatPort: no key, mouse, wheel or touch input in any
// of its windows for a while. The window turns that into "away" and back (presence). It watches
// the application's input, not the whole desktop's: portable, and what ChatPort can see. UI
// thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace chatport::ui {

class IdleWatcher : public QObject {
  Q_OBJECT

 public:
  /// Watches every window of the application (an event filter on it).
  explicit IdleWatcher(QObject* parent = nullptr);
  ~IdleWatcher() override;

  /// Idle after this long without input; 0: never. Starts counting afresh.
  void setTimeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds timeout() const { return timeout_; }
  bool isIdle() const { return idle_; }

 Q_SIGNALS:
  /// timeout() has passed without input.
  void becameIdle();
  /// Input again after becameIdle().
  void becameActive();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void restart();
  /// The timer fired: idle if no input came since, else wait for what is left.
  void check();

  QTimer timer_;
  QElapsedTimer sinceInput_;  // input only stamps this: no timer work per mouse move
  std::chrono::milliseconds timeout_{0};
  bool idle_ = false;
};

}  // namespace chatport::ui
