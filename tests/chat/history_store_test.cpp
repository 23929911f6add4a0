// The history store as the host, the joiner and the CLI use it: what is appended is read back,
// searched (Latin and Chinese), deleted and limited; it survives closing and reopening; bad
// files are refused with a clear error. A build without SQLite says why instead.

#include <chatport/chat/history.h>

#include "temp_dir.h"
#include "wait.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#ifdef CHATPORT_TEST_SQLITE
#include <sqlite3.h>
#endif

namespace chatport::chat {
namespace {

using test::TempDir;

const std::string kRoom = "key:" + std::string(64, 'a');
const std::string kOtherRoom = "addr:192.168.1.20:5150";

StoredMessage chat(std::uint64_t seq, std::string text, std::string room = kRoom, std::string from = "ann") {
  StoredMessage m;
  m.room = std::move(room);
  m.seq = seq;
  m.timeMs = 1'700'000'000'000 + static_cast<std::int64_t>(seq) * 1000;
  m.from = std::move(from);
  m.text = std::move(text);
  return m;
}

std::vector<std::uint64_t> seqs(const std::vector<StoredMessage>& messages) {
  std::vector<std::uint64_t> out;
  for (const auto& m : messages) out.push_back(m.seq);
  return out;
}

std::vector<std::string> texts(const std::vector<StoredMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.text);
  return out;
}

TEST(HistoryStoreUnavailable, ABuildWithoutSqliteSaysWhyAndOpensNothing) {
  if (HistoryStore::available()) GTEST_SKIP() << "this build keeps history (SQLite)";
  TempDir dir;
  std::string error;
  EXPECT_EQ(HistoryStore::open(dir.string(), error), nullptr);
  EXPECT_EQ(error, HistoryStore::unavailableReason());
  EXPECT_NE(error.find("keeps no history"), std::string::npos) << error;
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HistoryStore::available()) GTEST_SKIP() << "no history in this build: " << HistoryStore::unavailableReason();
    reopen();
  }
  void reopen() {
    store_.reset();
    std::string error;
    store_ = HistoryStore::open(dir_.string(), error);
    ASSERT_NE(store_, nullptr) << error;
  }
  /// Appends and waits until written.
  void add(std::vector<StoredMessage> messages) {
    for (auto& m : messages) store_->append(std::move(m));
    store_->flush();
  }

  TempDir dir_;
  std::unique_ptr<HistoryStore> store_;
};

TEST_F(HistoryStoreTest, LatestGivesTheRoomsLastMessagesOldestFirstAsAppended) {
  StoredMessage privateOne = chat(0, "psst");
  privateOne.kind = StoredMessage::Kind::Private;
  privateOne.to = "ben";
  privateOne.outgoing = true;
  add({chat(1, "one"), chat(2, "two"), chat(1, "elsewhere", kOtherRoom), privateOne, chat(3, "three")});

  const auto last = store_->latest(kRoom, 3);
  EXPECT_EQ(texts(last), (std::vector<std::string>{"two", "psst", "three"}));
  const StoredMessage& p = last[1];
  EXPECT_EQ(p.kind, StoredMessage::Kind::Private);
  EXPECT_EQ(p.room, kRoom);
  EXPECT_EQ(p.seq, 0u);
  EXPECT_EQ(p.from, "ann");
  EXPECT_EQ(p.to, "ben");
  EXPECT_TRUE(p.outgoing);
  EXPECT_EQ(p.timeMs, 1'700'000'000'000);
  EXPECT_GT(p.id, last[0].id);
  EXPECT_FALSE(last[0].outgoing);
  EXPECT_EQ(store_->latest(kRoom, 100).size(), 4u);
  EXPECT_TRUE(store_->latest("key:unknown", 10).empty());
}

TEST_F(HistoryStoreTest, SinceGivesTheNewestChatAfterASeqAndCountsTheOlderOnesLeftOut) {
  std::vector<StoredMessage> messages;
  for (std::uint64_t seq = 1; seq <= 50; ++seq) messages.push_back(chat(seq, "m" + std::to_string(seq)));
  StoredMessage notice = chat(0, "carol joined");
  notice.kind = StoredMessage::Kind::Notice;
  messages.push_back(notice);
  add(std::move(messages));

  std::uint64_t missed = 99;
  auto got = store_->since(kRoom, 30, 100, missed);
  EXPECT_EQ(got.size(), 20u) << "seq 31-50; the notice has no seq";
  EXPECT_EQ(got.front().seq, 31u);
  EXPECT_EQ(got.back().seq, 50u);
  EXPECT_EQ(missed, 0u);

  got = store_->since(kRoom, 30, 5, missed);
  EXPECT_EQ(seqs(got), (std::vector<std::uint64_t>{46, 47, 48, 49, 50})) << "the newest five, oldest first";
  EXPECT_EQ(missed, 15u) << "seq 31-45 were left out";

  got = store_->since(kRoom, 50, 5, missed);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(missed, 0u);
  EXPECT_EQ(store_->lastSeq(kRoom), 50u);
  EXPECT_EQ(store_->lastSeq(kOtherRoom), 0u);
}

TEST_F(HistoryStoreTest, ChatIsKeptInSeqOrderAndAReplayedSeqIsKeptOnce) {
  add({chat(1, "one"), chat(2, "two"), chat(2, "two, replayed after a reconnection"), chat(3, "three")});
  std::uint64_t missed = 0;
  const auto got = store_->since(kRoom, 0, 10, missed);
  EXPECT_EQ(seqs(got), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(got[1].text, "two");
  add({chat(2, "the same seq in another room", kOtherRoom)});
  EXPECT_EQ(store_->latest(kOtherRoom, 10).size(), 1u);
}

TEST_F(HistoryStoreTest, AReopenedStoreHasEverythingAndItsSeqsContinueEvenAfterDeletion) {
  add({chat(1, "before"), chat(2, "closing")});
  store_->setRoomName(kRoom, "Ann's room");
  store_.reset();  // closing writes what is queued
  reopen();
  EXPECT_EQ(texts(store_->latest(kRoom, 10)), (std::vector<std::string>{"before", "closing"}));
  EXPECT_EQ(store_->lastSeq(kRoom), 2u);
  ASSERT_EQ(store_->rooms().size(), 1u);
  EXPECT_EQ(store_->rooms()[0].roomName, "Ann's room");

  add({chat(store_->lastSeq(kRoom) + 1, "after")});
  store_->deleteRoom(kRoom);
  reopen();
  EXPECT_TRUE(store_->latest(kRoom, 10).empty());
  EXPECT_EQ(store_->lastSeq(kRoom), 3u) << "a host numbering from lastSeq never reuses a seq";
}

TEST_F(HistoryStoreTest, CommittedRunsInAppendOrderOnceTheMessageCanBeReadBack) {
  constexpr std::uint64_t kCount = 3000;  // more than one batch
  std::vector<std::uint64_t> order;       // writer thread only, until flush
  std::atomic<int> unreadable{0};
  for (std::uint64_t seq = 1; seq <= kCount; ++seq) {
    store_->append(chat(seq, "x"), [&, seq] {
      order.push_back(seq);
      if (store_->lastSeq(kRoom) < seq) ++unreadable;
    });
  }
  store_->flush();
  ASSERT_EQ(order.size(), kCount) << "flush returned before every callback ran";
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(unreadable.load(), 0) << "a callback ran before its message was committed";
}

TEST_F(HistoryStoreTest, FlushWaitsForEverythingAppendedSoFar) {
  for (std::uint64_t seq = 1; seq <= 2500; ++seq) store_->append(chat(seq, "flood " + std::to_string(seq)));
  store_->flush();
  EXPECT_EQ(store_->lastSeq(kRoom), 2500u);
  std::uint64_t missed = 0;
  EXPECT_EQ(store_->since(kRoom, 0, 10'000, missed).size(), 2500u);
}

TEST_F(HistoryStoreTest, SearchFindsLatinWordsOfAnyLengthIgnoringCaseAndNeedsEveryWord) {
  add({chat(1, "Lunch at noon?"), chat(2, "no lunch today"), chat(3, "Go to the NOON meeting"),
       chat(4, "ok"), chat(5, "lunch", kOtherRoom)});
  EXPECT_EQ(texts(store_->search("lunch", "", 10)),
            (std::vector<std::string>{"lunch", "no lunch today", "Lunch at noon?"}))
      << "newest first, every room";
  EXPECT_EQ(texts(store_->search("lunch", kRoom, 10)), (std::vector<std::string>{"no lunch today", "Lunch at noon?"}));
  EXPECT_EQ(texts(store_->search("noon LUNCH", kRoom, 10)), (std::vector<std::string>{"Lunch at noon?"}));
  EXPECT_EQ(texts(store_->search("ok", kRoom, 10)), (std::vector<std::string>{"ok"})) << "two letters";
  EXPECT_EQ(texts(store_->search("go noon", kRoom, 10)), (std::vector<std::string>{"Go to the NOON meeting"}));
  EXPECT_EQ(store_->search("lunch", "", 1).size(), 1u);
  EXPECT_TRUE(store_->search("dinner", "", 10).empty());
  EXPECT_TRUE(store_->search("   ", "", 10).empty());
}

TEST_F(HistoryStoreTest, SearchFindsChineseWordsOfOneTwoAndMoreCharacters) {
  add({chat(1, "你好，世界"), chat(2, "我们用中文聊天吧"), chat(3, "今天天气很好"),
       chat(4, "ChatPort 支持中文搜索 and English"), chat(5, "日本語も：こんにちは")});
  EXPECT_EQ(texts(store_->search("你好", kRoom, 10)), (std::vector<std::string>{"你好，世界"}));
  EXPECT_EQ(texts(store_->search("中文", kRoom, 10)),
            (std::vector<std::string>{"ChatPort 支持中文搜索 and English", "我们用中文聊天吧"}));
  EXPECT_EQ(texts(store_->search("中文聊天", kRoom, 10)), (std::vector<std::string>{"我们用中文聊天吧"}));
  EXPECT_EQ(texts(store_->search("天", kRoom, 10)), (std::vector<std::string>{"今天天气很好", "我们用中文聊天吧"}));
  EXPECT_EQ(texts(store_->search("支持 chatport", kRoom, 10)),
            (std::vector<std::string>{"ChatPort 支持中文搜索 and English"}))
      << "mixed scripts, ANDed";
  EXPECT_EQ(texts(store_->search("中文　english", kRoom, 10)),
            (std::vector<std::string>{"ChatPort 支持中文搜索 and English"}))
      << "an ideographic space separates words too";
  EXPECT_EQ(texts(store_->search("こんにちは", kRoom, 10)), (std::vector<std::string>{"日本語も：こんにちは"}));
  EXPECT_TRUE(store_->search("中文 日本", kRoom, 10).empty());
}

TEST_F(HistoryStoreTest, SearchReadsQuerySyntaxInTheWordsAsPlainText) {
  add({chat(1, R"(she said "hi" AND (left)* NEAR the door)"), chat(2, "100% sure_thing"), chat(3, "band of ANDes"),
       chat(4, "plain words")});
  for (const std::string words : {"\"", "\"hi\"", "*", "(left)*", "(", ")", "AND", "NEAR(", "NOT", "OR", "-",
                                  "text:hi", "^", "\"\"\"", "'", "\\"}) {
    EXPECT_NO_FATAL_FAILURE(store_->search(words, "", 10)) << words;
  }
  EXPECT_EQ(texts(store_->search("\"hi\"", "", 10)).size(), 1u);
  EXPECT_EQ(texts(store_->search("(left)*", "", 10)).size(), 1u);
  EXPECT_EQ(texts(store_->search("(", "", 10)).size(), 1u);
  EXPECT_EQ(texts(store_->search("\"", "", 10)).size(), 1u);
  EXPECT_EQ(texts(store_->search("AND", "", 10)).size(), 2u) << "AND as a word, not an operator";
  EXPECT_EQ(texts(store_->search("NEAR", "", 10)).size(), 1u);
  EXPECT_EQ(texts(store_->search("OR", "", 10)), (std::vector<std::string>{"plain words", "she said \"hi\" AND (left)* NEAR the door"}))
      << "OR as letters (words, door), not an operator";
  EXPECT_EQ(texts(store_->search("0%", "", 10)), (std::vector<std::string>{"100% sure_thing"}));
  EXPECT_EQ(texts(store_->search("e_", "", 10)), (std::vector<std::string>{"100% sure_thing"}))
      << "_ is not a wildcard";
  EXPECT_TRUE(store_->search("%", "", 10).size() == 1u) << "% is not a wildcard";
  EXPECT_TRUE(store_->search("d*", "", 10).empty()) << "* is not a wildcard";
}

TEST_F(HistoryStoreTest, AroundGivesASearchHitInItsRoomsContext) {
  std::vector<StoredMessage> messages;
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    messages.push_back(chat(seq, seq == 5 ? "the needle" : "hay " + std::to_string(seq)));
    messages.push_back(chat(seq, "other room", kOtherRoom));
  }
  add(std::move(messages));
  const auto hit = store_->search("needle", "", 10);
  ASSERT_EQ(hit.size(), 1u);
  EXPECT_EQ(seqs(store_->around(hit[0].id, 2, 3)), (std::vector<std::uint64_t>{3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(seqs(store_->around(hit[0].id, 100, 0)), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(store_->around(987654, 2, 2).empty());
}

TEST_F(HistoryStoreTest, RoomsListsEachRoomWithItsNameCountAndLastMessage) {
  add({chat(1, "a"), chat(2, "b"), chat(7, "c", kOtherRoom)});
  store_->setRoomName(kRoom, "Ann");
  store_->flush();
  const auto rooms = store_->rooms();
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].room, kOtherRoom) << "the most recent first";
  EXPECT_EQ(rooms[0].messages, 1u);
  EXPECT_EQ(rooms[0].lastSeq, 7u);
  EXPECT_EQ(rooms[0].roomName, "");
  EXPECT_EQ(rooms[1].room, kRoom);
  EXPECT_EQ(rooms[1].roomName, "Ann");
  EXPECT_EQ(rooms[1].messages, 2u);
  EXPECT_EQ(rooms[1].lastTimeMs, chat(2, "").timeMs);
}

TEST_F(HistoryStoreTest, DeletingARoomOrEverythingLeavesNothingToFind) {
  add({chat(1, "secret plans"), chat(2, "more secret plans"), chat(1, "secret elsewhere", kOtherRoom)});
  store_->deleteRoom(kRoom);
  EXPECT_TRUE(store_->latest(kRoom, 10).empty());
  EXPECT_EQ(texts(store_->search("secret", "", 10)), (std::vector<std::string>{"secret elsewhere"}));
  ASSERT_EQ(store_->rooms().size(), 1u);

  store_->deleteAll();
  EXPECT_TRUE(store_->search("secret", "", 10).empty());
  EXPECT_TRUE(store_->search("se", "", 10).empty());
  EXPECT_TRUE(store_->rooms().empty());
  store_.reset();
  // The text is gone from the file itself, not just unlinked (secure_delete, the log emptied,
  // the search index rewritten).
  std::ifstream file(dir_.path() / "history.sqlite3", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("secret"), std::string::npos);
  EXPECT_EQ(bytes.find("plans"), std::string::npos);
}

TEST_F(HistoryStoreTest, LimitsDeleteTheOldestBeyondTheDaysKept) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::int64_t day = 86'400'000;
  std::vector<StoredMessage> messages;
  for (int age : {40, 31, 29, 1}) {
    StoredMessage m = chat(static_cast<std::uint64_t>(50 - age), std::to_string(age) + " days old");
    m.timeMs = now - age * day;
    messages.push_back(m);
  }
  add(std::move(messages));
  store_->applyLimits({30, 0});
  EXPECT_EQ(texts(store_->latest(kRoom, 10)), (std::vector<std::string>{"29 days old", "1 days old"}));
  store_->applyLimits({0, 0});
  EXPECT_EQ(store_->latest(kRoom, 10).size(), 2u) << "no limits delete nothing";
}

TEST_F(HistoryStoreTest, LimitsDeleteTheOldestBeyondTheBytesKept) {
  // Each message counts its text and names: 100 + 3 ("ann") bytes.
  std::vector<StoredMessage> messages;
  for (std::uint64_t seq = 1; seq <= 10; ++seq) messages.push_back(chat(seq, std::string(100, 'x')));
  add(std::move(messages));
  store_->applyLimits({0, 103 * 4 + 50});
  std::uint64_t missed = 0;
  EXPECT_EQ(seqs(store_->since(kRoom, 0, 100, missed)), (std::vector<std::uint64_t>{7, 8, 9, 10}));
  store_->applyLimits({0, 103 * 4});
  EXPECT_EQ(store_->latest(kRoom, 100).size(), 4u) << "exactly at the limit";
  EXPECT_EQ(store_->lastSeq(kRoom), 10u);
}

TEST_F(HistoryStoreTest, ReadsFromOtherThreadsWhileTheWriterWritesSeeAConsistentGrowingHistory) {
  constexpr std::uint64_t kCount = 6000;
  std::atomic<bool> done{false};
  std::atomic<int> problems{0};
  auto reader = [&](int which) {
    std::uint64_t seen = 0;
    while (!done.load()) {
      std::uint64_t missed = 0;
      const std::uint64_t last = store_->lastSeq(kRoom);
      if (last < seen) ++problems;
      seen = last;
      const auto got = which == 0 ? store_->since(kRoom, 0, 50, missed) : store_->latest(kRoom, 50);
      if (!got.empty() && !std::is_sorted(got.begin(), got.end(), [](auto& a, auto& b) { return a.seq < b.seq; }))
        ++problems;
      if (which == 0 && !got.empty() && got.back().seq != got.size() + missed) ++problems;
      store_->search(which == 0 ? "message" : "12", kRoom, 5);
      store_->rooms();
    }
  };
  std::thread a(reader, 0), b(reader, 1);
  for (std::uint64_t seq = 1; seq <= kCount; ++seq) store_->append(chat(seq, "message " + std::to_string(seq)));
  store_->flush();
  done = true;
  a.join();
  b.join();
  EXPECT_EQ(problems.load(), 0);
  EXPECT_EQ(store_->lastSeq(kRoom), kCount);
}

TEST_F(HistoryStoreTest, AFolderThatCannotBeMadeIsRefusedWithAClearError) {
  std::ofstream(dir_.path() / "a-file") << "not a folder";
  std::string error;
  EXPECT_EQ(HistoryStore::open((dir_.path() / "a-file" / "data").string(), error), nullptr);
  EXPECT_NE(error.find("cannot create the data folder"), std::string::npos) << error;
}

TEST_F(HistoryStoreTest, AFileThatIsNotADatabaseIsRefusedAndLeftAsItWas) {
  TempDir other;
  const std::string junk = "this is a note, not a database\n" + std::string(5000, 'z');
  std::ofstream(other.path() / "history.sqlite3", std::ios::binary) << junk;
  std::string error;
  EXPECT_EQ(HistoryStore::open(other.string(), error), nullptr);
  EXPECT_NE(error.find("is not a ChatPort history"), std::string::npos) << error;
  EXPECT_NE(error.find("move it away"), std::string::npos) << error;
  std::ifstream file(other.path() / "history.sqlite3", std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()), junk);
}

#ifdef CHATPORT_TEST_SQLITE
void execSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.string().c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(HistoryStoreTest, AHistoryFromANewerChatPortIsRefusedAndLeftAlone) {
  add({chat(1, "kept")});
  store_.reset();
  execSql(dir_.path() / "history.sqlite3", "PRAGMA user_version = 99");
  std::string error;
  EXPECT_EQ(HistoryStore::open(dir_.string(), error), nullptr);
  EXPECT_NE(error.find("newer ChatPort"), std::string::npos) << error;
  execSql(dir_.path() / "history.sqlite3", "PRAGMA user_version = 1");
  reopen();
  EXPECT_EQ(store_->latest(kRoom, 1).size(), 1u) << "nothing was changed";
}

TEST_F(HistoryStoreTest, AnotherProgramsDatabaseIsRefused) {
  TempDir other;
  execSql(other.path() / "history.sqlite3", "CREATE TABLE accounts(name TEXT)");
  std::string error;
  EXPECT_EQ(HistoryStore::open(other.string(), error), nullptr);
  EXPECT_NE(error.find("another program's database"), std::string::npos) << error;
}
#endif

}  // namespace
}  // namespace chatport::chat
