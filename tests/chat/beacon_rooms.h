#pragma once
// Rooms, addresses and a clock for the room beacon's tests.

#include "address_key.h"
#include "beacon.h"

#include <chatport/net/endpoint.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatport::chat::testing {

using Clock = std::chrono::steady_clock;
inline const Clock::time_point kStart{std::chrono::hours(1)};

inline beacon::RoomInfo roomOf(std::string_view hostName, std::uint16_t tcpPort = 5150,
                               std::uint8_t keySeed = 1) {
  beacon::RoomInfo room;
  room.protocolVersion = 3;
  for (std::size_t i = 0; i < room.hostKey.size(); ++i) room.hostKey[i] = std::byte(keySeed + i);
  room.people = 1;
  room.tcpPorts = {tcpPort};
  room.hostName = std::string(hostName);
  return room;
}

inline beacon::InstanceId instanceOf(std::uint64_t n) {
  beacon::InstanceId id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = std::byte(n >> (8 * i) & 0xFF);
  return id;
}

/// A numeric address, e.g. "192.168.1.20:5151" or "[fe80::1%2]:5151" (scope given apart).
inline net::Endpoint at(std::string_view text) {
  const auto e = net::Endpoint::parse(text, 5151);
  return e ? *e : net::Endpoint{};
}

/// An IPv6 link-local address on interface scopeId.
inline net::Endpoint linkLocal(std::string_view address, std::uint32_t scopeId, std::uint16_t port = 5151) {
  AddressKey key = AddressKey::of(at("[" + std::string(address) + "]:1"));
  key.scopeId = scopeId;
  return key.withPort(port);
}

/// The IPv4 address 10.x.y.z of a forged sender number n.
inline net::Endpoint forgedSource(std::uint32_t n) {
  return at("10." + std::to_string(n >> 16 & 0xFF) + "." + std::to_string(n >> 8 & 0xFF) + "." +
            std::to_string(n & 0xFF) + ":" + std::to_string(1024 + n % 60000));
}

}  // namespace chatport::chat::testing
