#pragma once
// An IPv4 or IPv6 address with a port. Holds the socket address by value; no OS headers here.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace chatport::net {

class Endpoint {
 public:
  Endpoint() = default;

  /// Parses a numeric address: "1.2.3.4", "1.2.3.4:80", "::1", "[::1]:80", or "localhost".
  /// An IPv6 address may name its scope, by interface name or index: "fe80::1%eth0",
  /// "[fe80::1%2]:80" (nullopt if no interface has that name). A missing port becomes
  /// defaultPort. No host name lookup happens here.
  static std::optional<Endpoint> parse(std::string_view text, std::uint16_t defaultPort);

  /// Resolves a host name or address with the system resolver. Blocks: never call it on a
  /// loop thread or a UI thread.
  static std::vector<Endpoint> resolve(std::string_view host, std::uint16_t port,
                                       std::error_code& ec);

  static Endpoint loopbackV4(std::uint16_t port);
  static Endpoint loopbackV6(std::uint16_t port);
  static Endpoint anyV4(std::uint16_t port);
  static Endpoint anyV6(std::uint16_t port);
  /// "[::]": the IPv6 wildcard. A listener on it is dual-stack (IPV6_V6ONLY off): it takes
  /// IPv4 connections too, where the system allows (see Engine::listen).
  static Endpoint anyDualStack(std::uint16_t port);

  /// From a raw socket address (sockaddr_in or sockaddr_in6).
  static Endpoint fromSockaddr(const void* addr, std::size_t length);

  bool valid() const noexcept { return length_ != 0; }
  bool isV6() const noexcept;
  int family() const noexcept;  ///< AF_INET or AF_INET6
  std::uint16_t port() const noexcept;
  void setPort(std::uint16_t port) noexcept;
  /// "1.2.3.4:80", "[::1]:80" or "[fe80::1%eth0]:80".
  std::string toString() const;
  /// The address without the port ("fe80::1%eth0": with the scope of a scoped address).
  std::string addressString() const;
  /// An IPv6 address's scope (the interface index of a link-local one); 0 if none.
  std::uint32_t scopeId() const noexcept;

  const void* data() const noexcept { return storage_.data(); }
  void* data() noexcept { return storage_.data(); }
  std::size_t size() const noexcept { return length_; }

  friend bool operator==(const Endpoint& a, const Endpoint& b) noexcept;

 private:
  // Exactly large enough for sockaddr_in6 (28 bytes); aligned for the OS structures. 32 bytes
  // in all: a host keeps one for each of its thousands of connections.
  alignas(8) std::array<std::byte, 28> storage_{};
  std::uint32_t length_ = 0;
};

}  // namespace chatport::net
