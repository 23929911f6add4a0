#include "socket_faults.h"

#include <functional>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#else
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cstdlib>
#endif

namespace chatport::test {
namespace {

#ifdef _WIN32
using Handle = SOCKET;
using SocketLen = int;
#else
using Handle = int;
using SocketLen = socklen_t;
#endif

std::uint16_t localPort(Handle s, bool& ok) {
  sockaddr_storage ss{};
  SocketLen len = sizeof ss;
  ok = ::getsockname(s, reinterpret_cast<sockaddr*>(&ss), &len) == 0;
  if (!ok) return 0;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  ok = false;
  return 0;
}

bool hasPeer(Handle s) {
  sockaddr_storage ss{};
  SocketLen len = sizeof ss;
  return ::getpeername(s, reinterpret_cast<sockaddr*>(&ss), &len) == 0;
}

bool isListening(Handle s) {
#ifdef _WIN32
  BOOL on = FALSE;
#else
  int on = 0;
#endif
  SocketLen len = sizeof on;
  return ::getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, reinterpret_cast<char*>(&on), &len) == 0 && on;
}

// Calls visit with every socket of this process bound to port without a peer, until it
// returns true.
bool forEachUnconnectedSocketOn(std::uint16_t port, const std::function<bool(Handle)>& visit) {
#ifdef _WIN32
  // Sockets are kernel handles: small multiples of 4. Asking a handle that is not a socket
  // fails at once.
  for (ULONG_PTR h = 4; h < (1u << 16); h += 4) {
    const auto s = static_cast<Handle>(h);
    bool ok = false;
    if (localPort(s, ok) == port && ok && !hasPeer(s) && visit(s)) return true;
  }
#else
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return false;
  bool done = false;
  while (const dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9' || fd == ::dirfd(dir)) continue;
    bool ok = false;
    if (localPort(fd, ok) == port && ok && !hasPeer(fd) && visit(fd)) {
      done = true;
      break;
    }
  }
  ::closedir(dir);
  return done;
#endif
  return false;
}

}  // namespace

bool breakListeningSocket(std::uint16_t port) {
  return forEachUnconnectedSocketOn(port, [](Handle s) {
    if (!isListening(s)) return false;
#ifdef _WIN32
    return ::CancelIoEx(reinterpret_cast<HANDLE>(s), nullptr) != 0;
#else
    return ::shutdown(s, SHUT_RDWR) == 0;
#endif
  });
}

bool listenerSocketOpen(std::uint16_t port) {
  return forEachUnconnectedSocketOn(port, [](Handle) { return true; });
}

}  // namespace chatport::test
