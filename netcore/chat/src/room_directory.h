#pragma once
// The joiner's side of the room beacon (beacon.h), without sockets: the rooms heard on the
// network, for a list a person picks from. The caller gives it the datagrams that came to the
// discovery socket (and the answers to unicast queries) and the time; it tells what changed.
//
// A room is its host's run: the instance id and the host's key together. One room heard over
// several interfaces and address families is one entry with all those addresses, the best
// first (AddressRank: routable IPv4, routable IPv6, link-local IPv4, link-local IPv6 with its
// scope; among equals, the one heard first). An address not heard for expireAfter (10 s: three
// announcements lost in a row at the longest interval, 3.3 s, and a little) is dropped, and the
// room with its last address.
//
// Bounds, against floods of forged announcements: at most maxRooms rooms, maxRoomsPerSource
// rooms from one address, and maxAddressesPerRoom addresses per room. A room (or an address) is
// *established* once heard again at least establishedAfter (1 s) after it was first heard, as
// a real host does every few seconds; copies of one announcement over several paths arrive
// together and do not count. When the list is full, a new room takes the place of the newest
// room not yet established; if every room is established, the new one is not listed. So a
// flood can churn only its own entries: it never pushes out a room heard repeatedly, and a room
// heard once just before the flood keeps its place until its next announcement establishes
// it. The price: while a flood keeps the list full, rooms that start during it may not show
// (the person can still type the address). Addresses within a room are bounded the same way.
//
// Nothing in a beacon is authenticated: anyone can announce any room, name and address, or
// repeat a real room's instance id and key with other details. The joiner checks the key the
// host shows in the Noise handshake against DiscoveredRoom::id.hostKey.
//
// Not thread-safe: one owner thread.

#include "address_key.h"
#include "beacon.h"

#include <chatport/net/buffer.h>
#include <chatport/net/endpoint.h>

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace chatport::chat {

struct RoomId {
  beacon::InstanceId instance{};
  beacon::HostKey hostKey{};
  friend auto operator<=>(const RoomId&, const RoomId&) = default;
};

/// One room as a list shows it.
struct DiscoveredRoom {
  RoomId id;
  beacon::RoomInfo info;  ///< the latest announcement's
  std::uint32_t changeCounter = 0;
  /// Where to join, best first: each with the room's first TCP port (and, for IPv6 link-local,
  /// the scope it was heard on). Never empty.
  std::vector<net::Endpoint> addresses;
  friend bool operator==(const DiscoveredRoom&, const DiscoveredRoom&) = default;
};

class RoomDirectory {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    std::size_t maxRooms = 256;
    std::size_t maxRoomsPerSource = 8;
    std::size_t maxAddressesPerRoom = 8;
    Clock::duration expireAfter = std::chrono::seconds(10);
    Clock::duration establishedAfter = std::chrono::seconds(1);
  };

  enum class ChangeKind : std::uint8_t {
    Added,
    Updated,  ///< what the room says, or where it is, changed (not every announcement)
    Removed,  ///< expired, or made room for another; room is its last state
  };
  struct Change {
    ChangeKind kind = ChangeKind::Added;
    DiscoveredRoom room;
  };

  /// What happened to the announcements given, for logs and tests.
  struct Counters {
    std::uint64_t malformed = 0;
    std::uint64_t notListed = 0;  ///< new rooms or addresses refused: the list was full
  };

  RoomDirectory() : RoomDirectory(Limits{}) {}
  explicit RoomDirectory(Limits limits) : limits_(limits) {}

  /// The query to send (broadcast, multicast, or unicast to a remembered host): hosts that hear
  /// it answer at once.
  static net::Bytes query();

  /// A datagram that came from `from`. Appends to changes what it changed. Queries (other
  /// joiners') are ignored; a malformed datagram changes nothing and its error comes back.
  beacon::BeaconError onDatagram(const net::Endpoint& from, std::span<const std::byte> datagram,
                                 Clock::time_point now, std::vector<Change>& changes);

  /// Drops what was not heard for expireAfter; appends the changes.
  void expire(Clock::time_point now, std::vector<Change>& changes);
  /// When expire() next has something to do: the caller's timer. nullopt when empty.
  std::optional<Clock::time_point> nextExpiry() const;

  /// The rooms, sorted by room name (or host name where it has none), then host name, in their
  /// compared (case-folded) form, then by id: the same order every time.
  std::vector<DiscoveredRoom> rooms() const;
  std::size_t size() const noexcept { return rooms_.size(); }
  const Counters& counters() const noexcept { return counters_; }

 private:
  struct Heard {
    AddressKey address;
    Clock::time_point first;
    Clock::time_point last;
  };
  struct Entry {
    beacon::Announce announce;
    std::vector<Heard> addresses;  // in the order shown: best first
    Clock::time_point firstHeard;
    Clock::time_point lastHeard;
    std::string sortKey;
  };
  using Rooms = std::map<RoomId, Entry>;

  bool established(const Heard& heard) const;
  bool established(const Entry& entry) const;
  std::size_t roomsFrom(const AddressKey& source) const;
  void addRoom(const RoomId& id, const beacon::Announce& announce, const AddressKey& source,
               Clock::time_point now, std::vector<Change>& changes);
  bool hearAddress(Entry& entry, const AddressKey& source, Clock::time_point now);
  static DiscoveredRoom snapshot(const RoomId& id, const Entry& entry);
  static std::string sortKeyOf(const beacon::RoomInfo& room);

  Limits limits_;
  Rooms rooms_;
  Counters counters_;
};

}  // namespace chatport::chat
