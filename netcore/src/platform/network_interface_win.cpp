// listInterfaces() from GetAdaptersAddresses().

#include <chatport/net/network_interface.h>

#include "platform/socket_ops.h"
#include "platform/virtual_adapter.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <windows.h>

#include <memory>

namespace chatport::net {
namespace {

std::string utf8(const wchar_t* text) {
  if (!text || !*text) return {};
  const int size = ::WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (size <= 1) return {};
  std::string out(static_cast<std::size_t>(size - 1), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), size, nullptr, nullptr);
  return out;
}

}  // namespace

std::vector<NetworkInterface> listInterfaces(std::error_code& ec) {
  detail::initSockets();
  constexpr ULONG kFlags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
  ULONG size = 16 * 1024;
  std::unique_ptr<std::byte[]> buffer;
  ULONG rc = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 4 && rc == ERROR_BUFFER_OVERFLOW; ++attempt) {
    buffer = std::make_unique<std::byte[]>(size);  // size grows to what the call asks for
    rc = ::GetAdaptersAddresses(AF_UNSPEC, kFlags, nullptr,
                                reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.get()), &size);
  }
  if (rc != ERROR_SUCCESS && rc != ERROR_NO_DATA) {
    ec = detail::socketError(static_cast<int>(rc));
    return {};
  }
  ec.clear();
  std::vector<NetworkInterface> out;
  if (rc == ERROR_NO_DATA) return out;
  for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.get()); a; a = a->Next) {
    NetworkInterface& i = out.emplace_back();
    i.name = utf8(a->FriendlyName);
    i.description = utf8(a->Description);
    i.index = a->IfIndex != 0 ? a->IfIndex : a->Ipv6IfIndex;
    i.up = a->OperStatus == IfOperStatusUp;
    i.loopback = a->IfType == IF_TYPE_SOFTWARE_LOOPBACK;
    i.multicast = (a->Flags & IP_ADAPTER_NO_MULTICAST) == 0;
    i.likelyVirtual = detail::looksVirtual(i.name, i.description);
    for (auto* u = a->FirstUnicastAddress; u; u = u->Next) {
      const SOCKADDR* sa = u->Address.lpSockaddr;
      if (!sa) continue;
      if (sa->sa_family == AF_INET) {
        InterfaceAddressV4 v4;
        v4.address = Endpoint::fromSockaddr(sa, sizeof(sockaddr_in));
        v4.prefixLength = u->OnLinkPrefixLength;
        if (!i.loopback && v4.prefixLength < 32) {
          // Windows has no per-address broadcast: the directed one, from the prefix.
          sockaddr_in b = *reinterpret_cast<const sockaddr_in*>(sa);
          const ULONG host = v4.prefixLength == 0 ? 0xFFFFFFFFu : (0xFFFFFFFFu >> v4.prefixLength);
          b.sin_addr.s_addr |= htonl(host);
          v4.broadcast = Endpoint::fromSockaddr(&b, sizeof b);
          i.broadcast = true;
        }
        i.ipv4.push_back(v4);
      } else if (sa->sa_family == AF_INET6) {
        InterfaceAddressV6 v6;
        v6.address = Endpoint::fromSockaddr(sa, sizeof(sockaddr_in6));
        v6.prefixLength = u->OnLinkPrefixLength;
        i.ipv6.push_back(v6);
      }
    }
  }
  return out;
}

}  // namespace chatport::net
