// Appends room chat to the history in DIR, seq 1, 2, 3... as fast as the store takes it, and
// prints each seq on its own line once the store says it is committed: the crash test kills it
// with SIGKILL mid-stream and checks that every seq printed was kept.
//   history_crash_child DIR ROOM

#include <chatport/chat/history.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  using namespace chatport::chat;
  if (argc != 3) {
    std::fprintf(stderr, "usage: history_crash_child DIR ROOM\n");
    return 2;
  }
  std::string error;
  auto store = HistoryStore::open(argv[1], error);
  if (!store) {
    std::fprintf(stderr, "history_crash_child: %s\n", error.c_str());
    return 1;
  }
  for (std::uint64_t seq = store->lastSeq(argv[2]) + 1; seq < 100'000'000; ++seq) {
    StoredMessage m;
    m.room = argv[2];
    m.seq = seq;
    m.timeMs = 1'700'000'000'000 + static_cast<std::int64_t>(seq);
    m.from = "flooder";
    m.text = "message number " + std::to_string(seq) + " of the flood";
    store->append(std::move(m), [seq] {
      std::printf("%llu\n", static_cast<unsigned long long>(seq));
      std::fflush(stdout);
    });
  }
  return 0;
}
