// The history survives its writer being killed outright (SIGKILL) in the middle of a flood:
// every message it reported committed is there, the database is intact without any repair, and
// seq numbering goes on from the last one kept.

#include <chatport/chat/history.h>

#include "child_process.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <sqlite3.h>

namespace chatport::chat {
namespace {

using test::ChildProcess;
using test::TempDir;

const std::string kRoom = "key:" + std::string(64, 'b');

std::string integrityCheck(const std::string& file) {
  sqlite3* db = nullptr;
  // Read-only, and before any store opens it: what the kill left, as it is.
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return sqlite3_errmsg(db);
  std::string result;
  sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] ? values[0] : "(null)";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

TEST(HistoryCrash, EveryMessageReportedCommittedSurvivesSigkillMidFlood) {
  TempDir dir;
  std::set<std::uint64_t> printed;
  for (int run = 0; run < 2; ++run) {  // the second run continues the first's numbering
    ChildProcess child(HISTORY_CRASH_CHILD, {dir.string(), kRoom});
    // Kill it at a moment that depends on nothing but how far it got: after this many seqs.
    const std::size_t killAfter = printed.size() + 3000 + run * 1234;
    while (printed.size() < killAfter) {
      const auto line = child.readLine();
      ASSERT_TRUE(line) << "the writer ended early, after " << printed.size() << " seqs";
      const std::uint64_t seq = std::stoull(*line);
      EXPECT_TRUE(printed.insert(seq).second) << "seq " << seq << " committed twice";
    }
    child.kill(SIGKILL);
    EXPECT_EQ(child.wait(), 128 + SIGKILL);

    const std::string file = (dir.path() / "history.sqlite3").string();
    EXPECT_EQ(integrityCheck(file), "ok");
    std::string error;
    auto store = HistoryStore::open(dir.string(), error);
    ASSERT_NE(store, nullptr) << error;
    std::uint64_t missed = 0;
    std::set<std::uint64_t> kept;
    for (const auto& m : store->since(kRoom, 0, 100'000'000, missed)) kept.insert(m.seq);
    std::size_t lost = 0;
    for (std::uint64_t seq : printed) lost += kept.count(seq) == 0;
    EXPECT_EQ(lost, 0u) << "of " << printed.size() << " messages reported committed";
    EXPECT_GE(store->lastSeq(kRoom), *printed.rbegin());
    EXPECT_EQ(kept.size(), *kept.rbegin()) << "seq 1 to the last kept, each once";
  }
}

}  // namespace
}  // namespace chatport::chat
