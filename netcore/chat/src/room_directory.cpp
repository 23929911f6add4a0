#include "room_directory.h"

#include "name_rules.h"

#include <algorithm>
#include <tuple>

namespace chatport::chat {
namespace {

// Change counters wrap: a counter is newer if it is less than half the range ahead (RFC 1982).
bool notOlder(std::uint32_t candidate, std::uint32_t held) {
  return static_cast<std::int32_t>(candidate - held) >= 0;
}

}  // namespace

net::Bytes RoomDirectory::query() { return beacon::encode(beacon::Query{}); }

bool RoomDirectory::established(const Heard& heard) const {
  return heard.last - heard.first >= limits_.establishedAfter;
}

bool RoomDirectory::established(const Entry& entry) const {
  return entry.lastHeard - entry.firstHeard >= limits_.establishedAfter;
}

std::size_t RoomDirectory::roomsFrom(const AddressKey& source) const {
  const auto from = [&](const Heard& h) { return h.address == source; };
  return static_cast<std::size_t>(std::count_if(rooms_.begin(), rooms_.end(), [&](const auto& room) {
    return std::any_of(room.second.addresses.begin(), room.second.addresses.end(), from);
  }));
}

std::string RoomDirectory::sortKeyOf(const beacon::RoomInfo& room) {
  const std::string& shown = room.roomName.empty() ? room.hostName : room.roomName;
  return detail::foldName(shown) + '\0' + detail::foldName(room.hostName);
}

DiscoveredRoom RoomDirectory::snapshot(const RoomId& id, const Entry& entry) {
  DiscoveredRoom room{id, entry.announce.room, entry.announce.changeCounter, {}};
  room.addresses.reserve(entry.addresses.size());
  for (const Heard& heard : entry.addresses)
    room.addresses.push_back(heard.address.withPort(entry.announce.room.tcpPorts.front()));
  return room;
}

beacon::BeaconError RoomDirectory::onDatagram(const net::Endpoint& from, std::span<const std::byte> datagram,
                                              Clock::time_point now, std::vector<Change>& changes) {
  beacon::Datagram message;
  if (const auto error = beacon::parse(datagram, message); error != beacon::BeaconError::None) {
    ++counters_.malformed;
    return error;
  }
  const auto* announce = std::get_if<beacon::Announce>(&message);
  if (!announce) return beacon::BeaconError::None;
  const AddressKey source = AddressKey::of(from);
  const RoomId id{announce->instance, announce->room.hostKey};

  const auto found = rooms_.find(id);
  if (found == rooms_.end()) {
    addRoom(id, *announce, source, now, changes);
    return beacon::BeaconError::None;
  }
  Entry& entry = found->second;
  DiscoveredRoom before = snapshot(id, entry);
  if (!hearAddress(entry, source, now)) return beacon::BeaconError::None;
  entry.lastHeard = now;
  // An older announcement that took a slower path does not undo a newer one.
  if (notOlder(announce->changeCounter, entry.announce.changeCounter)) {
    if (!(announce->room == entry.announce.room)) entry.sortKey = sortKeyOf(announce->room);
    entry.announce = *announce;
  }
  DiscoveredRoom after = snapshot(id, entry);
  if (!(after == before)) changes.push_back({ChangeKind::Updated, std::move(after)});
  return beacon::BeaconError::None;
}

void RoomDirectory::addRoom(const RoomId& id, const beacon::Announce& announce, const AddressKey& source,
                            Clock::time_point now, std::vector<Change>& changes) {
  if (roomsFrom(source) >= limits_.maxRoomsPerSource) {
    ++counters_.notListed;
    return;
  }
  if (rooms_.size() >= limits_.maxRooms) {
    // The newest room not yet established makes way; established rooms never do.
    auto victim = rooms_.end();
    for (auto it = rooms_.begin(); it != rooms_.end(); ++it) {
      if (established(it->second)) continue;
      if (victim == rooms_.end() || it->second.firstHeard >= victim->second.firstHeard) victim = it;
    }
    if (victim == rooms_.end()) {
      ++counters_.notListed;
      return;
    }
    changes.push_back({ChangeKind::Removed, snapshot(victim->first, victim->second)});
    rooms_.erase(victim);
  }
  Entry entry{announce, {Heard{source, now, now}}, now, now, sortKeyOf(announce.room)};
  const auto inserted = rooms_.emplace(id, std::move(entry)).first;
  changes.push_back({ChangeKind::Added, snapshot(id, inserted->second)});
}

bool RoomDirectory::hearAddress(Entry& entry, const AddressKey& source, Clock::time_point now) {
  auto& addresses = entry.addresses;
  const auto known =
      std::find_if(addresses.begin(), addresses.end(), [&](const Heard& h) { return h.address == source; });
  if (known != addresses.end()) {
    known->last = now;
    return true;
  }
  if (roomsFrom(source) >= limits_.maxRoomsPerSource) {
    ++counters_.notListed;
    return false;
  }
  if (addresses.size() >= limits_.maxAddressesPerRoom) {
    // As with rooms: the newest address not yet established makes way, or the new one is not kept.
    auto victim = addresses.end();
    for (auto it = addresses.begin(); it != addresses.end(); ++it)
      if (!established(*it) && (victim == addresses.end() || it->first >= victim->first)) victim = it;
    if (victim == addresses.end()) {
      ++counters_.notListed;
      return false;
    }
    addresses.erase(victim);
  }
  addresses.push_back({source, now, now});
  std::sort(addresses.begin(), addresses.end(), [](const Heard& a, const Heard& b) {
    return std::tuple(a.address.rank(), a.first, a.address) <
           std::tuple(b.address.rank(), b.first, b.address);
  });
  return true;
}

void RoomDirectory::expire(Clock::time_point now, std::vector<Change>& changes) {
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    Entry& entry = it->second;
    auto& addresses = entry.addresses;
    const auto stale = [&](const Heard& h) { return now - h.last >= limits_.expireAfter; };
    if (std::none_of(addresses.begin(), addresses.end(), stale)) {
      ++it;
      continue;
    }
    DiscoveredRoom before = snapshot(it->first, entry);
    std::erase_if(addresses, stale);
    if (addresses.empty()) {
      changes.push_back({ChangeKind::Removed, std::move(before)});
      it = rooms_.erase(it);
      continue;
    }
    changes.push_back({ChangeKind::Updated, snapshot(it->first, entry)});
    ++it;
  }
}

std::optional<RoomDirectory::Clock::time_point> RoomDirectory::nextExpiry() const {
  std::optional<Clock::time_point> next;
  for (const auto& [id, entry] : rooms_)
    for (const Heard& heard : entry.addresses)
      if (!next || heard.last + limits_.expireAfter < *next) next = heard.last + limits_.expireAfter;
  return next;
}

std::vector<DiscoveredRoom> RoomDirectory::rooms() const {
  std::vector<Rooms::const_iterator> order;
  order.reserve(rooms_.size());
  for (auto it = rooms_.begin(); it != rooms_.end(); ++it) order.push_back(it);
  // rooms_ is in id order already, so a stable sort by name leaves equal names in id order.
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a->second.sortKey < b->second.sortKey; });
  std::vector<DiscoveredRoom> out;
  out.reserve(order.size());
  for (const auto& it : order) out.push_back(snapshot(it->first, it->second));
  return out;
}

}  // namespace chatport::chat
