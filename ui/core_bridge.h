#pragma once
// The UI's one door to the chat core. Commands go in with submit(); the core's wake callback
// posts a queued drain() to this object's thread, and each drain hands at most kBatchSize
// events to the sink, then re-queues itself if more may be waiting, so other events (input,
// paints, timers) run between batches however fast events arrive.
//
// Threads: construct, submit, setSink and destroy on the UI thread. The wake callback runs on a
// core thread and only posts; drain() runs on the UI thread.

#include <chatport/chat/chat_core.h>

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace chatport::ui {

class CoreBridge : public QObject {
  Q_OBJECT

 public:
  static constexpr std::size_t kBatchSize = 500;
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
  void drain();

  std::unique_ptr<chat::ChatCore> core_;
  Sink sink_;
  Observer observer_;
  quint64 eventsDrained_ = 0;
};

}  // namespace chatport::ui
