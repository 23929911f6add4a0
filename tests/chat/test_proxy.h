#pragma once
// A frame-forwarding TCP proxy between joiners and a host, for breaking links on purpose: cut
// the joiners' side only (the host keeps a silent, stale connection, as when a cable is pulled
// near the joiner), or both sides (the host vanishes as far as joiners can tell).

#include <chatport/net/engine.h>

#include <chatport/net/buffer.h>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace chatport::chat::test {

class TestProxy {
 public:
  enum class Direction { ToHost, ToJoiner };

  explicit TestProxy(net::Endpoint upstream);
  ~TestProxy();

  std::uint16_t port() const;
  /// Closes every joiner-side connection; the host-side ones stay open and go silent.
  void cutJoinerSide();
  /// Closes both sides of every connection.
  void cutBoth();
  /// While on, a new connection is closed as soon as it is accepted (a joiner that cannot get
  /// through: its laptop asleep, say).
  void refuseNewConnections(bool refuse);
  /// From now on, what the host sends on the current connections is lost on the way, as on a
  /// link that is dying; new connections are not affected.
  void loseWhatTheHostSends();
  /// On connections made from now on, every frame the host sends is held this long before it
  /// goes on, in order: a long link, whose speed is the window over the round trip.
  void delayWhatTheHostSends(std::chrono::milliseconds delay);
  /// On connections made from now on, the host's frames from the index-th on (counting from 0)
  /// are lost on the way: with 1, a joiner completes its handshake but never hears its Welcome.
  void loseWhatTheHostSendsFrom(std::size_t index);

  /// Every frame payload that has passed in direction, on every connection, in order.
  std::vector<net::Bytes> recorded(Direction direction);
  /// On the next connection made, flips one bit of the index-th frame's payload (counting
  /// from 0, per direction) in direction; once.
  void flipBit(Direction direction, std::size_t index, std::size_t bit);
  /// Sends frame payload to the host on every current connection, as if the joiner had.
  void sendToHost(const net::Bytes& payload);

 private:
  struct Pair;
  void onAccept(std::shared_ptr<net::Connection> down);
  /// What to forward: payload, recorded, and tampered with if so armed.
  net::SharedBytes pass(Pair& pair, Direction direction, std::span<const std::byte> payload);
  void cut(bool bothSides);
  /// Sends on what is due of pair's held frames, and sets a timer for the rest.
  void releaseHeld(const std::shared_ptr<Pair>& pair);
  /// Runs fn on the proxy's loop and waits for it.
  template <typename Fn>
  void onLoop(Fn&& fn);

  net::Endpoint upstream_;
  net::Engine engine_;
  std::shared_ptr<net::Listener> listener_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Pair>> pairs_;  // guarded by mutex_
  std::vector<net::Bytes> recorded_[2];        // guarded by mutex_
  struct Flip {
    Direction direction;
    std::size_t index;
    std::size_t bit;
  };
  std::optional<Flip> flip_;  // guarded by mutex_; taken by the next connection
  bool refuseNew_ = false;    // guarded by mutex_
  std::chrono::milliseconds delay_{0};  // guarded by mutex_; for new connections
  std::size_t loseDownFrom_ = SIZE_MAX;  // guarded by mutex_; for new connections
};

}  // namespace chatport::chat::test
