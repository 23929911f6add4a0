// chatport-cli as scripts and people use it: run as a program, fed on standard input, read as
// JSON lines, judged by its exit status. Also where processes are killed outright (SIGKILL).

#include "child_process.h"
#include "mini_json.h"
#include "raw_socket.h"
#include "test_participant.h"
#include "test_proxy.h"

#include <chatport/chat/protocol.h>

#include <gtest/gtest.h>

#include <csignal>

namespace chatport::chat::test {
namespace {

using chatport::test::ChildProcess;
using chatport::test::Json;

const std::string kCli = CHATPORT_CLI_PATH;

// chatport-cli with --json, read event by event.
class JsonCli {
 public:
  explicit JsonCli(std::vector<std::string> args) : process_(kCli, withJson(std::move(args))) {}

  /// Reads events until one of type arrives; nullopt at end of output or the deadline.
  std::optional<Json> next(const std::string& type, std::chrono::milliseconds deadline = 30s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto line = process_.readLine(left);
      if (!line) return std::nullopt;
      auto json = Json::parse(*line);
      EXPECT_TRUE(json.has_value()) << "not one JSON object: " << *line;
      if (!json) continue;
      seen_.push_back(*line);
      if (json->str("event") == type) return json;
    }
  }
  ChildProcess& process() { return process_; }
  std::string seen() const {
    std::string out;
    for (const auto& l : seen_) out += l + "\n";
    return out;
  }

 private:
  static std::vector<std::string> withJson(std::vector<std::string> args) {
    args.push_back("--json");
    return args;
  }
  ChildProcess process_;
  std::vector<std::string> seen_;
};

int runToEnd(const std::vector<std::string>& args) {
  ChildProcess p(kCli, args);
  p.closeInput();
  while (p.readLine()) {
  }
  return p.wait().value_or(-1);
}

std::unique_ptr<TestParticipant> startHost(const std::string& name, CoreOptions options = testOptions()) {
  auto host = std::make_unique<TestParticipant>(options);
  host->host(name);
  EXPECT_TRUE(host->waitConnected()) << host->describe();
  return host;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(runToEnd({}), 2);
  EXPECT_EQ(runToEnd({"host"}), 2) << "no --name";
  EXPECT_EQ(runToEnd({"serve", "--name", "a"}), 2);
  EXPECT_EQ(runToEnd({"host", "--name", "a", "--port", "70000"}), 2);
  EXPECT_EQ(runToEnd({"host", "--name", "a", "--frobnicate"}), 2);
  EXPECT_EQ(runToEnd({"join", "--name", "a"}), 2) << "no host";
  EXPECT_EQ(runToEnd({"join", "h:0", "--name", "a"}), 2);
  EXPECT_EQ(runToEnd({"join", "h", "--name", ""}), 2) << "invalid name";
  EXPECT_EQ(runToEnd({"host", "--name", "a", "--log-level", "loud"}), 2);
  EXPECT_EQ(runToEnd({"--help"}), 0);
}

TEST(Cli, PortInUseExitsWithThree) {
  auto host = startHost("first");
  JsonCli cli({"host", "--port", std::to_string(host->port()), "--bind", "127.0.0.1", "--name", "second"});
  auto error = cli.next("error");
  ASSERT_TRUE(error) << cli.seen();
  EXPECT_EQ(error->str("code"), "port_in_use");
  auto disconnected = cli.next("disconnected");
  ASSERT_TRUE(disconnected) << cli.seen();
  EXPECT_EQ(disconnected->str("reason"), "port_in_use");
  EXPECT_EQ(cli.process().wait(), 3);
}

TEST(Cli, RefusedAndTakenJoinsExitWithThree) {
  net::Endpoint closed;
  {
    chatport::test::RawSocket probe;
    ASSERT_TRUE(probe.listenLoopback(1));
    closed = probe.localEndpoint();
  }
  {
    JsonCli cli({"join", "127.0.0.1:" + std::to_string(closed.port()), "--name", "ann"});
    auto error = cli.next("error");
    ASSERT_TRUE(error) << cli.seen();
    EXPECT_EQ(error->str("code"), "connection_refused");
    EXPECT_EQ(cli.process().wait(), 3);
  }
  auto host = startHost("ann");
  JsonCli cli({"join", "127.0.0.1", "--port", std::to_string(host->port()), "--name", "ANN"});
  auto error = cli.next("error");
  ASSERT_TRUE(error) << cli.seen();
  EXPECT_EQ(error->str("code"), "name_taken");
  EXPECT_EQ(cli.process().wait(), 3);
}

TEST(Cli, JoinerChatsInJsonAndLeavesCleanlyAtEndOfInput) {
  auto host = startHost("host");
  JsonCli cli({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "bot 🤖"});
  const std::string text = "你好 🎉 \"quoted\" \\ back\tslash";
  ASSERT_TRUE(cli.process().writeLine(text));
  ASSERT_TRUE(cli.process().writeLine("/nick robot"));
  ASSERT_TRUE(cli.process().writeLine("/msg host a secret"));
  ASSERT_TRUE(cli.process().writeLine("//not a command"));

  auto welcome = cli.next("welcome");
  ASSERT_TRUE(welcome) << cli.seen();
  EXPECT_EQ(welcome->str("role"), "joiner");
  EXPECT_EQ(welcome->str("name"), "bot 🤖");
  const auto myId = welcome->num("id");
  auto roster = cli.next("roster");
  ASSERT_TRUE(roster) << cli.seen();
  ASSERT_EQ((*roster)["clients"].array.size(), 2u);
  EXPECT_EQ((*roster)["clients"].array[0].str("name"), "host");
  EXPECT_TRUE((*roster)["clients"].array[0]["host"].boolean);

  auto message = cli.next("message");
  ASSERT_TRUE(message) << cli.seen();
  EXPECT_EQ(message->str("text"), text) << "exact bytes through JSON";
  EXPECT_EQ(message->str("from"), "bot 🤖");
  EXPECT_EQ(message->num("id"), myId);
  EXPECT_EQ(message->num("seq"), 1);
  EXPECT_GT(message->num("time"), 1'600'000'000'000);

  auto renamed = cli.next("renamed");
  ASSERT_TRUE(renamed) << cli.seen();
  EXPECT_EQ(renamed->str("new"), "robot");
  auto privateMessage = cli.next("private");
  ASSERT_TRUE(privateMessage) << cli.seen();
  EXPECT_EQ(privateMessage->str("to"), "host");
  auto slash = cli.next("message");
  ASSERT_TRUE(slash) << cli.seen();
  EXPECT_EQ(slash->str("text"), "/not a command");

  host->with([&](Seen& s) {
    ASSERT_GE(s.messages.size(), 1u);
    EXPECT_EQ(s.messages[0].text, text);
  });
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.privates.empty(); }));
  EXPECT_EQ(host->with([](Seen& s) { return s.privates[0].text; }), "a secret");

  cli.process().closeInput();
  auto bye = cli.next("disconnected");
  ASSERT_TRUE(bye) << cli.seen();
  EXPECT_EQ(bye->str("reason"), "left");
  EXPECT_EQ(cli.process().wait(), 0);
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.left.empty(); }));
  host->with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "robot");
    EXPECT_EQ(s.left[0].reason, LeaveReason::Quit);
  });
}

TEST(Cli, HostKicksAndEndsTheChatForItsJoiners) {
  JsonCli cli({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--stay"});
  auto welcome = cli.next("welcome");
  ASSERT_TRUE(welcome) << cli.seen();
  EXPECT_EQ(welcome->str("role"), "host");
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  ASSERT_NE(port, 0);

  TestParticipant ann, bob;
  ann.join("ann", port);
  bob.join("bob", port);
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(bob.waitConnected());
  ASSERT_TRUE(cli.next("joined")) << cli.seen();
  ASSERT_TRUE(cli.next("joined")) << cli.seen();

  ann.say("hi boss");
  auto message = cli.next("message");
  ASSERT_TRUE(message) << cli.seen();
  EXPECT_EQ(message->str("from"), "ann");
  EXPECT_EQ(message->str("text"), "hi boss");

  ASSERT_TRUE(cli.process().writeLine("/kick ann"));
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(ann.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::Kicked);
  auto left = cli.next("left");
  ASSERT_TRUE(left) << cli.seen();
  EXPECT_EQ(left->str("reason"), "kicked");

  ASSERT_TRUE(cli.process().writeLine("/quit"));
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(bob.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::HostClosed);
  EXPECT_EQ(cli.process().wait(), 0);
}

TEST(Cli, JoinerKilledWithSigkillDisappearsFromEveryList) {
  CoreOptions options = testOptions();
  options.heartbeatInterval = 200ms;
  options.heartbeatTimeout = 1000ms;
  auto host = startHost("host", options);
  TestParticipant ann(options);
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected());

  JsonCli victim({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "victim", "--stay"});
  ASSERT_TRUE(victim.next("welcome")) << victim.seen();
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.isIn("victim"); }));
  victim.process().kill(SIGKILL);
  EXPECT_EQ(victim.process().wait(), 128 + SIGKILL);

  for (auto* p : {host.get(), &ann}) {
    ASSERT_TRUE(p->waitFor([](Seen& s) { return !s.left.empty() && !s.isIn("victim"); }, 3s)) << p->describe();
    p->with([](Seen& s) { EXPECT_EQ(s.left[0].who.name, "victim"); });
  }
}

TEST(Cli, HostKilledWithSigkillJoinersReportItThenRejoinANewHostOnThePort) {
  auto cliHost = std::make_unique<JsonCli>(
      std::vector<std::string>{"host", "--port", "0", "--bind", "127.0.0.1", "--name", "first", "--stay"});
  auto welcome = cliHost->next("welcome");
  ASSERT_TRUE(welcome) << cliHost->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));

  TestParticipant ann, bob;
  ann.join("ann", port);
  bob.join("bob", port);
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(bob.waitConnected());

  cliHost->process().kill(SIGKILL);
  EXPECT_EQ(cliHost->process().wait(), 128 + SIGKILL);
  for (auto* j : {&ann, &bob}) {
    ASSERT_TRUE(j->waitFor([](Seen& s) { return !s.reconnecting.empty(); })) << j->describe();
    j->with([](Seen& s) {
      ASSERT_EQ(s.disconnected.size(), 1u);
      EXPECT_TRUE(s.disconnected[0].willReconnect);
      EXPECT_EQ(s.disconnected[0].reason, ErrorCode::ConnectionLost);
    });
  }

  auto again = std::make_unique<TestParticipant>();
  again->host("second", port);
  ASSERT_TRUE(again->waitConnected()) << again->describe();
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  ASSERT_TRUE(bob.waitConnected(2)) << bob.describe();
  ASSERT_TRUE(again->waitFor([](Seen& s) { return s.isIn("ann") && s.isIn("bob"); })) << again->describe();
}

TEST(Cli, ResumedJoinerPrintsWhatItMissedAndHowManyWereLost) {
  CoreOptions options = testOptions();
  // Room for the last two of the five said while the joiner's link is dying.
  options.resumeHistoryBytes = 2 * proto::toFrame(proto::ChatMessage{3, 2, 0, "while away 0"})->size();
  auto host = startHost("host", options);
  TestProxy proxy(net::Endpoint::loopbackV4(host->port()));
  JsonCli cli({"join", "127.0.0.1:" + std::to_string(proxy.port()), "--name", "wanderer"});
  ASSERT_TRUE(cli.next("welcome")) << cli.seen();
  TestParticipant other;
  other.join("other", host->port());
  ASSERT_TRUE(other.waitConnected());
  other.say("before");
  auto first = cli.next("message");
  ASSERT_TRUE(first) << cli.seen();
  EXPECT_EQ(first->str("text"), "before");

  proxy.loseWhatTheHostSends();
  for (int i = 0; i < 5; ++i) other.say("while away " + std::to_string(i));
  ASSERT_TRUE(other.waitFor([](Seen& s) { return s.messages.size() == 6; }));
  proxy.cutJoinerSide();

  auto lost = cli.next("disconnected");
  ASSERT_TRUE(lost) << cli.seen();
  EXPECT_TRUE((*lost)["reconnect"].boolean);
  ASSERT_TRUE(cli.next("welcome")) << cli.seen();
  auto missed = cli.next("missed");
  ASSERT_TRUE(missed) << cli.seen();
  EXPECT_EQ(missed->num("messages"), 3);
  for (const char* text : {"while away 3", "while away 4"}) {
    auto m = cli.next("message");
    ASSERT_TRUE(m) << cli.seen();
    EXPECT_EQ(m->str("text"), text);
  }
}

}  // namespace
}  // namespace chatport::chat::test
