#include "platform/socket_ops.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace chatport::net::detail {

void initSockets() {}

std::error_code socketError(int nativeCode) { return {nativeCode, std::generic_category()}; }

std::error_code lastSocketError() { return socketError(errno); }

NativeSocket openTcpSocket(int family, std::error_code& ec) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) {
    ec = lastSocketError();
    return kInvalidSocket;
  }
  ec.clear();
  return fd;
}

NativeSocket openListener(const Endpoint& local, int backlog, std::error_code& ec) {
  const NativeSocket s = openTcpSocket(local.family(), ec);
  if (s == kInvalidSocket) return s;
  const int fd = static_cast<int>(s);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (local.isV6()) {
    const int off = 0;  // accept IPv4 too on "::"
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd, static_cast<const sockaddr*>(local.data()), static_cast<socklen_t>(local.size())) != 0 ||
      ::listen(fd, backlog) != 0) {
    ec = lastSocketError();
    ::close(fd);
    return kInvalidSocket;
  }
  return s;
}

namespace {
std::error_code setIntOption(int fd, int level, int name, int value) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) return lastSocketError();
  return {};
}
}  // namespace

NativeSocket openDatagramSocket(const Endpoint& local, const DatagramOptions& options,
                                std::error_code& ec) {
  const int fd = ::socket(local.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) {
    ec = lastSocketError();
    return kInvalidSocket;
  }
  ec.clear();
  if (options.reuseAddress) ec = setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  if (local.isV6()) {
    if (!ec) ec = setIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    if (!ec) ec = setIntOption(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    if (!ec) ec = setIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, options.multicastHops);
    if (!ec) ec = setIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, options.multicastLoopback);
  } else {
    if (!ec && options.broadcast) ec = setIntOption(fd, SOL_SOCKET, SO_BROADCAST, 1);
    if (!ec) ec = setIntOption(fd, IPPROTO_IP, IP_PKTINFO, 1);
    if (!ec) ec = setIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL, options.multicastHops);
    if (!ec) ec = setIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP, options.multicastLoopback);
  }
  if (!ec && ::bind(fd, static_cast<const sockaddr*>(local.data()),
                    static_cast<socklen_t>(local.size())) != 0)
    ec = lastSocketError();
  if (ec) {
    ::close(fd);
    return kInvalidSocket;
  }
  return fd;
}

std::error_code joinMulticastGroup(NativeSocket s, const Endpoint& group, unsigned interfaceIndex) {
  const int fd = static_cast<int>(s);
  if (group.isV6()) {
    ipv6_mreq request{};
    request.ipv6mr_multiaddr = static_cast<const sockaddr_in6*>(group.data())->sin6_addr;
    request.ipv6mr_interface = interfaceIndex;
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &request, sizeof request) != 0)
      return lastSocketError();
    return {};
  }
  if (group.family() != AF_INET) return std::make_error_code(std::errc::address_family_not_supported);
  ip_mreqn request{};
  request.imr_multiaddr = static_cast<const sockaddr_in*>(group.data())->sin_addr;
  request.imr_ifindex = static_cast<int>(interfaceIndex);
  if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof request) != 0)
    return lastSocketError();
  return {};
}

std::error_code setMulticastInterface(NativeSocket s, int family, unsigned interfaceIndex) {
  const int fd = static_cast<int>(s);
  if (family == AF_INET6)
    return setIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(interfaceIndex));
  ip_mreqn request{};
  request.imr_ifindex = static_cast<int>(interfaceIndex);
  if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof request) != 0)
    return lastSocketError();
  return {};
}

void closeSocket(NativeSocket s) noexcept {
  if (s != kInvalidSocket) ::close(static_cast<int>(s));
}

std::error_code setNonBlocking(NativeSocket s) {
  const int fd = static_cast<int>(s);
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return lastSocketError();
  return {};
}

std::error_code setNoDelay(NativeSocket s) {
  const int on = 1;
  if (::setsockopt(static_cast<int>(s), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
    return lastSocketError();
  return {};
}

std::error_code pendingError(NativeSocket s) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(static_cast<int>(s), SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    return lastSocketError();
  return err ? socketError(err) : std::error_code{};
}

namespace {
template <typename GetName>
Endpoint nameOf(NativeSocket s, std::error_code& ec, GetName getName) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getName(static_cast<int>(s), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    ec = lastSocketError();
    return {};
  }
  ec.clear();
  return Endpoint::fromSockaddr(&ss, len);
}
}  // namespace

Endpoint localEndpoint(NativeSocket s, std::error_code& ec) { return nameOf(s, ec, ::getsockname); }
Endpoint peerEndpoint(NativeSocket s, std::error_code& ec) { return nameOf(s, ec, ::getpeername); }

}  // namespace chatport::net::detail
