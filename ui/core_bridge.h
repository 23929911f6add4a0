#pragma once
// The UI's one door to the chat core. Commands go in with submit(); the core's wake callback
// posts a queued wake to this object's thread, and each drain hands at most kBatchSize events
// to the sink, then re-queues itself if more may be waiting, so other events (input, paints,
// timers) run between batches however fast events arrive. Drains are at least kDrainGapMs
// apart (a frame at 60 Hz) unless the last one was full: a wake after a quiet spell drains at
// once, and during a flood each drain takes what the gap brought, so the views lay themselves
// out tens of times a second rather than hundreds (a QTreeView lays out every row on each
// insertion).
//
// Threads: construct, submit, setSink and destroy on the UI thread. The wake callback runs on a
// core thread and only posts; drain() runs on the UI thread.

#include <chatport/chat/chat_core.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace chatport::ui {

class CoreBridge : public QObject {
  Q_OBJECT

 public:
  static constexpr std::size_t kBatchSize = 500;
  static constexpr int kDrainGapMs = 16;
  using Sink = std::function<void(std::vector<chat::Event>& batch)>;

  explicit CoreBridge(chat::CoreOptions options = {}, QObject* parent = nullptr);
  /// Destroys the core, which leaves cleanly (a host tells its joiners) before stopping.
  ~CoreBridge() override;

  /// Where drained events go; may move from the batch.
  void setSink(Sink sink);
  /// Never blocks on the network.
  void submit(chat::Command command);
  /// Sees each command before the core does (tests check what a window asked for).
  using Observer = std::function<void(const chat::Command& command)>;
  void setObserver(Observer observer);

  /// Events handed to the sink so far.
  quint64 eventsDrained() const { return eventsDrained_; }

 Q_SIGNALS:
  /// After each batch reached the sink.
  void batchDrained(int count);

 private:
  /// On the UI thread, for the core's wake: drains now, or once kDrainGapMs has passed.
  void woken();
  void drain();

  QElapsedTimer sinceDrain_;
  QTimer drainLater_;
  std::unique_ptr<chat::ChatCore> core_;
  Sink sink_;
  Observer observer_;
  quint64 eventsDrained_ = 0;
};

}  // namespace chatport::ui
