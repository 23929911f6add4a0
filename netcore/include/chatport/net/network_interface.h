#pragma once
// The machine's network interfaces and their addresses: where discovery beacons are sent from
// and which networks they reach.

#include <chatport/net/endpoint.h>

#include <string>
#include <system_error>
#include <vector>

namespace chatport::net {

struct InterfaceAddressV4 {
  Endpoint address;    ///< port 0
  unsigned prefixLength = 0;
  Endpoint broadcast;  ///< port 0; not valid() where the interface has no broadcast
};

struct InterfaceAddressV6 {
  Endpoint address;  ///< port 0; a link-local one carries its scope id (the interface index)
  unsigned prefixLength = 0;
};

struct NetworkInterface {
  std::string name;         ///< "eth0"; on Windows the adapter's friendly name ("Ethernet 2")
  std::string description;  ///< Windows: the adapter's description; empty elsewhere
  unsigned index = 0;       ///< what DatagramSocket::joinGroup() and Datagram::interfaceIndex use
  bool up = false;
  bool loopback = false;
  bool broadcast = false;  ///< IPv4 broadcast possible
  bool multicast = false;
  /// A virtual machine's, a container's or a bridge's adapter (Linux: a name starting docker,
  /// veth, virbr, vboxnet, vmnet or br-; Windows: a Hyper-V, VirtualBox or VMware adapter by
  /// its description). Rooms on it are seldom what a person is looking for.
  bool likelyVirtual = false;
  std::vector<InterfaceAddressV4> ipv4;
  std::vector<InterfaceAddressV6> ipv6;
};

/// Thread-safe; asks the system each time (getifaddrs on Linux, GetAdaptersAddresses on
/// Windows). Interfaces without addresses are listed too. Empty with ec set on failure.
std::vector<NetworkInterface> listInterfaces(std::error_code& ec);

}  // namespace chatport::net
