#pragma once
// A frame-forwarding TCP proxy between joiners and a host, for breaking links on purpose: cut
// the joiners' side only (the host keeps a silent, stale connection, as when a cable is pulled
// near the joiner), or both sides (the host vanishes as far as joiners can tell).

#include <chatport/net/engine.h>

#include <memory>
#include <mutex>
#include <vector>

namespace chatport::chat::test {

class TestProxy {
 public:
  explicit TestProxy(net::Endpoint upstream);
  ~TestProxy();

  std::uint16_t port() const;
  /// Closes every joiner-side connection; the host-side ones stay open and go silent.
  void cutJoinerSide();
  /// Closes both sides of every connection.
  void cutBoth();
  /// From now on, what the host sends on the current connections is lost on the way, as on a
  /// link that is dying; new connections are not affected.
  void loseWhatTheHostSends();

 private:
  struct Pair;
  void onAccept(std::shared_ptr<net::Connection> down);
  void cut(bool bothSides);
  /// Runs fn on the proxy's loop and waits for it.
  template <typename Fn>
  void onLoop(Fn&& fn);

  net::Endpoint upstream_;
  net::Engine engine_;
  std::shared_ptr<net::Listener> listener_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Pair>> pairs_;  // guarded by mutex_
};

}  // namespace chatport::chat::test
