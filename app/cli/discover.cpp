#include "discover.h"

#include "chat_console.h"
#include "json_line.h"
#include "terminal_text.h"

#include <chatport/chat/discovery.h>
#include <chatport/net/endpoint.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace chatport::cli {
namespace {

std::string endpointText(const std::string& address, std::uint16_t port) {
  return (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

// The finder with the command line's interfaces and probes, and the remembered rooms';
// nullptr (after saying why) if nothing can be looked for here.
std::unique_ptr<chat::RoomFinder> startFinder(const CommandLine& options, std::condition_variable& changed,
                                              std::mutex& mutex) {
  auto finder = std::make_unique<chat::RoomFinder>(options.discovery);
  finder->setOnChange([&] {
    std::lock_guard lock(mutex);
    changed.notify_all();
  });
  std::string problem;
  for (const auto& probe : options.probes) {
    if (!finder->probe(probe, problem)) {
      std::fprintf(stderr, "chatport-cli: %s\n", problem.c_str());
      return nullptr;
    }
  }
  // The rooms joined before, asked directly: they may be beyond the beacons' reach. One joined
  // by a computer's name is not asked (a probe takes an address).
  for (const auto& room : chat::rememberedRooms(options.dataDir))
    finder->probe(endpointText(room.address, room.port), problem);
  if (finder->start(problem)) {
    std::fprintf(stderr, "chatport-cli: %s\n", problem.c_str());
    return nullptr;
  }
  return finder;
}

std::string joinAddress(const chat::FoundRoom& room) { return endpointText(room.addresses.front(), room.port); }

}  // namespace

int runDiscover(const CommandLine& options) {
  std::mutex mutex;
  std::condition_variable changed;
  auto finder = startFinder(options, changed, mutex);
  if (!finder) return kExitNetwork;
  // Rooms that hear the query answer at once, the others as they announce: listen the whole time.
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  const auto rooms = finder->rooms();
  finder->stop();
  for (const auto& room : rooms) {
    if (options.json) {
      std::string addresses = "[";
      for (const auto& a : room.addresses) {
        if (addresses.size() > 1) addresses += ',';
        JsonLine::appendString(addresses, a);
      }
      addresses += ']';
      std::printf("%s\n", JsonLine("room")
                              .str("room", room.displayName())
                              .str("host", room.hostName)
                              .str("address", room.addresses.front())
                              .num("port", room.port)
                              .num("people", room.people)
                              .boolean("password", room.passwordRequired)
                              .str("fingerprint", room.fingerprint)
                              .raw("addresses", addresses)
                              .finish()
                              .c_str());
    } else {
      std::printf("%s  %u %s%s  %s  key %s\n", TerminalText::name(room.displayName()).c_str(), room.people,
                  room.people == 1 ? "person" : "people", room.passwordRequired ? "  password" : "",
                  joinAddress(room).c_str(), room.fingerprint.c_str());
    }
  }
  if (rooms.empty() && !options.json)
    std::fprintf(stderr, "chatport-cli: no rooms heard in %g s (rooms on other networks: --probe ADDR)\n",
                 options.seconds);
  std::fflush(stdout);
  return kExitOk;
}

bool maybeRoomName(const std::string& text) {
  return text != "localhost" && text.find('.') == std::string::npos && !net::Endpoint::parse(text, 1);
}

bool findRoomToJoin(CommandLine& options) {
  std::mutex mutex;
  std::condition_variable changed;
  auto finder = startFinder(options, changed, mutex);
  if (!finder) return false;
  // Rooms answer a query at once; the second query goes out after a second.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::optional<chat::FoundRoom> room;
  auto lookUp = [&] {
    const auto rooms = finder->rooms();
    if (const auto* match = chat::findRoomByName(rooms, options.host)) room = *match;
    return room.has_value();
  };
  {
    std::unique_lock lock(mutex);
    changed.wait_until(lock, deadline, lookUp);
  }
  if (room) {
    // The same answer comes by every path (IPv4, IPv6 link-local...): a moment more lets the
    // room be known at all its addresses, best first.
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    lookUp();
  }
  finder->stop();
  if (!room) {
    // Not heard now: a room joined before is tried where it was (its pinned key protects it).
    const auto remembered = chat::rememberedRooms(options.dataDir);
    const chat::RememberedRoom* known = chat::findRememberedByName(remembered, options.host);
    if (!known) return false;
    std::fprintf(stderr, "chatport-cli: the room '%s' was not heard now; joining it where it was last joined, %s\n",
                 TerminalText::name(known->hostName).c_str(), endpointText(known->address, known->port).c_str());
    options.host = known->address;
    options.port = known->port;
    return true;
  }
  options.host = room->addresses.front();
  options.port = room->port;
  options.expectedHostKey = room->hostKey;
  return true;
}

}  // namespace chatport::cli
