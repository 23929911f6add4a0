#include "discovery_sockets.h"

#include "beacon.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace chatport::chat {

static_assert(DiscoveryOptions{}.port == beacon::kDiscoveryPort);

namespace {

bool named(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

net::Endpoint group(std::string_view address, std::uint16_t port) { return *net::Endpoint::parse(address, port); }

}  // namespace

std::vector<net::NetworkInterface> chooseDiscoveryInterfaces(const std::vector<net::NetworkInterface>& all,
                                                             const DiscoveryOptions& options) {
  std::vector<net::NetworkInterface> chosen;
  for (const auto& nic : all) {
    if (!nic.up) continue;
    const bool wanted = options.interfaces.empty() ? !nic.loopback && !nic.likelyVirtual
                                                   : named(options.interfaces, nic.name);
    if (wanted && (!nic.ipv4.empty() || !nic.ipv6.empty())) chosen.push_back(nic);
  }
  if (chosen.empty() && options.interfaces.empty()) {
    // Nothing but loopback: rooms on this machine still find each other.
    for (const auto& nic : all)
      if (nic.up && nic.loopback) chosen.push_back(nic);
  }
  return chosen;
}

std::unique_ptr<DiscoverySockets> DiscoverySockets::open(net::Engine& engine, const DiscoveryOptions& options,
                                                         const std::vector<std::uint16_t>& extraPorts,
                                                         Handler onDatagram, std::shared_ptr<spdlog::logger> log,
                                                         std::string& problem) {
  std::unique_ptr<DiscoverySockets> self(new DiscoverySockets);
  auto handler = [onDatagram](net::DatagramSocket& socket, const net::Datagram& d) {
    onDatagram(d.from, d.payload, socket);
  };
  auto openOne = [&](const net::Endpoint& local, const net::DatagramOptions& o,
                     std::string_view what) -> std::shared_ptr<net::DatagramSocket> {
    std::error_code ec;
    auto socket = engine.openDatagram(local, o, handler, ec);
    if (!socket) log->info("discovery: no {} on {}: {}", what, local.toString(), net::describe(ec));
    return socket;
  };

  std::error_code ec;
  const auto interfaces = chooseDiscoveryInterfaces(net::listInterfaces(ec), options);
  if (ec) log->warn("discovery: the network interfaces could not be listed: {}", net::describe(ec));

  net::DatagramOptions shared;
  shared.reuseAddress = true;
  shared.broadcast = true;
  std::vector<std::uint16_t> ports{options.port};
  for (auto port : extraPorts)
    if (port != 0 && std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
  std::string firstFailure;
  for (std::uint16_t port : ports) {
    for (bool v6 : {false, true}) {
      const net::Endpoint local = v6 ? net::Endpoint::anyV6(port) : net::Endpoint::anyV4(port);
      std::error_code openError;
      auto socket = engine.openDatagram(local, shared, handler, openError);
      if (!socket) {
        if (port == options.port && !v6) firstFailure = net::describe(openError);
        log->info("discovery: cannot listen on {}: {}", local.toString(), net::describe(openError));
        continue;
      }
      if (port == options.port) {
        for (const auto& nic : interfaces) {
          if (!nic.multicast) continue;
          const bool wanted = v6 ? options.multicastV6 && !nic.ipv6.empty() : options.multicastV4 && !nic.ipv4.empty();
          if (!wanted) continue;
          if (auto joinError = socket->joinGroup(group(v6 ? beacon::kMulticastV6 : beacon::kMulticastV4, port), nic.index))
            log->info("discovery: {} cannot join the {} group: {}", nic.name, v6 ? "IPv6" : "IPv4",
                      net::describe(joinError));
        }
      }
      self->listeners_.push_back(std::move(socket));
    }
  }
  const bool heard = std::any_of(self->listeners_.begin(), self->listeners_.end(), [&](const auto& s) {
    return s->localEndpoint().port() == options.port;
  });
  if (!heard) {
    problem = "rooms cannot be looked for: UDP port " + std::to_string(options.port) +
              " cannot be used (" + (firstFailure.empty() ? "no network" : firstFailure) +
              "); join by address instead";
    return nullptr;
  }

  net::DatagramOptions sending;
  sending.broadcast = true;
  for (const auto& nic : interfaces) {
    self->names_.push_back(nic.name);
    // IPv4: broadcast to each address's network, and the multicast group.
    if (!nic.ipv4.empty() && (options.broadcast || options.multicastV4)) {
      Sender sender;
      if (options.broadcast) {
        if (nic.loopback) sender.destinations.push_back(group("127.255.255.255", options.port));
        for (const auto& a : nic.ipv4)
          if (nic.broadcast && a.broadcast.valid()) {
            net::Endpoint to = a.broadcast;
            to.setPort(options.port);
            sender.destinations.push_back(to);
          }
      }
      if (options.multicastV4 && nic.multicast) sender.destinations.push_back(group(beacon::kMulticastV4, options.port));
      if (!sender.destinations.empty()) sender.socket = openOne(net::Endpoint::anyV4(0), sending, "IPv4 sender");
      if (sender.socket && nic.multicast) {
        if (auto e = sender.socket->setMulticastInterface(nic.index))
          log->info("discovery: {}: IPv4 multicasts cannot leave by it: {}", nic.name, net::describe(e));
      }
      if (sender.socket) self->senders_.push_back(std::move(sender));
    }
    // IPv6: the link-local group, scoped to this interface.
    if (!nic.ipv6.empty() && options.multicastV6 && nic.multicast) {
      Sender sender;
      sender.socket = openOne(net::Endpoint::anyV6(0), sending, "IPv6 sender");
      if (sender.socket) {
        if (auto e = sender.socket->setMulticastInterface(nic.index))
          log->info("discovery: {}: IPv6 multicasts cannot leave by it: {}", nic.name, net::describe(e));
        sender.destinations.push_back(group(std::string(beacon::kMulticastV6) + "%" + std::to_string(nic.index),
                                            options.port));
        self->senders_.push_back(std::move(sender));
      }
    }
  }
  self->unicastV4_ = openOne(net::Endpoint::anyV4(0), sending, "IPv4 probe socket");
  self->unicastV6_ = openOne(net::Endpoint::anyV6(0), sending, "IPv6 probe socket");
  return self;
}

DiscoverySockets::~DiscoverySockets() { close(); }

void DiscoverySockets::sendEverywhere(const net::SharedBytes& datagram) {
  for (const auto& sender : senders_)
    for (const auto& to : sender.destinations) sender.socket->sendTo(to, *datagram);
}

void DiscoverySockets::sendTo(const net::Endpoint& to, const net::SharedBytes& datagram) {
  const auto& socket = to.isV6() ? unicastV6_ : unicastV4_;
  if (socket) socket->sendTo(to, *datagram);
}

void DiscoverySockets::close() {
  for (auto& s : listeners_) s->close();
  for (auto& s : senders_) s.socket->close();
  if (unicastV4_) unicastV4_->close();
  if (unicastV6_) unicastV6_->close();
}

}  // namespace chatport::chat
