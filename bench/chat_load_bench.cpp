// Load generator for a ChatPort host.
//
//   chat_load_bench --cli PATH/chatport-cli [--joiners N] [--rate MSGS_PER_S] [--seconds S]
//                   [--idle N]
//
// Starts `chatport-cli host` as a separate process (the real product, measured from outside),
// connects N joiners to it over loopback speaking the protocol directly, has some of them
// send chat messages at a set total rate, and reports deliveries per second, end-to-end
// latency percentiles (send to receipt, every delivery counted), loss, and the host's CPU time
// per 1,000 deliveries and resident memory per connection. With --idle N it instead connects
// N joiners that only send heartbeats and reports the host's memory per idle joiner.
// The table row printed is:
// | joiners | offered msg/s | deliveries/s | p50 ms | p99 ms | p99.9 ms | loss | joiners dropped
// | host CPU ms per 1,000 deliveries | host RSS MiB |
//
// Linux only: it reads the host's figures from /proc.

#include <chatport/chat/protocol.h>
#include <chatport/net/engine.h>

#include "resident_memory.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace chatport;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string cli;
  std::size_t joiners = 100;
  double rate = 1000;  // chat messages per second, all senders together
  double seconds = 10;
  std::size_t idle = 0;
};

// Latency histogram: buckets 1% wide from 1 µs to about 100 s.
class Histogram {
 public:
  static constexpr std::size_t kBuckets = 1900;
  void add(double micros) {
    const double v = std::max(micros, 1.0);
    const auto b = static_cast<std::size_t>(std::log(v) / std::log(1.01));
    ++counts_[std::min(b, kBuckets - 1)];
    ++total_;
  }
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }
  double percentile(double p) const {
    const auto target = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total_)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i)
      if ((seen += counts_[i]) >= target && target > 0) return std::pow(1.01, static_cast<double>(i) + 1);
    return 0;
  }
  std::uint64_t total() const { return total_; }

 private:
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets);
  std::uint64_t total_ = 0;
};

// Figures of one loop's joiners; touched only on that loop's thread until the end.
struct LoopStats {
  Histogram latency;
  std::uint64_t deliveries = 0;
  std::uint64_t minSeq = UINT64_MAX;
  std::uint64_t maxSeq = 0;
};

struct Joiner {
  std::shared_ptr<net::Connection> connection;
  LoopStats* stats = nullptr;
  bool welcomed = false;
  bool sender = false;
};

pid_t startHost(const Options& o, std::uint16_t port, std::size_t maxClients) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    const std::string portText = std::to_string(port);
    const std::string maxText = std::to_string(maxClients);
    ::execl(o.cli.c_str(), o.cli.c_str(), "host", "--bind", "127.0.0.1", "--port", portText.c_str(),
            "--name", "bench-host", "--stay", "--max-clients", maxText.c_str(), "--log-level",
            "warn", static_cast<char*>(nullptr));
    std::perror("exec chatport-cli");
    std::_Exit(127);
  }
  return pid;
}

// CPU seconds (user + system) and resident bytes of a process, from /proc.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double residentMiB(pid_t pid) { return static_cast<double>(test::residentBytes(pid)) / (1 << 20); }

std::uint16_t freePort() {
  std::error_code ec;
  net::Engine probe({.threads = 1});
  auto l = probe.listen(net::Endpoint::loopbackV4(0), [](auto) {}, ec);
  if (ec) return 0;
  const auto port = l->localEndpoint().port();
  l->close();
  return port;
}

// Waits (up to 10 s) until something accepts connections on the port.
bool waitForPort(std::uint16_t port) {
  const auto remote = net::Endpoint::loopbackV4(port);
  for (auto deadline = Clock::now() + 10s; Clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool up = ::connect(fd, static_cast<const sockaddr*>(remote.data()), static_cast<socklen_t>(remote.size())) == 0;
    ::close(fd);
    if (up) return true;
  }
  return false;
}

class LoadGenerator {
 public:
  LoadGenerator(const Options& o, std::uint16_t port) : options_(o), port_(port) {
    net::EngineOptions eo;
    eo.threads = 2;
    eo.connection.maxFrameSize = chat::proto::kMaxPayload * 64;  // roster parts can be long
    eo.connection.maxQueuedBytes = 64 << 20;
    engine_ = std::make_unique<net::Engine>(eo);
    stats_.resize(engine_->loopCount());
  }

  // Connects n joiners and waits until every one is welcomed; false on failure.
  bool connect(std::size_t n, std::size_t senders) {
    joiners_.resize(n);
    const auto remote = net::Endpoint::loopbackV4(port_);
    for (std::size_t i = 0; i < n; ++i) {
      // Connect in waves, so the host's listen backlog is never the limit.
      if (i % 500 == 499) waitWelcomed(i - 200, 30s);
      engine_->connect(remote, 10s, [this, i, senders](std::error_code ec, std::shared_ptr<net::Connection> c) {
        if (ec) {
          std::fprintf(stderr, "joiner %zu: %s\n", i, ec.message().c_str());
          failed_ = true;
          changed_.notify_all();
          return;
        }
        Joiner& j = joiners_[i];
        j.connection = c;
        j.stats = &stats_[c->loop().index()];
        j.sender = i < senders;
        c->start([this, &j](net::Connection&, std::span<const std::byte> payload) { onFrame(j, payload); },
                 [this, i](net::Connection&, std::error_code why) {
                   if (!stopping_) {
                     std::fprintf(stderr, "joiner %zu lost: %s\n", i, why.message().c_str());
                     lost_.fetch_add(1);
                   }
                 });
        c->send(chat::proto::toFrame(chat::proto::Hello{.name = "load-" + std::to_string(i)}));
      });
    }
    return waitWelcomed(n, 120s);
  }

  // Sends at the set rate for the set time; returns the seconds actually measured.
  double run() {
    std::vector<std::size_t> senders;
    for (std::size_t i = 0; i < joiners_.size(); ++i)
      if (joiners_[i].sender) senders.push_back(i);
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.seconds));
    double due = 0;
    std::size_t next = 0;
    for (auto tick = start; tick < end; tick += 2ms) {
      std::this_thread::sleep_until(tick);
      due += options_.rate * 0.002;
      for (; due >= 1; due -= 1) {
        Joiner& j = joiners_[senders[next++ % senders.size()]];
        const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
        j.connection->send(chat::proto::toFrame(chat::proto::Say{.text = "t=" + std::to_string(now)}));
      }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  // Lets the last messages arrive, then stops and merges the figures.
  LoopStats finish() {
    std::this_thread::sleep_for(1s);
    stopping_ = true;
    engine_->stop();
    LoopStats all;
    for (auto& s : stats_) {
      all.latency.merge(s.latency);
      all.deliveries += s.deliveries;
      all.minSeq = std::min(all.minSeq, s.minSeq);
      all.maxSeq = std::max(all.maxSeq, s.maxSeq);
    }
    return all;
  }

  std::size_t lost() const { return lost_.load(); }

 private:
  // Message: u32 from, u64 seq, i64 timeMs, u32 text length, text (docs/protocol.md).
  // Read in place: building a HostMessage costs a heap string per delivery, and the
  // generator shares the cores with the host it measures.
  static bool readChatMessage(std::span<const std::byte> p, std::uint64_t& seq, std::string_view& text) {
    constexpr std::size_t kTextAt = 1 + 4 + 8 + 8 + 4;
    if (p.size() < kTextAt || p[0] != std::byte(chat::proto::MessageType::Message)) return false;
    auto be = [&](std::size_t at, std::size_t n) {
      std::uint64_t v = 0;
      for (std::size_t i = 0; i < n; ++i) v = v << 8 | std::to_integer<std::uint64_t>(p[at + i]);
      return v;
    };
    seq = be(5, 8);
    const std::size_t length = be(21, 4);
    if (p.size() != kTextAt + length) return false;
    text = {reinterpret_cast<const char*>(p.data() + kTextAt), length};
    return true;
  }

  void onFrame(Joiner& j, std::span<const std::byte> payload) {
    std::uint64_t seq = 0;
    std::string_view text;
    if (readChatMessage(payload, seq, text)) {
      LoopStats& s = *j.stats;
      ++s.deliveries;
      s.minSeq = std::min(s.minSeq, seq);
      s.maxSeq = std::max(s.maxSeq, seq);
      long long sent = 0;
      if (text.starts_with("t=") &&
          std::from_chars(text.data() + 2, text.data() + text.size(), sent).ec == std::errc{}) {
        const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
        s.latency.add(static_cast<double>(now - sent) / 1000.0);
      }
      return;
    }
    // Of the rest only the handshake's answer matters (Joined notices come by the million).
    using chat::proto::MessageType;
    const auto type = payload.empty() ? MessageType{} : MessageType(std::to_integer<std::uint8_t>(payload[0]));
    if (type != MessageType::Welcome && type != MessageType::Refuse) return;
    chat::proto::HostMessage message;
    if (chat::proto::parse(payload, message) != chat::proto::ParseError::None) return;
    if (std::holds_alternative<chat::proto::Welcome>(message) && !j.welcomed) {
      j.welcomed = true;
      // Heartbeats keep the joiner in the room; the host drops the silent.
      auto* loop = &j.connection->loop();
      std::weak_ptr<net::Connection> weak = j.connection;
      beat(loop, weak);
      std::lock_guard lock(mutex_);
      ++welcomed_;
      changed_.notify_all();
    } else if (auto* r = std::get_if<chat::proto::Refuse>(&message)) {
      std::fprintf(stderr, "refused: %s\n", r->detail.c_str());
      failed_ = true;
      changed_.notify_all();
    }
  }

  void beat(net::Loop* loop, std::weak_ptr<net::Connection> weak) {
    loop->runAfter(3s, [this, loop, weak] {
      if (auto c = weak.lock(); c && c->isOpen()) {
        c->send(chat::proto::toFrame(chat::proto::Heartbeat{}));
        beat(loop, weak);
      }
    });
  }

  bool waitWelcomed(std::size_t n, std::chrono::seconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return welcomed_ >= n || failed_; }) && !failed_;
  }

  const Options& options_;
  const std::uint16_t port_;
  std::unique_ptr<net::Engine> engine_;
  std::vector<LoopStats> stats_;
  std::vector<Joiner> joiners_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t welcomed_ = 0;  // guarded by mutex_
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> lost_{0};
};

bool parseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--cli") o.cli = value;
    else if (key == "--joiners") o.joiners = std::stoul(value);
    else if (key == "--rate") o.rate = std::stod(value);
    else if (key == "--seconds") o.seconds = std::stod(value);
    else if (key == "--idle") o.idle = std::stoul(value);
    else return false;
  }
  return argc % 2 == 1 && !o.cli.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parseOptions(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s --cli PATH/chatport-cli [--joiners N] [--rate MSGS_PER_S] [--seconds S] [--idle N]\n",
                 argv[0]);
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);  // inherited by the host

  const std::size_t joiners = o.idle ? o.idle : o.joiners;
  const std::uint16_t port = freePort();
  const pid_t host = startHost(o, port, joiners + 10);
  if (!waitForPort(port)) {
    std::fprintf(stderr, "the host did not start listening on port %u\n", port);
    kill(host, SIGTERM);
    return 1;
  }
  const double baseMiB = residentMiB(host);

  int status = 0;
  {
    LoadGenerator load(o, port);
    const std::size_t senders = o.idle ? 0 : std::max<std::size_t>(1, std::min(joiners, static_cast<std::size_t>(std::ceil(o.rate / 10))));
    if (!load.connect(joiners, senders)) {
      std::fprintf(stderr, "could not connect every joiner\n");
      kill(host, SIGTERM);
      waitpid(host, &status, 0);
      return 1;
    }
    const double connectedMiB = residentMiB(host);
    if (o.idle) {
      // The storm's Joined notices drain within seconds; the host gives the memory they took
      // back to the system once its queues are quiet (it looks every second).
      std::this_thread::sleep_for(10s);
      const double settledMiB = residentMiB(host);
      std::printf("| %zu idle joiners | host RSS %.1f MiB after the last join, %.1f MiB 10 s later "
                  "(%.1f MiB before) | %.1f KiB per joiner |\n",
                  joiners, connectedMiB, settledMiB, baseMiB,
                  (settledMiB - baseMiB) * 1024 / static_cast<double>(joiners));
      load.finish();
    } else {
      const double cpuBefore = cpuSeconds(host);
      const double seconds = load.run();
      const double cpuAfter = cpuSeconds(host);
      const double peakMiB = residentMiB(host);
      const LoopStats s = load.finish();
      const double messages = s.maxSeq >= s.minSeq ? static_cast<double>(s.maxSeq - s.minSeq + 1) : 0;
      const double expected = messages * static_cast<double>(joiners);
      std::printf("| %zu | %.0f | %.0f | %.2f | %.2f | %.2f | %.4f%% | %zu | %.2f | %.1f |\n", joiners, o.rate,
                  static_cast<double>(s.deliveries) / seconds, s.latency.percentile(0.5) / 1000,
                  s.latency.percentile(0.99) / 1000, s.latency.percentile(0.999) / 1000,
                  expected > 0 ? 100.0 * (expected - static_cast<double>(s.deliveries)) / expected : 0.0, load.lost(),
                  (cpuAfter - cpuBefore) * 1e3 * 1000 / std::max(1.0, static_cast<double>(s.deliveries)), peakMiB);
    }
  }
  kill(host, SIGTERM);
  waitpid(host, &status, 0);
  return 0;
}
