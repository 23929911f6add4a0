#include <chatport/net/endpoint.h>

#include "platform/socket_ops.h"

#include <charconv>
#include <cstring>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
#else
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

namespace chatport::net {

static_assert(sizeof(Endpoint) == 32);
static_assert(sizeof(sockaddr_in6) == 28, "an Endpoint holds a sockaddr_in6 exactly");

namespace {

Endpoint makeV4(const in_addr& addr, std::uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr = addr;
  sa.sin_port = htons(port);
  return Endpoint::fromSockaddr(&sa, sizeof sa);
}

Endpoint makeV6(const in6_addr& addr, std::uint16_t port) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_addr = addr;
  sa.sin6_port = htons(port);
  return Endpoint::fromSockaddr(&sa, sizeof sa);
}

// "eth0" or "2": the interface index a scope names; 0 if it names none.
std::uint32_t parseScope(std::string_view scope) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), value);
  if (ec == std::errc{} && end == scope.data() + scope.size()) return value;
  const std::string name(scope);
  return ::if_nametoindex(name.c_str());
}

bool parsePort(std::string_view text, std::uint16_t& port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
    return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

Endpoint Endpoint::fromSockaddr(const void* addr, std::size_t length) {
  Endpoint e;
  if (length <= e.storage_.size()) {
    std::memcpy(e.storage_.data(), addr, length);
    e.length_ = static_cast<std::uint32_t>(length);
  }
  return e;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text, std::uint16_t defaultPort) {
  detail::initSockets();
  std::string_view host = text;
  std::uint16_t port = defaultPort;
  if (!text.empty() && text.front() == '[') {  // [v6]:port
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parsePort(rest.substr(1), port)))
      return std::nullopt;
  } else if (const auto colon = text.rfind(':');
             colon != std::string_view::npos && text.find(':') == colon) {  // v4:port
    host = text.substr(0, colon);
    if (!parsePort(text.substr(colon + 1), port)) return std::nullopt;
  }
  if (host == "localhost") return loopbackV4(port);

  // An IPv6 address may name its scope: "fe80::1%eth0", "fe80::1%2".
  std::uint32_t scopeId = 0;
  if (const auto percent = host.find('%'); percent != std::string_view::npos) {
    scopeId = parseScope(host.substr(percent + 1));
    if (scopeId == 0) return std::nullopt;  // no such interface
    host = host.substr(0, percent);
  }
  const std::string h(host);
  in_addr v4{};
  if (scopeId == 0 && inet_pton(AF_INET, h.c_str(), &v4) == 1) return makeV4(v4, port);
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) != 1) return std::nullopt;
  Endpoint e = makeV6(v6, port);
  reinterpret_cast<sockaddr_in6*>(e.data())->sin6_scope_id = scopeId;
  return e;
}

std::vector<Endpoint> Endpoint::resolve(std::string_view host, std::uint16_t port,
                                        std::error_code& ec) {
  ec.clear();
  if (auto e = parse(host, port)) return {*e};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const std::string h(host);
  if (const int rc = getaddrinfo(h.c_str(), nullptr, &hints, &result); rc != 0) {
    ec = std::make_error_code(std::errc::host_unreachable);
    return {};
  }
  std::vector<Endpoint> out;
  for (auto* ai = result; ai; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    auto e = fromSockaddr(ai->ai_addr, static_cast<std::size_t>(ai->ai_addrlen));
    e.setPort(port);
    out.push_back(e);
  }
  freeaddrinfo(result);
  if (out.empty()) ec = std::make_error_code(std::errc::host_unreachable);
  return out;
}

Endpoint Endpoint::loopbackV4(std::uint16_t port) {
  in_addr a{};
  a.s_addr = htonl(INADDR_LOOPBACK);
  return makeV4(a, port);
}
Endpoint Endpoint::loopbackV6(std::uint16_t port) { return makeV6(in6addr_loopback, port); }
Endpoint Endpoint::anyV4(std::uint16_t port) {
  in_addr a{};
  a.s_addr = htonl(INADDR_ANY);
  return makeV4(a, port);
}
Endpoint Endpoint::anyV6(std::uint16_t port) { return makeV6(in6addr_any, port); }

int Endpoint::family() const noexcept {
  if (length_ == 0) return AF_UNSPEC;
  return reinterpret_cast<const sockaddr*>(storage_.data())->sa_family;
}

bool Endpoint::isV6() const noexcept { return family() == AF_INET6; }

std::uint16_t Endpoint::port() const noexcept {
  switch (family()) {
    case AF_INET: return ntohs(reinterpret_cast<const sockaddr_in*>(storage_.data())->sin_port);
    case AF_INET6: return ntohs(reinterpret_cast<const sockaddr_in6*>(storage_.data())->sin6_port);
    default: return 0;
  }
}

void Endpoint::setPort(std::uint16_t port) noexcept {
  switch (family()) {
    case AF_INET: reinterpret_cast<sockaddr_in*>(storage_.data())->sin_port = htons(port); break;
    case AF_INET6: reinterpret_cast<sockaddr_in6*>(storage_.data())->sin6_port = htons(port); break;
    default: break;
  }
}

std::string Endpoint::addressString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  switch (family()) {
    case AF_INET:
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(storage_.data())->sin_addr, buf,
                sizeof buf);
      return buf;
    case AF_INET6: {
      const auto* sa = reinterpret_cast<const sockaddr_in6*>(storage_.data());
      inet_ntop(AF_INET6, &sa->sin6_addr, buf, sizeof buf);
      std::string out = buf;
      if (const std::uint32_t scope = scopeId()) {
        // The interface's name where it has one, else its number: both parse back.
        char name[IF_NAMESIZE + 1] = {};
        out += '%';
        out += ::if_indextoname(scope, name) ? std::string(name) : std::to_string(scope);
      }
      return out;
    }
    default: return "(none)";
  }
}

std::string Endpoint::toString() const {
  if (isV6()) return "[" + addressString() + "]:" + std::to_string(port());
  return addressString() + ":" + std::to_string(port());
}

std::uint32_t Endpoint::scopeId() const noexcept {
  if (!isV6()) return 0;
  return reinterpret_cast<const sockaddr_in6*>(storage_.data())->sin6_scope_id;
}

Endpoint Endpoint::anyDualStack(std::uint16_t port) { return anyV6(port); }

bool operator==(const Endpoint& a, const Endpoint& b) noexcept {
  return a.length_ == b.length_ && std::memcmp(a.storage_.data(), b.storage_.data(), a.length_) == 0;
}

}  // namespace chatport::net
