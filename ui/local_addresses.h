#pragma once
// This machine's addresses that others on the network can join, best first. Thread-safe.

#include <QStringList>

namespace chatport::ui {

class LocalAddresses {
 public:
  /// IPv4 addresses of interfaces that are up (not loopback), then global IPv6 ones. Empty when
  /// the machine has no network.
  static QStringList forJoining();
  /// What to show for a host bound to bindAddress: the address itself, or for a wildcard
  /// ("", 0.0.0.0, ::) this machine's addresses (loopback if there are none).
  static QStringList forBinding(const QString& bindAddress);
};

}  // namespace chatport::ui
