#include "test_participant.h"


#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace chatport::chat::test {

CoreOptions testOptions() {
  CoreOptions o;
  o.threads = 1;
  o.connectTimeout = 5s;
  o.reconnectInitialDelay = 100ms;
  o.reconnectMaxDelay = 400ms;
  o.statsInterval = 0ms;
  o.passwordMemoryKiB = 8 * 1024;
  o.passwordIterations = 1;
  return o;
}

CoreOptions hostOptions() {
  CoreOptions o = testOptions();
  o.threads = 2;
  return o;
}

bool Seen::endedWith(ErrorCode code) const {
  return !disconnected.empty() && disconnected.back().reason == code && !disconnected.back().willReconnect &&
         !hasError(code);
}

bool Seen::hasError(ErrorCode code) const {
  for (const auto& e : errors)
    if (e.code == code) return true;
  return false;
}

bool Seen::isIn(std::string_view name) const {
  for (const auto& p : clients)
    if (p.name == name) return true;
  return false;
}

std::string Seen::describe() const {
  std::ostringstream out;
  out << all.size() << " events; connected " << connected.size() << "; list [";
  for (const auto& p : clients) out << p.name << "#" << p.id << " ";
  out << "]; messages " << messages.size() << "; joined " << joined.size() << "; left "
      << left.size() << "; errors [";
  for (const auto& e : errors) out << errorName(e.code) << ": " << e.detail << "; ";
  out << "]; disconnected [";
  for (const auto& d : disconnected)
    out << errorName(d.reason) << (d.willReconnect ? " (reconnecting)" : "") << ": " << d.detail << "; ";
  out << "]; reconnecting " << reconnecting.size();
  // Files: each transfer event, briefly.
  for (const auto& e : all) {
    if (const auto* o = std::get_if<FileOfferEvent>(&e))
      out << "; offer " << o->id << (o->outgoing ? " out" : " in");
    else if (const auto* p = std::get_if<FileProgressEvent>(&e))
      out << "; progress " << p->id << " " << p->done << "/" << p->size << " state " << static_cast<int>(p->state);
    else if (const auto* d = std::get_if<FileDoneEvent>(&e))
      out << "; done " << d->id << (d->outgoing ? " out" : " in");
    else if (const auto* f = std::get_if<FileFailedEvent>(&e))
      out << "; failed " << f->id << " " << transferFailureName(f->reason) << ": " << f->detail;
  }
  return out.str();
}

namespace {
CoreOptions withDataDir(CoreOptions options, const std::string& folder) {
  options.dataDir = folder;
  return options;
}
}  // namespace

TestParticipant::TestParticipant(CoreOptions options, bool keepText)
    : ownDataDir_(options.dataDir.empty() ? std::make_unique<chatport::test::TempDir>() : nullptr),
      dataDirPath_(ownDataDir_ ? ownDataDir_->string() : options.dataDir),
      seen_(std::make_shared<Guarded<Seen>>()),
      core_(std::make_unique<ChatCore>(withDataDir(options, dataDirPath_))) {
  ChatCore* core = core_.get();
  core_->setWakeCallback([seen = seen_, core, keepText] {
    std::vector<Event> batch;
    while (core->drainEvents(batch, 1000) > 0) {
      seen->with([&](Seen& s) {
        for (auto& event : batch) {
          std::visit(
              [&](auto& e) {
                using E = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<E, ConnectedEvent>) s.connected.push_back(e);
                if constexpr (std::is_same_v<E, ClientListEvent>) s.clients = e.clients;
                if constexpr (std::is_same_v<E, MessageEvent>) {
                  s.messageBytes += e.text.size();
                  if (!keepText) e.text.clear();
                  s.messages.push_back(e);
                }
                if constexpr (std::is_same_v<E, PrivateMessageEvent>) s.privates.push_back(e);
                if constexpr (std::is_same_v<E, JoinedEvent>) s.joined.push_back(e);
                if constexpr (std::is_same_v<E, LeftEvent>) s.left.push_back(e);
                if constexpr (std::is_same_v<E, RenamedEvent>) s.renamed.push_back(e);
                if constexpr (std::is_same_v<E, ErrorEvent>) s.errors.push_back(e);
                if constexpr (std::is_same_v<E, DisconnectedEvent>) s.disconnected.push_back(e);
                if constexpr (std::is_same_v<E, ReconnectingEvent>) s.reconnecting.push_back(e);
                if constexpr (std::is_same_v<E, StatsEvent>) s.stats.push_back(e);
              },
              event);
          s.all.push_back(std::move(event));
        }
      });
      batch.clear();
    }
  });
}

TestParticipant::~TestParticipant() { core_.reset(); }

void TestParticipant::host(const std::string& name, std::uint16_t port, const std::string& bind) {
  HostCommand command{name, bind, port};
  command.announce = false;  // tests of discovery announce on a discovery port of their own
  submit(std::move(command));
}

void TestParticipant::hostAnnounced(const std::string& name, const DiscoveryOptions& discovery) {
  HostCommand command{name, "", 0};  // every address, IPv6 and IPv4
  command.discovery = discovery;
  submit(std::move(command));
}

void TestParticipant::join(const std::string& name, std::uint16_t port, const std::string& host) {
  submit(JoinCommand{name, host, port});
}

bool TestParticipant::waitConnected(std::size_t n) {
  // Gives up early if the session ends for good meanwhile (a refusal, say).
  auto finals = [](const Seen& s) {
    return std::count_if(s.disconnected.begin(), s.disconnected.end(),
                         [](const auto& d) { return !d.willReconnect; });
  };
  const auto before = with([&](Seen& s) { return finals(s); });
  waitFor([&](Seen& s) { return s.connected.size() >= n || finals(s) > before; });
  return with([n](Seen& s) { return s.connected.size() >= n; });
}

ClientId TestParticipant::id() {
  return with([](Seen& s) { return s.connected.empty() ? kNoClient : s.connected.back().self; });
}

std::uint16_t TestParticipant::port() {
  return with([](Seen& s) { return s.connected.empty() ? std::uint16_t{0} : s.connected.back().port; });
}

}  // namespace chatport::chat::test
