#include "local_addresses.h"

#include <QHostAddress>
#include <QNetworkInterface>

namespace chatport::ui {

QStringList LocalAddresses::forJoining() {
  QStringList v4;
  QStringList v6;
  for (const QNetworkInterface& iface : QNetworkInterface::allInterfaces()) {
    const auto flags = iface.flags();
    if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning) ||
        flags.testFlag(QNetworkInterface::IsLoopBack))
      continue;
    for (const QNetworkAddressEntry& entry : iface.addressEntries()) {
      const QHostAddress a = entry.ip();
      if (a.isLoopback() || a.isLinkLocal()) continue;
      if (a.protocol() == QHostAddress::IPv4Protocol) v4 << a.toString();
      else if (a.protocol() == QHostAddress::IPv6Protocol && a.isGlobal()) v6 << a.toString();
    }
  }
  v4.removeDuplicates();
  v6.removeDuplicates();
  return v4 + v6;
}

QStringList LocalAddresses::forBinding(const QString& bindAddress) {
  const QHostAddress bound(bindAddress);
  const bool wildcard = bindAddress.isEmpty() || bound == QHostAddress::AnyIPv4 ||
                        bound == QHostAddress::AnyIPv6 || bound == QHostAddress::Any;
  if (!wildcard) return {bindAddress};
  QStringList all = forJoining();
  // Empty: the host listens dual-stack (HostCommand::bindAddress), reachable on both.
  if (bound == QHostAddress::AnyIPv4)
    all.removeIf([](const QString& a) { return a.contains(u':'); });
  if (all.isEmpty()) all << QHostAddress(QHostAddress::LocalHost).toString();
  return all;
}

}  // namespace chatport::ui
