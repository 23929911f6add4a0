#pragma once
// The chat core: runs a host (server) or a joiner (client) on the network engine, and talks to
// a front end only through two thread-safe queues.
//
//   ChatCore core;                          // any thread
//   core.setWakeCallback([&] { ... });      // e.g. QMetaObject::invokeMethod(..., Qt::QueuedConnection)
//   core.submit(chat::JoinCommand{"ann", "192.168.1.5"});
//   ...on wake, on the front end's thread:
//   std::vector<chat::Event> batch;
//   while (core.drainEvents(batch, 500)) { for (auto& e : batch) show(e); batch.clear(); }
//
// The wake callback runs on a core thread, once per batch: after it has run, it runs again
// only once the front end has drained the queue empty. It must not block.

#include <chatport/chat/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace chatport::chat {

struct CoreOptions {
  std::size_t threads = 0;  ///< engine threads; 0: one per core
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds heartbeatInterval{5000};
  /// A peer silent this long is dropped (host) or considered gone (joiner).
  std::chrono::milliseconds heartbeatTimeout{30000};
  /// A connection that has not completed the handshake by then is closed.
  std::chrono::milliseconds handshakeTimeout{10000};
  std::size_t maxClients = 1000;
  std::size_t maxQueuedBytesPerClient = std::size_t{4} << 20;
  /// Joiner: reconnect after losing the host (not after a kick or a refusal).
  bool autoReconnect = true;
  std::chrono::milliseconds reconnectInitialDelay{500};
  std::chrono::milliseconds reconnectMaxDelay{15000};
  /// Per-client message rate: a burst of this many, refilled at ratePerSecond.
  double ratePerSecond = 20;
  double rateBurst = 40;
};

class ChatCore {
 public:
  explicit ChatCore(CoreOptions options = {});
  /// Leaves cleanly (a host tells its joiners), then stops the engine.
  ~ChatCore();
  ChatCore(const ChatCore&) = delete;
  ChatCore& operator=(const ChatCore&) = delete;

  /// Thread-safe, never blocks on the network.
  void submit(Command command);

  /// Thread-safe. Moves up to max pending events, oldest first, to the end of out; returns how
  /// many were moved.
  std::size_t drainEvents(std::vector<Event>& out, std::size_t max = SIZE_MAX);

  /// Set before the first submit(). Runs on a core thread; see the file comment.
  void setWakeCallback(std::function<void()> wake);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chatport::chat
