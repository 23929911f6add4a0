#pragma once
// Finding rooms on the network without typing an address (docs/protocol.md, "Room beacon").
//
// A host announces its room (HostCommand::announce); a RoomFinder hears the announcements and
// asks rooms to answer at once when it starts:
//
//   chat::RoomFinder finder;                       // its own engine thread
//   finder.setOnChange([&] { /* any thread: schedule a look at finder.rooms() */ });
//   if (auto ec = finder.start()) { /* no discovery: ec says why; joining by address works */ }
//   for (const chat::FoundRoom& room : finder.rooms()) show(room);
//
// Beacons go out on every up, non-loopback interface that is not obviously a virtual machine's
// or a container's (DiscoveryOptions::interfaces picks others), as an IPv4 broadcast, to an IPv4
// multicast group (TTL 1) and to an IPv6 link-local multicast group; a machine with nothing but
// loopback uses loopback, so that rooms on one machine find each other. Rooms beyond the local
// network are reached by unicast probes: RoomFinder::probe() with an address or a subnet, and
// the rooms this installation joined before are remembered in its data folder
// (rememberedRooms()), for a front end to list and probe.
#include <chatport/chat/types.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace chatport::chat {

/// A room heard on the network.
struct FoundRoom {
  std::string id;        ///< stable while the host runs: for matching updates to rows
  std::string roomName;  ///< empty: the room has no name of its own (show hostName)
  std::string hostName;
  std::uint32_t people = 0;
  bool passwordRequired = false;
  std::array<std::byte, 32> hostKey{};  ///< the host's static key, as announced
  std::string fingerprint;              ///< of hostKey, as the window and the CLI show keys
  /// Where to join, best first: "192.168.1.5", "fe80::1%eth0"... Never empty.
  std::vector<std::string> addresses;
  std::uint16_t port = 0;  ///< the room's TCP port
  std::uint16_t protocolVersion = 0;

  friend bool operator==(const FoundRoom&, const FoundRoom&) = default;

  /// The room's name, or the host's where it has none.
  const std::string& displayName() const noexcept { return roomName.empty() ? hostName : roomName; }
};

/// Listens for rooms on its own engine thread. Thread-safe; destroying it stops it.
class RoomFinder {
 public:
  explicit RoomFinder(DiscoveryOptions options = {});
  ~RoomFinder();
  RoomFinder(const RoomFinder&) = delete;
  RoomFinder& operator=(const RoomFinder&) = delete;

  /// Opens the discovery sockets and asks the rooms that can hear it to answer now (and again a
  /// second later, in case the first query was lost). An error when nothing could be opened at
  /// all (e.g. another program holds the discovery port for itself): the message for a person.
  std::error_code start(std::string& problem);
  /// Also asks address (a remembered room's, "10.0.5.7") or every address of a subnet
  /// ("10.0.5.0/24"; at most 1,024 addresses) directly, now and every few seconds, so that
  /// rooms the beacon cannot reach are listed too. False with problem set if it is neither.
  bool probe(std::string_view addressOrSubnet, std::string& problem);

  /// Runs on the finder's thread whenever the list changed. Keep it short: post to your own
  /// thread and call rooms() there.
  void setOnChange(std::function<void()> onChange);
  /// The rooms heard and not forgotten, in a stable order (by name).
  std::vector<FoundRoom> rooms() const;

  /// Idempotent; after it nothing changes any more.
  void stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

/// A room this installation joined: written by the chat core when a host first welcomes a join
/// (the file recent_rooms in the data folder), newest first, at most kMaxRememberedRooms.
struct RememberedRoom {
  std::string address;  ///< as it was joined: "192.168.1.5", "fe80::1%eth0", "my-laptop"
  std::uint16_t port = 0;
  std::string hostName;                 ///< the host's nickname then
  std::array<std::byte, 32> hostKey{};  ///< the key it showed (pinned for address:port)
  std::string fingerprint;              ///< of hostKey
  std::chrono::system_clock::time_point lastJoined;

  friend bool operator==(const RememberedRoom&, const RememberedRoom&) = default;
};
inline constexpr std::size_t kMaxRememberedRooms = 20;

/// The rooms remembered in dataFolder (empty: the platform's data folder), newest first. A
/// missing file is no rooms; damaged lines are skipped, and logged. Thread-safe.
std::vector<RememberedRoom> rememberedRooms(const std::string& dataFolder);
/// Forgets the room joined at address and port. False with problem set (for a person) if the
/// file cannot be written; forgetting a room not remembered is no error. Thread-safe.
bool forgetRoom(const std::string& dataFolder, const std::string& address, std::uint16_t port,
                std::string& problem);
/// The remembered room whose host name is text (compared as names are), or nullptr.
const RememberedRoom* findRememberedByName(const std::vector<RememberedRoom>& rooms, std::string_view text);

/// For a front end given a name where an address was expected: the room whose room or host
/// name is text (compared as names are, case-folded), or nullptr.
const FoundRoom* findRoomByName(const std::vector<FoundRoom>& rooms, std::string_view text);

}  // namespace chatport::chat
