#include "raw_socket.h"

#include <chatport/net/datagram_socket.h>
#include <chatport/net/engine.h>

#include <cerrno>

#include <algorithm>
#include <utility>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
using SocketLen = int;
#else
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
using SocketLen = socklen_t;
#endif

namespace chatport::test {
namespace {

#ifdef _WIN32
using Native = SOCKET;
void closeNative(std::intptr_t h) { ::closesocket(static_cast<Native>(h)); }
void initOnce() {
  static const bool done = [] {
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }();
  (void)done;
}
#else
using Native = int;
void closeNative(std::intptr_t h) { ::close(static_cast<Native>(h)); }
void initOnce() {}
#endif

Native native(std::intptr_t h) { return static_cast<Native>(h); }

std::intptr_t openSocket(int family) {
  initOnce();
  const auto s = ::socket(family, SOCK_STREAM, IPPROTO_TCP);
#ifdef _WIN32
  return s == INVALID_SOCKET ? -1 : static_cast<std::intptr_t>(s);
#else
  return s;
#endif
}

}  // namespace

bool RawSocket::sendDatagram(const net::Endpoint& to, std::span<const std::byte> data) {
  initOnce();
  const auto s = ::socket(to.family(), SOCK_DGRAM, IPPROTO_UDP);
#ifdef _WIN32
  if (s == INVALID_SOCKET) return false;
#else
  if (s < 0) return false;
#endif
  const auto n = ::sendto(s, reinterpret_cast<const char*>(data.data()), static_cast<int>(data.size()),
                          0, static_cast<const sockaddr*>(to.data()), static_cast<SocketLen>(to.size()));
  closeNative(static_cast<std::intptr_t>(s));
  return n >= 0 && static_cast<std::size_t>(n) == data.size();
}

RawSocket::~RawSocket() { close(); }
RawSocket::RawSocket(RawSocket&& other) noexcept : handle_(std::exchange(other.handle_, kInvalid)) {}
RawSocket& RawSocket::operator=(RawSocket&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, kInvalid);
  }
  return *this;
}

bool RawSocket::connect(const net::Endpoint& remote) {
  return open(remote.family()) && connectOpened(remote);
}

bool RawSocket::open(int family) {
  close();
  handle_ = openSocket(family);
  return handle_ != kInvalid;
}

bool RawSocket::connectOpened(const net::Endpoint& remote) {
  return handle_ != kInvalid &&
         ::connect(native(handle_), static_cast<const sockaddr*>(remote.data()),
                   static_cast<SocketLen>(remote.size())) == 0;
}

bool RawSocket::connectFrom(const net::Endpoint& local, const net::Endpoint& remote) {
  close();
  handle_ = openSocket(remote.family());
  if (handle_ == kInvalid) return false;
  return ::bind(native(handle_), static_cast<const sockaddr*>(local.data()),
                static_cast<SocketLen>(local.size())) == 0 &&
         ::connect(native(handle_), static_cast<const sockaddr*>(remote.data()),
                   static_cast<SocketLen>(remote.size())) == 0;
}

bool RawSocket::connectNoWait(const net::Endpoint& remote) {
  close();
  handle_ = openSocket(remote.family());
  if (handle_ == kInvalid) return false;
#ifdef _WIN32
  u_long on = 1;
  ::ioctlsocket(native(handle_), FIONBIO, &on);
#else
  ::fcntl(native(handle_), F_SETFL, ::fcntl(native(handle_), F_GETFL) | O_NONBLOCK);
#endif
  ::connect(native(handle_), static_cast<const sockaddr*>(remote.data()),
            static_cast<SocketLen>(remote.size()));
  return true;
}

bool RawSocket::listenLoopback(int backlog) {
  close();
  const auto local = net::Endpoint::loopbackV4(0);
  handle_ = openSocket(local.family());
  if (handle_ == kInvalid) return false;
  return ::bind(native(handle_), static_cast<const sockaddr*>(local.data()),
                static_cast<SocketLen>(local.size())) == 0 &&
         ::listen(native(handle_), backlog) == 0;
}

net::Endpoint RawSocket::localEndpoint() const {
  sockaddr_storage ss{};
  SocketLen len = sizeof ss;
  ::getsockname(native(handle_), reinterpret_cast<sockaddr*>(&ss), &len);
  return net::Endpoint::fromSockaddr(&ss, static_cast<std::size_t>(len));
}

bool RawSocket::sendAll(std::span<const std::byte> data) {
  while (!data.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20));
#ifdef _WIN32
    const int n = ::send(native(handle_), reinterpret_cast<const char*>(data.data()), chunk, 0);
#else
    const auto n = ::send(native(handle_), data.data(), static_cast<std::size_t>(chunk), MSG_NOSIGNAL);
#endif
    if (n <= 0) return false;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

long RawSocket::sendSome(std::span<const std::byte> data, std::chrono::milliseconds timeout) {
  const int ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(timeout.count(), 0));
  const int chunk = static_cast<int>(std::min<std::size_t>(data.size(), 1 << 16));
#ifdef _WIN32
  WSAPOLLFD p{};
  p.fd = native(handle_);
  p.events = POLLWRNORM;
  const int ready = ::WSAPoll(&p, 1, ms);
  if (ready < 0) return -1;
  if (ready == 0) return kTimedOut;
  u_long on = 1;
  ::ioctlsocket(native(handle_), FIONBIO, &on);
  const int n = ::send(native(handle_), reinterpret_cast<const char*>(data.data()), chunk, 0);
  const bool wouldBlock = n < 0 && ::WSAGetLastError() == WSAEWOULDBLOCK;
  u_long off = 0;
  ::ioctlsocket(native(handle_), FIONBIO, &off);
#else
  pollfd p{};
  p.fd = native(handle_);
  p.events = POLLOUT;
  const int ready = ::poll(&p, 1, ms);
  if (ready < 0) return -1;
  if (ready == 0) return kTimedOut;
  const auto n = ::send(native(handle_), data.data(), static_cast<std::size_t>(chunk), MSG_NOSIGNAL | MSG_DONTWAIT);
  const bool wouldBlock = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
#endif
  if (wouldBlock) return kTimedOut;  // room for less than a segment
  return n < 0 ? -1 : static_cast<long>(n);
}

bool RawSocket::peerHasClosed() {
  char b;
#ifdef _WIN32
  u_long on = 1;
  ::ioctlsocket(native(handle_), FIONBIO, &on);
  const int n = ::recv(native(handle_), &b, 1, MSG_PEEK);
  const bool closed = n == 0 || (n < 0 && ::WSAGetLastError() != WSAEWOULDBLOCK);
  u_long off = 0;
  ::ioctlsocket(native(handle_), FIONBIO, &off);
  return closed;
#else
  const auto n = ::recv(native(handle_), &b, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
#endif
}

long RawSocket::receive(std::span<std::byte> buffer) {
  const int size = static_cast<int>(std::min<std::size_t>(buffer.size(), 1 << 20));
#ifdef _WIN32
  return ::recv(native(handle_), reinterpret_cast<char*>(buffer.data()), size, 0);
#else
  // Linux never restarts a receive with a timeout (SO_RCVTIMEO) that something interrupted;
  // test threads do see EINTR there (with the io_uring backend running in the process).
  ssize_t n;
  do {
    n = ::recv(native(handle_), buffer.data(), static_cast<std::size_t>(size), 0);
  } while (n < 0 && errno == EINTR);
  return static_cast<long>(n);
#endif
}

long RawSocket::receive(std::span<std::byte> buffer, std::chrono::milliseconds timeout) {
  const int ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(timeout.count(), 0));
#ifdef _WIN32
  WSAPOLLFD p{};
  p.fd = native(handle_);
  p.events = POLLRDNORM;
  const int ready = ::WSAPoll(&p, 1, ms);
#else
  pollfd p{};
  p.fd = native(handle_);
  p.events = POLLIN;
  const int ready = ::poll(&p, 1, ms);
#endif
  if (ready < 0) return -1;
  if (ready == 0) return kTimedOut;
  return receive(buffer);  // readable: data, the end, or an error, at once
}

void RawSocket::setNoDelay() {
  int on = 1;
  ::setsockopt(native(handle_), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on),
               sizeof on);
}

void RawSocket::setReceiveTimeout(std::chrono::milliseconds timeout) {
#ifdef _WIN32
  const DWORD ms = static_cast<DWORD>(timeout.count());
  ::setsockopt(native(handle_), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&ms), sizeof ms);
#else
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(timeout.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>(timeout.count() % 1000 * 1000);
  ::setsockopt(native(handle_), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
#endif
}

void RawSocket::shutdownWrite() {
#ifdef _WIN32
  ::shutdown(native(handle_), SD_SEND);
#else
  ::shutdown(native(handle_), SHUT_WR);
#endif
}

void RawSocket::shutdownBoth() {
#ifdef _WIN32
  ::shutdown(native(handle_), SD_BOTH);
#else
  ::shutdown(native(handle_), SHUT_RDWR);
#endif
}

void RawSocket::resetClose() {
  if (handle_ == kInvalid) return;
  linger l{};
  l.l_onoff = 1;
  l.l_linger = 0;
  ::setsockopt(native(handle_), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
  close();
}

void RawSocket::close() {
  if (handle_ != kInvalid) closeNative(std::exchange(handle_, kInvalid));
}

std::uint16_t freeUdpPort() {
  net::Engine engine(net::EngineOptions{1, net::BackendKind::Auto, {}});
  std::error_code ec;
  auto socket = engine.openDatagram(net::Endpoint::anyV4(0), {}, [](net::DatagramSocket&, const net::Datagram&) {}, ec);
  return socket ? socket->localEndpoint().port() : 0;
}

}  // namespace chatport::test
