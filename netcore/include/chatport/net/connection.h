#pragma once
// A framed TCP connection owned by one Loop.

#include <chatport/net/buffer.h>
#include <chatport/net/endpoint.h>
#include <chatport/net/frame.h>
#include <chatport/net/frame_queue.h>
#include <chatport/net/slot_list.h>
#include <chatport/net/stream_events.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::net {

namespace detail {
class IoStream;
struct ConstBuffer;
}
class Loop;

struct ConnectionOptions {
  /// Largest frame payload accepted from the peer; a larger one closes the connection.
  std::size_t maxFrameSize = kDefaultMaxFrameSize;
  /// Largest amount of queued, unsent bytes; a peer that lets more pile up is closed with
  /// Error::SendQueueFull so that it cannot hold the sender's memory hostage. Each frame counts
  /// its size plus its place in the queue (Connection::kQueueEntryCost), so that many tiny
  /// frames are bounded as surely as a few large ones. At most 4 GiB (more is taken as that).
  std::size_t maxQueuedBytes = std::size_t{4} << 20;
};

class Connection : public std::enable_shared_from_this<Connection>, private detail::StreamEvents {
 public:
  /// payload is valid only during the call. Handlers receive the connection as an argument
  /// and must not capture it strongly (that would keep it alive after it closed).
  using FrameHandler = std::function<void(Connection&, std::span<const std::byte> payload)>;
  /// Called exactly once, with why the connection ended.
  using CloseHandler = std::function<void(Connection&, std::error_code reason)>;
  /// The two handlers as one object the connection holds weakly: for a layer that keeps
  /// thousands of connections (a host's links), one weak reference each instead of two
  /// std::functions and their closures. Nothing is called once the receiver is gone.
  class Receiver {
   public:
    virtual void onFrame(Connection& connection, std::span<const std::byte> payload) = 0;
    virtual void onClose(Connection& connection, std::error_code reason) = 0;

   protected:
    ~Receiver() = default;
  };

  Connection(Loop& loop, std::unique_ptr<detail::IoStream> stream, Endpoint peer,
             const ConnectionOptions& options);
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Thread-safe. Starts receiving; the handlers run on this connection's loop thread.
  /// Call once. Frames are not read before start(), and sends may be queued before it.
  void start(FrameHandler onFrame, CloseHandler onClose);
  /// The same, with the handlers of receiver (held weakly).
  void start(std::weak_ptr<Receiver> receiver);

  /// Thread-safe. Queues one encoded frame (see encodeFrame). Frames go out in the order queued.
  void send(SharedBytes frame);
  /// Thread-safe. Closes now; queued frames are dropped. onClose gets Error::ClosedLocally.
  void close();
  /// Thread-safe. Sends what is queued, then closes with Error::ClosedLocally.
  void closeAfterFlush();
  /// Loop thread only. Closes now and reports reason to onClose.
  void abort(std::error_code reason);

  Loop& loop() const noexcept { return loop_; }
  const Endpoint& peer() const noexcept { return peer_; }
  /// Unique for the life of the process.
  std::uint64_t id() const noexcept { return id_; }
  /// What a queued frame costs beyond its bytes: its entry in the queue.
  static constexpr std::size_t kQueueEntryCost = sizeof(SharedBytes);
  /// What the frames not yet sent cost: their bytes and kQueueEntryCost each. Exact on the
  /// loop thread; from another, as it was a moment ago.
  std::size_t queuedBytes() const noexcept { return queuedBytes_.load(std::memory_order_relaxed); }
  /// Thread-safe. Stops reading from the peer until resumeReading(): what it sends waits in the
  /// system's buffers, then in its own queue, and TCP's flow control slows it down; frames
  /// received already are still delivered. For a receiver that cannot keep up with what the
  /// peer sends. A paused connection does not notice that its peer has gone until resumed.
  void pauseReading();
  /// Thread-safe. Reads again, beginning with what waited.
  void resumeReading();
  /// Thread-safe. drained runs on the loop thread whenever a send
  /// completes and leaves at most lowWater bytes queued. For bulk data (file chunks): the layer
  /// above hands it over only while the queue is that short, so what it sends meanwhile (chat)
  /// waits behind at most lowWater bytes, not behind a whole file.
  void setDrainedHandler(std::size_t lowWater, std::function<void(Connection&)> drained);
  bool isOpen() const noexcept { return open_.load(std::memory_order_acquire); }

 private:
  friend class SlotList<Connection>;

  void enqueue(SharedBytes frame);
  void startSend();
  // detail::StreamEvents
  void onSent(std::error_code ec) override;
  void onReceived(std::error_code ec, std::span<const std::byte> data) override;
  class HandlerPair;
  // On the loop thread, once: from abort() (which runs once) if started, else from start.
  void reportClose();

  // A host keeps one for each of its thousands of joiners: the fields are ordered to leave no
  // holes, and what every connection shares (the logger, the frame limit) is not copied here.
  Loop& loop_;
  std::unique_ptr<detail::IoStream> stream_;
  const Endpoint peer_;
  const std::uint64_t id_;
  const std::uint32_t maxQueuedBytes_;
  // Why it closed, set once by abort(): kept as its two parts so that the value shares a word
  // with the field above.
  int closeValue_ = 0;
  const std::error_category* closeCategory_ = nullptr;

  std::atomic<bool> open_{true};
  // Loop thread only from here on.
  bool started_ : 1 = false;
  bool closeWhenFlushed_ : 1 = false;
  // The first sendingFrames_ of queue_ are handed to the one send in progress and stay there
  // until it completes: an idle connection owns no send buffers, and its empty queue no memory.
  std::uint16_t sendingFrames_ = 0;
  std::uint32_t listSlot_ = SlotList<Connection>::kNone;  // its place in its loop's list
  FrameDecoder decoder_;
  std::unique_ptr<HandlerPair> ownReceiver_;  // start(handlers)'s, which the connection keeps
  std::weak_ptr<Receiver> receiver_;
  FrameQueue queue_;  // frames not yet sent
  // Written on the loop thread only; read anywhere (queuedBytes).
  std::atomic<std::size_t> queuedBytes_{0};
  // setDrainedHandler's: made only for a connection that carries bulk data.
  struct Drained {
    std::size_t lowWater;
    std::function<void(Connection&)> handler;
  };
  std::unique_ptr<Drained> drained_;
};

}  // namespace chatport::net
