// Winsock implementation of socket_ops.h.
//
// Sockets are created overlapped (for IOCP) and not inheritable: a child process started by the
// app must not keep a listening port or a peer's connection open after we close it.

#include "platform/socket_ops.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <mutex>

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

namespace chatport::net::detail {
namespace {

SOCKET toSocket(NativeSocket s) noexcept { return static_cast<SOCKET>(s); }
NativeSocket fromSocket(SOCKET s) noexcept {
  return s == INVALID_SOCKET ? kInvalidSocket : static_cast<NativeSocket>(s);
}

int startupError = 0;
std::once_flag startupOnce;

// One table for Winsock errors (WSAE*) and the Win32 errors overlapped operations complete with
// (ERROR_*, e.g. from GetQueuedCompletionStatus). Both meet here so that a caller compares with
// std::errc whichever path the failure took.
bool translate(int code, std::errc& out) noexcept {
  switch (code) {
    case WSAECONNREFUSED:
    case ERROR_CONNECTION_REFUSED:
    case ERROR_PORT_UNREACHABLE:
      out = std::errc::connection_refused;
      return true;
    case WSAENETUNREACH:
    case ERROR_NETWORK_UNREACHABLE:
    case ERROR_PROTOCOL_UNREACHABLE:
      out = std::errc::network_unreachable;
      return true;
    case WSAEHOSTUNREACH:
    case ERROR_HOST_UNREACHABLE:
      out = std::errc::host_unreachable;
      return true;
    case WSAECONNRESET:
    case ERROR_NETNAME_DELETED:
      out = std::errc::connection_reset;
      return true;
    case WSAECONNABORTED:
    case ERROR_CONNECTION_ABORTED:
      out = std::errc::connection_aborted;
      return true;
    case WSAEADDRINUSE:
    case ERROR_ADDRESS_ALREADY_ASSOCIATED:
      out = std::errc::address_in_use;
      return true;
    case WSAEADDRNOTAVAIL:
      out = std::errc::address_not_available;
      return true;
    case WSAETIMEDOUT:
    case ERROR_SEM_TIMEOUT:
      out = std::errc::timed_out;
      return true;
    case ERROR_OPERATION_ABORTED:  // == WSA_OPERATION_ABORTED
    case ERROR_REQUEST_ABORTED:
    case WSAECANCELLED:
      out = std::errc::operation_canceled;
      return true;
    case WSAEMFILE:
    case ERROR_TOO_MANY_OPEN_FILES:
      out = std::errc::too_many_files_open;
      return true;
    case WSAENOBUFS:
      out = std::errc::no_buffer_space;
      return true;
    case WSAEACCES:
    case ERROR_ACCESS_DENIED:
      out = std::errc::permission_denied;
      return true;
    case WSAEWOULDBLOCK:
      out = std::errc::operation_would_block;
      return true;
    case WSAEINPROGRESS:
      out = std::errc::operation_in_progress;
      return true;
    case WSAEALREADY:
      out = std::errc::connection_already_in_progress;
      return true;
    case WSAEISCONN:
      out = std::errc::already_connected;
      return true;
    case WSAENOTCONN:
      out = std::errc::not_connected;
      return true;
    case WSAESHUTDOWN:
    case ERROR_BROKEN_PIPE:
      out = std::errc::broken_pipe;
      return true;
    case WSAENETDOWN:
      out = std::errc::network_down;
      return true;
    case WSAENETRESET:
      out = std::errc::network_reset;
      return true;
    case WSAENOTSOCK:
      out = std::errc::not_a_socket;
      return true;
    case WSAEBADF:
    case ERROR_INVALID_HANDLE:  // == WSA_INVALID_HANDLE
      out = std::errc::bad_file_descriptor;
      return true;
    case WSAEINVAL:
    case ERROR_INVALID_PARAMETER:  // == WSA_INVALID_PARAMETER
      out = std::errc::invalid_argument;
      return true;
    case WSAEFAULT:
      out = std::errc::bad_address;
      return true;
    case WSAEINTR:
      out = std::errc::interrupted;
      return true;
    case WSAEAFNOSUPPORT:
      out = std::errc::address_family_not_supported;
      return true;
    case WSAEPROTONOSUPPORT:
      out = std::errc::protocol_not_supported;
      return true;
    case WSAEMSGSIZE:
      out = std::errc::message_size;
      return true;
    case ERROR_NOT_ENOUGH_MEMORY:  // == WSA_NOT_ENOUGH_MEMORY
    case ERROR_OUTOFMEMORY:
      out = std::errc::not_enough_memory;
      return true;
    default:
      return false;
  }
}

std::error_code setBoolOption(SOCKET s, int level, int name, bool on) {
  const DWORD value = on ? 1 : 0;
  if (::setsockopt(s, level, name, reinterpret_cast<const char*>(&value), sizeof value) != 0) {
    return lastSocketError();
  }
  return {};
}

Endpoint queryName(NativeSocket s, bool peer, std::error_code& ec) {
  sockaddr_storage storage{};
  int length = sizeof storage;
  auto* addr = reinterpret_cast<sockaddr*>(&storage);
  const int rc = peer ? ::getpeername(toSocket(s), addr, &length)
                      : ::getsockname(toSocket(s), addr, &length);
  if (rc != 0) {
    ec = lastSocketError();
    return {};
  }
  ec.clear();
  return Endpoint::fromSockaddr(&storage, static_cast<std::size_t>(length));
}

}  // namespace

void initSockets() {
  std::call_once(startupOnce, [] {
    WSADATA data{};
    startupError = ::WSAStartup(MAKEWORD(2, 2), &data);
    // Never WSACleanup: sockets may be closed by static destructors after main returns.
  });
}

std::error_code lastSocketError() { return socketError(::WSAGetLastError()); }

std::error_code socketError(int nativeCode) {
  if (nativeCode == 0) return {};
  std::errc portable{};
  if (translate(nativeCode, portable)) return std::make_error_code(portable);
  return {nativeCode, std::system_category()};
}

NativeSocket openTcpSocket(int family, std::error_code& ec) {
  initSockets();
  if (startupError != 0) {
    ec = socketError(startupError);
    return kInvalidSocket;
  }
  SOCKET s = ::WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET && ::WSAGetLastError() == WSAEINVAL) {
    // Windows 7 before SP1 does not know WSA_FLAG_NO_HANDLE_INHERIT.
    s = ::WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    if (s != INVALID_SOCKET) {
      ::SetHandleInformation(reinterpret_cast<HANDLE>(s), HANDLE_FLAG_INHERIT, 0);
    }
  }
  if (s == INVALID_SOCKET) {
    ec = lastSocketError();
    return kInvalidSocket;
  }
  ec.clear();
  return fromSocket(s);
}

NativeSocket openListener(const Endpoint& local, int backlog, std::error_code& ec) {
  const NativeSocket s = openTcpSocket(local.family(), ec);
  if (ec) return kInvalidSocket;
  const SOCKET sock = toSocket(s);
  // SO_EXCLUSIVEADDRUSE: no other process can bind the same port over us (Windows' SO_REUSEADDR
  // would allow that hijack), and a port in use is reported as address_in_use.
  ec = setBoolOption(sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, true);
  if (!ec && local.family() == AF_INET6) {
    // Accept IPv4 on an IPv6 wildcard too, as Linux does by default. Best effort: some stacks
    // (Wine) have no dual-stack support, and an explicit IPv4 listener works everywhere.
    (void)setBoolOption(sock, IPPROTO_IPV6, IPV6_V6ONLY, false);
  }
  if (!ec && ::bind(sock, static_cast<const sockaddr*>(local.data()),
                    static_cast<int>(local.size())) != 0) {
    // A port another socket holds exclusively is refused as WSAEACCES, not WSAEADDRINUSE, for
    // some pairs of addresses (a wildcard against a specific one, say); above 1023 no right is
    // needed, so there it can only mean the port is taken.
    const int error = ::WSAGetLastError();
    ec = error == WSAEACCES && local.port() >= 1024 ? std::make_error_code(std::errc::address_in_use)
                                                     : socketError(error);
  }
  if (!ec && ::listen(sock, backlog > 0 ? backlog : SOMAXCONN) != 0) ec = lastSocketError();
  if (ec) {
    closeSocket(s);
    return kInvalidSocket;
  }
  return s;
}

NativeSocket openDatagramSocket(const Endpoint& local, const DatagramOptions& options,
                                std::error_code& ec) {
  initSockets();
  if (startupError != 0) {
    ec = socketError(startupError);
    return kInvalidSocket;
  }
  const SOCKET sock = ::WSASocketW(local.family(), SOCK_DGRAM, IPPROTO_UDP, nullptr, 0,
                                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (sock == INVALID_SOCKET) {
    ec = lastSocketError();
    return kInvalidSocket;
  }
  ec.clear();
  auto setInt = [&](int level, int name, int value) {
    if (ec) return;
    const DWORD v = static_cast<DWORD>(value);
    if (::setsockopt(sock, level, name, reinterpret_cast<const char*>(&v), sizeof v) != 0)
      ec = lastSocketError();
  };
  if (options.reuseAddress) setInt(SOL_SOCKET, SO_REUSEADDR, 1);
  if (local.isV6()) {
    setInt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
    setInt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, options.multicastHops);
    setInt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, options.multicastLoopback);
  } else {
    if (options.broadcast) setInt(SOL_SOCKET, SO_BROADCAST, 1);
    setInt(IPPROTO_IP, IP_MULTICAST_TTL, options.multicastHops);
    setInt(IPPROTO_IP, IP_MULTICAST_LOOP, options.multicastLoopback);
  }
  if (!ec) {
    // Without this, an ICMP port unreachable for an earlier datagram fails the next receive
    // with WSAECONNRESET. Best effort: a stack that lacks the control (Wine) does not do that.
    BOOL report = FALSE;
    DWORD bytes = 0;
    (void)::WSAIoctl(sock, SIO_UDP_CONNRESET, &report, sizeof report, nullptr, 0, &bytes, nullptr,
                     nullptr);
  }
  if (!ec && ::bind(sock, static_cast<const sockaddr*>(local.data()),
                    static_cast<int>(local.size())) != 0)
    ec = lastSocketError();
  if (ec) {
    ::closesocket(sock);
    return kInvalidSocket;
  }
  return fromSocket(sock);
}

std::error_code joinMulticastGroup(NativeSocket s, const Endpoint& group, unsigned interfaceIndex) {
  if (group.isV6()) {
    ipv6_mreq request{};
    request.ipv6mr_multiaddr = static_cast<const sockaddr_in6*>(group.data())->sin6_addr;
    request.ipv6mr_interface = interfaceIndex;
    if (::setsockopt(toSocket(s), IPPROTO_IPV6, IPV6_JOIN_GROUP,
                     reinterpret_cast<const char*>(&request), sizeof request) != 0)
      return lastSocketError();
    return {};
  }
  if (group.family() != AF_INET) return std::make_error_code(std::errc::address_family_not_supported);
  ip_mreq request{};
  request.imr_multiaddr = static_cast<const sockaddr_in*>(group.data())->sin_addr;
  // An address in 0.0.0.0/8 names the interface by its index.
  request.imr_interface.s_addr = htonl(interfaceIndex);
  if (::setsockopt(toSocket(s), IPPROTO_IP, IP_ADD_MEMBERSHIP,
                   reinterpret_cast<const char*>(&request), sizeof request) != 0)
    return lastSocketError();
  return {};
}

std::error_code setMulticastInterface(NativeSocket s, int family, unsigned interfaceIndex) {
  // IPv4: an address in 0.0.0.0/8 names the interface by its index; IPv6 takes the index.
  const DWORD value = family == AF_INET6 ? interfaceIndex : htonl(interfaceIndex);
  if (::setsockopt(toSocket(s), family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
                   family == AF_INET6 ? IPV6_MULTICAST_IF : IP_MULTICAST_IF,
                   reinterpret_cast<const char*>(&value), sizeof value) != 0)
    return lastSocketError();
  return {};
}

void closeSocket(NativeSocket s) noexcept {
  if (s != kInvalidSocket) ::closesocket(toSocket(s));
}

std::error_code setNonBlocking(NativeSocket s) {
  u_long on = 1;
  if (::ioctlsocket(toSocket(s), FIONBIO, &on) != 0) return lastSocketError();
  return {};
}

std::error_code setNoDelay(NativeSocket s) {
  return setBoolOption(toSocket(s), IPPROTO_TCP, TCP_NODELAY, true);
}

std::error_code pendingError(NativeSocket s) {
  int value = 0;
  int length = sizeof value;
  if (::getsockopt(toSocket(s), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&value),
                   &length) != 0) {
    return lastSocketError();
  }
  return socketError(value);
}

Endpoint localEndpoint(NativeSocket s, std::error_code& ec) { return queryName(s, false, ec); }

Endpoint peerEndpoint(NativeSocket s, std::error_code& ec) { return queryName(s, true, ec); }

}  // namespace chatport::net::detail
