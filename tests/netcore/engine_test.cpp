// The engine's behaviour, proved the same way on every backend. CTest runs this binary once
// per backend with CHATPORT_BACKEND set (engine.uring.*, engine.epoll.*, engine.iocp.*).

#include <chatport/net/engine.h>
#include <chatport/net/error.h>
#include <chatport/net/frame.h>

#include "raw_socket.h"
#include "wait.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>

#ifndef _WIN32
#include <sys/resource.h>
#endif

namespace chatport::net {
namespace {

using test::Guarded;
using test::RawSocket;
using namespace std::chrono_literals;

std::string requestedBackend() {
  const char* env = std::getenv("CHATPORT_BACKEND");
  return env ? env : "";
}

// Frame i of a test stream: size bytes of a pattern that differs per frame and per position,
// so a lost, repeated, reordered or shifted byte is caught.
Bytes patternPayload(std::size_t i, std::size_t size) {
  Bytes out(size);
  for (std::size_t j = 0; j < size; ++j) out[j] = std::byte((i * 131 + j * 7 + (j >> 8)) & 0xFF);
  return out;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(requestedBackend().empty()) << "run through CTest, which sets CHATPORT_BACKEND";
    EngineOptions options;
    options.threads = 2;  // connections on two loops: cross-thread paths are exercised
    options.connection.maxQueuedBytes = 16 << 20;  // tests queue whole streams at once
    engine_ = std::make_unique<Engine>(options);
    ASSERT_EQ(engine_->backendName(), requestedBackend())
        << "the requested backend did not start; the engine fell back";
  }

  // A server on 127.0.0.1 (IPv4 explicitly: Wine refuses IPv4 on dual-stack listeners).
  std::shared_ptr<Listener> listen(Engine::AcceptHandler onAccept) {
    std::error_code ec;
    auto listener = engine_->listen(Endpoint::loopbackV4(0), std::move(onAccept), ec);
    EXPECT_FALSE(ec) << ec.message();
    return listener;
  }

  // State the handlers write to lives in the fixture and outlives the engine: the engine's
  // shutdown still runs close handlers.
  template <typename T>
  T& keep() {
    auto object = std::make_shared<T>();
    kept_.push_back(object);
    return *object;
  }

  std::vector<std::shared_ptr<void>> kept_;
  std::unique_ptr<Engine> engine_;  // declared last: stopped first
};

// --- Frames over real connections -----------------------------------------------------------

struct ReceivedFrames {
  std::vector<Bytes> frames;
  std::error_code closeReason;
  bool closed = false;
};

// Accepts connections and records every frame and the close reason of the last one.
Engine::AcceptHandler recordInto(Guarded<ReceivedFrames>& received) {
  return [&received](std::shared_ptr<Connection> c) {
    c->start(
        [&received](Connection&, std::span<const std::byte> payload) {
          received.with([&](auto& s) { s.frames.emplace_back(payload.begin(), payload.end()); });
        },
        [&received](Connection&, std::error_code reason) {
          received.with([&](auto& s) {
            s.closed = true;
            s.closeReason = reason;
          });
        });
  };
}

void expectPatternFrames(const std::vector<Bytes>& frames, std::size_t count, std::size_t size) {
  ASSERT_EQ(frames.size(), count);
  for (std::size_t i = 0; i < count; ++i)
    ASSERT_TRUE(frames[i] == patternPayload(i, size)) << "frame " << i << " differs";
}

// Everything the peer sends until the connection ends (closed, or reset); nullopt if it has not
// ended by the deadline.
std::optional<Bytes> readUntilClosed(RawSocket& raw, std::chrono::milliseconds deadline = test::kDeadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  Bytes got;
  std::byte buffer[65536];
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    const long n = raw.receive(buffer, std::max(left, 0ms));
    if (n == RawSocket::kTimedOut) return std::nullopt;
    if (n <= 0) return got;
    got.insert(got.end(), buffer, buffer + n);
  }
}

TEST_F(EngineTest, HundredFramesOf50KBArriveIntactAndInOrder) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));

  engine_->connect(listener->localEndpoint(), 5s, [](std::error_code ec, auto c) {
    ASSERT_FALSE(ec) << ec.message();
    c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
    for (std::size_t i = 0; i < 100; ++i) c->send(encodeFrame(patternPayload(i, 50'000)));
  });
  ASSERT_TRUE(received.waitFor([](auto& s) { return s.frames.size() >= 100 || s.closed; }))
      << "frames arrived before the deadline: " << received.with([](auto& s) { return s.frames.size(); });
  received.with([](auto& s) { expectPatternFrames(s.frames, 100, 50'000); });
}

TEST_F(EngineTest, FramesSentOneByteAtATimeAreReassembled) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));

  Bytes wire;
  for (std::size_t i = 0; i < 20; ++i) appendFrame(wire, patternPayload(i, 300));
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  raw.setNoDelay();
  for (std::byte b : wire) ASSERT_TRUE(raw.sendAll(std::span(&b, 1)));

  ASSERT_TRUE(received.waitFor([](auto& s) { return s.frames.size() >= 20 || s.closed; }));
  received.with([](auto& s) { expectPatternFrames(s.frames, 20, 300); });
}

TEST_F(EngineTest, ManyFramesInOneWriteAreSplit) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));

  Bytes wire;
  for (std::size_t i = 0; i < 1000; ++i) appendFrame(wire, patternPayload(i, i % 97));
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  ASSERT_TRUE(raw.sendAll(wire));

  ASSERT_TRUE(received.waitFor([](auto& s) { return s.frames.size() >= 1000 || s.closed; }));
  received.with([](auto& s) {
    ASSERT_EQ(s.frames.size(), 1000u);
    for (std::size_t i = 0; i < 1000; ++i)
      ASSERT_TRUE(s.frames[i] == patternPayload(i, i % 97)) << "frame " << i << " differs";
  });
}

TEST_F(EngineTest, ThousandConcurrentConnectionsExchangeFrames) {
  constexpr std::size_t kClients = 1000;
#ifndef _WIN32
  // Both ends of every connection live in this process.
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 4 * kClients) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8 * kClients);
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 2 * kClients + 64) GTEST_SKIP() << "descriptor limit too low: " << limit.rlim_cur;
  }
#endif
  // The server answers every frame with the same bytes.
  auto listener = listen([](std::shared_ptr<Connection> c) {
    c->start([](Connection& self, std::span<const std::byte> payload) { self.send(encodeFrame(payload)); },
             [](Connection&, std::error_code) {});
  });

  struct State {
    std::size_t echoed = 0;
    std::size_t failed = 0;
    std::vector<std::shared_ptr<Connection>> clients;
  };
  auto& state = keep<Guarded<State>>();
  for (std::size_t i = 0; i < kClients; ++i) {
    engine_->connect(listener->localEndpoint(), 20s, [&state, i](std::error_code ec, auto c) {
      if (ec) {
        state.with([&](auto& s) { ++s.failed; });
        return;
      }
      auto expected = std::make_shared<Bytes>(patternPayload(i, 64 + i % 512));
      c->start(
          [&state, expected](Connection&, std::span<const std::byte> payload) {
            const bool same = std::equal(payload.begin(), payload.end(), expected->begin(), expected->end());
            state.with([&](auto& s) { same ? ++s.echoed : ++s.failed; });
          },
          [](Connection&, std::error_code) {});
      c->send(encodeFrame(*expected));
      c->send(encodeFrame(*expected));
      state.with([&](auto& s) { s.clients.push_back(c); });
    });
  }
  ASSERT_TRUE(state.waitFor([](auto& s) { return s.echoed + s.failed >= 2 * kClients || s.failed > 0; }, 60s))
      << "echoes seen: " << state.with([](auto& s) { return s.echoed; });
  state.with([](auto& s) {
    EXPECT_EQ(s.failed, 0u);
    EXPECT_EQ(s.echoed, 2 * kClients);
  });
}

// --- Failures --------------------------------------------------------------------------------

TEST_F(EngineTest, PeerResetInMidFrameClosesWithoutDeliveringIt) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));

  Bytes wire;
  appendFrame(wire, patternPayload(0, 100));
  appendFrame(wire, patternPayload(1, 10'000));
  wire.resize(wire.size() - 5'000);  // the second frame is cut in half
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  ASSERT_TRUE(raw.sendAll(wire));
  ASSERT_TRUE(received.waitFor([](auto& s) { return !s.frames.empty(); }));
  raw.resetClose();

  ASSERT_TRUE(received.waitFor([](auto& s) { return s.closed; }));
  received.with([](auto& s) {
    EXPECT_EQ(s.frames.size(), 1u) << "the cut frame must not be delivered";
    EXPECT_TRUE(s.closeReason == std::errc::connection_reset || s.closeReason == Error::PeerClosed)
        << s.closeReason.message();
  });
}

TEST_F(EngineTest, FrameFollowedAtOnceByCloseIsDeliveredThenTheEnd) {
  // Data and the end of the stream can be reported by one wake-up; neither may be lost.
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));
  Bytes wire;
  appendFrame(wire, patternPayload(3, 2'000));
  {
    RawSocket raw;
    ASSERT_TRUE(raw.connect(listener->localEndpoint()));
    ASSERT_TRUE(raw.sendAll(wire));
  }
  ASSERT_TRUE(received.waitFor([](auto& s) { return s.closed; }));
  received.with([](auto& s) {
    ASSERT_EQ(s.frames.size(), 1u);
    EXPECT_TRUE(s.frames[0] == patternPayload(3, 2'000));
    EXPECT_EQ(s.closeReason, Error::PeerClosed) << s.closeReason.message();
  });
}

TEST_F(EngineTest, OversizeFrameClosesThatConnectionOnly) {
  auto& bad = keep<Guarded<ReceivedFrames>>();
  auto& good = keep<Guarded<ReceivedFrames>>();
  auto& accepted = keep<Guarded<int>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    const int earlier = accepted.with([](int& n) { return n++; });
    (earlier == 0 ? recordInto(bad) : recordInto(good))(std::move(c));
  });

  RawSocket liar;
  ASSERT_TRUE(liar.connect(listener->localEndpoint()));
  ASSERT_TRUE(accepted.waitFor([](int& n) { return n == 1; }));
  RawSocket honest;
  ASSERT_TRUE(honest.connect(listener->localEndpoint()));

  // Announces 2 MiB, over the default 1 MiB limit; nothing of it needs to be sent.
  const std::byte header[] = {std::byte{kFrameMagic}, std::byte{0x20}, std::byte{0}, std::byte{0}};
  ASSERT_TRUE(liar.sendAll(header));
  ASSERT_TRUE(bad.waitFor([](auto& s) { return s.closed; }));
  bad.with([](auto& s) {
    EXPECT_EQ(s.closeReason, Error::FrameTooLarge) << s.closeReason.message();
    EXPECT_TRUE(s.frames.empty());
  });

  Bytes wire;
  appendFrame(wire, patternPayload(7, 1000));
  ASSERT_TRUE(honest.sendAll(wire));
  ASSERT_TRUE(good.waitFor([](auto& s) { return !s.frames.empty() || s.closed; }));
  good.with([](auto& s) {
    EXPECT_FALSE(s.closed);
    ASSERT_EQ(s.frames.size(), 1u);
    EXPECT_TRUE(s.frames[0] == patternPayload(7, 1000));
  });

  // The liar sees its connection end.
  EXPECT_TRUE(readUntilClosed(liar).has_value()) << "the liar's connection did not end";
}

TEST_F(EngineTest, MalformedHeaderClosesTheConnection) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto listener = listen(recordInto(received));
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  ASSERT_TRUE(raw.sendAll(asBytes("GET / HTTP/1.1\r\n\r\n")));
  ASSERT_TRUE(received.waitFor([](auto& s) { return s.closed; }));
  received.with([](auto& s) {
    EXPECT_EQ(s.closeReason, Error::BadFrameHeader) << s.closeReason.message();
    EXPECT_TRUE(s.frames.empty());
  });
}

TEST_F(EngineTest, ConnectToClosedPortIsRefused) {
  Endpoint closed;
  {
    RawSocket probe;  // a port that was just free
    ASSERT_TRUE(probe.listenLoopback(1));
    closed = probe.localEndpoint();
  }
  auto& result = keep<Guarded<std::optional<std::error_code>>>();
  engine_->connect(closed, 20s, [&](std::error_code ec, auto c) {
    result.with([&](auto& r) { r = ec; });
    EXPECT_EQ(c, nullptr);
  });
  ASSERT_TRUE(result.waitFor([](auto& r) { return r.has_value(); }));
  result.with([](auto& r) { EXPECT_EQ(*r, std::errc::connection_refused) << r->message(); });
}

TEST_F(EngineTest, ConnectThatGetsNoAnswerTimesOut) {
  // A listener that never accepts, with its queue full: the system drops further connection
  // requests unanswered, like a host that has gone silent.
  RawSocket silent;
  ASSERT_TRUE(silent.listenLoopback(0));
  std::vector<RawSocket> fillers(8);
  for (auto& f : fillers) ASSERT_TRUE(f.connectNoWait(silent.localEndpoint()));

  auto& result = keep<Guarded<std::optional<std::error_code>>>();
  engine_->connect(silent.localEndpoint(), 300ms, [&](std::error_code ec, auto c) {
    result.with([&](auto& r) { r = ec; });
    EXPECT_EQ(c, nullptr);
  });
  ASSERT_TRUE(result.waitFor([](auto& r) { return r.has_value(); }));
  result.with([](auto& r) { EXPECT_EQ(*r, Error::ConnectTimedOut) << r->message(); });
}

TEST_F(EngineTest, ConnectStillGoingWhenTheEngineStopsIsAnsweredEngineStopped) {
  RawSocket silent;  // as above: connection requests go unanswered
  ASSERT_TRUE(silent.listenLoopback(0));
  std::vector<RawSocket> fillers(8);
  for (auto& f : fillers) ASSERT_TRUE(f.connectNoWait(silent.localEndpoint()));

  auto& answers = keep<Guarded<std::vector<std::error_code>>>();
  engine_->connect(silent.localEndpoint(), 60s, [&](std::error_code ec, auto c) {
    answers.with([&](auto& a) { a.push_back(ec); });
    EXPECT_EQ(c, nullptr);
  });
  engine_->stop();  // long before the deadline
  answers.with([](auto& a) {
    ASSERT_EQ(a.size(), 1u) << "the caller hears exactly once";
    EXPECT_EQ(a[0], Error::EngineStopped) << a[0].message();
  });
}

TEST_F(EngineTest, ListenOnPortInUseReportsAddressInUse) {
  auto first = listen([](auto) {});
  std::error_code ec;
  auto second = engine_->listen(first->localEndpoint(), [](auto) {}, ec);
  EXPECT_EQ(second, nullptr);
  EXPECT_EQ(ec, std::errc::address_in_use) << ec.message();
  EXPECT_NE(describe(ec).find("already in use"), std::string::npos) << describe(ec);
}

TEST_F(EngineTest, PeerThatNeverReadsIsClosedWhenItsQueueIsFull) {
  EngineOptions options;
  options.threads = 1;
  options.connection.maxQueuedBytes = 256 * 1024;
  auto& reason = keep<Guarded<std::optional<std::error_code>>>();
  Engine small(options);
  std::error_code ec;
  auto listener = small.listen(Endpoint::loopbackV4(0), [&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {},
             [&](Connection&, std::error_code why) { reason.with([&](auto& r) { r = why; }); });
    // Far more than the socket buffers and the queue can hold, queued on the loop thread.
    auto frame = encodeFrame(patternPayload(0, 60'000));
    for (int i = 0; i < 2000 && c->isOpen(); ++i) c->send(frame);
  }, ec);
  ASSERT_FALSE(ec);
  RawSocket sleeper;  // connects and never reads
  ASSERT_TRUE(sleeper.connect(listener->localEndpoint()));
  ASSERT_TRUE(reason.waitFor([](auto& r) { return r.has_value(); }));
  reason.with([](auto& r) { EXPECT_EQ(*r, Error::SendQueueFull) << r->message(); });
}

TEST_F(EngineTest, TinyFramesCountTheirPlaceInTheQueueTowardItsBound) {
  // 10,000 one-byte frames are only about 50 KiB of bytes, but each also takes an entry in
  // the queue: that counts too, or a stream of tiny frames could hold many times the bound.
  constexpr std::size_t kBound = 128 * 1024;
  EngineOptions options;
  options.threads = 1;
  options.connection.maxQueuedBytes = kBound;
  struct Outcome {
    std::size_t offered = 0;
    std::size_t frameSize = 0;
    std::optional<std::error_code> reason;
  };
  auto& outcome = keep<Guarded<Outcome>>();
  Engine small(options);
  std::error_code ec;
  auto listener = small.listen(Endpoint::loopbackV4(0), [&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {},
             [&](Connection&, std::error_code why) { outcome.with([&](auto& o) { o.reason = why; }); });
    const auto frame = encodeFrame(patternPayload(0, 1));
    std::size_t offered = 0;
    // All in one turn of the loop: no send completes meanwhile, so every frame stays counted.
    for (; offered < 10'000 && c->isOpen(); ++offered) c->send(frame);
    outcome.with([&](auto& o) {
      o.offered = offered;
      o.frameSize = frame->size();
    });
  }, ec);
  ASSERT_FALSE(ec);
  RawSocket sleeper;
  ASSERT_TRUE(sleeper.connect(listener->localEndpoint()));
  ASSERT_TRUE(outcome.waitFor([](auto& o) { return o.offered > 0; }));
  outcome.with([&](auto& o) {
    ASSERT_TRUE(o.reason.has_value()) << "still open after " << o.offered << " frames";
    EXPECT_EQ(*o.reason, Error::SendQueueFull) << o.reason->message();
    EXPECT_EQ(o.offered, kBound / (o.frameSize + Connection::kQueueEntryCost) + 1)
        << "closed by the frame that took the queue over its bound";
  });
}

// --- Closing and shutting down ---------------------------------------------------------------

TEST_F(EngineTest, CloseWithReceivePendingReportsClosedLocally) {
  auto& reason = keep<Guarded<std::optional<std::error_code>>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {},
             [&](Connection&, std::error_code why) { reason.with([&](auto& r) { r = why; }); });
    c->close();  // a receive is pending: it must be cancelled, not completed into freed memory
  });
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  ASSERT_TRUE(reason.waitFor([](auto& r) { return r.has_value(); }));
  reason.with([](auto& r) { EXPECT_EQ(*r, Error::ClosedLocally) << r->message(); });
  EXPECT_TRUE(readUntilClosed(raw).has_value()) << "the peer does not see the connection end";
}

TEST_F(EngineTest, ASendCutShortByCloseKeepsItsBytesUntilTheSystemGivesItBack) {
  struct Watch {
    std::optional<bool> heldAfterClose;
    bool released = false;
  };
  auto& watch = keep<Guarded<Watch>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
    // Far more than the socket buffers take: the system is still sending it when the
    // connection closes. Its deleter reports when the bytes are let go.
    SharedBytes frame(new Bytes(*encodeFrame(patternPayload(0, 8 << 20))), [&watch](const Bytes* b) {
      delete b;
      watch.with([](Watch& w) { w.released = true; });
    });
    const std::weak_ptr<const Bytes> watched = frame;
    c->send(std::move(frame));  // on the loop thread: the send starts at once
    c->close();
    watch.with([&](Watch& w) { w.heldAfterClose = !watched.expired(); });
  });
  RawSocket sleeper;  // connects and never reads
  ASSERT_TRUE(sleeper.connect(listener->localEndpoint()));
  ASSERT_TRUE(watch.waitFor([](const Watch& w) { return w.heldAfterClose.has_value(); }));
  watch.with([](const Watch& w) {
    EXPECT_TRUE(*w.heldAfterClose) << "the bytes of a send still in the system were freed at close";
  });
  EXPECT_TRUE(watch.waitFor([](const Watch& w) { return w.released; }))
      << "the bytes were never released once the send came back";
}

TEST_F(EngineTest, CloseAfterFlushDeliversQueuedFramesFirst) {
  auto listener = listen([](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
    for (std::size_t i = 0; i < 50; ++i) c->send(encodeFrame(patternPayload(i, 20'000)));
    c->closeAfterFlush();
  });
  RawSocket raw;
  ASSERT_TRUE(raw.connect(listener->localEndpoint()));
  const std::optional<Bytes> got = readUntilClosed(raw);
  ASSERT_TRUE(got.has_value()) << "the connection did not end after its frames";
  std::vector<Bytes> frames;
  FrameDecoder decoder;
  EXPECT_EQ(decoder.feed(*got, [&](auto p) { frames.emplace_back(p.begin(), p.end()); }), FrameError::None);
  expectPatternFrames(frames, 50, 20'000);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST_F(EngineTest, ShutdownWithHundredConnectionsMidTransferEndsCleanly) {
  struct State {
    std::size_t accepted = 0;
    std::size_t connected = 0;
    std::size_t frames = 0;
    std::map<std::error_code, std::size_t> closeReasons;
  };
  auto& state = keep<Guarded<State>>();
  auto flood = [&state](const std::shared_ptr<Connection>& c) {
    c->start(
        [&state](Connection& self, std::span<const std::byte> payload) {
          state.with([](auto& s) { ++s.frames; });
          self.send(encodeFrame(payload));  // keep both directions busy
        },
        [&state](Connection&, std::error_code why) { state.with([&](auto& s) { ++s.closeReasons[why]; }); });
    auto frame = encodeFrame(patternPayload(1, 32'000));
    for (int i = 0; i < 8; ++i) c->send(frame);
  };
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    flood(c);
    state.with([](auto& s) { ++s.accepted; });
  });
  for (int i = 0; i < 100; ++i)
    engine_->connect(listener->localEndpoint(), 20s, [&](std::error_code ec, auto c) {
      if (ec) return;
      flood(c);
      state.with([](auto& s) { ++s.connected; });
    });
  // Both ends of every connection must exist before the stop: a connection the kernel has
  // completed may still wait in the listener's backlog (accepts are taken in batches).
  ASSERT_TRUE(state.waitFor([](auto& s) {
    return s.connected == 100 && s.accepted == 100 && s.frames > 1000;
  })) << state.with([](auto& s) {
    return "connected " + std::to_string(s.connected) + ", accepted " + std::to_string(s.accepted);
  });

  engine_->stop();  // returns only once every thread has finished: a hang fails by timeout
  state.with([](auto& s) {
    std::size_t closed = 0;
    for (auto& [reason, count] : s.closeReasons) {
      closed += count;
      // Each end is stopped or sees its peer go: at end of stream, by a reset, or by a send
      // into a connection the peer has already closed (broken pipe / aborted).
      EXPECT_TRUE(reason == Error::EngineStopped || reason == Error::PeerClosed ||
                  reason == std::errc::connection_reset || reason == std::errc::broken_pipe ||
                  reason == std::errc::connection_aborted)
          << reason.message();
    }
    EXPECT_EQ(closed, 200u) << "every connection, both ends, reports its end once";
  });
}

// --- Posted work and timers ------------------------------------------------------------------

TEST_F(EngineTest, PostedWorkRunsOnTheLoopThreadInPostingOrder) {
  struct State {
    std::vector<int> order;
    bool offThread = false;
  };
  auto& state = keep<Guarded<State>>();
  Loop& loop = engine_->loop(1);
  constexpr int kTasks = 10'000;
  for (int i = 0; i < kTasks; ++i)
    loop.post([&state, &loop, i] {
      const bool onLoop = loop.isInLoopThread();
      state.with([&](auto& s) {
        s.order.push_back(i);
        s.offThread |= !onLoop;
      });
    });
  ASSERT_TRUE(state.waitFor([](auto& s) { return s.order.size() == kTasks; }));
  state.with([](auto& s) {
    EXPECT_FALSE(s.offThread);
    for (int i = 0; i < kTasks; ++i) ASSERT_EQ(s.order[i], i);
  });
}

TEST_F(EngineTest, TimersFireInDeadlineOrderAndCancelledOnesDoNot) {
  auto& fired = keep<Guarded<std::vector<int>>>();
  Loop& loop = engine_->loop(0);
  loop.post([&] {
    loop.runAfter(60ms, [&] { fired.with([](auto& f) { f.push_back(3); }); });
    loop.runAfter(20ms, [&] { fired.with([](auto& f) { f.push_back(1); }); });
    const TimerId cancelled = loop.runAfter(30ms, [&] { fired.with([](auto& f) { f.push_back(99); }); });
    loop.runAfter(40ms, [&] { fired.with([](auto& f) { f.push_back(2); }); });
    loop.cancelTimer(cancelled);
  });
  ASSERT_TRUE(fired.waitFor([](auto& f) { return f.size() >= 3; }));
  fired.with([](auto& f) { EXPECT_EQ(f, (std::vector<int>{1, 2, 3})); });
}

TEST_F(EngineTest, WorksOverIPv6) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  std::error_code ec;
  auto listener = engine_->listen(Endpoint::loopbackV6(0), recordInto(received), ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  engine_->connect(listener->localEndpoint(), 5s, [](std::error_code connectError, auto c) {
    ASSERT_FALSE(connectError) << connectError.message();
    c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
    c->send(encodeFrame(asBytes("over IPv6")));
  });
  ASSERT_TRUE(received.waitFor([](auto& s) { return !s.frames.empty(); }));
  received.with([](auto& s) { EXPECT_EQ(asText(s.frames[0]), "over IPv6"); });
}

}  // namespace
}  // namespace chatport::net
