// chatport-cli as scripts and people use it: run as a program, fed on standard input, read as
// JSON lines, judged by its exit status. Also where processes are killed outright (SIGKILL).

#include "beacon.h"
#include "child_process.h"
#include "mini_json.h"
#include "raw_socket.h"
#include "temp_dir.h"
#include "test_participant.h"
#include "test_proxy.h"

#include <chatport/chat/history.h>
#include <chatport/chat/protocol.h>
#include <chatport/net/secure_random.h>
#include <chatport/noise/key_pair.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <regex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace chatport::chat::test {
namespace {

using chatport::test::ChildOptions;
using chatport::test::ChildProcess;
using chatport::test::Json;
using chatport::test::TempDir;

const std::string kCli = CHATPORT_CLI_PATH;

// Every chatport-cli a test starts hashes passwords at the least cost (8 MiB, one pass).
ChildOptions cliOptions(ChildOptions options = {}) {
  options.environment.push_back("CHATPORT_PASSWORD_COST=8192,1");
  return options;
}
ChildOptions withErrors() {
  ChildOptions options;
  options.errorToOutput = true;
  return cliOptions(options);
}

// args with --data-dir dir, unless they name a data folder already: no chatport-cli a test
// starts reads or writes the real one (CTest also points XDG_DATA_HOME into the build tree).
std::vector<std::string> withDataDir(std::vector<std::string> args, const TempDir& dir) {
  if (std::find(args.begin(), args.end(), "--data-dir") == args.end()) {
    args.push_back("--data-dir");
    args.push_back(dir.string());
  }
  return args;
}

// A file in dir holding text; its path.
std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// chatport-cli with --json, read event by event.
class JsonCli {
 public:
  explicit JsonCli(std::vector<std::string> args, ChildOptions options = cliOptions())
      : process_(kCli, withDataDir(withJson(std::move(args)), dataDir_), std::move(options)) {}

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
  const std::vector<std::string>& lines() const { return seen_; }
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
  TempDir dataDir_;  // its own data folder, unless args name one
  ChildProcess process_;
  std::vector<std::string> seen_;
};

// chatport-cli without --json, read line by line as a person's terminal would show it.
class TextCli {
 public:
  explicit TextCli(std::vector<std::string> args, ChildOptions options = cliOptions())
      : process_(kCli, withDataDir(std::move(args), dataDir_), std::move(options)) {}

  /// Reads lines until one holds part; false at end of output or the deadline.
  bool waitFor(const std::string& part, std::chrono::milliseconds deadline = 30s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      auto line = process_.readLine(left);
      if (!line) return false;
      lines_.push_back(*line);
      if (line->find(part) != std::string::npos) return true;
    }
  }
  ChildProcess& process() { return process_; }
  const std::vector<std::string>& lines() const { return lines_; }
  std::string seen() const {
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  TempDir dataDir_;  // its own data folder, unless args name one
  ChildProcess process_;
  std::vector<std::string> lines_;
};

// Where s holds something a terminal acts on or that reorders what follows: a C0 control, DEL,
// a C1 control (U+0080-U+009F), a bidi embedding, override or isolate (U+202A-U+202E,
// U+2066-U+2069), a line or paragraph separator (U+2028, U+2029), or a byte that is not UTF-8.
// npos if there is none.
std::size_t findTerminalControl(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = p[i];
    if (b < 0x20 || b == 0x7F) return i;
    if (b < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || i + length > s.size()) return i;
    char32_t cp = b & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp <= 0x9F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return i;
    i += length;
  }
  return std::string_view::npos;
}

// A line of chat as a joiner may type it to deceive the others: lines that look like the
// program's own, terminal escapes (clear the screen, retitle the window, a C1 CSI), a carriage
// return that would write over the line, bidi overrides and a line separator.
const std::string kForged =
    "hi\n[12:00:00] <Host> forged\n* Disconnected (host_closed): the host ended the chat\n"
    "\x1b[2J\x1b]0;owned\x07 \xe2\x80\xae" "desrever\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9 "
    "\xc2\x9b" "31m red\r[12:00:01] <Host> over\xe2\x80\xa8[12:00:02] <Host> separated\x7f";

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

int runToEnd(const std::vector<std::string>& args, ChildOptions options = cliOptions()) {
  TempDir dataDir;
  ChildProcess p(kCli, withDataDir(args, dataDir), std::move(options));
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
  EXPECT_EQ(runToEnd({"host", "--name", "a", "--rate", "0"}), 2);
  EXPECT_EQ(runToEnd({"host", "--name", "a", "--burst", "lots"}), 2);
  EXPECT_EQ(runToEnd({"join", "h", "--name", "a", "--rate", "5"}), 2) << "the host sets the limits";
}

TEST(Cli, TheHostSetsTheRoomsRateLimit) {
  // One message a second, two at once: a joiner's third message in a row is refused, where
  // the default (20 a second, 40 at once) takes all six.
  JsonCli host({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "ann", "--rate", "1", "--burst", "2",
                "--no-announce"});
  auto hosting = host.next("welcome");
  ASSERT_TRUE(hosting) << host.seen();
  TestParticipant bob;
  bob.join("bob", static_cast<std::uint16_t>(hosting->num("port")));
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
  for (int i = 0; i < 6; ++i) bob.say("line " + std::to_string(i));
  EXPECT_TRUE(bob.waitFor([](Seen& s) {
    return s.hasError(ErrorCode::RateLimited) ||
           (!s.disconnected.empty() && s.disconnected.back().reason == ErrorCode::RateLimited);
  })) << bob.describe();
  EXPECT_LT(bob.with([](Seen& s) { return s.messages.size(); }), 6u) << bob.describe();
}

std::string hostAddress(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

TEST(Cli, DiscoverListsARoomAndJoinByItsNameReachesIt) {
  const auto port = freeUdpPort();
  ASSERT_NE(port, 0) << "no UDP socket could be opened";
  const std::string discoveryPort = std::to_string(port);
  JsonCli host({"host", "--port", "0", "--name", "ann", "--discovery-port", discoveryPort});
  auto hosting = host.next("welcome");
  ASSERT_TRUE(hosting) << host.seen();

  JsonCli discover({"discover", "--seconds", "1", "--discovery-port", discoveryPort});
  auto room = discover.next("room");
  ASSERT_TRUE(room) << discover.seen();
  EXPECT_EQ(room->str("room"), "ann");
  EXPECT_EQ(room->str("host"), "ann");
  EXPECT_EQ(room->num("port"), hosting->num("port"));
  EXPECT_EQ(room->num("people"), 1);
  EXPECT_EQ(room->str("fingerprint"), hosting->str("fingerprint"));
  EXPECT_FALSE(room->str("address").empty());
  EXPECT_EQ(discover.process().wait(), 0);

  JsonCli bob({"join", "ANN", "--name", "bob", "--discovery-port", discoveryPort});
  auto welcome = bob.next("welcome");
  ASSERT_TRUE(welcome) << bob.seen();
  EXPECT_EQ(welcome->num("port"), hosting->num("port"));
  EXPECT_EQ(welcome->str("fingerprint"), hosting->str("fingerprint"));
  bob.process().closeInput();
  EXPECT_EQ(bob.process().wait(), 0);
}

TEST(Cli, TwoRoomsHostedWithoutAPortBothStartAndAreBothFound) {
  // Neither asks for a port: the first takes 5150 (or the next free one, if something else
  // on this machine has it), the second moves on and says so.
  const auto port = freeUdpPort();
  ASSERT_NE(port, 0) << "no UDP socket could be opened";
  const std::string discoveryPort = std::to_string(port);
  JsonCli ann({"host", "--name", "ann", "--discovery-port", discoveryPort});
  auto first = ann.next("welcome");
  ASSERT_TRUE(first) << ann.seen();
  JsonCli bea({"host", "--name", "bea", "--discovery-port", discoveryPort});
  auto second = bea.next("welcome");
  ASSERT_TRUE(second) << bea.seen();
  EXPECT_NE(second->num("port"), first->num("port"));
  EXPECT_EQ(second->num("port_asked"), chat::kDefaultPort) << bea.seen();

  JsonCli discover({"discover", "--seconds", "1", "--discovery-port", discoveryPort});
  std::map<std::string, std::int64_t> rooms;
  while (auto room = discover.next("room")) rooms[room->str("host")] = room->num("port");
  EXPECT_EQ(discover.process().wait(), 0);
  EXPECT_EQ(rooms["ann"], first->num("port")) << discover.seen();
  EXPECT_EQ(rooms["bea"], second->num("port")) << discover.seen();
}

TEST(Cli, DiscoverAsksTheRoomsJoinedBeforeAndJoinFindsOneByItsName) {
  // ann announces on a discovery port the others do not listen on: only a question sent to her
  // directly reaches her, as for a room on another subnet.
  const auto hostDiscovery = freeUdpPort(), otherDiscovery = freeUdpPort();
  ASSERT_TRUE(hostDiscovery != 0 && otherDiscovery != 0) << "no UDP socket could be opened";
  JsonCli host({"host", "--port", "0", "--name", "ann", "--discovery-port", std::to_string(hostDiscovery)});
  auto hosting = host.next("welcome");
  ASSERT_TRUE(hosting) << host.seen();
  const auto port = static_cast<std::uint16_t>(hosting->num("port"));
  TempDir data;
  const std::vector<std::string> discoverArgs{"discover", "--seconds", "1", "--discovery-port",
                                              std::to_string(otherDiscovery), "--data-dir", data.string()};
  {
    JsonCli discover(discoverArgs);
    EXPECT_EQ(discover.next("room"), std::nullopt) << discover.seen();
    EXPECT_EQ(discover.process().wait(), 0);
  }
  {  // Joined once by address: remembered.
    JsonCli bob({"join", hostAddress(port), "--name", "bob", "--data-dir", data.string()});
    ASSERT_TRUE(bob.next("welcome")) << bob.seen();
    bob.process().closeInput();
    EXPECT_EQ(bob.process().wait(), 0);
  }
  {
    JsonCli discover(discoverArgs);
    auto room = discover.next("room");
    ASSERT_TRUE(room) << discover.seen();
    EXPECT_EQ(room->str("room"), "ann");
    EXPECT_EQ(room->num("port"), port);
    EXPECT_EQ(room->str("fingerprint"), hosting->str("fingerprint"));
    EXPECT_EQ(discover.process().wait(), 0);
  }
  JsonCli bob({"join", "Ann", "--name", "bob", "--discovery-port", std::to_string(otherDiscovery), "--data-dir",
               data.string()});
  auto welcome = bob.next("welcome");
  ASSERT_TRUE(welcome) << bob.seen();
  EXPECT_EQ(welcome->num("port"), port);
  bob.process().closeInput();
  EXPECT_EQ(bob.process().wait(), 0);
}

TEST(Cli, JoinByTheNameOfARoomJoinedBeforeThatIsNotHeardGoesWhereItWasJoined) {
  JsonCli host({"host", "--port", "0", "--name", "ann", "--bind", "127.0.0.1", "--no-announce"});
  auto hosting = host.next("welcome");
  ASSERT_TRUE(hosting) << host.seen();
  const auto port = static_cast<std::uint16_t>(hosting->num("port"));
  const auto discovery = freeUdpPort();
  ASSERT_NE(discovery, 0) << "no UDP socket could be opened";
  TempDir data;
  const std::vector<std::string> joinByName{"join", "ann", "--name", "bob", "--data-dir", data.string(),
                                            "--discovery-port", std::to_string(discovery)};
  {  // Never joined, not announced: "ann" is tried as a computer's name, which fails.
    JsonCli bob(joinByName);
    EXPECT_EQ(bob.next("welcome", 10s), std::nullopt) << bob.seen();
    bob.process().closeInput();
    EXPECT_NE(bob.process().wait(), 0);
  }
  {
    JsonCli bob({"join", hostAddress(port), "--name", "bob", "--data-dir", data.string()});
    ASSERT_TRUE(bob.next("welcome")) << bob.seen();
    bob.process().closeInput();
    EXPECT_EQ(bob.process().wait(), 0);
  }
  JsonCli bob(joinByName);
  auto welcome = bob.next("welcome");
  ASSERT_TRUE(welcome) << bob.seen();
  EXPECT_EQ(welcome->num("port"), port);
  EXPECT_EQ(welcome->str("fingerprint"), hosting->str("fingerprint"));
  bob.process().closeInput();
  EXPECT_EQ(bob.process().wait(), 0);
}

TEST(Cli, ARoomWhoseHostIsNotTheOneAnnouncedIsRefusedWithItsOwnMessage) {
  // A real host, and a forged announcement of a room "ann" at its port with another key.
  JsonCli host({"host", "--port", "0", "--name", "ann", "--bind", "127.0.0.1", "--no-announce"});
  auto hosting = host.next("welcome");
  ASSERT_TRUE(hosting) << host.seen();
  const auto discovery = freeUdpPort();
  ASSERT_NE(discovery, 0) << "no UDP socket could be opened";
  beacon::Announce forged;
  net::fillSecureRandom(forged.instance);
  net::fillSecureRandom(forged.room.hostKey);
  forged.room.protocolVersion = proto::kProtocolVersion;
  forged.room.people = 1;
  forged.room.tcpPorts = {static_cast<std::uint16_t>(hosting->num("port"))};
  forged.room.hostName = "ann";
  const net::Bytes datagram = beacon::encode(forged);
  const int sender = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(sender, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(discovery);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::atomic<bool> done{false};
  std::thread announcing([&] {  // as a host announces, until the test is done
    while (!done) {
      ::sendto(sender, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      std::this_thread::sleep_for(100ms);
    }
  });
  const std::vector<std::string> join{"join", "ann", "--name", "bob", "--discovery-port", std::to_string(discovery)};
  {
    TextCli bob(join, withErrors());
    ASSERT_TRUE(bob.waitFor("Join by address")) << bob.seen();
    const std::string seen = bob.seen();
    EXPECT_NE(seen.find("! not_announced_room: this is not the room that was announced"), std::string::npos) << seen;
    EXPECT_NE(seen.find("announced fingerprint: " + noise::fingerprint(forged.room.hostKey)), std::string::npos) << seen;
    EXPECT_NE(seen.find("offered fingerprint:   " + hosting->str("fingerprint")), std::string::npos) << seen;
    EXPECT_EQ(seen.find("--accept-new-host-key"), std::string::npos) << "accepting cannot help: " << seen;
    EXPECT_EQ(bob.process().wait(), 3);
  }
  {
    JsonCli bob(join);
    auto error = bob.next("error");
    ASSERT_TRUE(error) << bob.seen();
    EXPECT_EQ(error->str("code"), "not_announced_room");
    EXPECT_EQ(error->str("announced_fingerprint"), noise::fingerprint(forged.room.hostKey));
    EXPECT_EQ(error->str("offered_fingerprint"), hosting->str("fingerprint"));
    EXPECT_EQ(bob.process().wait(), 3);
  }
  done = true;
  announcing.join();
  ::close(sender);
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

TEST(Cli, LinesPipedInArePacedToTheHostsLimitAndAllArrive) {
  // `seq 1 2000 | chatport-cli join ...`: far over the host's burst at once. A faster limit
  // than the default keeps the test short; the joiner learns it from the Welcome. The joiner
  // keeps half the burst in hand, which is how long the host may be held up (the host counts
  // a request when it reads it): at the default 20/s and 40 that is a second; here, with the
  // burst as large as the rate, half a second, which a loaded machine running the suite in
  // parallel has been seen to need (a 256 ms stall with a burst of 40 cost two lines).
  constexpr int kLines = 2000;
  CoreOptions options = testOptions();
  options.ratePerSecond = 400;
  options.rateBurst = 400;
  auto host = startHost("host", options);
  JsonCli cli({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "script"});
  for (int i = 1; i <= kLines; ++i) ASSERT_TRUE(cli.process().writeLine(std::to_string(i)));
  cli.process().closeInput();

  auto bye = cli.next("disconnected", 120s);
  ASSERT_TRUE(bye) << cli.seen();
  EXPECT_EQ(bye->str("reason"), "left") << "it left at the end of its input, not dropped";
  EXPECT_EQ(cli.process().wait(), 0);
  EXPECT_EQ(cli.seen().find("\"event\":\"error\""), std::string::npos) << "nothing refused: " << cli.seen();
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.left.empty(); })) << host->describe();
  host->with([&](Seen& s) {
    ASSERT_EQ(s.messages.size(), static_cast<std::size_t>(kLines)) << "every line arrived";
    for (int i = 0; i < kLines; ++i) ASSERT_EQ(s.messages[static_cast<std::size_t>(i)].text, std::to_string(i + 1));
    EXPECT_EQ(leaveReasonName(s.left[0].reason), "quit");
  });
}

TEST(Cli, JoinerDroppedForFloodingSaysWhyAndOthersSeeWhy) {
  // Lines pasted into a terminal are not paced (a person types them); a paste far over the
  // host's limit gets the joiner dropped.
  CoreOptions options = testOptions();
  options.ratePerSecond = 5;
  options.rateBurst = 10;
  auto host = startHost("host", options);
  TestParticipant calm;
  calm.join("calm", host->port());
  ASSERT_TRUE(calm.waitConnected()) << calm.describe();
  TempDir data;
  ChildOptions onTerminal = cliOptions();
  onTerminal.terminal = true;
  ChildProcess flooder(kCli, {"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "paster", "--data-dir", data.string()},
                       onTerminal);
  ASSERT_EQ(flooder.problem(), "");
  ASSERT_TRUE(calm.waitFor([](Seen& s) { return s.isIn("paster"); })) << calm.describe();
  for (int i = 1; i <= 200; ++i)
    if (!flooder.writeLine("pasted " + std::to_string(i))) break;  // it may be gone already

  std::string out;
  bool told = false;
  while (auto line = flooder.readLine()) {
    out += *line + "\n";
    if (line->find("Disconnected (rate_limited)") != std::string::npos) {
      told = true;
      EXPECT_NE(line->find("removed you for sending too fast"), std::string::npos) << *line;
    }
  }
  EXPECT_TRUE(told) << out;
  EXPECT_EQ(flooder.wait(), 3);
  ASSERT_TRUE(calm.waitFor([](Seen& s) { return !s.left.empty(); })) << calm.describe();
  calm.with([](Seen& s) {
    EXPECT_EQ(s.left[0].who.name, "paster");
    EXPECT_EQ(leaveReasonName(s.left[0].reason), "too_fast");
  });
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.left.empty(); })) << host->describe();
  host->with([](Seen& s) { EXPECT_EQ(leaveReasonName(s.left[0].reason), "too_fast"); });
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

TEST(Cli, TheHostLiftsABotsRateLimitAndPutsItBackAndTheBotGoesByIt) {
  JsonCli host({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--rate", "5", "--burst", "5", "--stay"});
  auto welcome = host.next("welcome");
  ASSERT_TRUE(welcome) << host.seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  JsonCli bot({"join", "127.0.0.1:" + std::to_string(port), "--name", "bot", "--stay"});
  ASSERT_TRUE(bot.next("welcome")) << bot.seen();
  ASSERT_TRUE(host.next("joined")) << host.seen();

  ASSERT_TRUE(host.process().writeLine("/exempt bot"));
  auto lifted = host.next("rate_limit");
  ASSERT_TRUE(lifted) << host.seen();
  EXPECT_EQ(lifted->str("name"), "bot");
  EXPECT_TRUE((*lifted)["exempt"].boolean);
  auto told = bot.next("rate_limit");
  ASSERT_TRUE(told) << bot.seen();
  EXPECT_TRUE((*told)["exempt"].boolean);
  // Sixty lines, twelve times the burst: all arrive, in order, and none is refused.
  for (int i = 1; i <= 60; ++i) ASSERT_TRUE(bot.process().writeLine("tick " + std::to_string(i)));
  for (int i = 1; i <= 60; ++i) {
    auto message = host.next("message");
    ASSERT_TRUE(message) << host.seen();
    EXPECT_EQ(message->str("text"), "tick " + std::to_string(i));
  }

  ASSERT_TRUE(host.process().writeLine("/unexempt bot"));
  auto back = bot.next("rate_limit");
  ASSERT_TRUE(back) << bot.seen();
  EXPECT_FALSE((*back)["exempt"].boolean);
  EXPECT_EQ(back->num("rate"), 5);
  EXPECT_EQ(back->num("burst"), 5);
  ASSERT_TRUE(host.process().writeLine("/unexempt nobody"));
  auto error = host.next("error");
  ASSERT_TRUE(error) << host.seen();
  EXPECT_NE(error->str("detail").find("nobody"), std::string::npos) << host.seen();
  bot.process().closeInput();
  ASSERT_TRUE(host.process().writeLine("/quit"));
  EXPECT_EQ(host.process().wait(), 0);
  EXPECT_EQ(bot.seen().find("\"event\":\"error\""), std::string::npos) << "nothing refused: " << bot.seen();
}

TEST(Cli, AwayBusyAndBackReachEveryoneAndTheListSaysThem) {
  JsonCli host({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--stay"});
  auto welcome = host.next("welcome");
  ASSERT_TRUE(welcome) << host.seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  JsonCli ann({"join", "127.0.0.1:" + std::to_string(port), "--name", "ann", "--stay"});
  ASSERT_TRUE(ann.next("welcome")) << ann.seen();
  ASSERT_TRUE(host.next("joined")) << host.seen();

  ASSERT_TRUE(ann.process().writeLine("/away"));
  auto away = host.next("presence");
  ASSERT_TRUE(away) << host.seen();
  EXPECT_EQ(away->str("name"), "ann");
  EXPECT_EQ(away->str("presence"), "away");
  auto own = ann.next("presence");
  ASSERT_TRUE(own) << ann.seen();
  EXPECT_EQ(own->str("presence"), "away") << "the room confirms it";

  ASSERT_TRUE(host.process().writeLine("/busy"));
  auto ownBusy = host.next("presence");
  ASSERT_TRUE(ownBusy) << host.seen();
  EXPECT_EQ(ownBusy->str("name"), "boss");
  auto busy = ann.next("presence");
  ASSERT_TRUE(busy) << ann.seen();
  EXPECT_EQ(busy->str("name"), "boss");
  EXPECT_EQ(busy->str("presence"), "busy");
  ASSERT_TRUE(ann.process().writeLine("/who"));
  auto roster = ann.next("roster");
  ASSERT_TRUE(roster) << ann.seen();
  EXPECT_NE(ann.seen().find(R"("name":"ann","host":false,"presence":"away")"), std::string::npos) << ann.seen();
  EXPECT_NE(ann.seen().find(R"("name":"boss","host":true,"presence":"busy")"), std::string::npos) << ann.seen();

  ASSERT_TRUE(ann.process().writeLine("/back"));
  auto back = host.next("presence");
  ASSERT_TRUE(back) << host.seen();
  EXPECT_EQ(back->str("presence"), "available");
  ASSERT_TRUE(ann.process().writeLine("/away now"));
  auto usage = ann.next("error");
  ASSERT_TRUE(usage) << ann.seen();
  EXPECT_EQ(usage->str("code"), "usage");

  ann.process().closeInput();
  ASSERT_TRUE(host.process().writeLine("/quit"));
  EXPECT_EQ(host.process().wait(), 0);
}

TEST(Cli, APictureFileReachesEveryoneAndWhatIsNotOneIsRefusedHere) {
  JsonCli host({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--stay"});
  auto welcome = host.next("welcome");
  ASSERT_TRUE(welcome) << host.seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  JsonCli ann({"join", "127.0.0.1:" + std::to_string(port), "--name", "ann", "--stay"});
  ASSERT_TRUE(ann.next("welcome")) << ann.seen();
  ASSERT_TRUE(host.next("joined")) << host.seen();

  TempDir dir;
  const std::string jpeg = writeFile(dir, "me.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + std::string(96, 'x'));
  const std::string gif = writeFile(dir, "me.gif", "GIF89a" + std::string(96, 'x'));
  const std::string huge = writeFile(dir, "huge.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + std::string(kMaxPictureBytes, 'x'));
  ASSERT_TRUE(ann.process().writeLine("/picture " + jpeg));
  auto changed = host.next("picture");
  ASSERT_TRUE(changed) << host.seen();
  EXPECT_EQ(changed->str("name"), "ann");
  EXPECT_EQ(changed->num("bytes"), 100);

  for (const auto& [path, code] : {std::pair{gif, "invalid_picture"}, {huge, "invalid_picture"},
                                   {dir.string() + "/none.png", "file_unreadable"}}) {
    ASSERT_TRUE(ann.process().writeLine("/picture " + path));
    auto refused = ann.next("error");
    ASSERT_TRUE(refused) << ann.seen();
    EXPECT_EQ(refused->str("code"), code) << path;
  }
  ASSERT_TRUE(ann.process().writeLine("/picture"));
  auto removed = host.next("picture");
  ASSERT_TRUE(removed) << host.seen();
  EXPECT_EQ(removed->num("bytes"), 0);
  EXPECT_EQ(host.seen().find("\"bytes\":100", host.seen().find("\"bytes\":100") + 1), std::string::npos)
      << "the refused files never reached the room: " << host.seen();

  ann.process().closeInput();
  ASSERT_TRUE(host.process().writeLine("/quit"));
  EXPECT_EQ(host.process().wait(), 0);
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

TEST(Cli, HostKilledWithSigkillJoinersReportItThenRejoinItWhenItIsBack) {
  // The host's installation comes back (its data folder, so its key): the joiners trust it.
  TempDir hostData;
  auto cliHost = std::make_unique<JsonCli>(std::vector<std::string>{
      "host", "--port", "0", "--bind", "127.0.0.1", "--name", "first", "--stay", "--data-dir", hostData.string()});
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

  CoreOptions sameInstallation = testOptions();
  sameInstallation.dataDir = hostData.string();
  auto again = std::make_unique<TestParticipant>(sameInstallation);
  again->host("second", port);
  ASSERT_TRUE(again->waitConnected()) << again->describe();
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  ASSERT_TRUE(bob.waitConnected(2)) << bob.describe();
  ASSERT_TRUE(again->waitFor([](Seen& s) { return s.isIn("ann") && s.isIn("bob"); })) << again->describe();
}

TEST(Cli, HostKilledMidFloodHasEveryMessageAJoinerReceivedAndItsRoomGoesOn) {
  if (!HistoryStore::available()) GTEST_SKIP() << HistoryStore::unavailableReason();
  TempDir hostData;
  auto cliHost = std::make_unique<JsonCli>(std::vector<std::string>{
      "host", "--port", "0", "--bind", "127.0.0.1", "--name", "room", "--no-announce", "--rate", "100000",
      "--burst", "100000", "--data-dir", hostData.string()});
  auto welcome = cliHost->next("welcome");
  ASSERT_TRUE(welcome) << cliHost->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  CoreOptions watching = testOptions();
  watching.autoReconnect = false;
  TestParticipant bot, watcher(watching);
  bot.join("bot", port);
  watcher.join("watcher", port);
  ASSERT_TRUE(bot.waitConnected() && watcher.waitConnected());

  // A flood, killed in the middle.
  for (int i = 1; i <= 20000; ++i) bot.say("flood " + std::to_string(i));
  ASSERT_TRUE(watcher.waitFor([](Seen& s) { return s.messages.size() >= 500; })) << watcher.describe();
  cliHost->process().kill(SIGKILL);
  EXPECT_EQ(cliHost->process().wait(), 128 + SIGKILL);
  ASSERT_TRUE(watcher.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << watcher.describe();
  std::set<std::uint64_t> received;
  watcher.with([&](Seen& s) {
    for (const auto& m : s.messages) received.insert(m.seq);
  });

  // Everything the watcher received is in the host's history, which opens as it is.
  ChildProcess exported(kCli, {"history", "--data-dir", hostData.string(), "export", "room", "--format", "json"});
  exported.closeInput();
  std::set<std::uint64_t> kept;
  while (auto line = exported.readLine()) {
    auto json = Json::parse(*line);
    ASSERT_TRUE(json) << *line;
    kept.insert(static_cast<std::uint64_t>(json->num("seq")));
  }
  EXPECT_EQ(exported.wait(), 0);
  for (std::uint64_t seq : received) ASSERT_TRUE(kept.count(seq)) << "seq " << seq << " was received, not kept";
  ASSERT_FALSE(kept.empty());

  // The room goes on after the restart: the next message is numbered after every one kept.
  CoreOptions sameInstallation = hostOptions();
  sameInstallation.dataDir = hostData.string();
  TestParticipant again(sameInstallation);
  again.host("room", port);
  ASSERT_TRUE(again.waitConnected()) << again.describe();
  again.say("after the restart");
  ASSERT_TRUE(again.waitFor([](Seen& s) { return !s.messages.empty(); }));
  EXPECT_EQ(again.with([](Seen& s) { return s.messages.back().seq; }), *kept.rbegin() + 1);
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

TEST(Cli, TextModeShowsWhatOthersSendInertAndNeverAsLinesOfItsOwn) {
  auto host = startHost("Host");
  const std::string port = std::to_string(host->port());
  TextCli victim({"join", "127.0.0.1:" + port, "--name", "victim", "--stay"});
  ASSERT_TRUE(victim.waitFor("victim")) << victim.seen();
  TestParticipant mallory;
  mallory.join("mallory", host->port());
  ASSERT_TRUE(mallory.waitConnected());
  ASSERT_TRUE(victim.waitFor("mallory")) << victim.seen();

  mallory.say(kForged);
  mallory.say("the end");
  ASSERT_TRUE(victim.waitFor("the end")) << victim.seen();

  const auto& lines = victim.lines();
  for (const auto& line : lines) {
    const auto at = findTerminalControl(line);
    EXPECT_EQ(at, std::string::npos) << "raw control in the terminal at byte " << at << ": " << line;
    EXPECT_FALSE(startsWith(line, "[12:00:00] <Host>")) << "a forged message line: " << line;
    EXPECT_FALSE(startsWith(line, "* Disconnected")) << "a forged notice: " << line;
  }
  // The message is one line of mallory's, and its other lines are marked as its own.
  std::size_t first = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find("<mallory> hi") != std::string::npos) first = i;
  ASSERT_LT(first + 3, lines.size()) << victim.seen();
  EXPECT_TRUE(startsWith(lines[first], "[")) << lines[first];
  const std::string continued = "          | ";
  EXPECT_EQ(lines[first + 1], continued + "[12:00:00] <Host> forged");
  EXPECT_EQ(lines[first + 2], continued + "* Disconnected (host_closed): the host ended the chat");
  const std::string& rest = lines[first + 3];
  EXPECT_TRUE(startsWith(rest, continued)) << rest;
  for (const char* escaped : {"\\x1b[2J", "\\x1b]0;owned\\x07", "\\u{202e}desrever\\u{202c}", "\\u{2066}iso\\u{2069}",
                              "\\u{009b}31m", "red\\x0d[12:00:01]", "over\\u{2028}[12:00:02]", "separated\\x7f"})
    EXPECT_NE(rest.find(escaped), std::string::npos) << "no " << escaped << " in " << rest;
  EXPECT_TRUE(startsWith(lines[first + 4], "[")) << "the next line is the next message: " << lines[first + 4];
}

TEST(Cli, JsonModeCarriesForgedTextExactlyWithNothingRawInTheOutput) {
  auto host = startHost("Host");
  JsonCli reader({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "reader", "--stay"});
  ASSERT_TRUE(reader.next("welcome")) << reader.seen();
  TestParticipant mallory;
  // Names can hold no control or bidi characters (the host refuses them), but quotes and
  // backslashes they can.
  mallory.join("mal\"lory\\", host->port());
  ASSERT_TRUE(mallory.waitConnected());
  ASSERT_TRUE(reader.next("joined")) << reader.seen();

  mallory.say(kForged);
  auto message = reader.next("message");
  ASSERT_TRUE(message) << reader.seen();
  EXPECT_EQ(message->str("text"), kForged) << "the exact text, once the JSON is read";
  EXPECT_EQ(message->str("from"), "mal\"lory\\");
  for (const auto& line : reader.lines()) {
    const auto at = findTerminalControl(line);
    EXPECT_EQ(at, std::string::npos) << "raw control in the output at byte " << at << ": " << line;
  }
  // Other text stays as it is, for people and scripts that read it.
  mallory.say("你好 🎉");
  message = reader.next("message");
  ASSERT_TRUE(message) << reader.seen();
  EXPECT_NE(reader.lines().back().find("\"text\":\"你好 🎉\""), std::string::npos) << reader.lines().back();
}

TEST(Cli, TextModeMarksTheHostWhereNoNameCanReach) {
  auto host = startHost("Ann");
  const std::string port = std::to_string(host->port());
  TextCli victim({"join", "127.0.0.1:" + port, "--name", "victim", "--stay"});
  ASSERT_TRUE(victim.waitFor("victim")) << victim.seen();
  // Joiners whose names play at being the host.
  const std::vector<std::string> imitators = {"[host] <Ann", "Ann> [host]", "Ann \xe2\x98\x85host"};
  std::vector<std::unique_ptr<TestParticipant>> others;
  for (const auto& name : imitators) {
    others.push_back(std::make_unique<TestParticipant>());
    others.back()->join(name, host->port());
    ASSERT_TRUE(others.back()->waitConnected()) << others.back()->describe();
  }
  for (auto& other : others) other->say("I am the host, tell me your password");
  ASSERT_TRUE(host->waitFor([](Seen& s) { return s.messages.size() == 3 && s.isIn("victim"); }));
  host->say("welcome");
  const ClientId victimId = host->with([](Seen& s) {
    for (const auto& p : s.clients)
      if (p.name == "victim") return p.id;
    return kNoClient;
  });
  host->submit(PrivateCommand{victimId, "psst"});
  ASSERT_TRUE(victim.waitFor("psst")) << victim.seen();
  ASSERT_TRUE(victim.process().writeLine("/who"));
  ASSERT_TRUE(victim.waitFor("Here (5)")) << victim.seen();

  const std::regex time(R"(^\[\d\d:\d\d:\d\d\] )");
  int hostLines = 0;
  int imitatorLines = 0;
  for (const auto& line : victim.lines()) {
    std::smatch m;
    if (!std::regex_search(line, m, time)) continue;
    const std::string after = m.suffix();
    if (after.find("password") != std::string::npos) {
      ++imitatorLines;
      EXPECT_TRUE(startsWith(after, "<")) << "an imitator's line without its name first: " << line;
      EXPECT_FALSE(startsWith(after, "[host]")) << line;
    }
    if (startsWith(after, "[host] ")) {
      ++hostLines;
      EXPECT_TRUE(after == "[host] <Ann> welcome") << line;
    }
    if (after.find("psst") != std::string::npos) {
      EXPECT_EQ(after, "(private) [host] <Ann> -> <victim> psst") << line;
    }
  }
  EXPECT_EQ(imitatorLines, 3) << victim.seen();
  EXPECT_EQ(hostLines, 1) << victim.seen();

  // The list: one host, and the imitators' names quoted so that none reads as the badge.
  const std::string& who = victim.lines().back();
  EXPECT_TRUE(startsWith(who, "* Here (5): [host] <Ann>, ")) << who;
  std::size_t badges = 0;
  for (auto at = who.find("[host] <"); at != std::string::npos; at = who.find("[host] <", at + 1)) ++badges;
  EXPECT_EQ(badges, 1u) << who;
  EXPECT_NE(who.find("<[host] \\<Ann>"), std::string::npos) << who;
  EXPECT_NE(who.find("<Ann\\> [host]>"), std::string::npos) << who;

  // The help says how the host is marked.
  ChildProcess help(kCli, {"--help"});
  std::string text;
  while (auto line = help.readLine()) text += *line + "\n";
  EXPECT_NE(text.find("[host] <"), std::string::npos) << text;
}

// ---- Secure rooms ------------------------------------------------------------------------

const std::string kFingerprintPattern = "[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}";

// A chatport-cli host of a room whose password is the first line of passwordFile (none if
// empty); its welcome in welcome.
std::unique_ptr<JsonCli> startCliHost(const std::string& passwordFile, std::optional<Json>& welcome,
                                      std::vector<std::string> more = {}) {
  std::vector<std::string> args{"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--stay"};
  if (!passwordFile.empty()) {
    args.push_back("--password-file");
    args.push_back(passwordFile);
  }
  args.insert(args.end(), more.begin(), more.end());
  auto host = std::make_unique<JsonCli>(args);
  welcome = host->next("welcome");
  return host;
}

// What chatport-cli says about a usage error (the line after "chatport-cli: "), and its exit status.
std::pair<std::string, int> usageProblem(const std::vector<std::string>& args, ChildOptions options = withErrors()) {
  TempDir dataDir;
  options.errorToOutput = true;
  ChildProcess p(kCli, withDataDir(args, dataDir), std::move(options));
  p.closeInput();
  std::string problem;
  while (auto line = p.readLine())
    if (problem.empty() && line->rfind("chatport-cli: ", 0) == 0) problem = line->substr(14);
  return {problem, p.wait().value_or(-1)};
}

TEST(Cli, SecureRoomOptionsAreCheckedBeforeAnythingStarts) {
  TempDir files;
  const std::string empty = writeFile(files, "empty", "\n");
  const std::string password = writeFile(files, "password", "s3cret\n");
  const std::string missing = (files.path() / "none").string();
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"host", "--name", "a", "--password", "s3cret"}, "a password is never given on the command line"},
      {{"host", "--name", "a", "--accept-new-host-key"}, "--accept-new-host-key goes with join"},
      {{"host", "--name", "a", "--password-file", missing}, "cannot read the password file " + missing},
      {{"host", "--name", "a", "--password-file", empty}, "the first line of " + empty + " is empty"},
      {{"join", "h", "--name", "a", "--password-file", password, "--password-prompt"}, "not both"},
      // Standard input is a pipe here.
      {{"host", "--name", "a", "--password-prompt"}, "--password-prompt needs a terminal"},
      {{"join", "h", "--name", "a", "--data-dir", ""}, "--data-dir needs a folder name"},
  };
  for (const auto& [args, expected] : cases) {
    const auto [problem, status] = usageProblem(args);
    EXPECT_EQ(status, 2) << args[3];
    EXPECT_NE(problem.find(expected), std::string::npos) << "expected '" << expected << "', got '" << problem << "'";
  }
  for (const char* cost : {"1024,1", "8192", "8192,0", "8192,11", "2000000,1", "8192,1x", "cheap"}) {
    ChildOptions options = withErrors();
    options.environment.push_back(std::string("CHATPORT_PASSWORD_COST=") + cost);
    const auto [problem, status] = usageProblem({"host", "--name", "a", "--port", "0", "--bind", "127.0.0.1"}, options);
    EXPECT_EQ(status, 2) << cost;
    EXPECT_NE(problem.find("CHATPORT_PASSWORD_COST must be KIB,PASSES"), std::string::npos) << cost << ": " << problem;
  }
}

TEST(Cli, WrongPasswordIsRefusedWithItsOwnMessageAndExitThree) {
  TempDir files;
  std::optional<Json> welcome;
  auto host = startCliHost(writeFile(files, "right", "correct horse\n"), welcome);
  ASSERT_TRUE(welcome) << host->seen();
  EXPECT_TRUE((*welcome)["password"].boolean);
  const std::string wrong = writeFile(files, "wrong", "incorrect horse\n");
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  {
    TextCli joiner({"join", hostAddress(port), "--name", "ann", "--password-file", wrong}, withErrors());
    EXPECT_TRUE(joiner.waitFor("! wrong_password: the host refused the password given: wrong password"))
        << joiner.seen();
    EXPECT_EQ(joiner.process().wait(), 3);
  }
  JsonCli joiner({"join", hostAddress(port), "--name", "ann", "--password-file", wrong});
  auto error = joiner.next("error");
  ASSERT_TRUE(error) << joiner.seen();
  EXPECT_EQ(error->str("code"), "wrong_password");
  auto end = joiner.next("disconnected");
  ASSERT_TRUE(end) << joiner.seen();
  EXPECT_EQ(end->str("reason"), "wrong_password");
  EXPECT_EQ(joiner.process().wait(), 3);
  EXPECT_EQ(host->next("joined", 200ms), std::nullopt) << "nobody got in";
}

TEST(Cli, NoPasswordForAPasswordRoomIsRefusedWithItsOwnMessageAndExitThree) {
  TempDir files;
  std::optional<Json> welcome;
  auto host = startCliHost(writeFile(files, "right", "correct horse\n"), welcome);
  ASSERT_TRUE(welcome) << host->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  {
    // Standard input is not a terminal: nobody to ask, so the refusal is final.
    TextCli joiner({"join", hostAddress(port), "--name", "ann"}, withErrors());
    EXPECT_TRUE(joiner.waitFor("! password_required: this room has a password: give it with --password-file"))
        << joiner.seen();
    EXPECT_EQ(joiner.process().wait(), 3);
  }
  JsonCli joiner({"join", hostAddress(port), "--name", "ann"});
  auto error = joiner.next("error");
  ASSERT_TRUE(error) << joiner.seen();
  EXPECT_EQ(error->str("code"), "password_required");
  EXPECT_EQ(joiner.process().wait(), 3);
}

TEST(Cli, RightPasswordChatsAndBothSidesShowTheSameFingerprint) {
  TempDir files;
  std::optional<Json> welcome;
  auto host = startCliHost(writeFile(files, "right", "correct horse\n"), welcome);
  ASSERT_TRUE(welcome) << host->seen();
  const std::string fingerprint = welcome->str("fingerprint");
  EXPECT_TRUE(std::regex_match(fingerprint, std::regex(kFingerprintPattern))) << fingerprint;
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));

  // Only the first line counts, without its line ending (CRLF from a Windows editor too).
  JsonCli joiner({"join", hostAddress(port), "--name", "ann", "--password-file",
                  writeFile(files, "joiner", "correct horse\r\nsomething else\n")});
  auto joined = joiner.next("welcome");
  ASSERT_TRUE(joined) << joiner.seen();
  EXPECT_EQ(joined->str("fingerprint"), fingerprint);
  EXPECT_TRUE((*joined)["first_contact"].boolean);
  EXPECT_TRUE((*joined)["password"].boolean);
  ASSERT_TRUE(joiner.process().writeLine("hello through the password"));
  auto message = host->next("message");
  ASSERT_TRUE(message) << host->seen();
  EXPECT_EQ(message->str("text"), "hello through the password");
  EXPECT_EQ(message->str("from"), "ann");

  // The host's text output gives its fingerprint so joiners can compare.
  TextCli textHost({"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--data-dir",
                    files.string()});
  ASSERT_TRUE(textHost.waitFor("* This host's key fingerprint: ")) << textHost.seen();
  EXPECT_TRUE(std::regex_search(textHost.lines().back(), std::regex(kFingerprintPattern))) << textHost.seen();
}

TEST(Cli, ChangedHostKeyIsRefusedWithBothFingerprintsUntilAcceptedDeliberately) {
  TempDir joinerData, firstHostData, secondHostData;
  auto hostArgs = [](const std::string& port, const TempDir& data) {
    return std::vector<std::string>{"host", "--port", port, "--bind", "127.0.0.1", "--name", "boss", "--stay",
                                    "--data-dir", data.string()};
  };
  auto first = std::make_unique<JsonCli>(hostArgs("0", firstHostData));
  auto welcome = first->next("welcome");
  ASSERT_TRUE(welcome) << first->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  const std::string firstKey = welcome->str("fingerprint");
  const std::vector<std::string> join{"join", hostAddress(port), "--name", "ann", "--data-dir", joinerData.string()};
  {
    TextCli joiner(join);
    ASSERT_TRUE(joiner.waitFor("* The host's key fingerprint: " + firstKey + " (first contact: pinned"))
        << joiner.seen();
    joiner.process().closeInput();
    EXPECT_EQ(joiner.process().wait(), 0);
  }
  ASSERT_TRUE(first->process().writeLine("/quit"));
  ASSERT_EQ(first->process().wait(), 0);

  // Another installation hosts on the same address: another key.
  JsonCli second(hostArgs(std::to_string(port), secondHostData));
  welcome = second.next("welcome");
  ASSERT_TRUE(welcome) << second.seen();
  const std::string secondKey = welcome->str("fingerprint");
  ASSERT_NE(secondKey, firstKey);
  {
    TextCli joiner(join, withErrors());
    ASSERT_TRUE(joiner.waitFor("--accept-new-host-key")) << joiner.seen();
    const std::string seen = joiner.seen();
    EXPECT_NE(seen.find("! host_key_changed: the host's key is not the one pinned for this address"),
              std::string::npos)
        << seen;
    EXPECT_NE(seen.find("pinned fingerprint (met before): " + firstKey), std::string::npos) << seen;
    EXPECT_NE(seen.find("offered fingerprint (now):       " + secondKey), std::string::npos) << seen;
    EXPECT_EQ(joiner.process().wait(), 3);
  }
  {
    JsonCli joiner(join);
    auto error = joiner.next("error");
    ASSERT_TRUE(error) << joiner.seen();
    EXPECT_EQ(error->str("code"), "host_key_changed");
    EXPECT_EQ(error->str("pinned_fingerprint"), firstKey);
    EXPECT_EQ(error->str("offered_fingerprint"), secondKey);
    EXPECT_EQ(joiner.process().wait(), 3);
  }
  EXPECT_EQ(second.next("joined", 200ms), std::nullopt) << "refused before saying hello";
  {
    std::vector<std::string> accepting = join;
    accepting.push_back("--accept-new-host-key");
    JsonCli joiner(accepting);
    auto joined = joiner.next("welcome");
    ASSERT_TRUE(joined) << joiner.seen();
    EXPECT_EQ(joined->str("fingerprint"), secondKey);
    joiner.process().closeInput();
    EXPECT_EQ(joiner.process().wait(), 0);
  }
  // Pinned now: the next join is welcomed without the option.
  JsonCli joiner(join);
  auto joined = joiner.next("welcome");
  ASSERT_TRUE(joined) << joiner.seen();
  EXPECT_EQ(joined->str("fingerprint"), secondKey);
  EXPECT_FALSE((*joined)["first_contact"].boolean);
}

TEST(Cli, HostBansAJoinerWhoCannotComeBackWhileOthersStillCan) {
  std::optional<Json> welcome;
  auto host = startCliHost("", welcome);
  ASSERT_TRUE(welcome) << host->seen();
  EXPECT_FALSE((*welcome)["password"].boolean);
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  TestParticipant ann;
  ann.join("ann", port);
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
  ASSERT_TRUE(host->next("joined")) << host->seen();

  ASSERT_TRUE(host->process().writeLine("/ban nobody"));
  auto error = host->next("error");
  ASSERT_TRUE(error) << host->seen();
  EXPECT_EQ(error->str("code"), "unknown_recipient");
  ASSERT_TRUE(host->process().writeLine("/ban ann"));
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << ann.describe();
  EXPECT_EQ(ann.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::Kicked);
  auto left = host->next("left");
  ASSERT_TRUE(left) << host->seen();
  EXPECT_EQ(left->str("reason"), "kicked");

  ann.join("ann again", port);  // the same installation, so the same key
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.disconnected.size() == 2; })) << ann.describe();
  EXPECT_EQ(ann.with([](Seen& s) { return s.disconnected[1].reason; }), ErrorCode::Banned) << ann.describe();
  TestParticipant bob;
  bob.join("bob", port);
  ASSERT_TRUE(bob.waitConnected()) << bob.describe();
}

TEST(Cli, ABanOutlastsTheHostsRestartUntilTheHostLiftsIt) {
  TempDir hostData;
  const std::vector<std::string> sameFolder{"--data-dir", hostData.string()};
  TestParticipant ann;
  TestParticipant bot;
  {
    std::optional<Json> welcome;
    auto host = startCliHost("", welcome, sameFolder);
    ASSERT_TRUE(welcome) << host->seen();
    ann.join("ann", static_cast<std::uint16_t>(welcome->num("port")));
    ASSERT_TRUE(ann.waitConnected()) << ann.describe();
    ASSERT_TRUE(host->next("joined")) << host->seen();
    ASSERT_TRUE(host->process().writeLine("/ban ann"));
    auto bans = host->next("bans");
    ASSERT_TRUE(bans) << host->seen();
    ASSERT_EQ((*bans)["banned"].array.size(), 1u) << host->seen();
    EXPECT_EQ((*bans)["banned"].array[0].str("name"), "ann");
    EXPECT_EQ((*bans)["banned"].array[0].str("fingerprint").size(), 24u) << host->seen();
    ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); })) << ann.describe();
    // And a bot whose rate limit the host lifted keeps that too.
    bot.join("bot", static_cast<std::uint16_t>(welcome->num("port")));
    ASSERT_TRUE(bot.waitConnected()) << bot.describe();
    ASSERT_TRUE(host->process().writeLine("/exempt bot"));
    ASSERT_TRUE(host->next("rate_limit")) << host->seen();
    ASSERT_TRUE(host->process().writeLine("/quit"));
    EXPECT_EQ(host->process().wait(), 0);
  }
  // The room goes on in the same data folder: so does the ban, said as the room starts.
  std::optional<Json> welcome;
  auto host = startCliHost("", welcome, sameFolder);
  ASSERT_TRUE(welcome) << host->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  auto bans = host->next("bans");
  ASSERT_TRUE(bans) << host->seen();
  ASSERT_EQ((*bans)["banned"].array.size(), 1u) << host->seen();
  bot.join("bot", port);
  ASSERT_TRUE(bot.waitFor([](Seen& s) { return s.connected.size() == 2; })) << bot.describe();
  EXPECT_EQ(bot.with([](Seen& s) { return s.connected[1].sendRate; }), 0.0) << "no rate limit for the bot";
  auto limit = host->next("rate_limit");  // and the host knows the bot by its new id as exempt
  ASSERT_TRUE(limit) << host->seen();
  EXPECT_EQ(limit->str("name"), "bot");
  EXPECT_TRUE((*limit)["exempt"].boolean);
  ann.join("ann again", port);
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.disconnected.size() == 2; })) << ann.describe();
  EXPECT_EQ(ann.with([](Seen& s) { return s.disconnected[1].reason; }), ErrorCode::Banned) << ann.describe();

  ASSERT_TRUE(host->process().writeLine("/unban bob"));
  auto error = host->next("error");
  ASSERT_TRUE(error) << host->seen();
  EXPECT_EQ(error->str("code"), "unknown_recipient");
  ASSERT_TRUE(host->process().writeLine("/unban ann"));
  bans = host->next("bans");
  ASSERT_TRUE(bans) << host->seen();
  EXPECT_TRUE((*bans)["banned"].array.empty()) << host->seen();
  ann.join("ann", port);
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.connected.size() == 2; })) << ann.describe();
}

// Two people banned under one name: /unban NAME lifts neither, and says how to name one.
TEST(Cli, UnbanByANameTwoBannedPeopleShareNamesNeitherUntilAFingerprintDoes) {
  std::optional<Json> welcome;
  auto host = startCliHost("", welcome);
  ASSERT_TRUE(welcome) << host->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  TestParticipant first, second;  // two installations: two keys
  std::vector<std::string> fingerprints;
  for (TestParticipant* ann : {&first, &second}) {
    ann->join("ann", port);
    ASSERT_TRUE(ann->waitConnected()) << ann->describe();
    ASSERT_TRUE(host->next("joined")) << host->seen();
    ASSERT_TRUE(host->process().writeLine("/ban ann"));
    auto bans = host->next("bans");
    ASSERT_TRUE(bans) << host->seen();
    ASSERT_EQ((*bans)["banned"].array.size(), fingerprints.size() + 1) << host->seen();
    fingerprints.push_back((*bans)["banned"].array.back().str("fingerprint"));
    ASSERT_TRUE(ann->waitFor([](Seen& s) { return !s.disconnected.empty(); })) << ann->describe();
  }
  ASSERT_NE(fingerprints[0], fingerprints[1]);

  ASSERT_TRUE(host->process().writeLine("/unban ann"));
  auto error = host->next("error");
  ASSERT_TRUE(error) << host->seen();
  EXPECT_EQ(error->str("code"), "ambiguous_name");
  EXPECT_NE(error->str("detail").find("/unban FINGERPRINT"), std::string::npos) << host->seen();

  ASSERT_TRUE(host->process().writeLine("/unban " + fingerprints[0]));
  auto bans = host->next("bans");
  ASSERT_TRUE(bans) << host->seen();
  ASSERT_EQ((*bans)["banned"].array.size(), 1u) << host->seen();
  EXPECT_EQ((*bans)["banned"].array[0].str("fingerprint"), fingerprints[1]) << "the other ann stays banned";
  first.join("ann", port);
  ASSERT_TRUE(first.waitFor([](Seen& s) { return s.connected.size() == 2; })) << first.describe();
}

TEST(Cli, ADataFolderThatCannotBeMadeIsRefusedWithExitThree) {
  TempDir files;
  const std::string blocked = writeFile(files, "a-file", "not a folder\n") + "/chatport";
  TextCli joiner({"join", "127.0.0.1:9", "--name", "ann", "--data-dir", blocked}, withErrors());
  EXPECT_TRUE(joiner.waitFor("! data_folder: ")) << joiner.seen();
  EXPECT_NE(joiner.lines().back().find("--data-dir"), std::string::npos) << joiner.seen();
  EXPECT_EQ(joiner.process().wait(), 3);
}

// On a terminal: the refusal for the password is answered by asking for it, and nothing
// typed for it is echoed.
TEST(Cli, JoinerOnATerminalIsAskedForThePasswordWithoutEcho) {
  TempDir files, joinerData;
  std::optional<Json> welcome;
  auto host = startCliHost(writeFile(files, "right", "correct horse\n"), welcome);
  ASSERT_TRUE(welcome) << host->seen();
  const auto port = static_cast<std::uint16_t>(welcome->num("port"));
  ChildOptions onTerminal = cliOptions();
  onTerminal.terminal = true;
  ChildProcess joiner(kCli, {"join", hostAddress(port), "--name", "ann", "--json", "--data-dir", joinerData.string()},
                      onTerminal);
  ASSERT_EQ(joiner.problem(), "");
  const std::string prompt = "Password for the room at " + hostAddress(port) + " (an empty line gives up): ";
  ASSERT_TRUE(joiner.readTerminal(prompt)) << joiner.shown();
  ASSERT_TRUE(joiner.writeLine("incorrect horse"));
  ASSERT_TRUE(joiner.readTerminal(prompt)) << "asked again after a wrong one: " << joiner.shown();
  ASSERT_TRUE(joiner.writeLine("correct horse"));
  std::vector<std::string> events;
  for (;;) {
    auto line = joiner.readLine();
    ASSERT_TRUE(line) << joiner.shown();
    events.push_back(*line);
    if (line->find("\"event\":\"welcome\"") != std::string::npos) break;
  }
  ASSERT_GE(events.size(), 5u);
  EXPECT_NE(events[0].find("password_required"), std::string::npos) << events[0];
  EXPECT_NE(events[2].find("wrong_password"), std::string::npos) << events[2];
  EXPECT_NE(events.back().find("\"password\":true"), std::string::npos) << events.back();
  // Echo is back on: a chat line shows as it is typed, and is sent.
  ASSERT_TRUE(joiner.writeLine("typed after"));
  ASSERT_TRUE(joiner.readTerminal("typed after")) << joiner.shown();
  auto message = host->next("message");
  ASSERT_TRUE(message) << host->seen();
  EXPECT_EQ(message->str("text"), "typed after");
  EXPECT_EQ(joiner.shown().find("horse"), std::string::npos) << "echoed: " << joiner.shown();
}

TEST(Cli, HostOnATerminalTypesThePasswordTwiceWithoutEcho) {
  TempDir files, hostData;
  ChildOptions onTerminal = cliOptions();
  onTerminal.terminal = true;
  {
    ChildProcess host(kCli, {"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--password-prompt",
                             "--data-dir", hostData.string()},
                      onTerminal);
    ASSERT_EQ(host.problem(), "");
    ASSERT_TRUE(host.readTerminal("Room password: ")) << host.shown();
    ASSERT_TRUE(host.writeLine("tiger lily"));
    ASSERT_TRUE(host.readTerminal("The same password again: ")) << host.shown();
    ASSERT_TRUE(host.writeLine("tiger lilly"));
    ASSERT_TRUE(host.readTerminal("the two passwords differ")) << host.shown();
    EXPECT_EQ(host.wait(), 2);
  }
  ChildProcess host(kCli, {"host", "--port", "0", "--bind", "127.0.0.1", "--name", "boss", "--password-prompt",
                           "--json", "--data-dir", hostData.string()},
                    onTerminal);
  ASSERT_TRUE(host.readTerminal("Room password: ")) << host.shown();
  ASSERT_TRUE(host.writeLine("tiger lily"));
  ASSERT_TRUE(host.readTerminal("The same password again: ")) << host.shown();
  ASSERT_TRUE(host.writeLine("tiger lily"));
  auto line = host.readLine();
  ASSERT_TRUE(line) << host.shown();
  auto welcome = Json::parse(*line);
  ASSERT_TRUE(welcome) << *line;
  EXPECT_TRUE((*welcome)["password"].boolean) << *line;
  JsonCli joiner({"join", hostAddress(static_cast<std::uint16_t>(welcome->num("port"))), "--name", "ann",
                  "--password-file", writeFile(files, "password", "tiger lily\n")});
  ASSERT_TRUE(joiner.next("welcome")) << joiner.seen();
  EXPECT_EQ(host.shown().find("tiger"), std::string::npos) << "echoed: " << host.shown();
}

// ---- Files ---------------------------------------------------------------------------------

std::string randomText(std::size_t n) {
  std::string data(n, '\0');
  net::fillSecureRandom(std::as_writable_bytes(std::span(data)));
  return data;
}

std::string contentsOf(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Cli, SendAcceptAndTheFileEventsInJson) {
  auto host = startHost("ann");
  TempDir outbox, inbox;
  const std::string data = randomText(300000);
  const std::string path = writeFile(outbox, "report 报告.pdf", data);
  JsonCli bob({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "bob"});
  ASSERT_TRUE(bob.next("welcome")) << bob.seen();
  // bob offers it to ann by name; ann takes it.
  ASSERT_TRUE(bob.process().writeLine("/send " + path + " ann"));
  auto offered = bob.next("file_offer");
  ASSERT_TRUE(offered) << bob.seen();
  EXPECT_TRUE((*offered)["outgoing"].boolean);
  EXPECT_EQ(offered->str("name"), "report 报告.pdf");
  EXPECT_EQ(offered->num("size"), 300000);
  EXPECT_EQ(offered->num("to"), 1);
  TransferId id = 0;
  ASSERT_TRUE(host->waitFor([&](Seen& s) {
    for (const auto& e : s.all)
      if (const auto* o = std::get_if<FileOfferEvent>(&e)) id = o->id;
    return id != 0;
  }));
  EXPECT_EQ(static_cast<TransferId>(offered->num("transfer")), id);
  host->submit(AcceptFileCommand{id, inbox.string()});
  auto done = bob.next("file_done");
  ASSERT_TRUE(done) << bob.seen();
  EXPECT_TRUE((*done)["outgoing"].boolean);
  EXPECT_EQ(done->num("peer"), 1);
  EXPECT_EQ(done->str("hash").size(), 64u);
  EXPECT_EQ(contentsOf(inbox.path() / "report 报告.pdf"), data);
  // Usage errors are the cli's own.
  ASSERT_TRUE(bob.process().writeLine("/accept x"));
  auto usage = bob.next("error");
  ASSERT_TRUE(usage) << bob.seen();
  EXPECT_EQ(usage->str("code"), "usage");
}

// /pause and /resume with a nick: one recipient's copy of an offer to the room.
TEST(Cli, PauseAndResumeTakeANickForOneRecipientsCopy) {
  auto host = startHost("ann");
  TestParticipant dan;
  dan.join("dan", host->port());
  ASSERT_TRUE(dan.waitConnected()) << dan.describe();
  TempDir outbox, annInbox, danInbox;
  const std::string data = randomText(1024 * 1024);
  const std::string path = writeFile(outbox, "minutes.txt", data);
  JsonCli carol({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "carol"});
  ASSERT_TRUE(carol.next("welcome")) << carol.seen();
  ASSERT_TRUE(carol.process().writeLine("/send " + path));
  auto offered = carol.next("file_offer");
  ASSERT_TRUE(offered) << carol.seen();
  const std::string id = std::to_string(static_cast<TransferId>(offered->num("transfer")));
  ASSERT_TRUE(carol.process().writeLine("/pause " + id));
  ASSERT_TRUE(carol.process().writeLine("/pause " + id + " nobody"));
  auto error = carol.next("error");
  ASSERT_TRUE(error) << carol.seen();
  EXPECT_EQ(error->str("code"), "unknown_recipient");
  for (TestParticipant* who : {host.get(), &dan})
    ASSERT_TRUE(who->waitFor([](Seen& s) { return !eventsOf<FileOfferEvent>(s).empty(); })) << who->describe();
  const auto transfer = static_cast<TransferId>(offered->num("transfer"));
  host->submit(AcceptFileCommand{transfer, annInbox.string()});
  dan.submit(AcceptFileCommand{transfer, danInbox.string()});
  // Both copies paused, as carol's transfers show them.
  std::set<double> pausedFor;
  while (pausedFor.size() < 2) {
    auto progress = carol.next("file_progress");
    ASSERT_TRUE(progress) << carol.seen();
    EXPECT_EQ(progress->str("state"), "paused");
    pausedFor.insert(progress->num("peer"));
  }

  ASSERT_TRUE(carol.process().writeLine("/resume " + id + " dan"));
  auto sent = carol.next("file_done");
  ASSERT_TRUE(sent) << carol.seen();
  EXPECT_EQ(sent->num("peer"), dan.id());
  EXPECT_TRUE(dan.waitFor([&](Seen& s) { return !eventsOf<FileDoneEvent>(s).empty(); })) << dan.describe();
  EXPECT_EQ(contentsOf(danInbox.path() / "minutes.txt"), data);
  host->with([&](Seen& s) {
    EXPECT_TRUE(eventsOf<FileDoneEvent>(s).empty()) << "ann's copy is still paused";
    for (const auto& e : eventsOf<FileProgressEvent>(s)) EXPECT_EQ(e.done, 0u);
  });
  ASSERT_TRUE(carol.process().writeLine("/resume " + id + " ann"));
  sent = carol.next("file_done");
  ASSERT_TRUE(sent) << carol.seen();
  EXPECT_EQ(sent->num("peer"), host->id());
  EXPECT_EQ(contentsOf(annInbox.path() / "minutes.txt"), data);
}

TEST(Cli, AcceptFilesTakesEveryOfferAndEndOfInputWaitsForTheTransfer) {
  auto host = startHost("ann");
  TempDir inbox, outbox;
  JsonCli bob({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "bob", "--accept-files",
               inbox.string(), "--stay"});
  ASSERT_TRUE(bob.next("welcome")) << bob.seen();
  const std::string data = randomText(2 * 1024 * 1024 + 3);
  // carol sends it to the room and her input ends at once: she stays until it has arrived.
  const std::string path = writeFile(outbox, "clip.bin", data);
  JsonCli carol({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "carol"});
  ASSERT_TRUE(carol.next("welcome")) << carol.seen();
  ASSERT_TRUE(carol.process().writeLine("/send " + path + " bob"));
  carol.process().closeInput();
  auto received = bob.next("file_done");
  ASSERT_TRUE(received) << bob.seen();
  EXPECT_FALSE((*received)["outgoing"].boolean);
  EXPECT_EQ(received->str("path"), (inbox.path() / "clip.bin").string());
  EXPECT_EQ(contentsOf(inbox.path() / "clip.bin"), data);
  auto sent = carol.next("file_done");
  ASSERT_TRUE(sent) << carol.seen();
  EXPECT_EQ(sent->str("hash"), received->str("hash"));
  ASSERT_TRUE(carol.next("disconnected")) << carol.seen();
  EXPECT_EQ(carol.process().wait(), 0);
}

/// The command line of bob joining host with a data folder of his own, staying when his input
/// ends: run again, it is the same installation coming back.
std::vector<std::string> bobWithADataFolder(TestParticipant& host, const TempDir& data) {
  return {"join", "127.0.0.1:" + std::to_string(host.port()), "--name", "bob", "--data-dir", data.string(), "--stay"};
}

TEST(Cli, ARecipientKilledMidTransferTakesItUpAgainWhenItComesBack) {
  auto host = startHost("ann");
  TempDir data, inbox, outbox;
  const std::string content = randomText(24 * 1024 * 1024);
  const std::string path = writeFile(outbox, "big.bin", content);
  const auto args = bobWithADataFolder(*host, data);
  TransferId id = 0;
  {
    JsonCli bob(args);
    ASSERT_TRUE(bob.next("welcome")) << bob.seen();
    host->submit(SendFileCommand{kNoClient, path});
    auto offer = bob.next("file_offer");
    ASSERT_TRUE(offer) << bob.seen();
    id = static_cast<TransferId>(offer->num("transfer"));
    // bob takes no more than the first window, so that he surely dies in the middle.
    ASSERT_TRUE(bob.process().writeLine("/pause " + std::to_string(id)));
    ASSERT_TRUE(bob.process().writeLine("/accept " + std::to_string(id) + " " + inbox.string()));
    for (;;) {
      auto progress = bob.next("file_progress");
      ASSERT_TRUE(progress) << bob.seen();
      if (progress->num("done") > 0) break;
    }
    bob.process().kill(SIGKILL);
    bob.process().wait();
  }
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.left.empty(); })) << host->describe();
  // Not under its name yet; its part is.
  EXPECT_FALSE(std::filesystem::exists(inbox.path() / "big.bin"));
  EXPECT_TRUE(std::filesystem::exists(inbox.path() / "big.bin.chatport-part"));

  JsonCli again(args);
  ASSERT_TRUE(again.next("welcome")) << again.seen();
  auto offer = again.next("file_offer");
  ASSERT_TRUE(offer) << again.seen();
  EXPECT_EQ(static_cast<TransferId>(offer->num("transfer")), id);
  EXPECT_TRUE((*offer)["resumed"].boolean);
  auto done = again.next("file_done", 60s);
  ASSERT_TRUE(done) << again.seen();
  EXPECT_EQ(contentsOf(inbox.path() / "big.bin"), content);
  EXPECT_FALSE(std::filesystem::exists(inbox.path() / "big.bin.chatport-part"));
  // The sender's copy to bob went on under its first name.
  ASSERT_TRUE(host->waitFor([&](Seen& s) {
    for (const auto& e : s.all)
      if (const auto* d = std::get_if<FileDoneEvent>(&e); d && d->id == id && d->outgoing) return true;
    return false;
  })) << host->describe();
}

/// bob (a joiner with its own data folder) offers a 24 MiB file to the room; ann, the host,
/// accepts it paused, so that it stops within the first window; bob's program is killed there.
/// Returns the transfer's number (0 if a step failed, with the reason in a test failure).
TransferId senderKilledMidTransfer(TestParticipant& host, const std::vector<std::string>& args,
                                   const std::string& path, const TempDir& inbox) {
  JsonCli bob(args);
  EXPECT_TRUE(bob.next("welcome")) << bob.seen();
  EXPECT_TRUE(bob.process().writeLine("/send " + path));
  auto offered = bob.next("file_offer");
  EXPECT_TRUE(offered) << bob.seen();
  if (!offered) return 0;
  const auto id = static_cast<TransferId>(offered->num("transfer"));
  host.submit(PauseFileCommand{id, true});
  host.submit(AcceptFileCommand{id, inbox.string()});
  const bool someIn = host.waitFor([&](Seen& s) {
    for (const auto& e : eventsOf<FileProgressEvent>(s))
      if (e.id == id && !e.outgoing && e.done > 0) return true;
    return false;
  });
  EXPECT_TRUE(someIn) << host.describe();
  bob.process().kill(SIGKILL);
  bob.process().wait();
  EXPECT_TRUE(host.waitFor([](Seen& s) { return !s.left.empty(); })) << host.describe();
  return someIn ? id : 0;
}

TEST(Cli, ASenderKilledMidTransferOffersItAgainWhenItComesBack) {
  auto host = startHost("ann");
  TempDir data, inbox, outbox;
  const std::string content = randomText(24 * 1024 * 1024);
  const std::string path = writeFile(outbox, "big.bin", content);
  const auto args = bobWithADataFolder(*host, data);
  const TransferId id = senderKilledMidTransfer(*host, args, path, inbox);
  ASSERT_NE(id, 0u);

  JsonCli again(args);
  ASSERT_TRUE(again.next("welcome")) << again.seen();
  auto offer = again.next("file_offer");
  ASSERT_TRUE(offer) << again.seen();
  EXPECT_EQ(static_cast<TransferId>(offer->num("transfer")), id);
  EXPECT_TRUE((*offer)["outgoing"].boolean);
  EXPECT_EQ(offer->str("from_name"), "bob");
  EXPECT_TRUE((*offer)["resumed"].boolean);
  host->submit(PauseFileCommand{id, false});
  std::optional<FileDoneEvent> received;
  ASSERT_TRUE(host->waitFor([&](Seen& s) {
    for (const auto& e : eventsOf<FileDoneEvent>(s))
      if (e.id == id && !e.outgoing) received = e;
    return received.has_value();
  })) << host->describe();
  EXPECT_EQ(contentsOf(inbox.path() / "big.bin"), content);
  auto sent = again.next("file_done", 60s);
  ASSERT_TRUE(sent) << again.seen();
  EXPECT_TRUE((*sent)["outgoing"].boolean);
  EXPECT_EQ(sent->str("hash"), received->hash);
}

TEST(Cli, ASenderKilledMidTransferWhoseFileChangedMeanwhileCancelsItAndSaysWhy) {
  auto host = startHost("ann");
  TempDir data, inbox, outbox;
  const std::string path = writeFile(outbox, "big.bin", randomText(24 * 1024 * 1024));
  const auto args = bobWithADataFolder(*host, data);
  const TransferId id = senderKilledMidTransfer(*host, args, path, inbox);
  ASSERT_NE(id, 0u);
  writeFile(outbox, "big.bin", randomText(24 * 1024 * 1024));  // the same size, other bytes

  JsonCli again(args);
  ASSERT_TRUE(again.next("welcome")) << again.seen();
  auto failed = again.next("file_failed");
  ASSERT_TRUE(failed) << again.seen();
  EXPECT_EQ(static_cast<TransferId>(failed->num("transfer")), id);
  EXPECT_EQ(failed->str("reason"), "read_failed");
  EXPECT_NE(failed->str("detail").find("changed since it was offered"), std::string::npos) << failed->str("detail");
  // ann's copy ends, and nothing of it is left in her folder.
  ASSERT_TRUE(host->waitFor([&](Seen& s) {
    for (const auto& e : eventsOf<FileFailedEvent>(s))
      if (e.id == id && !e.outgoing) return true;
    return false;
  })) << host->describe();
  EXPECT_TRUE(chatport::test::pollUntil([&] { return std::filesystem::is_empty(inbox.path()); }));
}

TEST(Cli, ASenderBackAfterTheHostStoppedWaitingIsToldTheOfferEndedAndForgetsIt) {
  CoreOptions options = testOptions();
  options.transferResumeWindow = 300ms;
  auto host = startHost("ann", options);
  TempDir data, inbox, outbox;
  const std::string path = writeFile(outbox, "big.bin", randomText(24 * 1024 * 1024));
  const auto args = bobWithADataFolder(*host, data);
  const TransferId id = senderKilledMidTransfer(*host, args, path, inbox);
  ASSERT_NE(id, 0u);
  // The host stops waiting for bob: ann's copy ends.
  ASSERT_TRUE(host->waitFor([&](Seen& s) {
    for (const auto& e : eventsOf<FileFailedEvent>(s))
      if (e.id == id && !e.outgoing) return e.reason == TransferFailure::PeerLeft;
    return false;
  })) << host->describe();
  const auto offerRecords = [&] {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(data.path()))
      n += e.path().extension() == ".offer";
    return n;
  };
  EXPECT_EQ(offerRecords(), 1u) << "bob's program noted its offer";

  JsonCli again(args);
  ASSERT_TRUE(again.next("welcome")) << again.seen();
  auto failed = again.next("file_failed");
  ASSERT_TRUE(failed) << again.seen();
  EXPECT_EQ(static_cast<TransferId>(failed->num("transfer")), id);
  EXPECT_EQ(failed->str("reason"), "session_ended");
  EXPECT_TRUE(chatport::test::pollUntil([&] { return offerRecords() == 0; })) << "the note is forgotten";
}

TEST(Cli, TwoProgramsWithOneDataFolderInOneRoomNeverTakeUpEachOthersTransfers) {
  auto host = startHost("ann");
  TempDir data, inbox, outbox;
  const std::string content = randomText(24 * 1024 * 1024);
  const std::string path = writeFile(outbox, "big.bin", content);
  JsonCli bob(bobWithADataFolder(*host, data));
  ASSERT_TRUE(bob.next("welcome")) << bob.seen();
  host->submit(SendFileCommand{kNoClient, path});
  auto offer = bob.next("file_offer");
  ASSERT_TRUE(offer) << bob.seen();
  const std::string id = std::to_string(static_cast<TransferId>(offer->num("transfer")));
  ASSERT_TRUE(bob.process().writeLine("/pause " + id));
  ASSERT_TRUE(bob.process().writeLine("/accept " + id + " " + inbox.string()));
  for (;;) {
    auto progress = bob.next("file_progress");
    ASSERT_TRUE(progress) << bob.seen();
    if (progress->num("done") > 0) break;
  }
  // A second program on the same data folder joins the same room under another name.
  JsonCli other({"join", "127.0.0.1:" + std::to_string(host->port()), "--name", "bob2", "--data-dir", data.string(),
                 "--stay"});
  ASSERT_TRUE(other.next("welcome")) << other.seen();
  ASSERT_TRUE(bob.process().writeLine("/resume " + id));
  ASSERT_TRUE(bob.next("file_done", 60s)) << bob.seen();
  EXPECT_EQ(contentsOf(inbox.path() / "big.bin"), content);
  host->say("all here");
  auto said = other.next("message");
  ASSERT_TRUE(said) << other.seen();
  EXPECT_EQ(said->str("text"), "all here");
  EXPECT_EQ(other.seen().find(R"("event":"file_)"), std::string::npos) << "bob2 took up bob's transfer:\n"
                                                                        << other.seen();
}

}  // namespace
}  // namespace chatport::chat::test
