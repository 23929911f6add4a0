#pragma once
// The address of an endpoint without its port, as an ordered value: what the room beacon
// counts a sender by and files a room's addresses under. An IPv4 address that came through a
// dual-stack socket (::ffff:a.b.c.d) is the IPv4 address. Internal to the chat core.

#include <chatport/net/endpoint.h>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>

namespace chatport::chat {

/// How good an address is for joining a room, best first: a routable IPv4 address, a
/// routable IPv6 one, then link-local ones (IPv6 link-local needs its scope, the interface).
enum class AddressRank : std::uint8_t { RoutableV4, RoutableV6, LinkLocalV4, LinkLocalV6 };

struct AddressKey {
  bool v6 = false;
  std::array<std::byte, 16> address{};  ///< IPv4: the first 4 bytes
  std::uint32_t scopeId = 0;            ///< IPv6 link-local only: the interface

  /// Thread-safe. An invalid endpoint gives the IPv4 address 0.0.0.0.
  static AddressKey of(const net::Endpoint& endpoint);

  AddressRank rank() const noexcept;
  /// This address with a port (and the scope, for IPv6 link-local).
  net::Endpoint withPort(std::uint16_t port) const;

  friend auto operator<=>(const AddressKey&, const AddressKey&) = default;
};

}  // namespace chatport::chat
