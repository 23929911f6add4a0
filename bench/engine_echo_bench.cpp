// Echo and ping-pong over loopback through the engine, per backend.
//
//   engine_echo_bench [--backend uring|epoll] [--seconds N]
//
// Prints round trips per second on 1 and on 100 connections (one frame in flight per
// connection), and bytes per second for 64 KiB frames streamed and echoed. Server and clients
// share one engine of two loops, as they share this machine's two cores.

#include <chatport/net/engine.h>
#include <chatport/net/frame.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

using namespace chatport::net;
using namespace std::chrono_literals;

namespace {

struct Result {
  double perSecond;
};

class Bench {
 public:
  Bench(const std::string& backend, double seconds) : seconds_(seconds) {
    EngineOptions options;
    options.threads = 2;
    options.backend = backend == "uring" ? BackendKind::Uring
                      : backend == "epoll" ? BackendKind::Epoll
                                           : BackendKind::Auto;
    options.connection.maxQueuedBytes = 64 << 20;
    engine_ = std::make_unique<Engine>(options);
    std::error_code ec;
    listener_ = engine_->listen(Endpoint::loopbackV4(0), [](std::shared_ptr<Connection> c) {
      c->start([](Connection& self, std::span<const std::byte> payload) { self.send(encodeFrame(payload)); },
               [](Connection&, std::error_code) {});
    }, ec);
    if (ec) {
      std::fprintf(stderr, "listen: %s\n", ec.message().c_str());
      std::exit(1);
    }
  }

  std::string_view backend() const { return engine_->backendName(); }

  // Each of n connections keeps `inFlight` frames of `size` bytes travelling; counts echoes.
  double run(std::size_t connections, std::size_t size, std::size_t inFlight) {
    std::atomic<std::uint64_t> echoes{0};
    std::atomic<bool> measuring{true};
    std::mutex mutex;
    std::condition_variable cv;
    std::size_t ready = 0;
    std::vector<std::shared_ptr<Connection>> clients;
    auto frame = encodeFrame(Bytes(size, std::byte{0x5A}));
    for (std::size_t i = 0; i < connections; ++i) {
      engine_->connect(listener_->localEndpoint(), 5s, [&](std::error_code ec, std::shared_ptr<Connection> c) {
        if (ec) {
          std::fprintf(stderr, "connect: %s\n", ec.message().c_str());
          std::exit(1);
        }
        c->start(
            [&, frame](Connection& self, std::span<const std::byte>) {
              echoes.fetch_add(1, std::memory_order_relaxed);
              if (measuring.load(std::memory_order_relaxed)) self.send(frame);
            },
            [](Connection&, std::error_code) {});
        std::lock_guard lock(mutex);
        clients.push_back(c);
        ++ready;
        cv.notify_all();
      });
    }
    {
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return ready == connections; });
    }
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t before = echoes.load();
    for (auto& c : clients)
      for (std::size_t k = 0; k < inFlight; ++k) c->send(frame);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds_));
    const std::uint64_t after = echoes.load();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    measuring = false;
    for (auto& c : clients) c->close();
    return static_cast<double>(after - before) / elapsed;
  }

 private:
  double seconds_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string backend;
  double seconds = 3;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--backend") && i + 1 < argc) backend = argv[++i];
    else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--backend uring|epoll] [--seconds N]\n", argv[0]);
      return 2;
    }
  }
  Bench bench(backend, seconds);
  const double rtt1 = bench.run(1, 64, 1);
  const double rtt100 = bench.run(100, 64, 1);
  const double bulk = bench.run(8, 64 * 1024, 4) * 64 * 1024;  // echoed payload bytes
  std::printf("| %s | %.0f | %.0f | %.0f |\n", std::string(bench.backend()).c_str(), rtt1, rtt100,
              bulk / (1 << 20));
  return 0;
}
