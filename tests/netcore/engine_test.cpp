// The engine's behaviour, proved the same way on every backend. CTest runs this binary once
// per backend with CHATPORT_BACKEND set (engine.uring.*, engine.epoll.*, engine.iocp.*).

#include <chatport/net/engine.h>
#include <chatport/net/error.h>
#include <chatport/net/frame.h>

#include "backend/backend.h"
#include "log_capture.h"
#include "raw_socket.h"
#include "socket_faults.h"
#include "wait.h"

#include <chatport/log.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif
#ifdef __linux__
#include <dirent.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#endif

namespace chatport::net {
namespace {

using test::Guarded;
using test::LogCapture;
using test::RawSocket;
using namespace std::chrono_literals;

// The engine's log lines reach the LogCaptures of the tests below; set up before any engine
// thread exists.
const bool kLogsRouted = test::routeLogsToCaptures({"net"});

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

TEST_F(EngineTest, MoreConnectionsReadyAtOnceThanTheLoopsHaveReceiveBuffersLoseNothing) {
  // Both loops held while 200 peers each send a frame: when they go on, every receive is ready
  // at once, more than the io_uring backend's ring has buffers (64 a loop). Those left without
  // one receive again after that turn; nothing is lost or mixed up on any backend.
  constexpr std::size_t kPeers = 200;
  struct State {
    std::size_t accepted = 0;
    std::vector<Bytes> frames;
    std::size_t closed = 0;
  };
  auto& state = keep<Guarded<State>>();
  auto listener = listen([&state](std::shared_ptr<Connection> c) {
    c->start([&state](Connection&, std::span<const std::byte> payload) {
               state.with([&](auto& s) { s.frames.emplace_back(payload.begin(), payload.end()); });
             },
             [&state](Connection&, std::error_code) { state.with([](auto& s) { ++s.closed; }); });
    state.with([](auto& s) { ++s.accepted; });
  });
  std::vector<RawSocket> peers(kPeers);
  for (auto& peer : peers) ASSERT_TRUE(peer.connect(listener->localEndpoint()));
  ASSERT_TRUE(state.waitFor([](auto& s) { return s.accepted == kPeers; }));

  std::promise<void> go;
  std::shared_future<void> released = go.get_future().share();
  auto& holding = keep<Guarded<std::size_t>>();
  for (std::size_t i = 0; i < engine_->loopCount(); ++i) {
    engine_->loop(i).post([released, &holding] {
      holding.with([](auto& n) { ++n; });
      released.wait();
    });
  }
  ASSERT_TRUE(holding.waitFor([&](auto& n) { return n == engine_->loopCount(); }));
  for (std::size_t i = 0; i < kPeers; ++i) ASSERT_TRUE(peers[i].sendAll(*encodeFrame(patternPayload(i, 1000))));
  go.set_value();

  ASSERT_TRUE(state.waitFor([](auto& s) { return s.frames.size() == kPeers || s.closed > 0; }))
      << "frames arrived: " << state.with([](auto& s) { return s.frames.size(); });
  state.with([](auto& s) {
    EXPECT_EQ(s.closed, 0u);
    // Each peer's frame once, whole: which came first is the system's business.
    std::map<Bytes, std::size_t> sent;
    for (std::size_t i = 0; i < kPeers; ++i) sent.emplace(patternPayload(i, 1000), i);
    std::set<std::size_t> from;
    for (const auto& frame : s.frames) {
      const auto it = sent.find(frame);
      ASSERT_NE(it, sent.end()) << "a frame no peer sent";
      EXPECT_TRUE(from.insert(it->second).second) << "peer " << it->second << "'s frame came twice";
    }
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

TEST_F(EngineTest, AReceiverHeldWeaklyHearsItsFramesAndOneCloseAndNothingOnceItIsGone) {
  // What a host's links use instead of two handlers: the connection holds the receiver weakly.
  struct Heard {
    std::size_t frames = 0;
    std::size_t closes = 0;
  };
  struct Recorder final : Connection::Receiver {
    explicit Recorder(Guarded<Heard>& heard) : heard_(heard) {}
    void onFrame(Connection&, std::span<const std::byte>) override { heard_.with([](Heard& h) { ++h.frames; }); }
    void onClose(Connection&, std::error_code) override { heard_.with([](Heard& h) { ++h.closes; }); }
    Guarded<Heard>& heard_;
  };
  auto& kept = keep<Guarded<Heard>>();     // heard by a receiver that lives on
  auto& dropped = keep<Guarded<Heard>>();  // heard by one let go as soon as it started
  auto& receivers = keep<Guarded<std::vector<std::shared_ptr<Recorder>>>>();
  auto& connections = keep<Guarded<std::vector<std::shared_ptr<Connection>>>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    const bool first = connections.with([&](auto& all) {
      all.push_back(c);
      return all.size() == 1;
    });
    auto receiver = std::make_shared<Recorder>(first ? kept : dropped);
    c->start(std::weak_ptr<Connection::Receiver>(receiver));
    if (first) receivers.with([&](auto& all) { all.push_back(receiver); });
  });
  Bytes wire;
  for (std::size_t i = 0; i < 3; ++i) appendFrame(wire, patternPayload(i, 100));
  {
    RawSocket raw;
    ASSERT_TRUE(raw.connect(listener->localEndpoint()));
    ASSERT_TRUE(raw.sendAll(wire));
    ASSERT_TRUE(kept.waitFor([](Heard& h) { return h.frames == 3; }));
    RawSocket other;
    ASSERT_TRUE(other.connect(listener->localEndpoint()));
    ASSERT_TRUE(other.sendAll(wire));
  }
  ASSERT_TRUE(kept.waitFor([](Heard& h) { return h.closes == 1; }));
  ASSERT_TRUE(test::pollUntil(
      [&] { return connections.with([](auto& all) { return all.size() == 2 && !all[1]->isOpen(); }); }));
  kept.with([](Heard& h) { EXPECT_EQ(h.frames, 3u); });
  dropped.with([](Heard& h) {
    EXPECT_EQ(h.frames, 0u) << "a receiver that is gone hears nothing";
    EXPECT_EQ(h.closes, 0u);
  });
  engine_.reset();  // its shutdown reports no second close
  kept.with([](Heard& h) { EXPECT_EQ(h.closes, 1u); });
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

TEST_F(EngineTest, AReceiverThatPausesReadingHoldsItsPeerBackAndResumesWhereItStopped) {
  auto& received = keep<Guarded<ReceivedFrames>>();
  auto& server = keep<Guarded<std::shared_ptr<Connection>>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->pauseReading();  // before it starts: not a byte is read
    recordInto(received)(c);
    server.with([&](auto& s) { s = c; });
  });
  RawSocket client;
  ASSERT_TRUE(client.connect(listener->localEndpoint()));
  ASSERT_TRUE(server.waitFor([](auto& s) { return s != nullptr; }));

  // Far more than the systems' buffers hold: with nobody reading, the sender runs out of room.
  constexpr std::size_t kFrames = 1000;
  constexpr std::size_t kSize = 60'000;
  Bytes stream;
  for (std::size_t i = 0; i < kFrames; ++i) {
    const auto frame = encodeFrame(patternPayload(i, kSize));
    stream.insert(stream.end(), frame->begin(), frame->end());
  }
  std::span<const std::byte> left(stream);
  // The sender is held back: its room does not come back within a quarter of a second, which a
  // reader at memory speed gives it in microseconds.
  for (;;) {
    const long n = client.sendSome(left, 250ms);
    ASSERT_NE(n, -1L);
    if (n == RawSocket::kTimedOut) break;
    left = left.subspan(static_cast<std::size_t>(n));
    ASSERT_FALSE(left.empty()) << "the whole stream went out: the receiver did not pause";
  }
  received.with([&](auto& r) { EXPECT_TRUE(r.frames.empty()) << r.frames.size() << " frames read while paused"; });

  // Paused again and resumed while reading: nothing lost, nothing out of order.
  server.with([](auto& s) { s->resumeReading(); });
  ASSERT_TRUE(received.waitFor([](auto& r) { return !r.frames.empty(); }));
  server.with([](auto& s) {
    s->pauseReading();
    s->resumeReading();
  });
  ASSERT_TRUE(client.sendAll(left));
  ASSERT_TRUE(received.waitFor([&](auto& r) { return r.frames.size() == kFrames; }))
      << received.with([](auto& r) { return r.frames.size(); }) << " frames";
  received.with([&](auto& r) { expectPatternFrames(r.frames, kFrames, kSize); });
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

TEST_F(EngineTest, BulkDataHandedOverAsTheQueueDrainsNeverLetsTheQueueGrowPastItsMark) {
  // A sender feeding a large stream only when told the queue is short (file data, behind chat)
  // gets every frame out, in order, and its queue never holds more than the mark and a frame.
  constexpr std::size_t kLowWater = 64 * 1024;
  constexpr std::size_t kFrames = 200;
  constexpr std::size_t kSize = 32 * 1024;
  struct Feed {
    std::size_t next = 0;
    std::size_t mostQueued = 0;
    std::size_t drains = 0;
  };
  auto& feed = keep<Guarded<Feed>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
    auto give = [&feed](Connection& conn) {
      feed.with([&](Feed& f) {
        ++f.drains;
        while (f.next < kFrames && conn.queuedBytes() <= kLowWater) {
          conn.send(encodeFrame(patternPayload(f.next++, kSize)));
          f.mostQueued = std::max(f.mostQueued, conn.queuedBytes());
        }
      });
    };
    c->setDrainedHandler(kLowWater, give);
    c->loop().post([c, give] { give(*c); });
  });
  RawSocket reader;
  ASSERT_TRUE(reader.connect(listener->localEndpoint()));
  FrameDecoder decoder(kSize);
  std::vector<Bytes> frames;
  std::byte buffer[65536];
  const auto deadline = std::chrono::steady_clock::now() + test::kDeadline;
  while (frames.size() < kFrames && std::chrono::steady_clock::now() < deadline) {
    const long n = reader.receive(buffer, 1000ms);
    if (n <= 0) break;
    decoder.feed(std::span(buffer, static_cast<std::size_t>(n)),
                 [&](std::span<const std::byte> p) { frames.emplace_back(p.begin(), p.end()); });
  }
  expectPatternFrames(frames, kFrames, kSize);
  feed.with([&](Feed& f) {
    EXPECT_GT(f.drains, 1u) << "fed again as the queue drained";
    EXPECT_LE(f.mostQueued, kLowWater + kSize + 4 + Connection::kQueueEntryCost);
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

// --- Listeners that fail -----------------------------------------------------------------------

// Runs on the loop's thread once everything posted to it before has run.
void drainLoop(Loop& loop) {
  auto done = std::make_shared<Guarded<bool>>();
  loop.post([done] { done->with([](bool& d) { d = true; }); });
  ASSERT_TRUE(done->waitFor([](bool d) { return d; })) << "the loop did not run posted work";
}

TEST_F(EngineTest, AListenerThatDiesIsClosedAndTellsItsOwnerOnce) {
  struct Seen {
    std::vector<std::error_code> errors;
    bool onAcceptLoop = true;
    int accepted = 0;
  };
  auto& seen = keep<Guarded<Seen>>();
  Loop& acceptLoop = engine_->loop(0);
  std::error_code ec;
  auto listener = engine_->listen(
      Endpoint::loopbackV4(0),
      [&](std::shared_ptr<Connection> c) {
        c->start([](Connection&, auto) {}, [](Connection&, std::error_code) {});
        seen.with([](Seen& s) { ++s.accepted; });
      },
      [&](std::error_code why) {
        const bool onLoop = acceptLoop.isInLoopThread();
        seen.with([&](Seen& s) {
          s.errors.push_back(why);
          s.onAcceptLoop = s.onAcceptLoop && onLoop;
        });
      },
      ec);
  ASSERT_FALSE(ec) << ec.message();
  const Endpoint local = listener->localEndpoint();
  {
    RawSocket before;  // it works until it breaks
    ASSERT_TRUE(before.connect(local));
    ASSERT_TRUE(seen.waitFor([](Seen& s) { return s.accepted == 1; }));
  }

  ASSERT_TRUE(test::breakListeningSocket(local.port())) << "the engine's listening socket was not found";
  ASSERT_TRUE(seen.waitFor([](Seen& s) { return !s.errors.empty(); }))
      << "the listener's owner was never told that it can no longer accept";
  EXPECT_TRUE(test::pollUntil([&] { return !test::listenerSocketOpen(local.port()); }))
      << "the dead listener's socket was never closed";
  RawSocket after;
  EXPECT_FALSE(after.connect(local)) << "something still accepts connections on the port";
  drainLoop(acceptLoop);
  listener->close();  // too late to matter, and harmless
  drainLoop(acceptLoop);
  seen.with([](Seen& s) {
    ASSERT_EQ(s.errors.size(), 1u) << "the owner hears exactly once";
    EXPECT_TRUE(s.errors[0]) << "with the reason";
    EXPECT_TRUE(s.onAcceptLoop) << "on the accepting loop's thread, as engine.h says";
    EXPECT_EQ(s.accepted, 1);
  });
}

TEST_F(EngineTest, AListenerClosedByItsOwnerNeverReportsAFailure) {
  auto& errors = keep<Guarded<int>>();
  std::error_code ec;
  auto listener = engine_->listen(
      Endpoint::loopbackV4(0), [](std::shared_ptr<Connection>) {},
      [&](std::error_code) { errors.with([](int& n) { ++n; }); }, ec);
  ASSERT_FALSE(ec);
  const auto port = listener->localEndpoint().port();
  listener->close();
  EXPECT_TRUE(test::pollUntil([&] { return !test::listenerSocketOpen(port); }));
  drainLoop(engine_->loop(0));
  EXPECT_EQ(errors.with([](int& n) { return n; }), 0);
}

// A socket no backend can accept on: Linux /dev/null (epoll will not even watch it; io_uring's
// accept fails with ENOTSOCK); on Windows an event, which no completion port takes.
detail::NativeSocket unusableListeningSocket() {
#ifdef _WIN32
  return reinterpret_cast<detail::NativeSocket>(::CreateEventW(nullptr, FALSE, FALSE, nullptr));
#else
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
#endif
}

TEST_F(EngineTest, AListenerThatCannotWorkSaysSoLaterNeverInsideListen) {
  // The backend rule that lets callers start an operation with their own state half-updated:
  // no handler runs inside the call that started it, failures included.
  struct State {
    bool insideListen = false;
    bool ranInsideListen = false;
    int errors = 0;
    int accepts = 0;
    std::error_code why;
  };
  auto& state = keep<Guarded<State>>();
  auto& io = keep<std::unique_ptr<detail::IoListener>>();
  Loop& loop = engine_->loop(0);
  loop.post([&] {
    state.with([](State& s) { s.insideListen = true; });
    io = loop.backend().listen(
        unusableListeningSocket(), Endpoint::loopbackV4(0).family(),
        [&](detail::NativeSocket, const Endpoint&) {
          state.with([](State& s) {
            ++s.accepts;
            s.ranInsideListen |= s.insideListen;
          });
        },
        [&](std::error_code why) {
          state.with([&](State& s) {
            ++s.errors;
            s.why = why;
            s.ranInsideListen |= s.insideListen;
          });
        });
    state.with([](State& s) { s.insideListen = false; });
  });
  ASSERT_TRUE(state.waitFor([](State& s) { return s.errors > 0; }))
      << "the failure never reached the listener's error handler";
  drainLoop(loop);
  loop.post([&] { io.reset(); });
  drainLoop(loop);
  state.with([](State& s) {
    EXPECT_FALSE(s.ranInsideListen) << "a handler ran inside listen()";
    EXPECT_EQ(s.errors, 1);
    EXPECT_EQ(s.accepts, 0);
    EXPECT_TRUE(s.why);
  });
}

#ifdef __linux__
// CPU time used so far by the thread of loop, which the test reads from its own thread.
class LoopCpuClock {
 public:
  explicit LoopCpuClock(Loop& loop) {
    auto id = std::make_shared<Guarded<std::optional<clockid_t>>>();
    loop.post([id] {
      clockid_t c{};
      if (pthread_getcpuclockid(pthread_self(), &c) == 0) id->with([&](auto& v) { v = c; });
    });
    EXPECT_TRUE(id->waitFor([](auto& v) { return v.has_value(); }));
    id_ = id->with([](auto& v) { return v.value_or(CLOCK_THREAD_CPUTIME_ID); });
  }
  std::chrono::nanoseconds used() const {
    timespec ts{};
    clock_gettime(id_, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
  }

 private:
  clockid_t id_{};
};

// How much of a core loop's thread uses over window. A rate needs a window: this measures what
// the thread does meanwhile, it does not wait for anything to happen.
double shareOfACore(const LoopCpuClock& cpu, std::chrono::milliseconds window) {
  const auto cpu0 = cpu.used();
  const auto wall0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(window);
  const auto wall = std::chrono::steady_clock::now() - wall0;
  return std::chrono::duration<double>(cpu.used() - cpu0) / std::chrono::duration<double>(wall);
}

// The process's descriptor limit lowered to a little above the descriptors in use, so that
// fill() can take every free one cheaply; restored when destroyed. Lower it before the listener
// starts: io_uring reads the limit when an accept is submitted, not when it runs.
class LowDescriptorLimit {
 public:
  LowDescriptorLimit() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit lower = saved_;
    lower.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, highestOpen() + 1 + 64);
    setrlimit(RLIMIT_NOFILE, &lower);
  }
  ~LowDescriptorLimit() {
    release();
    setrlimit(RLIMIT_NOFILE, &saved_);
  }
  LowDescriptorLimit(const LowDescriptorLimit&) = delete;
  LowDescriptorLimit& operator=(const LowDescriptorLimit&) = delete;

  /// Takes every free descriptor; returns how many.
  std::size_t fill() {
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) held_.push_back(fd);
    return held_.size();
  }
  /// Gives them back.
  void release() {
    for (int fd : held_) ::close(fd);
    held_.clear();
  }

 private:
  static rlim_t highestOpen() {
    rlim_t highest = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
      while (const dirent* e = ::readdir(dir))
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
          highest = std::max<rlim_t>(highest, std::strtoul(e->d_name, nullptr, 10));
      ::closedir(dir);
    }
    return highest;
  }

  rlimit saved_{};
  std::vector<int> held_;
};

// A seccomp filter on the calling thread only: its accept() and accept4() calls fail with err.
// 0 if installed, else why not.
int failAcceptsOfThisThread(int err) {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
#if defined(__x86_64__)
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
#elif defined(__aarch64__)
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0),
#endif
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_accept4, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_accept, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<unsigned>(err) & SECCOMP_RET_DATA)),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return errno;
  return 0;
}
#endif

TEST_F(EngineTest, OutOfDescriptorsAListenerWaitsWithoutSpinningAndResumesWhenSomeAreFree) {
#ifndef __linux__
  GTEST_SKIP() << "needs RLIMIT_NOFILE; the policy itself is tested on every platform (AcceptPolicy)";
#else
  constexpr int kWaiting = 3;
  auto& received = keep<Guarded<std::vector<Bytes>>>();
  auto& accepted = keep<Guarded<int>>();
  LowDescriptorLimit limit;
  LogCapture log;  // before anything logs: its sink is then known to UBSan (below) too
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->start([&](Connection&, std::span<const std::byte> p) {
               received.with([&](auto& r) { r.emplace_back(p.begin(), p.end()); });
             },
             [](Connection&, std::error_code) {});
    accepted.with([](int& n) { ++n; });
  });
  const Endpoint local = listener->localEndpoint();
  const LoopCpuClock acceptLoopCpu(engine_->loop(0));
  std::vector<RawSocket> clients(kWaiting);
  for (auto& c : clients) ASSERT_TRUE(c.open(local.family()));
  // UBSan checks an object's type the first time it meets it with a pipe of its own, which it
  // cannot open while the process is out of descriptors: show it the error category that the
  // engine compares accept errors with while it still can.
  EXPECT_EQ(detail::classifyAcceptError(std::make_error_code(std::errc::too_many_files_open)),
            detail::AcceptErrorAction::BackOff);
  // ...and the formatting buffers and sinks that every log line goes through: one line, at the
  // level the engine's warnings are written at, whatever level the run logs at.
  EXPECT_EQ(fmt::format("{}: {}", "warm", 1), "warm: 1");
  logging::get("net")->warn("running out of descriptors on purpose (a test)");
  {
    ASSERT_GT(limit.fill(), 0u);
    // The system completes these connections; the engine has no descriptor to take them with.
    for (auto& c : clients) ASSERT_TRUE(c.connectOpened(local));
    ASSERT_TRUE(log.waitFor([](const auto& l) { return test::countLines(l, "accepting a connection failed") > 0; }))
        << "the shortage was never logged:\n" << log.dump();
    EXPECT_EQ(log.count("accepting a connection failed: too many connections are open"), 1u)
        << "the first line names the cause:\n" << log.dump();

    // It waits, and quietly: a listener that retried at once would take a core and write a
    // line per attempt.
    const double share = shareOfACore(acceptLoopCpu, 500ms);
    EXPECT_LT(share, 0.2) << "the accepting thread kept busy while out of descriptors";
    EXPECT_EQ(log.count("accepting a connection failed"), 1u) << "a line per attempt:\n" << log.dump();
    EXPECT_EQ(accepted.with([](int& n) { return n; }), 0);
    limit.release();
  }
  // Descriptors are free again: the connections that waited in the backlog are taken and work.
  ASSERT_TRUE(accepted.waitFor([](int& n) { return n == kWaiting; }))
      << "accepted after the shortage: " << accepted.with([](int& n) { return n; });
  for (std::size_t i = 0; i < clients.size(); ++i) ASSERT_TRUE(clients[i].sendAll(*encodeFrame(patternPayload(i, 100))));
  EXPECT_TRUE(received.waitFor([](auto& r) { return r.size() == kWaiting; }));
#endif
}

TEST_F(EngineTest, OutOfBuffersAnEpollListenerWaitsWithoutSpinning) {
#ifndef __linux__
  GTEST_SKIP() << "seccomp is Linux's";
#else
  if (requestedBackend() != "epoll")
    GTEST_SKIP() << "only epoll accepts with a system call of the loop thread, which seccomp can "
                    "fail; the descriptor test covers the others' back-off";
  auto listener = listen([](std::shared_ptr<Connection>) {});
  const LoopCpuClock acceptLoopCpu(engine_->loop(0));
  auto& installed = keep<Guarded<std::optional<int>>>();
  engine_->loop(0).post([&] {
    const int result = failAcceptsOfThisThread(ENOBUFS);
    installed.with([&](auto& r) { r = result; });
  });
  ASSERT_TRUE(installed.waitFor([](auto& r) { return r.has_value(); }));
  if (const int why = installed.with([](auto& r) { return *r; }); why != 0)
    GTEST_SKIP() << "no seccomp here: " << std::generic_category().message(why);

  LogCapture log;
  RawSocket client;  // waits in the backlog: every accept of it fails with ENOBUFS
  ASSERT_TRUE(client.connect(listener->localEndpoint()));
  ASSERT_TRUE(log.waitFor([](const auto& l) { return test::countLines(l, "accepting a connection failed") > 0; }))
      << log.dump();
  EXPECT_EQ(log.count("accepting a connection failed: this machine is out of memory for network buffers"), 1u)
      << log.dump();
  const double share = shareOfACore(acceptLoopCpu, 500ms);
  EXPECT_LT(share, 0.2) << "the accepting thread spun on a listener it could not accept from";
  EXPECT_EQ(log.count("accepting a connection failed"), 1u) << log.dump();
#endif
}

// --- Log storms ------------------------------------------------------------------------------

TEST_F(EngineTest, AStormOfBadPeersIsAFewLinesOfLogNotOneEach) {
  constexpr int kPeers = 200;
  LogCapture log;
  auto& closed = keep<Guarded<int>>();
  auto listener = listen([&](std::shared_ptr<Connection> c) {
    c->start([](Connection&, auto) {}, [&](Connection&, std::error_code) { closed.with([](int& n) { ++n; }); });
  });
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kPeers; ++i) {
    RawSocket raw;
    ASSERT_TRUE(raw.connect(listener->localEndpoint()));
    ASSERT_TRUE(raw.sendAll(asBytes("GET / HTTP/1.1\r\n\r\n")));
    ASSERT_TRUE(readUntilClosed(raw).has_value()) << "peer " << i << " was not closed";
  }
  ASSERT_TRUE(closed.waitFor([](int& n) { return n == kPeers; }));
  const auto storm = std::chrono::steady_clock::now() - started;

  // The operator hears of it: at once, or, if this process saw the same warning just before
  // (it is summarised process-wide), within an interval and the engine's next flush.
  const auto why = "malformed frame header";
  EXPECT_TRUE(log.waitFor([&](const auto& l) { return test::countLines(l, why) > 0; }, 15s))
      << "the storm was never reported:\n" << log.dump();
  // One line at once, then one per 5-second interval the storm lasted; and perhaps one that
  // sums up an earlier storm of this process.
  const std::size_t bound = 3 + static_cast<std::size_t>(storm / 5s);
  EXPECT_LE(log.count(why), bound) << log.dump();
}

}  // namespace
}  // namespace chatport::net
