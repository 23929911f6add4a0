// What keeping history costs: appends through the store's writer thread (batched, one
// transaction per batch), what an append costs its caller (a host's loop thread), the size of
// the file, and searches over what was written.
//
//   history_bench [--messages N] [--rate N] [--dir DIR]
//
// --rate: append N messages a second, as a room would (default: as fast as append returns, a
// flood that outruns the writer, so that append's back-pressure shows).
// DIR (default: a new folder under the system's temporary folder, removed after) must be on the
// disk to measure: the history's is the data folder's.

#include <chatport/chat/history.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace chatport::chat;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::uintmax_t folderBytes(const std::filesystem::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file()) total += entry.file_size();
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 200'000;
  std::string dir;
  double rate = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--messages") && i + 1 < argc) count = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--rate") && i + 1 < argc) rate = std::strtod(argv[++i], nullptr);
    else {
      std::fprintf(stderr, "usage: history_bench [--messages N] [--rate N] [--dir DIR]\n");
      return 2;
    }
  }
  if (!HistoryStore::available()) {
    std::fprintf(stderr, "history_bench: %s\n", HistoryStore::unavailableReason().c_str());
    return 2;
  }
  const bool ownDir = dir.empty();
  if (ownDir) dir = (std::filesystem::temp_directory_path() / ("chatport-history-bench-" + std::to_string(::getpid())))
                        .string();
  std::filesystem::remove(std::filesystem::path(dir) / "history.sqlite3");
  std::string error;
  auto store = HistoryStore::open(dir, error);
  if (!store) {
    std::fprintf(stderr, "history_bench: %s\n", error.c_str());
    return 1;
  }

  // Chat as a busy room has it: ten rooms' worth of short lines, a few words each, some Chinese.
  static const char* kWords[] = {"lunch", "meeting", "build", "release", "ok", "thanks", "你好", "中文",
                                 "测试一下", "tomorrow", "the", "server", "is", "down", "again", "fixed"};
  std::uint64_t textBytes = 0;
  std::vector<double> appendUs;
  appendUs.reserve(count);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < count; ++i) {
    if (rate > 0 && i % 100 == 0)
      std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(static_cast<double>(i) / rate)));
    StoredMessage m;
    m.room = "key:" + std::string(63, 'a') + static_cast<char>('0' + i % 10);
    m.seq = i / 10 + 1;
    m.timeMs = 1'764'518'400'000 + static_cast<std::int64_t>(i);
    m.from = "user" + std::to_string(i % 37);
    for (std::size_t w = 0; w < 4 + i % 8; ++w) m.text += std::string(w ? " " : "") + kWords[(i * 7 + w * 13) % 16];
    textBytes += m.text.size() + m.from.size();
    const auto before = Clock::now();
    store->append(std::move(m));
    appendUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - before).count());
  }
  const double queuedMs = msSince(start);
  store->flush();
  const double writtenMs = msSince(start);
  std::sort(appendUs.begin(), appendUs.end());
  double sum = 0;
  for (double us : appendUs) sum += us;

  std::printf("messages                     %zu (%.1f MiB of text and names)\n", count,
              static_cast<double>(textBytes) / (1 << 20));
  std::printf("written (committed)          %.0f messages/s (%.0f ms)\n", count / (writtenMs / 1000), writtenMs);
  const auto over1ms = appendUs.end() - std::upper_bound(appendUs.begin(), appendUs.end(), 1000.0);
  std::printf("append, caller's cost        mean %.2f us, p99 %.2f us, p99.9 %.2f us, max %.0f us, %td over 1 ms "
              "(all queued in %.0f ms)\n",
              sum / count, appendUs[count * 99 / 100], appendUs[count * 999 / 1000], appendUs.back(), over1ms, queuedMs);

  auto timeSearch = [&](const char* words) {
    const auto t = Clock::now();
    const auto hits = store->search(words, "", 100);
    std::printf("search %-21s %.1f ms (%zu hits, at most 100)\n", ("'" + std::string(words) + "'").c_str(), msSince(t),
                hits.size());
  };
  timeSearch("release");
  timeSearch("测试一下");
  timeSearch("ok");
  timeSearch("zq");  // in no message: a short word alone reads every row
  timeSearch("中文 server");
  const auto t = Clock::now();
  std::uint64_t missed = 0;
  const auto since = store->since("key:" + std::string(63, 'a') + "0", count / 10 - 1000, 500, missed);
  std::printf("since (newest 500 of 1000)   %.2f ms\n", msSince(t));

  store.reset();
  std::printf("files                        %.1f MiB (%.1f x the text and names)\n",
              static_cast<double>(folderBytes(dir)) / (1 << 20),
              static_cast<double>(folderBytes(dir)) / static_cast<double>(textBytes));
  const auto reopen = Clock::now();
  store = HistoryStore::open(dir, error);
  std::printf("reopen                       %.1f ms\n", msSince(reopen));
  store.reset();
  if (ownDir) std::filesystem::remove_all(dir);
  return since.size() == 500 ? 0 : 1;
}
