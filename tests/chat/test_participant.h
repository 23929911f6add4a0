#pragma once
// A ChatCore driven the way a front end drives it, recording what a user would see. Its wake
// callback drains the events on the core's thread into a Guarded state the test waits on.

#include <chatport/chat/chat_core.h>

#include "raw_socket.h"
#include "temp_dir.h"
#include "wait.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chatport::chat::test {

using chatport::test::Guarded;
using namespace std::chrono_literals;

/// Options for tests: fast reconnects, no periodic stats, one engine thread, the cheapest
/// password hashing.
CoreOptions testOptions();
/// testOptions() for a host whose joiners are spread over two loops: broadcasts cross threads.
CoreOptions hostOptions();

using chatport::test::freeUdpPort;

struct Seen {
  std::vector<Event> all;  // every event, in order (message text dropped if !keepText)
  std::vector<ConnectedEvent> connected;
  std::vector<Participant> clients;  // the latest ClientListEvent
  std::vector<MessageEvent> messages;
  std::vector<PrivateMessageEvent> privates;
  std::vector<JoinedEvent> joined;
  std::vector<LeftEvent> left;
  std::vector<RenamedEvent> renamed;
  std::vector<ErrorEvent> errors;
  std::vector<DisconnectedEvent> disconnected;
  std::vector<ReconnectingEvent> reconnecting;
  std::vector<StatsEvent> stats;
  std::size_t messageBytes = 0;

  bool hasError(ErrorCode code) const;
  /// The session ended for that reason, said once: by its DisconnectedEvent, with no ErrorEvent.
  bool endedWith(ErrorCode code) const;
  bool isIn(std::string_view name) const;  // in the latest client list
  std::string describe() const;            // for failure messages
};

/// Every event of type E seen, in order.
template <typename E>
std::vector<E> eventsOf(const Seen& s) {
  std::vector<E> out;
  for (const auto& e : s.all)
    if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
  return out;
}

class TestParticipant {
 public:
  /// With options.dataDir empty, the participant gets a data folder of its own (its own key
  /// and pinned hosts), removed when it goes.
  explicit TestParticipant(CoreOptions options = testOptions(), bool keepText = true);
  ~TestParticipant();

  void host(const std::string& name, std::uint16_t port = 0, const std::string& bind = "127.0.0.1");
  void join(const std::string& name, std::uint16_t port, const std::string& host = "127.0.0.1");
  /// Hosts on every address (dual-stack) and a free port, announcing the room as discovery says.
  void hostAnnounced(const std::string& name, const DiscoveryOptions& discovery);
  /// The folder its key and pinned hosts are kept in.
  const std::string& dataDir() const { return dataDirPath_; }
  void submit(Command command) { core_->submit(std::move(command)); }
  void say(std::string text) { submit(SendCommand{std::move(text)}); }

  /// Waits until pred(seen) holds; false at the deadline.
  template <typename Pred>
  bool waitFor(Pred&& pred, std::chrono::milliseconds deadline = chatport::test::kDeadline) {
    return seen_->waitFor(std::forward<Pred>(pred), deadline);
  }
  template <typename Fn>
  auto with(Fn&& fn) {
    return seen_->with(std::forward<Fn>(fn));
  }
  /// Waits for the n-th ConnectedEvent.
  bool waitConnected(std::size_t n = 1);
  ClientId id();
  std::uint16_t port();  // host: the bound port
  std::string describe() { return with([](Seen& s) { return s.describe(); }); }

  /// Destroys the core now (a clean leave).
  void stop() { core_.reset(); }

 private:
  std::unique_ptr<chatport::test::TempDir> ownDataDir_;  // before core_: it outlives the core
  std::string dataDirPath_;
  std::shared_ptr<Guarded<Seen>> seen_;
  std::unique_ptr<ChatCore> core_;
};

}  // namespace chatport::chat::test
