#include "platform/socket_ops.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
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
