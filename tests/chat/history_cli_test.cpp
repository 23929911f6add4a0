// `chatport-cli history` as a person or a script uses it, on a data folder filled through the
// store: search (text and JSON), rooms, export (text and JSON, to a file), delete.

#include <chatport/chat/history.h>

#include "child_process.h"
#include "mini_json.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace chatport::chat {
namespace {

using chatport::test::ChildOptions;
using chatport::test::ChildProcess;
using chatport::test::Json;
using chatport::test::TempDir;

const std::string kCli = CHATPORT_CLI_PATH;
const std::string kAnnsRoom = "key:" + std::string(64, 'a');
const std::string kBensRoom = "key:" + std::string(64, 'b');

struct CliRun {
  int status = -1;
  std::vector<std::string> lines;  // standard output (and error, where asked)
  std::string all() const {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
};

CliRun runCli(std::vector<std::string> args, bool withErrors = false) {
  ChildOptions options;
  options.errorToOutput = withErrors;
  ChildProcess p(kCli, args, options);
  p.closeInput();
  CliRun run;
  while (auto line = p.readLine()) run.lines.push_back(*line);
  run.status = p.wait().value_or(-1);
  return run;
}

class HistoryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HistoryStore::available()) GTEST_SKIP() << "no history in this build: " << HistoryStore::unavailableReason();
    std::string error;
    auto store = HistoryStore::open(dir_.string(), error);
    ASSERT_NE(store, nullptr) << error;
    auto add = [&](const std::string& room, std::uint64_t seq, StoredMessage::Kind kind, std::string from,
                   std::string to, std::string text, bool outgoing = false) {
      StoredMessage m;
      m.room = room;
      m.seq = seq;
      m.timeMs = 1'764'518'400'000 + static_cast<std::int64_t>(seq) * 60'000;  // 2025-11-30T16:00Z on
      m.kind = kind;
      m.from = std::move(from);
      m.to = std::move(to);
      m.text = std::move(text);
      m.outgoing = outgoing;
      store->append(std::move(m));
    };
    add(kAnnsRoom, 1, StoredMessage::Kind::Chat, "ann", "", "welcome, 欢迎大家");
    add(kAnnsRoom, 2, StoredMessage::Kind::Chat, "ben", "", "lunch at noon?\nsecond line", true);
    add(kAnnsRoom, 0, StoredMessage::Kind::Private, "ann", "ben", "a \"quoted\" \x1b[2J secret");
    add(kBensRoom, 7, StoredMessage::Kind::Chat, "ben", "", "lunch is ready");
    store->setRoomName(kAnnsRoom, "ann");
    store->setRoomName(kBensRoom, "ben");
  }

  std::vector<std::string> args(std::vector<std::string> rest) const {
    std::vector<std::string> out{"history", "--data-dir", dir_.string()};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  }

  TempDir dir_;
};

TEST_F(HistoryCli, SearchPrintsTheHitsNewestFirstAndJsonLinesOnePerMessage) {
  CliRun text = runCli(args({"search", "lunch"}));
  EXPECT_EQ(text.status, 0);
  ASSERT_EQ(text.lines.size(), 3u) << text.all();
  EXPECT_NE(text.lines[0].find("{ben} <ben> lunch is ready"), std::string::npos) << text.all();
  EXPECT_NE(text.lines[1].find("{ann} <ben> lunch at noon?"), std::string::npos) << text.all();
  EXPECT_EQ(text.lines[2], "          | second line");

  CliRun json = runCli(args({"search", "欢迎", "--json"}));
  EXPECT_EQ(json.status, 0);
  ASSERT_EQ(json.lines.size(), 1u) << json.all();
  const auto m = Json::parse(json.lines[0]);
  ASSERT_TRUE(m) << json.lines[0];
  EXPECT_EQ(m->str("room"), kAnnsRoom);
  EXPECT_EQ(m->num("seq"), 1);
  EXPECT_EQ(m->str("time"), "2025-11-30T16:01:00.000Z");
  EXPECT_EQ(m->str("kind"), "chat");
  EXPECT_EQ(m->str("from"), "ann");
  EXPECT_EQ(m->str("to"), "");
  EXPECT_EQ(m->str("text"), "welcome, 欢迎大家");
  EXPECT_FALSE((*m)["outgoing"].boolean);
  EXPECT_TRUE((*m)["history"].boolean);

  CliRun inRoom = runCli(args({"search", "lunch", "--room", "ben", "--json"}));
  ASSERT_EQ(inRoom.lines.size(), 1u) << inRoom.all();
  EXPECT_EQ(Json::parse(inRoom.lines[0])->str("text"), "lunch is ready");

  CliRun syntax = runCli(args({"search", "\"quoted\"", "[2J", "--json"}));
  EXPECT_EQ(syntax.status, 0);
  ASSERT_EQ(syntax.lines.size(), 1u) << syntax.all();
  EXPECT_EQ(Json::parse(syntax.lines[0])->str("kind"), "private");

  CliRun none = runCli(args({"search", "dinner"}), true);
  EXPECT_EQ(none.status, 0);
  EXPECT_EQ(none.all(), "chatport-cli: nothing found\n");
}

TEST_F(HistoryCli, RoomsListsEachRoomWithItsNameAndCount) {
  CliRun json = runCli(args({"rooms", "--json"}));
  EXPECT_EQ(json.status, 0);
  ASSERT_EQ(json.lines.size(), 2u) << json.all();
  const auto first = Json::parse(json.lines[0]), second = Json::parse(json.lines[1]);
  ASSERT_TRUE(first && second) << json.all();
  EXPECT_EQ(first->str("room"), kBensRoom) << "the most recent first";
  EXPECT_EQ(first->str("name"), "ben");
  EXPECT_EQ(first->num("messages"), 1);
  EXPECT_EQ(first->num("last_seq"), 7);
  EXPECT_EQ(second->str("name"), "ann");
  EXPECT_EQ(second->num("messages"), 3);
  CliRun text = runCli(args({"rooms"}));
  ASSERT_EQ(text.lines.size(), 2u);
  EXPECT_EQ(text.lines[1].rfind("ann  3 messages, the last ", 0), 0u) << text.all();
  EXPECT_NE(text.lines[1].find(kAnnsRoom), std::string::npos);
}

TEST_F(HistoryCli, ExportWritesTheRoomAsTextOrAsJsonThatParsesBack) {
  CliRun text = runCli(args({"export", "ann"}));
  EXPECT_EQ(text.status, 0);
  ASSERT_EQ(text.lines.size(), 5u) << text.all();
  EXPECT_EQ(text.lines[0], "# ChatPort history of ann (" + kAnnsRoom + "), 3 messages");
  EXPECT_NE(text.lines[1].find("<ann> welcome, 欢迎大家"), std::string::npos);
  EXPECT_NE(text.lines[4].find("(private) <ann> -> <ben> a \"quoted\" \\x1b[2J secret"), std::string::npos)
      << "escape sequences someone wrote are shown inert: " << text.lines[4];

  TempDir out;
  const std::string file = (out.path() / "ann.jsonl").string();
  CliRun json = runCli(args({"export", kAnnsRoom, "--format", "json", "--output", file}));
  EXPECT_EQ(json.status, 0);
  EXPECT_TRUE(json.lines.empty()) << json.all();
  std::ifstream in(file);
  std::vector<Json> messages;
  for (std::string line; std::getline(in, line);) {
    auto m = Json::parse(line);
    ASSERT_TRUE(m) << "not JSON: " << line;
    messages.push_back(*m);
  }
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].str("text"), "lunch at noon?\nsecond line");
  EXPECT_TRUE(messages[1]["outgoing"].boolean);
  EXPECT_EQ(messages[2].str("kind"), "private");
  EXPECT_EQ(messages[2].str("to"), "ben");
  EXPECT_EQ(messages[2].str("text"), "a \"quoted\" \x1b[2J secret") << "JSON carries the text exactly";

  EXPECT_EQ(runCli(args({"export", "carol"}), true).status, 2) << "no such room";
  EXPECT_EQ(runCli(args({"export", "ann", "--output", (out.path() / "no" / "such" / "f").string()}), true).status, 1);
}

TEST_F(HistoryCli, DeleteRemovesOneRoomOrEveryOne) {
  CliRun one = runCli(args({"delete", "ann"}));
  EXPECT_EQ(one.status, 0);
  EXPECT_EQ(one.all(), "Deleted the history of ann (3 messages).\n");
  EXPECT_TRUE(runCli(args({"search", "欢迎", "--json"})).lines.empty());
  EXPECT_EQ(runCli(args({"search", "lunch", "--json"})).lines.size(), 1u);
  EXPECT_EQ(runCli(args({"rooms", "--json"})).lines.size(), 1u);

  EXPECT_EQ(runCli(args({"delete", "--all"})).status, 0);
  EXPECT_TRUE(runCli(args({"search", "lunch", "--json"})).lines.empty());
  EXPECT_TRUE(runCli(args({"rooms", "--json"})).lines.empty());
}

TEST_F(HistoryCli, BadUseIsAUsageErrorAndABadFileAHistoryError) {
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {}, {"search"}, {"find", "x"}, {"rooms", "x"}, {"export"}, {"delete"}, {"delete", "ann", "--all"},
           {"search", "x", "--format", "csv"}, {"rooms", "--room", "ann"}, {"search", "x", "--limit", "0"},
           {"search", "x", "--frobnicate"}}) {
    CliRun run = runCli(args(bad), true);
    EXPECT_EQ(run.status, 2) << ::testing::PrintToString(bad) << ": " << run.all();
    EXPECT_EQ(run.lines.at(0).rfind("chatport-cli: ", 0), 0u) << run.all();
  }
  TempDir junk;
  std::ofstream(junk.path() / "history.sqlite3") << std::string(4096, 'j');
  CliRun run = runCli({"history", "--data-dir", junk.string(), "rooms"}, true);
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.all().find("is not a ChatPort history"), std::string::npos) << run.all();
  EXPECT_EQ(runCli({"history", "--help"}).status, 0);
}

}  // namespace
}  // namespace chatport::chat
