#pragma once
// Checks of what a person types before anything is tried, each answering with a sentence to
// show next to the field (empty when the input is fine). Thread-safe (pure functions).

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace chatport::ui {

class InputChecks {
  Q_DECLARE_TR_FUNCTIONS(InputChecks)

 public:
  enum class PortUse { Host, Join };

  /// A nickname as the chat core accepts it (chat::validateName), explained.
  static QString nameProblem(const QString& name);
  /// A port typed as text. A host may ask for 0: any free port.
  static QString portProblem(const QString& text, PortUse use);
  /// A host name, IPv4 or IPv6 address to join (without a port).
  static QString addressProblem(const QString& address);

  /// "host", "host:port", "1.2.3.4:5", "[::1]:5" or a bare IPv6 address.
  struct HostAndPort {
    QString host;
    std::optional<quint16> port;
  };
  /// nullopt when a port is given but is not a number from 1 to 65535.
  static std::optional<HostAndPort> splitHostAndPort(const QString& text);
};

}  // namespace chatport::ui
