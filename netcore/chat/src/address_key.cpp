#include "address_key.h"

#include <algorithm>
#include <cstring>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netinet/in.h>
#include <sys/socket.h>
#endif

namespace chatport::chat {
namespace {

constexpr std::array<std::byte, 12> kV4MappedPrefix{
    std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},    std::byte{0},
    std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0xFF}, std::byte{0xFF}};

}  // namespace

AddressKey AddressKey::of(const net::Endpoint& endpoint) {
  AddressKey key;
  if (!endpoint.valid()) return key;
  if (endpoint.isV6() && endpoint.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 sa;
    std::memcpy(&sa, endpoint.data(), sizeof sa);
    std::memcpy(key.address.data(), &sa.sin6_addr, 16);
    if (std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), key.address.begin())) {
      std::copy_n(key.address.begin() + 12, 4, key.address.begin());
      std::fill(key.address.begin() + 4, key.address.end(), std::byte{0});
      return key;
    }
    key.v6 = true;
    if (key.rank() == AddressRank::LinkLocalV6) key.scopeId = sa.sin6_scope_id;
  } else if (!endpoint.isV6() && endpoint.size() >= sizeof(sockaddr_in)) {
    sockaddr_in sa;
    std::memcpy(&sa, endpoint.data(), sizeof sa);
    std::memcpy(key.address.data(), &sa.sin_addr, 4);
  }
  return key;
}

AddressRank AddressKey::rank() const noexcept {
  const auto b0 = std::to_integer<unsigned>(address[0]);
  const auto b1 = std::to_integer<unsigned>(address[1]);
  if (!v6) return b0 == 169 && b1 == 254 ? AddressRank::LinkLocalV4 : AddressRank::RoutableV4;
  return b0 == 0xFE && (b1 & 0xC0) == 0x80 ? AddressRank::LinkLocalV6 : AddressRank::RoutableV6;
}

net::Endpoint AddressKey::withPort(std::uint16_t port) const {
  if (v6) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    std::memcpy(&sa.sin6_addr, address.data(), 16);
    sa.sin6_scope_id = scopeId;
    return net::Endpoint::fromSockaddr(&sa, sizeof sa);
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  std::memcpy(&sa.sin_addr, address.data(), 4);
  return net::Endpoint::fromSockaddr(&sa, sizeof sa);
}

}  // namespace chatport::chat
