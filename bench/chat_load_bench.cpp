// Load generator for a ChatPort host.
//
//   chat_load_bench --cli PATH/chatport-cli [--joiners N] [--rate MSGS_PER_S] [--seconds S]
//                   [--idle N] [--history on|off] [--size BYTES] [--unlimited on|off]
//
// Starts `chatport-cli host` as a separate process (the real product, measured from outside),
// connects N joiners to it over loopback speaking the protocol directly, has some of them
// send chat messages at a set total rate, and reports deliveries per second, end-to-end
// latency percentiles (send to receipt, every delivery counted), loss, and the host's CPU time
// per 1,000 deliveries and resident memory per connection. With --idle N it instead connects
// N joiners that only send heartbeats and reports the host's memory per idle joiner, then
// closes them all at once and reports what that costs the host. With --history on the host
// keeps its room's history (a fresh data folder, removed afterwards); off (the default) it
// keeps none. --size pads each message's text to that many bytes (60 KiB at most); with
// --unlimited on the host lets each joiner send 100,000 messages a second (overload: the host, not
// the joiners, falls behind). A sender whose link holds 1 MiB not yet taken by the host (it
// slows its senders when the room is congested) skips its turn, as a person's program would
// wait; the run then says how many messages were held back so.
// The table row printed is:
// | joiners | offered msg/s | deliveries/s | p50 ms | p99 ms | p99.9 ms | loss | joiners dropped
// | host CPU ms per 1,000 deliveries | host RSS MiB |
// followed by
//   handshakes: N joiners completed in X s; CPU meanwhile: host H s, generator G s
// (from the first connect to the last joiner holding its Welcome and the room key) and, after a
// run, the generator's own CPU time, the broadcast copies it checked and opened (see below),
// and the share of its CPU spent opening them.
//
// The joiners speak the current protocol (proto::kProtocolVersion; the secure wire of
// secure_wire.h, unchanged since version 3): each runs a Noise XX handshake (all
// share one static key pair; only the ephemeral keys are per connection), its Hello inside
// message 3, then seals what it sends (Says, Heartbeats) under its link keys and opens every
// Sealed frame it receives under its link keys. At most kHandshakeWindow joiners are between
// their connect and the host's message 2 at a time: the host keeps at most 32 connections from
// one address that have not spoken yet, and every joiner here comes from 127.0.0.1.
//
// RoomSealed broadcasts are verified without one decryption per delivery, so that on a small
// machine the generator does not take the cores the host needs (a ChaCha20-Poly1305 opening is
// about 0.4 us; two million a second would be most of a core). From the start of the run, each
// joiner checks every broadcast's clear header: the epoch is the one of the room key it holds,
// and the nonce is above the last one it saw (in order, none repeated). The first copy of a
// broadcast that a generator loop sees is opened (authenticated and decrypted) under that
// joiner's room key; every other copy on that loop must be the same bytes, or the run fails.
// Besides, each joiner opens one broadcast in kSampleEvery under its own room key (so each
// joiner's key is checked too), and chat messages' seqs must rise at each joiner. Deliveries,
// seqs and latencies come from the opened copy. While the joiners connect, the broadcasts of
// the join storm (Joined notices: a few a second to each member since protocol 7, with a tick's
// joins in each, about N^2/2 entries in all) are not checked: nothing is measured then.
//
// Linux only: it reads the host's figures from /proc.

#include <chatport/chat/protocol.h>
#include <chatport/net/engine.h>
#include <chatport/noise/handshake_state.h>
#include <chatport/noise/key_pair.h>

#include "resident_memory.h"
#include "secure_wire.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
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
  /// Bytes of each chat message's text (at least its send time); 0: just the time.
  std::size_t size = 0;
  /// The host lets each joiner send 100,000 messages a second, as many at once (the most chatport-cli allows).
  bool unlimited = false;
  /// Where the host keeps its room's history (a fresh folder, removed afterwards); empty: the
  /// host keeps none (--history off, the default).
  std::string historyDir;
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

// Each joiner opens one broadcast in this many under its own room key (see the header).
constexpr std::uint32_t kSampleEvery = 64;

// A broadcast as first opened on one generator loop; its other copies there are compared with
// it byte for byte.
struct OpenedBroadcast {
  std::uint32_t epoch = 0;
  std::uint64_t nonce = UINT64_MAX;  // none yet
  net::Bytes payload;                // the RoomSealed payload as received
  bool chat = false;                 // a chat message (not a Joined, Left or Renamed)
  std::uint64_t seq = 0;
  long long sentNs = -1;  // the sender's clock in its text, if any
};

// Figures of one loop's joiners; touched only on that loop's thread until the end.
struct LoopStats {
  Histogram latency;
  std::uint64_t deliveries = 0;
  std::uint64_t minSeq = UINT64_MAX;
  std::uint64_t maxSeq = 0;
  std::uint64_t broadcasts = 0;  // copies received and checked
  std::uint64_t opened = 0;      // of which opened (first copies, samples and misses)
  net::Bytes plaintext;  // the frame being read: reused, so opening allocates nothing
  // By nonce modulo the size: enough for the seconds a loop's joiners may lag one another.
  std::vector<OpenedBroadcast> recent = std::vector<OpenedBroadcast>(1 << 16);
};

// The connects in flight before the host has read their first message (see the header).
constexpr std::size_t kHandshakeWindow = 24;

struct Joiner {
  std::size_t index = 0;
  std::shared_ptr<net::Connection> connection;
  LoopStats* stats = nullptr;
  // Until message 3 has been written; then one cipher each way, and the room key.
  std::unique_ptr<noise::HandshakeState> handshake;
  noise::CipherState send;
  noise::CipherState receive;
  chat::secure::RoomOpener room;
  std::uint32_t roomEpoch = 0;  // of the key room holds
  std::optional<std::uint64_t> lastNonce;  // of the last broadcast checked under it
  std::uint64_t lastSeq = 0;  // of the last chat message
  std::uint32_t untilSample = 0;
  bool inWindow = false;  // counted in the handshake window (loop thread)
  bool welcomed = false;
  bool joined = false;  // welcomed and holding the room key
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
    const bool history = !o.historyDir.empty();
    std::vector<const char*> args{o.cli.c_str(), "host", "--bind", "127.0.0.1", "--port", portText.c_str(),
                                  "--name", "bench-host", "--stay", "--max-clients", maxText.c_str(),
                                  "--log-level", "warn"};
    if (history) {
      args.push_back("--data-dir");
      args.push_back(o.historyDir.c_str());
    } else {
      args.push_back("--no-history");
    }
    if (o.unlimited) args.insert(args.end(), {"--rate", "100000", "--burst", "100000"});
    args.push_back(nullptr);
    ::execv(o.cli.c_str(), const_cast<char* const*>(args.data()));
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

// This thread's CPU time spent opening one RoomSealed chat message like those of the run, in
// seconds: the mean over many, opened as onBroadcast() opens them. Timed apart from the run,
// after it, so that the run itself carries no clock reads.
double openingCost() {
  chat::secure::RoomSealer sealer(1);
  const auto sample = chat::proto::toPayload(chat::proto::ChatMessage{
      2, 1, 1700000000000, "t=" + std::to_string(Clock::now().time_since_epoch().count())});
  std::vector<net::SharedBytes> frames;
  for (int i = 0; i < 1000; ++i) frames.push_back(sealer.seal(sample));
  chat::secure::RoomOpener opener;
  net::Bytes plaintext;
  constexpr int kRounds = 200;
  timespec before{}, after{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before);
  for (int round = 0; round < kRounds; ++round) {
    opener.setKey(1, sealer.key().bytes());
    for (const auto& f : frames)
      if (opener.open(std::span<const std::byte>(*f).subspan(net::kFrameHeaderSize), plaintext)) return 0;
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after);
  const double seconds = static_cast<double>(after.tv_sec - before.tv_sec) +
                         static_cast<double>(after.tv_nsec - before.tv_nsec) / 1e9;
  return seconds / (kRounds * static_cast<double>(frames.size()));
}

class LoadGenerator {
 public:
  LoadGenerator(const Options& o, std::uint16_t port) : options_(o), port_(port) {
    net::EngineOptions eo;
    eo.threads = 2;
    eo.connection.maxFrameSize = chat::proto::kMaxPayload * 64;  // roster parts can be long
    eo.connection.maxQueuedBytes = 64 << 20;
    eo.onThreadStart = noise::keepThreadCipher;  // as the product's loops do
    eo.onThreadEnd = noise::releaseThreadCipher;
    engine_ = std::make_unique<net::Engine>(eo);
    stats_.resize(engine_->loopCount());
  }

  ~LoadGenerator() {
    stopping_ = true;
    engine_->stop();  // before the joiners its loops refer to go
  }

  // Connects n joiners, runs their handshakes and waits until every one is welcomed and has
  // the room key; false on failure.
  bool connect(std::size_t n, std::size_t senders) {
    joiners_.resize(n);
    const auto remote = net::Endpoint::loopbackV4(port_);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
      if (!enterWindow()) break;
      engine_->connect(remote, 10s, [this, i, senders](std::error_code ec, std::shared_ptr<net::Connection> c) {
        if (ec) {
          std::fprintf(stderr, "joiner %zu: %s\n", i, ec.message().c_str());
          leaveWindow();
          fail();
          return;
        }
        Joiner& j = joiners_[i];
        j.index = i;
        j.connection = c;
        j.stats = &stats_[c->loop().index()];
        j.sender = i < senders;
        j.inWindow = true;
        c->start([this, &j](net::Connection&, std::span<const std::byte> payload) { onFrame(j, payload); },
                 [this, &j](net::Connection&, std::error_code why) {
                   if (j.inWindow) {
                     j.inWindow = false;
                     leaveWindow();
                   }
                   if (!stopping_) {
                     std::fprintf(stderr, "joiner %zu lost: %s\n", j.index, why.message().c_str());
                     lost_.fetch_add(1);
                     if (!j.joined) fail();
                   }
                 });
        startHandshake(j);
      });
    }
    const bool ok = waitJoined(n, 30s);
    handshakeSeconds_ = std::chrono::duration<double>(Clock::now() - start).count();
    return ok;
  }

  double handshakeSeconds() const { return handshakeSeconds_; }

  // Sends at the set rate for the set time; returns the seconds actually measured.
  double run() {
    std::vector<std::size_t> senders;
    for (std::size_t i = 0; i < joiners_.size(); ++i)
      if (joiners_[i].sender) senders.push_back(i);
    checking_ = true;  // every broadcast from now on is checked and counted
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.seconds));
    double due = 0;
    std::size_t next = 0;
    for (auto tick = start; tick < end; tick += 2ms) {
      std::this_thread::sleep_until(tick);
      due += options_.rate * 0.002;
      for (; due >= 1; due -= 1) {
        Joiner& j = joiners_[senders[next++ % senders.size()]];
        // A link the host has stopped reading from (it slows its senders when the room is
        // congested) holds this message back, as a person's program would wait: the
        // generator's own queues would otherwise take the cores and the memory the host needs.
        if (j.connection->queuedBytes() >= kHeldBackBytes) {
          ++heldBack_;
          continue;
        }
        ++offered_;
        const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
        // Sealed on the joiner's loop, where its heartbeats are sealed too: one cipher, one
        // order of nonces.
        j.connection->loop().post([this, &j, now] {
          std::string text = "t=" + std::to_string(now) + " ";
          if (text.size() < options_.size) text.resize(options_.size, 'x');
          sendSealed(j, chat::proto::toPayload(chat::proto::Say{.text = std::move(text)}));
        });
      }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  // Lets the last messages arrive, then stops and merges the figures.
  LoopStats finish() {
    std::this_thread::sleep_for(1s);
    cpuAtEnd_ = cpuSeconds(getpid());
    stopping_ = true;
    engine_->stop();
    LoopStats all;
    for (auto& s : stats_) {
      all.latency.merge(s.latency);
      all.deliveries += s.deliveries;
      all.minSeq = std::min(all.minSeq, s.minSeq);
      all.maxSeq = std::max(all.maxSeq, s.maxSeq);
      all.broadcasts += s.broadcasts;
      all.opened += s.opened;
    }
    return all;
  }

  std::size_t lost() const { return lost_.load(); }
  /// Messages run() sent, and those it held back because their sender's link was full.
  std::size_t offered() const { return offered_; }
  std::size_t heldBack() const { return heldBack_; }
  /// This process's CPU seconds when finish() stopped the joiners.
  double cpuAtEnd() const { return cpuAtEnd_; }

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

  void startHandshake(Joiner& j) {
    noise::HandshakeConfig config;
    config.protocol = noise::kXX;
    config.role = noise::Role::Initiator;
    config.prologue = chat::secure::prologue();
    config.localStatic = keys_;
    auto handshake = std::make_unique<noise::HandshakeState>();
    std::vector<std::byte> message;
    if (handshake->initialize(config) || handshake->writeMessage({}, message)) {
      std::fprintf(stderr, "joiner %zu: the handshake could not start\n", j.index);
      fail();
      return;
    }
    j.handshake = std::move(handshake);
    j.connection->send(chat::secure::helloFrame(false, message));
  }

  // Message 2: the host has read message 1 (the joiner leaves the window); message 3 carries
  // the Hello, and the channel is up once it is written.
  void onHandshakeReply(Joiner& j, std::span<const std::byte> reply) {
    if (j.inWindow) {
      j.inWindow = false;
      leaveWindow();
    }
    std::vector<std::byte> payload, message;
    const auto hello = chat::proto::toPayload(chat::proto::Hello{.name = "load-" + std::to_string(j.index)});
    if (j.handshake->readMessage(reply, payload) || !chat::secure::decodeHostHandshake(payload) ||
        j.handshake->writeMessage(hello, message) || j.handshake->split(j.send, j.receive)) {
      std::fprintf(stderr, "joiner %zu: the handshake failed\n", j.index);
      fail();
      return;
    }
    j.handshake.reset();
    j.connection->send(chat::secure::handshakeFrame(message));
  }

  // One message of protocol.h, sealed under the joiner's link keys. Its loop thread only.
  void sendSealed(Joiner& j, std::span<const std::byte> payload) {
    auto frame = std::make_shared<net::Bytes>();
    if (chat::secure::seal(j.send, payload, *frame)) return;  // 2^64 messages: never
    j.connection->send(std::move(frame));
  }

  void onFrame(Joiner& j, std::span<const std::byte> payload) {
    using chat::secure::Envelope;
    if (payload.empty()) return;
    LoopStats& s = *j.stats;
    switch (Envelope(std::to_integer<std::uint8_t>(payload[0]))) {
      case Envelope::RoomSealed:
        if (checking_.load(std::memory_order_relaxed)) onBroadcast(j, s, payload);
        return;
      case Envelope::Sealed:
        if (chat::secure::open(j.receive, payload, s.plaintext)) {
          std::fprintf(stderr, "joiner %zu: a message from the host did not decrypt\n", j.index);
          fail();
          return;
        }
        onLinkMessage(j, s.plaintext);
        return;
      case Envelope::Handshake:
        if (j.handshake) onHandshakeReply(j, payload.subspan(1));
        return;
      case Envelope::Refuse:  // in clear, before the channel is up
        onLinkMessage(j, payload);
        return;
      default:
        return;
    }
  }

  void onBroadcast(Joiner& j, LoopStats& s, std::span<const std::byte> payload) {
    constexpr std::size_t kHeader = 1 + 4 + 8;  // type, epoch, nonce (secure_wire.h)
    auto be = [&](std::size_t at, std::size_t n) {
      std::uint64_t v = 0;
      for (std::size_t i = 0; i < n; ++i) v = v << 8 | std::to_integer<std::uint64_t>(payload[at + i]);
      return v;
    };
    if (payload.size() < kHeader + noise::kTagSize) return broadcastFailed(j, "a broadcast too short");
    const auto epoch = static_cast<std::uint32_t>(be(1, 4));
    const std::uint64_t nonce = be(5, 8);
    if (!j.room.hasKey() || epoch != j.roomEpoch) return broadcastFailed(j, "a broadcast of another epoch");
    if (j.lastNonce && nonce <= *j.lastNonce) return broadcastFailed(j, "a broadcast out of order or repeated");
    j.lastNonce = nonce;
    ++s.broadcasts;
    OpenedBroadcast& b = s.recent[nonce % s.recent.size()];
    const bool sample = ++j.untilSample >= kSampleEvery;
    if (sample) j.untilSample = 0;
    if (b.nonce == nonce && b.epoch == epoch) {
      if (!std::ranges::equal(b.payload, payload)) return broadcastFailed(j, "a broadcast unlike its other copies");
      if (sample) {
        ++s.opened;
        if (j.room.open(payload, s.plaintext)) return broadcastFailed(j, "a broadcast that did not decrypt");
      }
    } else {
      ++s.opened;
      if (j.room.open(payload, s.plaintext)) return broadcastFailed(j, "a broadcast that did not decrypt");
      b.epoch = epoch;
      b.nonce = nonce;
      b.payload.assign(payload.begin(), payload.end());
      std::string_view text;
      b.chat = readChatMessage(s.plaintext, b.seq, text);
      b.sentNs = -1;
      long long sent = 0;
      if (b.chat && text.starts_with("t=") &&
          std::from_chars(text.data() + 2, text.data() + text.size(), sent).ec == std::errc{})
        b.sentNs = sent;
    }
    if (!b.chat) return;  // a Joined, Left or Renamed
    if (b.seq <= j.lastSeq) return broadcastFailed(j, "chat messages out of order");
    j.lastSeq = b.seq;
    ++s.deliveries;
    s.minSeq = std::min(s.minSeq, b.seq);
    s.maxSeq = std::max(s.maxSeq, b.seq);
    if (b.sentNs >= 0) {
      const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
      s.latency.add(static_cast<double>(now - b.sentNs) / 1000.0);
    }
  }

  void broadcastFailed(const Joiner& j, const char* what) {
    std::fprintf(stderr, "joiner %zu: %s\n", j.index, what);
    fail();
  }

  // A message in the joiner's own channel (or a refusal in clear). Of those only the Welcome,
  // the room key and the host's last words matter; RosterParts come by the thousand.
  void onLinkMessage(Joiner& j, std::span<const std::byte> plaintext) {
    using chat::proto::MessageType;
    const auto type = plaintext.empty() ? MessageType{} : MessageType(std::to_integer<std::uint8_t>(plaintext[0]));
    if (type != MessageType::Welcome && type != MessageType::RoomKey && type != MessageType::Refuse &&
        type != MessageType::Closing)
      return;
    chat::proto::HostMessage message;
    if (chat::proto::parse(plaintext, message) != chat::proto::ParseError::None) return;
    if (std::holds_alternative<chat::proto::Welcome>(message)) {
      j.welcomed = true;
    } else if (auto* key = std::get_if<chat::proto::RoomKey>(&message)) {
      j.room.setKey(key->epoch, key->key);
      j.roomEpoch = key->epoch;
      j.lastNonce.reset();
      // The key follows the Welcome (and its RosterParts): the joiner is in.
      if (j.welcomed && !j.joined) {
        j.joined = true;
        // Heartbeats keep the joiner in the room; the host drops the silent.
        beat(j);
        std::lock_guard lock(mutex_);
        ++joined_;
        changed_.notify_all();
      }
    } else if (auto* r = std::get_if<chat::proto::Refuse>(&message)) {
      std::fprintf(stderr, "joiner %zu refused: %s\n", j.index, r->detail.c_str());
      fail();
    } else if (auto* c = std::get_if<chat::proto::Closing>(&message)) {
      std::fprintf(stderr, "joiner %zu: the host closes its session: %s\n", j.index, c->detail.c_str());
    }
  }

  void beat(Joiner& j) {
    j.connection->loop().runAfter(3s, [this, &j] {
      if (j.connection->isOpen()) {
        sendSealed(j, heartbeat_);
        beat(j);
      }
    });
  }

  bool enterWindow() {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 30s, [&] { return inWindow_ < kHandshakeWindow || failed_; })) {
      std::fprintf(stderr, "the host has answered no handshake for 30 s\n");
      failed_ = true;
    }
    ++inWindow_;
    return !failed_;
  }

  void leaveWindow() {
    std::lock_guard lock(mutex_);
    --inWindow_;
    changed_.notify_all();
  }

  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    changed_.notify_all();
  }

  // Gives up once no joiner has come in for `patience`: a big room's join storm takes a while
  // (every join is announced to everyone there), but it keeps moving.
  bool waitJoined(std::size_t n, std::chrono::seconds patience) {
    std::unique_lock lock(mutex_);
    for (std::size_t seen = joined_;; seen = joined_) {
      if (changed_.wait_for(lock, patience, [&] { return joined_ >= n || joined_ > seen || failed_; })) {
        if (failed_) return false;
        if (joined_ >= n) return true;
      } else {
        return false;
      }
    }
  }

  const Options& options_;
  const std::uint16_t port_;
  // One installation's key for every joiner (the host binds resumes to keys; none resumes here).
  const noise::KeyPair keys_ = noise::KeyPair::generate();
  const net::Bytes heartbeat_ = chat::proto::toPayload(chat::proto::Heartbeat{});
  std::unique_ptr<net::Engine> engine_;
  std::vector<LoopStats> stats_;
  std::vector<Joiner> joiners_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t joined_ = 0;    // guarded by mutex_
  std::size_t inWindow_ = 0;  // guarded by mutex_
  bool failed_ = false;       // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::atomic<bool> checking_{false};
  std::atomic<std::size_t> lost_{0};
  static constexpr std::size_t kHeldBackBytes = 1 << 20;
  std::size_t offered_ = 0;   // run()'s thread only
  std::size_t heldBack_ = 0;
  double handshakeSeconds_ = 0;
  double cpuAtEnd_ = 0;
};

bool parseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--cli") o.cli = value;
    else if (key == "--joiners") o.joiners = std::stoul(value);
    else if (key == "--rate") o.rate = std::stod(value);
    else if (key == "--seconds") o.seconds = std::stod(value);
    else if (key == "--idle") o.idle = std::stoul(value);
    else if (key == "--size") o.size = std::min<std::size_t>(std::stoul(value), chat::kMaxMessageBytes);
    else if (key == "--unlimited" && (value == "on" || value == "off")) o.unlimited = value == "on";
    else if (key == "--history" && (value == "on" || value == "off")) {
      if (value == "on") {
        char folder[] = "/tmp/chatport-bench-XXXXXX";
        if (!::mkdtemp(folder)) return false;
        o.historyDir = folder;
      }
    } else return false;
  }
  return argc % 2 == 1 && !o.cli.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parseOptions(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s --cli PATH/chatport-cli [--joiners N] [--rate MSGS_PER_S] [--seconds S] [--idle N]\n"
                 "          [--history on|off] [--size BYTES] [--unlimited on|off]\n",
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
    const double hostCpuBeforeJoins = cpuSeconds(host);
    const double selfCpuBeforeJoins = cpuSeconds(getpid());
    const bool connected = load.connect(joiners, senders);
    // What the joins cost: the handshakes (four X25519 operations on each side) and the join
    // notices, which every member hears (N^2/2 deliveries).
    const double hostJoinCpu = cpuSeconds(host) - hostCpuBeforeJoins;
    const double selfJoinCpu = cpuSeconds(getpid()) - selfCpuBeforeJoins;
    if (!connected) {
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
      std::printf("handshakes: %zu joiners completed in %.2f s; CPU meanwhile: host %.2f s, generator %.2f s\n",
                  joiners, load.handshakeSeconds(), hostJoinCpu, selfJoinCpu);
      // Every joiner's connection closes at once (a host whose network went away sees the
      // same): what the host spends on the crowd leaving, until its CPU time has stood still
      // for a second.
      const double cpuBeforeLeave = cpuSeconds(host);
      load.finish();
      const auto leaveStart = Clock::now();
      double peakMiB = residentMiB(host), cpu = cpuSeconds(host);
      for (auto deadline = leaveStart + 60s, still = Clock::now(); Clock::now() < deadline && Clock::now() - still < 1s;) {
        std::this_thread::sleep_for(250ms);
        const double now = cpuSeconds(host);
        if (now != cpu) still = Clock::now();
        cpu = now;
        peakMiB = std::max(peakMiB, residentMiB(host));
      }
      std::printf("leave: all %zu at once: host CPU %.2f s, peak host RSS %.1f MiB, still for a second "
                  "%.1f s after the joiners' side closed\n",
                  joiners, cpu - cpuBeforeLeave, peakMiB,
                  std::chrono::duration<double>(Clock::now() - leaveStart).count());
    } else {
      const double cpuBefore = cpuSeconds(host);
      const double selfBefore = cpuSeconds(getpid());
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
      std::printf("handshakes: %zu joiners completed in %.2f s; CPU meanwhile: host %.2f s, generator %.2f s\n",
                  joiners, load.handshakeSeconds(), hostJoinCpu, selfJoinCpu);
      // The generator shares the cores with the host: what it spent, and on opening broadcasts
      // (the number opened times the CPU cost of one, timed after the run).
      const double selfCpu = load.cpuAtEnd() - selfBefore;
      const double each = openingCost();
      const double opening = each * static_cast<double>(s.opened);
      std::printf("generator: %.2f CPU s over the %.1f s run and 1 s drain; %llu broadcast copies "
                  "checked, %llu of them opened, about %.2f s (%.0f%%, %.2f us each)\n",
                  selfCpu, seconds, static_cast<unsigned long long>(s.broadcasts),
                  static_cast<unsigned long long>(s.opened), opening, selfCpu > 0 ? 100 * opening / selfCpu : 0.0,
                  each * 1e6);
      if (load.heldBack() > 0)
        std::printf("senders: %zu messages sent, %zu held back while their link was full (the host slowing them)\n",
                    load.offered(), load.heldBack());
    }
  }
  kill(host, SIGTERM);
  waitpid(host, &status, 0);
  if (!o.historyDir.empty()) {
    std::error_code ignored;
    std::printf("history: %.1f MiB on disk\n",
                static_cast<double>(std::filesystem::file_size(o.historyDir + "/history.sqlite3", ignored)) / (1 << 20));
    std::filesystem::remove_all(o.historyDir, ignored);
  }
  return 0;
}
