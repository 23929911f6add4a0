// listInterfaces() from getifaddrs().

#include <chatport/net/network_interface.h>

#include "platform/socket_ops.h"
#include "platform/virtual_adapter.h"

#include <bit>
#include <cstring>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace chatport::net {
namespace {

unsigned prefixOf(const sockaddr* mask) {
  if (!mask) return 0;
  unsigned bits = 0;
  if (mask->sa_family == AF_INET) {
    bits = static_cast<unsigned>(
        std::popcount(reinterpret_cast<const sockaddr_in*>(mask)->sin_addr.s_addr));
  } else if (mask->sa_family == AF_INET6) {
    for (unsigned char byte : reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr.s6_addr)
      bits += static_cast<unsigned>(std::popcount(byte));
  }
  return bits;
}

}  // namespace

std::vector<NetworkInterface> listInterfaces(std::error_code& ec) {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    ec = detail::lastSocketError();
    return {};
  }
  ec.clear();
  std::vector<NetworkInterface> out;
  auto entryFor = [&out](const ifaddrs& a) -> NetworkInterface& {
    for (auto& i : out)
      if (i.name == a.ifa_name) return i;
    NetworkInterface& i = out.emplace_back();
    i.name = a.ifa_name;
    i.index = ::if_nametoindex(a.ifa_name);
    i.up = a.ifa_flags & IFF_UP;
    i.loopback = a.ifa_flags & IFF_LOOPBACK;
    i.broadcast = a.ifa_flags & IFF_BROADCAST;
    i.multicast = a.ifa_flags & IFF_MULTICAST;
    i.likelyVirtual = detail::looksVirtual(i.name, {});
    return i;
  };
  for (const ifaddrs* a = list; a; a = a->ifa_next) {
    NetworkInterface& i = entryFor(*a);  // every interface, with addresses or not
    if (!a->ifa_addr) continue;
    if (a->ifa_addr->sa_family == AF_INET) {
      InterfaceAddressV4 v4;
      v4.address = Endpoint::fromSockaddr(a->ifa_addr, sizeof(sockaddr_in));
      v4.prefixLength = prefixOf(a->ifa_netmask);
      if ((a->ifa_flags & IFF_BROADCAST) && a->ifa_broadaddr &&
          a->ifa_broadaddr->sa_family == AF_INET) {
        // An address given without one ("ip addr add" without brd) reports itself or nothing.
        const auto broadcast = Endpoint::fromSockaddr(a->ifa_broadaddr, sizeof(sockaddr_in));
        if (!(broadcast == v4.address) && broadcast.addressString() != "0.0.0.0")
          v4.broadcast = broadcast;
      }
      i.ipv4.push_back(v4);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      InterfaceAddressV6 v6;
      v6.address = Endpoint::fromSockaddr(a->ifa_addr, sizeof(sockaddr_in6));
      v6.prefixLength = prefixOf(a->ifa_netmask);
      i.ipv6.push_back(v6);
    }
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace chatport::net
