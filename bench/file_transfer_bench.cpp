// File transfer through a ChatPort host, over loopback.
//
//   file_transfer_bench [--size BYTES] [--pairs N] [--pair-size BYTES] [--chatters N]
//                       [--rate MSGS_PER_S] [--baseline-seconds S] [--only 1|2|3] [--dir PATH]
//
// Sizes take a K, M or G suffix (powers of 1024): --size 512M. Three measurements, each with a
// fresh host:
//  1. One transfer of --size bytes (default 2 GiB) from a joiner to another joiner through the
//     host: MB/s (10^6 bytes/s) from the recipient's accept to its FileDoneEvent (the hash
//     checked), and to its last byte (its Checking progress event); the host's peak resident
//     memory (VmHWM, which covers its whole life, the transfer included), and the CPU each
//     process used meanwhile.
//  2. --pairs transfers (default 10) of --pair-size bytes (default 256 MiB) at once, between
//     as many sender/recipient pairs sharing the host; the recipients accept together. Each
//     one's MB/s from its accept to its FileDoneEvent, and min/max (fairness).
//  3. Chat latency: --chatters joiners (default 100) in the room, one of them saying a message
//     --rate times a second (default 20) stamped with its send time; latency is from the
//     sender's submit to each other chatter's MessageEvent, every delivery counted. First for
//     --baseline-seconds (default 10) with no transfer, then for as long as a transfer of
//     --size bytes runs between two other joiners.
//
// Every party is a ChatCore, as in the product: the host with the product's defaults (one
// engine thread per core) but a chat rate limit of 200 messages/s, so that a 20/s sender never
// brushes it; the joiners with one engine thread each.
// The host, the senders, the recipients and the chatters each run in a process of their own,
// forked by this one before it starts any thread; they talk to it by lines on pipes. The files
// sent are written once, with pseudo-random contents, in a temporary folder (--dir, default
// the system's), which is removed at the end with everything received.
//
// Linux only: processes' memory and CPU come from /proc.

#include <chatport/chat/chat_core.h>
#include <chatport/log.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace chatport;
using namespace chatport::chat;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

struct Options {
  std::uint64_t size = std::uint64_t{2} << 30;
  std::size_t pairs = 10;
  std::uint64_t pairSize = std::uint64_t{256} << 20;
  std::size_t chatters = 100;
  double rate = 20;
  double baselineSeconds = 10;
  int only = 0;  // 0: all three
  std::string dir;
};

bool parseSize(const std::string& text, std::uint64_t& out) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return false;
  std::string unit(end, text.data() + text.size());
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  if (unit.size() == 2 && unit.back() == 'i') unit.pop_back();
  int shift = 0;
  if (unit == "K" || unit == "k") shift = 10;
  else if (unit == "M") shift = 20;
  else if (unit == "G") shift = 30;
  else if (!unit.empty()) return false;
  out = value << shift;
  return true;
}

bool parseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    try {
      if (a == "--size") { if (!parseSize(v, o.size)) return false; }
      else if (a == "--pair-size") { if (!parseSize(v, o.pairSize)) return false; }
      else if (a == "--pairs") o.pairs = std::stoul(v);
      else if (a == "--chatters") o.chatters = std::stoul(v);
      else if (a == "--rate") o.rate = std::stod(v);
      else if (a == "--baseline-seconds") o.baselineSeconds = std::stod(v);
      else if (a == "--only") o.only = std::stoi(v);
      else if (a == "--dir") o.dir = v;
      else return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return o.size > 0 && o.pairs > 0 && o.pairSize > 0 && o.chatters >= 2 && o.rate > 0 && o.only >= 0 && o.only <= 3;
}

// ---- In a child: cores and their events -----------------------------------------------------

// Wakes the one thread of a child that drains its cores' events.
struct Waker {
  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
  void wake() {
    { std::lock_guard lock(mutex); woken = true; }
    cv.notify_one();
  }
  void wait(Clock::duration upTo) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, upTo, [&] { return woken; });
    woken = false;
  }
};

// Commands from the parent, read on a thread of their own: the child's loop polls them.
class Commands {
 public:
  Commands() : thread_([this] { read(); }) { thread_.detach(); }
  std::optional<std::string> next() {
    std::lock_guard lock(mutex_);
    if (lines_.empty()) return std::nullopt;
    std::string line = lines_.front();
    lines_.erase(lines_.begin());
    return line;
  }

 private:
  void read() {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, stdin)) {
      std::string line(buffer);
      while (!line.empty() && line.back() == '\n') line.pop_back();
      std::lock_guard lock(mutex_);
      lines_.push_back(line);
    }
    std::lock_guard lock(mutex_);
    lines_.push_back("quit");  // the parent is gone
  }
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::thread thread_;
};

// One line to the parent.
__attribute__((format(printf, 1, 2))) void say(const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vprintf(format, args);
  va_end(args);
  std::printf("\n");
  std::fflush(stdout);
}

// Some cores in one process, and the loop that hands their events to a handler.
class Cores {
 public:
  Cores(std::size_t count, const fs::path& dataRoot, const std::string& prefix) {
    for (std::size_t i = 0; i < count; ++i) {
      CoreOptions options;
      options.threads = 1;
      options.dataDir = (dataRoot / (prefix + std::to_string(i))).string();
      fs::create_directories(options.dataDir);
      options.keepHistory = false;
      options.statsInterval = 0ms;
      options.autoReconnect = false;
      auto core = std::make_unique<ChatCore>(options);
      core->setWakeCallback([this] { waker_.wake(); });
      cores_.push_back(std::move(core));
    }
    clients_.resize(count);
  }
  std::size_t size() const { return cores_.size(); }
  /// Who core i last heard is in the room.
  const std::vector<Participant>& clients(std::size_t i) const { return clients_[i]; }
  ChatCore& operator[](std::size_t i) { return *cores_[i]; }

  // Drains every core's events into handle(i, event) until done() or the deadline; tick() runs
  // at least every millisecond or two. False at the deadline.
  bool pump(const std::function<void(std::size_t, Event&)>& handle, const std::function<bool()>& done,
            Clock::time_point deadline, const std::function<void()>& tick = {}) {
    std::vector<Event> batch;
    while (!done()) {
      if (Clock::now() > deadline) return false;
      waker_.wait(2ms);
      for (std::size_t i = 0; i < cores_.size(); ++i)
        while (cores_[i]->drainEvents(batch, 256)) {
          for (auto& e : batch) {
            if (auto* list = std::get_if<ClientListEvent>(&e)) clients_[i] = std::move(list->clients);
            if (const auto* error = std::get_if<ErrorEvent>(&e)) say("failed error: %s", error->detail.c_str());
            handle(i, e);
          }
          batch.clear();
        }
      if (tick) tick();
    }
    return true;
  }

  // Joins them all to the host as prefix0, prefix1...; false if one is not welcomed in time.
  // At most kJoining at once: the host drops the oldest of more than 32 connections from one
  // address that are still in their handshake.
  bool join(const std::string& prefix, std::uint16_t port) {
    constexpr std::size_t kJoining = 16;
    std::size_t submitted = 0, connected = 0;
    const auto submitNext = [&] {
      cores_[submitted]->submit(JoinCommand{prefix + std::to_string(submitted), "127.0.0.1", port});
      ++submitted;
    };
    while (submitted < std::min(kJoining, cores_.size())) submitNext();
    return pump([&](std::size_t, Event& e) {
                  if (std::holds_alternative<ConnectedEvent>(e) && ++connected && submitted < cores_.size())
                    submitNext();
                  if (const auto* d = std::get_if<DisconnectedEvent>(&e))
                    say("failed disconnected: %s", d->detail.c_str());
                },
                [&] { return connected == cores_.size(); }, Clock::now() + 60s);
  }

 private:
  Waker waker_;
  std::vector<std::unique_ptr<ChatCore>> cores_;
  std::vector<std::vector<Participant>> clients_;
};

// Waits for "quit" while draining the cores' events, so that nothing piles up meanwhile.
void idleUntilQuit(Cores& cores, Commands& commands) {
  bool quit = false;
  cores.pump([](std::size_t, Event&) {}, [&] { return quit; }, Clock::time_point::max(),
             [&] { quit = commands.next() == "quit"; });
}

// The host: prints "port N" once it listens, then serves until "quit".
int hostRole(const fs::path& dataRoot) {
  Commands commands;
  CoreOptions options;  // the product's, with one engine thread per core
  options.dataDir = (dataRoot / "host").string();
  fs::create_directories(options.dataDir);
  options.keepHistory = false;
  options.ratePerSecond = 200;
  options.rateBurst = 400;
  options.statsInterval = 0ms;
  Waker waker;
  ChatCore core(options);
  core.setWakeCallback([&] { waker.wake(); });
  HostCommand command{"host", "127.0.0.1", 0};
  command.announce = false;
  core.submit(std::move(command));
  std::vector<Event> batch;
  for (;;) {
    waker.wait(10ms);
    while (core.drainEvents(batch, 256)) {
      for (auto& e : batch) {
        if (const auto* c = std::get_if<ConnectedEvent>(&e)) say("port %u", c->port);
        if (const auto* d = std::get_if<DisconnectedEvent>(&e)) say("failed host ended: %s", d->detail.c_str());
      }
      batch.clear();
    }
    if (commands.next() == "quit") return 0;
  }
}

// Senders send-0..send-(n-1): once each sees recv-i in the room, send-i offers path to it.
// Prints "sent" when every copy arrived.
int senderRole(const fs::path& dataRoot, std::uint16_t port, std::size_t n, const fs::path& path) {
  Commands commands;
  Cores cores(n, dataRoot, "send-");
  if (!cores.join("send-", port)) return say("failed senders could not join"), 1;
  std::vector<bool> offered(n, false);
  std::size_t done = 0, failed = 0;
  cores.pump(
      [&](std::size_t i, Event& e) {
        if (const auto* d = std::get_if<FileDoneEvent>(&e); d && d->outgoing) {
          ++done;
        } else if (const auto* f = std::get_if<FileFailedEvent>(&e); f && f->outgoing) {
          say("failed send-%zu: %s", i, f->detail.c_str());
          ++failed;
        }
      },
      [&] { return done + failed == n; }, Clock::time_point::max(),
      [&] {
        for (std::size_t i = 0; i < n; ++i)
          for (const auto& p : cores.clients(i))
            if (!offered[i] && p.name == "recv-" + std::to_string(i)) {
              cores[i].submit(SendFileCommand{p.id, path.string()});
              offered[i] = true;
            }
      });
  say("sent");
  idleUntilQuit(cores, commands);
  return 0;
}

// Recipients recv-0..recv-(n-1): print "ready" once welcomed; once every one holds its offer,
// all accept at once ("accepted"); then "done i bytes seconds in" for each as its transfer
// arrives (seconds from its accept to its FileDoneEvent, and to its last byte: the Checking
// progress event), "end" after the last.
int recipientRole(const fs::path& dataRoot, std::uint16_t port, std::size_t n, const fs::path& inbox) {
  Commands commands;
  Cores cores(n, dataRoot, "recv-");
  if (!cores.join("recv-", port)) return say("failed recipients could not join"), 1;
  say("ready");
  std::vector<TransferId> offers(n, 0);
  std::size_t offered = 0, ended = 0;
  std::vector<Clock::time_point> acceptedAt(n), allInAt(n);
  cores.pump(
      [&](std::size_t i, Event& e) {
        if (const auto* o = std::get_if<FileOfferEvent>(&e); o && !o->outgoing && !offers[i]) {
          offers[i] = o->id;
          if (++offered == n) {
            for (std::size_t k = 0; k < n; ++k) {
              acceptedAt[k] = Clock::now();
              cores[k].submit(AcceptFileCommand{offers[k], (inbox / std::to_string(k)).string()});
            }
            say("accepted");
          }
        } else if (const auto* p = std::get_if<FileProgressEvent>(&e);
                   p && !p->outgoing && p->state == TransferState::Checking && allInAt[i] == Clock::time_point{}) {
          allInAt[i] = Clock::now();
        } else if (const auto* d = std::get_if<FileDoneEvent>(&e); d && !d->outgoing) {
          const auto now = Clock::now();
          if (allInAt[i] == Clock::time_point{}) allInAt[i] = now;
          say("done %zu %llu %.6f %.6f", i, static_cast<unsigned long long>(d->size),
              std::chrono::duration<double>(now - acceptedAt[i]).count(),
              std::chrono::duration<double>(allInAt[i] - acceptedAt[i]).count());
          ++ended;
        } else if (const auto* f = std::get_if<FileFailedEvent>(&e); f && !f->outgoing) {
          say("failed recv-%zu: %s", i, f->detail.c_str());
          ++ended;
        }
      },
      [&] { return ended == n; }, Clock::time_point::max());
  say("end");
  idleUntilQuit(cores, commands);
  return 0;
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, k ? k - 1 : 0)];
}

// Chatters chat-0..: "ready" once welcomed. "start": chat-0 says a message stamped with its
// clock rate times a second; "stop": it stops, and after half a second for the last ones to
// arrive the chatter prints "stats SENT DELIVERIES P50 P99 P999 MAX" (milliseconds).
int chatterRole(const fs::path& dataRoot, std::uint16_t port, std::size_t n, double rate) {
  Commands commands;
  Cores cores(n, dataRoot, "chat-");
  if (!cores.join("chat-", port)) return say("failed chatters could not join"), 1;
  say("ready");
  bool running = false, quit = false;
  std::optional<Clock::time_point> stopAt;
  std::uint64_t sent = 0;
  std::vector<double> latencies;
  Clock::time_point nextSend;
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  cores.pump(
      [&](std::size_t i, Event& e) {
        const auto* m = std::get_if<MessageEvent>(&e);
        if (!m || i == 0 || m->text.rfind("t=", 0) != 0) return;
        const long long ns = std::stoll(m->text.substr(2));
        latencies.push_back(static_cast<double>(Clock::now().time_since_epoch().count() - ns) / 1e6);
      },
      [&] { return quit; }, Clock::time_point::max(),
      [&] {
        const auto now = Clock::now();
        if (running && now >= nextSend) {
          cores[0].submit(SendCommand{"t=" + std::to_string(Clock::now().time_since_epoch().count())});
          ++sent;
          nextSend += interval;
        }
        if (stopAt && now >= *stopAt) {
          stopAt.reset();
          std::sort(latencies.begin(), latencies.end());
          say("stats %llu %zu %.3f %.3f %.3f %.3f", static_cast<unsigned long long>(sent), latencies.size(),
              percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 0.999),
              latencies.empty() ? 0.0 : latencies.back());
        }
        if (const auto c = commands.next()) {
          if (*c == "start") {
            running = true;
            sent = 0;
            latencies.clear();
            nextSend = now;
          } else if (*c == "stop") {
            running = false;
            stopAt = now + 500ms;
          } else if (*c == "quit") {
            quit = true;
          }
        }
      });
  return 0;
}

// ---- In the parent ---------------------------------------------------------------------------

// Every child forked, to end them all if the bench stops half-way.
std::vector<pid_t> children;

[[noreturn]] void abandon() {
  for (pid_t pid : children) kill(pid, SIGKILL);
  std::exit(1);
}

// A forked role: its stdin and stdout are pipes to this process.
struct Child {
  pid_t pid = -1;
  FILE* to = nullptr;
  FILE* from = nullptr;

  void tell(const char* line) const {
    std::fprintf(to, "%s\n", line);
    std::fflush(to);
  }
  // The next line it prints; a line starting "failed" is echoed and ends the bench.
  std::string line() const {
    char buffer[512];
    if (!std::fgets(buffer, sizeof buffer, from)) {
      std::fprintf(stderr, "a child (pid %d) ended early\n", pid);
      abandon();
    }
    std::string text(buffer);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (text.rfind("failed", 0) == 0) {
      std::fprintf(stderr, "%s\n", text.c_str());
      abandon();
    }
    return text;
  }
  void expect(const std::string& want) const {
    const auto got = line();
    if (got != want) {
      std::fprintf(stderr, "expected \"%s\" from pid %d, got \"%s\"\n", want.c_str(), pid, got.c_str());
      abandon();
    }
  }
  void finish() {
    tell("quit");
    int status = 0;
    waitpid(pid, &status, 0);
    std::fclose(to);
    std::fclose(from);
  }
};

// The parent never starts a thread, so forking it is safe.
Child spawn(const std::function<int()>& role) {
  int down[2], up[2];
  if (pipe(down) != 0 || pipe(up) != 0) abandon();
  std::fflush(nullptr);  // nothing of this process's buffers goes out twice
  const pid_t pid = fork();
  if (pid < 0) abandon();
  if (pid == 0) {
    dup2(down[0], STDIN_FILENO);
    dup2(up[1], STDOUT_FILENO);
    close(down[0]), close(down[1]), close(up[0]), close(up[1]);
    std::_Exit(role());  // skips the cores' clean leave: the parent ends the host last
  }
  close(down[0]), close(up[1]);
  children.push_back(pid);
  return {pid, fdopen(down[1], "w"), fdopen(up[0], "r")};
}

// CPU seconds (user + system) from a /proc stat file: a process's or one of its threads'.
double cpuSeconds(const fs::path& stat) {
  std::ifstream in(stat);
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double cpuSeconds(pid_t pid) { return cpuSeconds("/proc/" + std::to_string(pid) + "/stat"); }

// CPU seconds of each of a process's threads, by thread id.
std::vector<std::pair<long, double>> threadCpuSeconds(pid_t pid) {
  std::vector<std::pair<long, double>> threads;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    threads.emplace_back(std::stol(task.path().filename().string()), cpuSeconds(task.path() / "stat"));
  }
  return threads;
}

// Each thread's share of one core between two snapshots, the busiest first.
std::vector<double> threadShares(const std::vector<std::pair<long, double>>& before,
                                 const std::vector<std::pair<long, double>>& after, double seconds) {
  std::vector<double> shares;
  for (const auto& [tid, cpu] : after) {
    double was = 0;
    for (const auto& [t, c] : before)
      if (t == tid) was = c;
    shares.push_back((cpu - was) / seconds);
  }
  std::sort(shares.rbegin(), shares.rend());
  return shares;
}

double peakResidentMiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  return 0;
}

// Pseudo-random contents (the transfer path does not compress, but nothing repeats either).
void writeSource(const fs::path& path, std::uint64_t size) {
  std::ofstream out(path, std::ios::binary);
  std::vector<std::uint64_t> block(std::size_t{1} << 17);  // 1 MiB
  std::uint64_t state = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
  for (std::uint64_t written = 0; written < size;) {
    for (auto& word : block) {  // splitmix64
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
    const auto n = std::min<std::uint64_t>(size - written, block.size() * sizeof(std::uint64_t));
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
    written += n;
  }
}

struct Room {
  Child host;
  std::uint16_t port = 0;
};

Room startHost(const fs::path& work) {
  Room room;
  room.host = spawn([&] { return hostRole(work / "keys"); });
  const auto line = room.host.line();
  room.port = static_cast<std::uint16_t>(std::stoul(line.substr(5)));
  return room;
}

struct TransferFigures {
  std::vector<double> mbPerSecond;  // one per pair
  std::vector<double> allInSeconds;  // from the accept to the last byte (then the hash is checked)
  double wallSeconds = 0;           // from the accepts to the last arrival
  double hostCpu = 0, senderCpu = 0, recipientCpu = 0;
  // Each process's threads' shares of one core, the busiest first.
  std::vector<double> hostThreads, senderThreads, recipientThreads;
};

// n pairs, each sending source; chatters (if any) measure while it runs: "start" at the
// accepts, "stop" at the end.
TransferFigures transfer(const Room& room, const fs::path& work, std::size_t n, const fs::path& source,
                         const Child* chatters) {
  const fs::path inbox = work / "inbox";
  Child recipients = spawn([&] { return recipientRole(work / "keys", room.port, n, inbox); });
  recipients.expect("ready");
  Child senders = spawn([&] { return senderRole(work / "keys", room.port, n, source); });
  recipients.expect("accepted");
  if (chatters) chatters->tell("start");
  const auto start = Clock::now();
  const double host0 = cpuSeconds(room.host.pid), send0 = cpuSeconds(senders.pid), recv0 = cpuSeconds(recipients.pid);
  const auto hostThreads0 = threadCpuSeconds(room.host.pid), sendThreads0 = threadCpuSeconds(senders.pid),
             recvThreads0 = threadCpuSeconds(recipients.pid);
  TransferFigures f;
  f.mbPerSecond.resize(n);
  f.allInSeconds.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::istringstream done(recipients.line());
    std::string word;
    std::size_t i = 0;
    unsigned long long bytes = 0;
    double seconds = 0, allIn = 0;
    done >> word >> i >> bytes >> seconds >> allIn;
    f.mbPerSecond.at(i) = static_cast<double>(bytes) / seconds / 1e6;
    f.allInSeconds.at(i) = allIn;
  }
  f.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.hostCpu = cpuSeconds(room.host.pid) - host0;
  f.senderCpu = cpuSeconds(senders.pid) - send0;
  f.recipientCpu = cpuSeconds(recipients.pid) - recv0;
  f.hostThreads = threadShares(hostThreads0, threadCpuSeconds(room.host.pid), f.wallSeconds);
  f.senderThreads = threadShares(sendThreads0, threadCpuSeconds(senders.pid), f.wallSeconds);
  f.recipientThreads = threadShares(recvThreads0, threadCpuSeconds(recipients.pid), f.wallSeconds);
  if (chatters) chatters->tell("stop");
  recipients.expect("end");
  senders.expect("sent");
  senders.finish();
  recipients.finish();
  fs::remove_all(inbox);
  return f;
}

void printCpu(const TransferFigures& f) {
  // The busiest three threads of each, in the same unit.
  const auto busiest = [](const std::vector<double>& shares) {
    std::string text;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, shares.size()); ++i)
      text += (i ? " " : "") + std::to_string(static_cast<int>(std::lround(100 * shares[i])));
    return text;
  };
  std::printf("  CPU during it (share of one core): host %.0f%%, senders %.0f%%, recipients %.0f%%\n",
              100 * f.hostCpu / f.wallSeconds, 100 * f.senderCpu / f.wallSeconds,
              100 * f.recipientCpu / f.wallSeconds);
  std::printf("  busiest threads (%% of one core): host %s; senders %s; recipients %s\n",
              busiest(f.hostThreads).c_str(), busiest(f.senderThreads).c_str(), busiest(f.recipientThreads).c_str());
}

struct LatencyFigures {
  unsigned long long sent = 0, deliveries = 0;
  double p50 = 0, p99 = 0, p999 = 0, max = 0;
};

LatencyFigures readStats(const Child& chatters) {
  std::istringstream in(chatters.line());
  std::string word;
  LatencyFigures l;
  in >> word >> l.sent >> l.deliveries >> l.p50 >> l.p99 >> l.p999 >> l.max;
  return l;
}

void printLatency(const char* label, const LatencyFigures& l, std::size_t receivers) {
  std::printf("  %-22s %5llu sent, %7llu deliveries (of %llu), p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
              label, l.sent, l.deliveries, l.sent * receivers, l.p50, l.p99, l.p999, l.max);
}

std::string mib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parseOptions(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--size BYTES] [--pairs N] [--pair-size BYTES] [--chatters N] [--rate MSGS_PER_S]\n"
                 "          [--baseline-seconds S] [--only 1|2|3] [--dir PATH]   (sizes: 512M, 2G...)\n",
                 argv[0]);
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // Warnings and errors only, unless $CHATPORT_LOG_LEVEL says otherwise.
  logging::init({.level = std::getenv("CHATPORT_LOG_LEVEL") ? "" : "warn"});
  std::string pattern = ((o.dir.empty() ? fs::temp_directory_path() : fs::path(o.dir)) / "chatport-filebench-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path work = pattern;
  const fs::path big = work / "big.bin", small = work / "pair.bin";
  std::printf("writing the files to send in %s...\n", work.c_str());
  std::fflush(stdout);
  if (o.only != 2) writeSource(big, o.size);
  if (o.only == 0 || o.only == 2) writeSource(small, o.pairSize);

  if (o.only == 0 || o.only == 1) {
    Room room = startHost(work);
    const auto f = transfer(room, work, 1, big, nullptr);
    const double hwm = peakResidentMiB(room.host.pid);
    room.host.finish();
    std::printf("1. one transfer of %s, joiner -> host -> joiner:\n", mib(o.size).c_str());
    std::printf("  %.0f MB/s (accept to arrival, hash checked: %.2f s; the last byte in after %.2f s, %.0f MB/s);"
                " host peak RSS (VmHWM) %.1f MiB\n",
                f.mbPerSecond[0], f.wallSeconds, f.allInSeconds[0],
                static_cast<double>(o.size) / f.allInSeconds[0] / 1e6, hwm);
    printCpu(f);
    std::fflush(stdout);
  }
  if (o.only == 0 || o.only == 2) {
    Room room = startHost(work);
    const auto f = transfer(room, work, o.pairs, small, nullptr);
    const double hwm = peakResidentMiB(room.host.pid);
    room.host.finish();
    const auto [lo, hi] = std::minmax_element(f.mbPerSecond.begin(), f.mbPerSecond.end());
    double sum = 0;
    for (double r : f.mbPerSecond) sum += r;
    std::printf("2. %zu transfers of %s at once, %zu sender/recipient pairs:\n", o.pairs, mib(o.pairSize).c_str(), o.pairs);
    std::printf("  each, MB/s:");
    for (double r : f.mbPerSecond) std::printf(" %.0f", r);
    std::printf("\n  min %.0f, max %.0f, min/max %.2f; sum of rates %.0f MB/s; all %.0f MB/s over %.2f s; host peak RSS %.1f MiB\n",
                *lo, *hi, *lo / *hi, sum, static_cast<double>(o.pairSize * o.pairs) / f.wallSeconds / 1e6,
                f.wallSeconds, hwm);
    printCpu(f);
    std::fflush(stdout);
  }
  if (o.only == 0 || o.only == 3) {
    Room room = startHost(work);
    Child chatters = spawn([&] { return chatterRole(work / "keys", room.port, o.chatters, o.rate); });
    chatters.expect("ready");
    chatters.tell("start");
    std::this_thread::sleep_for(std::chrono::duration<double>(o.baselineSeconds));  // what is measured
    chatters.tell("stop");
    const auto quiet = readStats(chatters);
    const auto f = transfer(room, work, 1, big, &chatters);
    const auto busy = readStats(chatters);
    chatters.finish();
    room.host.finish();
    std::printf("3. chat among %zu joiners, one saying %.0f messages/s (latency: submit to MessageEvent):\n",
                o.chatters, o.rate);
    printLatency("no transfer:", quiet, o.chatters - 1);
    printLatency("during the transfer:", busy, o.chatters - 1);
    std::printf("  the transfer meanwhile: %s at %.0f MB/s\n", mib(o.size).c_str(), f.mbPerSecond[0]);
    printCpu(f);
  }
  fs::remove_all(work);
  return 0;
}
