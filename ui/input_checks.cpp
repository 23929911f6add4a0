#include "input_checks.h"

#include <chatport/chat/types.h>

#include <QHostAddress>
#include <QRegularExpression>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;

constexpr int kMaxNameCodePoints = 32;

bool hasControlCharacter(const QString& text) {
  for (char32_t c : text.toUcs4())
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) return true;
  return false;
}

}  // namespace

QString InputChecks::nameProblem(const QString& name) {
  if (name.isEmpty()) return tr("Enter a nickname.");
  if (name.trimmed().isEmpty()) return tr("A nickname can't be only spaces.");
  if (hasControlCharacter(name))
    return tr("A nickname can't contain tabs, line breaks or other control characters.");
  if (name.toUcs4().size() > kMaxNameCodePoints)
    return tr("A nickname can have at most %1 characters.").arg(kMaxNameCodePoints);
  // The core decides; this catches anything the checks above do not explain.
  if (chat::validateName(name.toStdString())) return tr("This nickname can't be used. Choose another one.");
  return {};
}

QString InputChecks::portProblem(const QString& text, PortUse use) {
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty()) return tr("Enter a port number.");
  bool ok = false;
  const uint port = trimmed.toUInt(&ok);
  const uint lowest = use == PortUse::Host ? 0 : 1;
  if (!ok || port < lowest || port > 65535) {
    return use == PortUse::Host ? tr("The port must be a number from 0 to 65535 (0 picks a free one).")
                                : tr("The port must be a number from 1 to 65535.");
  }
  return {};
}

QString InputChecks::addressProblem(const QString& address) {
  const QString host = address.trimmed();
  if (host.isEmpty()) return tr("Enter the host's address, for example 192.168.1.20.");
  if (QHostAddress parsed; parsed.setAddress(host)) return {};
  static const QRegularExpression hostName(
      u"^(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
      u"(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$"_s);
  if (hostName.match(host).hasMatch()) return {};
  if (host.contains(u':'))
    return tr("Put the port in the port field, or write the address as host:port.");
  return tr("“%1” is not an address or a computer name. Use something like 192.168.1.20 or "
            "my-laptop.local.")
      .arg(host);
}

std::optional<InputChecks::HostAndPort> InputChecks::splitHostAndPort(const QString& text) {
  const QString in = text.trimmed();
  auto portFrom = [](const QString& digits) -> std::optional<quint16> {
    bool ok = false;
    const uint port = digits.toUInt(&ok);
    if (!ok || port == 0 || port > 65535) return std::nullopt;
    return static_cast<quint16>(port);
  };
  if (in.startsWith(u'[')) {  // [v6] or [v6]:port
    const qsizetype close = in.indexOf(u']');
    if (close < 0) return HostAndPort{in, std::nullopt};
    HostAndPort out{in.mid(1, close - 1), std::nullopt};
    const QString rest = in.mid(close + 1);
    if (rest.isEmpty()) return out;
    if (!rest.startsWith(u':')) return std::nullopt;
    out.port = portFrom(rest.mid(1));
    if (!out.port) return std::nullopt;
    return out;
  }
  if (in.count(u':') == 1) {
    const qsizetype colon = in.indexOf(u':');
    auto port = portFrom(in.mid(colon + 1));
    if (!port) return std::nullopt;
    return HostAndPort{in.left(colon), port};
  }
  return HostAndPort{in, std::nullopt};  // a name, an IPv4 address or a bare IPv6 address
}

}  // namespace chatport::ui
