#pragma once
// The UDP sockets of room discovery, for a host's beacon and a joiner's finder alike: where
// beacons and queries go (every chosen interface, by each path the options allow) and where
// they are heard (the shared discovery port, its multicast groups joined on each interface).
//
//  - listeners: the discovery port, IPv4 and IPv6, shared with the other programs of this
//    machine (SO_REUSEADDR), so several hosts and joiners on one machine all hear the
//    broadcasts and multicasts; a host adds its own TCP port's number, where unicast probes
//    find it alone (a unicast datagram to a shared port reaches only one of its sockets);
//  - senders: per chosen interface and family, one socket whose multicasts leave by that
//    interface; also what replies to a joiner's queries come back to;
//  - unicast: one socket per family for probes of given addresses.
#include <chatport/chat/discovery.h>
#include <chatport/net/buffer.h>
#include <chatport/net/datagram_socket.h>
#include <chatport/net/endpoint.h>
#include <chatport/net/engine.h>
#include <chatport/net/error.h>
#include <chatport/net/network_interface.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::chat {

/// The interfaces discovery uses (DiscoveryOptions::interfaces, or the default rule).
std::vector<net::NetworkInterface> chooseDiscoveryInterfaces(const std::vector<net::NetworkInterface>& all,
                                                             const DiscoveryOptions& options);

class DiscoverySockets {
 public:
  /// Runs on a socket's loop thread for each datagram heard.
  using Handler = std::function<void(const net::Endpoint& from, std::span<const std::byte> payload,
                                     net::DatagramSocket& socket)>;

  /// Opens what it can. Fails (nullptr, problem set) only when no listener on the discovery
  /// port could be opened at all; a family or an interface that cannot be used is logged and
  /// left out. extraPorts: more ports to listen on (a host's own, for unicast probes).
  static std::unique_ptr<DiscoverySockets> open(net::Engine& engine, const DiscoveryOptions& options,
                                                const std::vector<std::uint16_t>& extraPorts, Handler onDatagram,
                                                std::shared_ptr<spdlog::logger> log, std::string& problem);
  ~DiscoverySockets();

  /// Thread-safe. Sends datagram by every path on every chosen interface.
  void sendEverywhere(const net::SharedBytes& datagram);
  /// Thread-safe. Sends datagram to one address (a unicast probe).
  void sendTo(const net::Endpoint& to, const net::SharedBytes& datagram);
  /// Thread-safe, idempotent.
  void close();

  /// The interfaces in use (for logs and tests).
  const std::vector<std::string>& interfaceNames() const noexcept { return names_; }

 private:
  struct Sender {
    std::shared_ptr<net::DatagramSocket> socket;
    std::vector<net::Endpoint> destinations;
  };
  DiscoverySockets() = default;

  std::vector<std::shared_ptr<net::DatagramSocket>> listeners_;
  std::vector<Sender> senders_;
  std::shared_ptr<net::DatagramSocket> unicastV4_, unicastV6_;
  std::vector<std::string> names_;
};

}  // namespace chatport::chat
