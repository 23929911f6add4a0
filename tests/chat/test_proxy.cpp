#include "test_proxy.h"

#include <chatport/net/frame.h>

#include <future>
#include <stdexcept>

namespace chatport::chat::test {

using namespace std::chrono_literals;

struct TestProxy::Pair {
  // All on the proxy's single loop.
  std::shared_ptr<net::Connection> down;
  std::shared_ptr<net::Connection> up;
  std::vector<net::SharedBytes> early;  // from the joiner before the host side connected
  bool cut = false;
  bool loseDown = false;  // what the host sends is dropped
  std::size_t loseDownFrom = SIZE_MAX;  // ... from this frame on
  std::size_t frames[2] = {0, 0};  // passed in each direction
  std::optional<std::pair<std::size_t, std::size_t>> flip[2];  // frame index and bit to flip
  std::chrono::milliseconds delay{0};  // of what the host sends
  std::deque<std::pair<net::Clock::time_point, net::SharedBytes>> held;  // to the joiner, due
};

namespace {
net::EngineOptions oneThread() {
  net::EngineOptions o;
  o.threads = 1;
  o.connection.maxQueuedBytes = 64 << 20;
  return o;
}
}  // namespace

TestProxy::TestProxy(net::Endpoint upstream) : upstream_(upstream), engine_(oneThread()) {
  std::error_code ec;
  listener_ = engine_.listen(net::Endpoint::loopbackV4(0),
                             [this](std::shared_ptr<net::Connection> c) { onAccept(std::move(c)); }, ec);
  if (!listener_) throw std::runtime_error("proxy cannot listen: " + ec.message());
}

TestProxy::~TestProxy() {
  engine_.stop();
  std::lock_guard lock(mutex_);
  pairs_.clear();
}

std::uint16_t TestProxy::port() const { return listener_->localEndpoint().port(); }

net::SharedBytes TestProxy::pass(Pair& pair, Direction direction, std::span<const std::byte> payload) {
  const auto d = static_cast<std::size_t>(direction);
  auto frame = std::make_shared<net::Bytes>();
  net::appendFrame(*frame, payload);
  if (auto& f = pair.flip[d]; f && f->first == pair.frames[d] && !payload.empty()) {
    const std::size_t bit = f->second % (payload.size() * 8);
    (*frame)[net::kFrameHeaderSize + bit / 8] ^= std::byte(1 << (bit % 8));
    f.reset();
  }
  ++pair.frames[d];
  std::lock_guard lock(mutex_);
  recorded_[d].emplace_back(payload.begin(), payload.end());
  return frame;
}

std::vector<net::Bytes> TestProxy::recorded(Direction direction) {
  std::lock_guard lock(mutex_);
  return recorded_[static_cast<std::size_t>(direction)];
}

void TestProxy::flipBit(Direction direction, std::size_t index, std::size_t bit) {
  std::lock_guard lock(mutex_);
  flip_ = Flip{direction, index, bit};
}

void TestProxy::sendToHost(const net::Bytes& payload) {
  std::vector<std::shared_ptr<Pair>> pairs;
  {
    std::lock_guard lock(mutex_);
    pairs = pairs_;
  }
  onLoop([&] {
    for (auto& pair : pairs)
      if (pair->up && !pair->cut) pair->up->send(net::encodeFrame(payload));
  });
}

void TestProxy::onAccept(std::shared_ptr<net::Connection> down) {
  auto pair = std::make_shared<Pair>();
  pair->down = down;
  {
    std::lock_guard lock(mutex_);
    if (refuseNew_) {
      down->close();
      return;
    }
    pairs_.push_back(pair);
    pair->delay = delay_;
    pair->loseDownFrom = loseDownFrom_;
    if (flip_) {
      pair->flip[static_cast<std::size_t>(flip_->direction)] = std::make_pair(flip_->index, flip_->bit);
      flip_.reset();
    }
  }
  std::weak_ptr<Pair> weak = pair;
  down->start(
      [this, weak](net::Connection&, std::span<const std::byte> payload) {
        auto p = weak.lock();
        if (!p || p->cut) return;
        auto frame = pass(*p, Direction::ToHost, payload);
        if (p->up)
          p->up->send(std::move(frame));
        else
          p->early.push_back(std::move(frame));
      },
      [weak](net::Connection&, std::error_code) {
        if (auto p = weak.lock(); p && !p->cut && p->up) p->up->close();
      });
  engine_.connect(upstream_, 5s, [this, weak](std::error_code ec, std::shared_ptr<net::Connection> up) {
    auto p = weak.lock();
    if (!p || ec || p->cut) {
      if (p && !p->cut) p->down->close();  // like the host refusing
      if (up) up->close();
      return;
    }
    p->up = up;
    up->start(
        [this, weak](net::Connection&, std::span<const std::byte> payload) {
          auto q = weak.lock();
          if (!q || q->cut || q->loseDown) return;
          if (q->frames[static_cast<std::size_t>(Direction::ToJoiner)] >= q->loseDownFrom) {
            q->loseDown = true;
            return;
          }
          auto frame = pass(*q, Direction::ToJoiner, payload);
          if (q->delay == 0ms) {
            q->down->send(std::move(frame));
            return;
          }
          q->held.emplace_back(net::Clock::now() + q->delay, std::move(frame));
          if (q->held.size() == 1) releaseHeld(q);
        },
        [weak](net::Connection&, std::error_code) {
          if (auto q = weak.lock(); q && !q->cut) q->down->close();
        });
    for (auto& frame : p->early) up->send(frame);
    p->early.clear();
  });
}

void TestProxy::releaseHeld(const std::shared_ptr<Pair>& pair) {
  const auto now = net::Clock::now();
  while (!pair->held.empty() && pair->held.front().first <= now) {
    if (!pair->cut) pair->down->send(std::move(pair->held.front().second));
    pair->held.pop_front();
  }
  if (pair->held.empty()) return;
  engine_.loop(0).runAfter(pair->held.front().first - now, [this, weak = std::weak_ptr<Pair>(pair)] {
    if (auto p = weak.lock()) releaseHeld(p);
  });
}

template <typename Fn>
void TestProxy::onLoop(Fn&& fn) {
  std::promise<void> done;
  engine_.loop(0).post([&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

void TestProxy::cut(bool bothSides) {
  std::vector<std::shared_ptr<Pair>> pairs;
  {
    std::lock_guard lock(mutex_);
    pairs.swap(pairs_);
  }
  // Done on the proxy's loop, and waited for: when this returns, the cut has happened.
  onLoop([&] {
    for (auto& pair : pairs) {
      pair->cut = true;
      pair->down->close();
      if (bothSides && pair->up) pair->up->close();
    }
  });
  // A host side left open stays registered with its loop: open, silent, and ignored.
}

void TestProxy::loseWhatTheHostSends() {
  std::vector<std::shared_ptr<Pair>> pairs;
  {
    std::lock_guard lock(mutex_);
    pairs = pairs_;
  }
  onLoop([&] {
    for (auto& pair : pairs) pair->loseDown = true;
  });
}

void TestProxy::delayWhatTheHostSends(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
}

void TestProxy::loseWhatTheHostSendsFrom(std::size_t index) {
  std::lock_guard lock(mutex_);
  loseDownFrom_ = index;
}

void TestProxy::cutJoinerSide() { cut(false); }

void TestProxy::refuseNewConnections(bool refuse) {
  std::lock_guard lock(mutex_);
  refuseNew_ = refuse;
}

void TestProxy::cutBoth() { cut(true); }

}  // namespace chatport::chat::test
