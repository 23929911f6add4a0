// The chat window under a flood of incoming messages.
//
//   ui_flood_bench [--seconds S] [--rate MSGS_PER_S]
//
// In one process: a headless host ChatCore (its own SendCommands are not rate-limited) floods
// chat messages at a steady rate (default 20,000/s for 5 s) over loopback to one joiner whose
// front end is the real ChatWindow + CoreBridge on the Qt UI thread (offscreen platform unless
// QT_QPA_PLATFORM says otherwise). Reports:
//  - the longest stall of the UI thread's event loop while the flood is shown: a 1 ms precise
//    QTimer records the largest gap between consecutive timeouts, minus the 1 ms interval;
//  - the lag from the host's send (a steady_clock stamp in the text, "t=<ns> ...") to the
//    ChatLogModel's rowsInserted for that row, read back through the model's TextRole:
//    p50, p99, max over every delivered message;
//  - memory for 100,000 messages in a ChatLogModel: VmRSS before and after appending them
//    (in CoreBridge-sized batches), as MiB and bytes per row.
// The table row printed is:
// | offered msg/s | delivered | max stall | lag p50 / p99 / max | 100k rows: MiB (bytes/row) |
//
// Linux only for the memory figure (/proc/self/status). A benchmark: always exits 0 once it ran.

#include "chat_log_model.h"
#include "chat_window.h"
#include "core_bridge.h"
#include "log_entry.h"
#include "resident_memory.h"
#include "session_request.h"

#include <chatport/chat/chat_core.h>

#include <QApplication>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace chatport;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}


/// The host: a ChatCore whose events are drained (and dropped) on a thread of its own.
class HostSide {
 public:
  explicit HostSide(chat::CoreOptions options) : core_(options) {
    core_.setWakeCallback([this] {
      std::lock_guard lock(mutex_);
      woken_ = true;
      wake_.notify_all();
    });
    drainer_ = std::thread([this] { run(); });
  }
  ~HostSide() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      wake_.notify_all();
    }
    drainer_.join();
    // core_ is destroyed next (declared last): it tells the joiners the chat is over.
  }
  HostSide(const HostSide&) = delete;
  HostSide& operator=(const HostSide&) = delete;

  chat::ChatCore& core() { return core_; }
  /// The port once hosting, 0 before, and stays 0 if hosting failed.
  std::uint16_t port() const { return port_.load(); }
  bool failed() const { return failed_.load(); }

 private:
  void run() {
    std::vector<chat::Event> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return woken_ || stop_; });
        if (stop_) return;
        woken_ = false;
      }
      for (;;) {
        batch.clear();
        if (core_.drainEvents(batch, 4096) == 0) break;
        for (const chat::Event& e : batch) {
          if (const auto* c = std::get_if<chat::ConnectedEvent>(&e)) port_.store(c->port);
          if (const auto* end = std::get_if<chat::DisconnectedEvent>(&e)) {  // it could not start
            std::fprintf(stderr, "host: %s %s\n", std::string(chat::errorName(end->reason)).c_str(),
                         end->detail.c_str());
            if (port_.load() == 0) failed_.store(true);
          }
        }
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> failed_{false};
  std::thread drainer_;
  chat::ChatCore core_;  // last: destroyed (and its threads joined) first
};

/// Runs the event loop until pred() holds or timeoutMs passes; returns pred().
template <typename Pred>
bool waitUntil(Pred pred, int timeoutMs) {
  const auto until = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (!pred() && Clock::now() < until) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  return pred();
}

/// CPU time (user + system) of the calling thread, in seconds.
double threadCpuSeconds() {
  rusage usage{};
  if (getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  const auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

struct MemoryFigures {
  double mib = 0;
  double bytesPerRow = 0;
};

/// VmRSS before and after appending rows messages to a fresh ChatLogModel, as the window
/// does: in batches of CoreBridge::kBatchSize, every string its own allocation.
MemoryFigures measureLogMemory(int rows) {
  auto model = std::make_unique<ui::ChatLogModel>();
  const std::size_t before = test::residentBytes();
  const qint64 nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  std::vector<ui::LogEntry> batch;
  for (int i = 0; i < rows;) {
    batch.clear();
    for (std::size_t n = 0; n < ui::CoreBridge::kBatchSize && i < rows; ++n, ++i) {
      ui::LogEntry e;
      e.kind = ui::LogEntry::Kind::Message;
      e.senderId = 1;
      e.sender = QString::fromUtf8("host");
      e.timeMs = nowMs + i;
      e.seq = static_cast<std::uint64_t>(i) + 1;
      e.text = QString::fromStdString("t=" + std::to_string(nowNs()) + " flood " + std::to_string(i));
      batch.push_back(std::move(e));
    }
    model->append(std::move(batch));
    batch = {};
  }
  const std::size_t after = test::residentBytes();
  const double grown = after > before ? static_cast<double>(after - before) : 0.0;
  MemoryFigures m;
  m.mib = grown / (1024.0 * 1024.0);
  m.bytesPerRow = grown / rows;
  if (model->rowCount() != rows) std::fprintf(stderr, "memory: the model holds %d rows\n", model->rowCount());
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  double rate = 20'000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--rate") && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--rate MSGS_PER_S]\n", argv[0]);
      return 2;
    }
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  // The offscreen platform warns each time a window's minimum size changes; that is noise.
  static const QtMessageHandler previousHandler = qInstallMessageHandler(
      [](QtMsgType type, const QMessageLogContext& context, const QString& message) {
        if (message.contains(QLatin1String("propagateSizeHints"))) return;
        if (previousHandler) previousHandler(type, context, message);
      });

  // 4. Memory first, before the flood has grown (and freed into) the heap.
  constexpr int kMemoryRows = 100'000;
  const MemoryFigures memory = measureLogMemory(kMemoryRows);

  // 1. The host, headless, in this process.
  chat::CoreOptions hostOptions;
  hostOptions.threads = 1;  // the machine is small and shared
  hostOptions.statsInterval = std::chrono::milliseconds(0);
  hostOptions.keepHistory = false;  // the window's cost is measured, not the disk's
  auto host = std::make_unique<HostSide>(hostOptions);
  host->core().submit(chat::HostCommand{"host", "127.0.0.1", 0});
  if (!waitUntil([&] { return host->port() != 0 || host->failed(); }, 10'000) || host->failed()) {
    std::fprintf(stderr, "the host did not start\n");
    return 1;
  }

  // The joiner: the real window on this (the UI) thread.
  ui::SessionRequest request;
  request.role = chat::Role::Joiner;
  request.name = QStringLiteral("bob");
  request.address = QStringLiteral("127.0.0.1");
  request.port = host->port();
  chat::CoreOptions joinOptions;
  joinOptions.threads = 1;
  joinOptions.keepHistory = false;
  auto window = std::make_unique<ui::ChatWindow>(request, joinOptions);
  window->resize(900, 640);
  window->show();
  window->start();
  if (!waitUntil([&] { return window->state() == ui::ConnectionState::Connected; }, 20'000)) {
    std::fprintf(stderr, "the joiner did not connect\n");
    return 1;
  }
  waitUntil([] { return false; }, 300);  // let the join's list updates and paints settle

  // 3. Lag: send stamp to rowsInserted, for every flood row.
  const auto total = static_cast<std::uint64_t>(rate * seconds);
  std::vector<double> lagsMs;
  lagsMs.reserve(static_cast<std::size_t>(total));
  std::int64_t lastRowNs = 0;
  ui::ChatLogModel* log = window->logModel();
  QObject::connect(log, &QAbstractItemModel::rowsInserted, log, [&](const QModelIndex&, int first, int last) {
    const std::int64_t now = nowNs();
    for (int row = first; row <= last; ++row) {
      const QString text = log->data(log->index(row), ui::ChatLogModel::TextRole).toString();
      if (!text.startsWith(QLatin1String("t="))) continue;
      const qsizetype space = text.indexOf(u' ');
      bool ok = false;
      const qint64 sent = text.mid(2, space < 0 ? -1 : space - 2).toLongLong(&ok);
      if (!ok) continue;
      lagsMs.push_back(static_cast<double>(now - sent) / 1e6);
      lastRowNs = now;
    }
  });

  // 2. Stalls: the largest gap between 1 ms timeouts, minus the interval.
  std::int64_t lastTickNs = 0;
  std::int64_t maxGapNs = 0;
  std::int64_t maxGapAtNs = 0;  // when the longest gap ended
  int gapsOver10Ms = 0;
  QTimer ticker;
  ticker.setTimerType(Qt::PreciseTimer);
  ticker.setInterval(1);
  QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
    const std::int64_t now = nowNs();
    if (lastTickNs != 0) {
      const std::int64_t gap = now - lastTickNs;
      gapsOver10Ms += gap > 11'000'000 ? 1 : 0;
      if (gap > maxGapNs) {
        maxGapNs = gap;
        maxGapAtNs = now;
      }
    }
    lastTickNs = now;
  });

  // The flood, paced in ~1 ms slices from a thread of its own.
  std::atomic<std::uint64_t> sent{0};
  std::atomic<bool> floodDone{false};
  const std::int64_t floodStartNs = nowNs();
  const double uiCpuStart = threadCpuSeconds();
  std::atomic<std::int64_t> floodEndNs{0};
  ticker.start();
  std::thread flooder([&] {
    const auto start = Clock::now();
    std::uint64_t i = 0;
    while (i < total) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      const auto due = std::min(total, static_cast<std::uint64_t>(elapsed * rate) + 1);
      for (; i < due; ++i)
        host->core().submit(chat::SendCommand{"t=" + std::to_string(nowNs()) + " flood " + std::to_string(i)});
      sent.store(i);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    floodEndNs.store(nowNs());
    floodDone.store(true);
  });

  // Until every message is shown, or nothing more arrived for 10 s after the flood ended.
  const auto delivered = [&] { return static_cast<std::uint64_t>(lagsMs.size()); };
  QEventLoop loop;
  QTimer watch;
  watch.setInterval(50);
  QObject::connect(&watch, &QTimer::timeout, &loop, [&] {
    if (!floodDone.load()) return;
    if (delivered() >= total) loop.quit();
    const std::int64_t quietSince = std::max(lastRowNs, floodEndNs.load());
    if (window->state() != ui::ConnectionState::Connected || nowNs() - quietSince > 10'000'000'000) loop.quit();
  });
  watch.start();
  loop.exec();
  watch.stop();
  ticker.stop();
  const double uiCpu = threadCpuSeconds() - uiCpuStart;
  const double floodWall = static_cast<double>(nowNs() - floodStartNs) / 1e9;
  flooder.join();

  const bool connected = window->state() == ui::ConnectionState::Connected;
  std::sort(lagsMs.begin(), lagsMs.end());
  const double stallMs = std::max<double>(0.0, static_cast<double>(maxGapNs) / 1e6 - 1.0);
  std::printf("| %.0f msg/s | delivered %llu of %llu%s | max stall %.1f ms | lag p50 %.1f ms p99 %.1f ms max %.1f ms"
              " | 100k rows: %.1f MiB (%.0f bytes/row) |\n",
              rate, static_cast<unsigned long long>(delivered()), static_cast<unsigned long long>(sent.load()),
              connected ? "" : " (joiner disconnected)", stallMs, percentile(lagsMs, 0.50),
              percentile(lagsMs, 0.99), lagsMs.empty() ? 0.0 : lagsMs.back(), memory.mib, memory.bytesPerRow);
  std::fflush(stdout);
  std::fprintf(stderr, "longest stall ended %.2f s into the flood; %d stalls over 10 ms; UI thread CPU %.2f s of %.2f s\n",
               static_cast<double>(maxGapAtNs - floodStartNs) / 1e9, gapsOver10Ms, uiCpu, floodWall);

  window.reset();  // the joiner leaves
  host.reset();
  return 0;
}
