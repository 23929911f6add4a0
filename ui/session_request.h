#pragma once
// What the person asked for: host a chat or join one, under which nickname, where.
// A plain value; StartDialog and the command line produce it, ChatWindow runs it.

#include <chatport/chat/types.h>

#include <QString>

#include <array>
#include <cstddef>
#include <optional>

namespace chatport::ui {

struct SessionRequest {
  chat::Role role = chat::Role::Host;
  QString name;
  /// Host: the address to listen on (empty: every IPv4 interface). Joiner: the host's name or
  /// address.
  QString address;
  /// Host: 0 lets the system pick a free port.
  quint16 port = chat::kDefaultPort;
  /// The room's password: host: the one joiners must give (empty: none); joiner: the one the
  /// room has. Kept in memory only, never in the settings.
  QString password;
  /// Joiner: the host's key may differ from the one pinned for its address; trust and pin it.
  /// For one attempt, after the person has compared the fingerprints.
  bool acceptNewHostKey = false;
  /// Joiner: the room was picked from those found on the network: the key it announced (a
  /// host showing another one is refused). Host: where the room is announced.
  std::optional<std::array<std::byte, 32>> expectedHostKey;
  chat::DiscoveryOptions discovery;

  /// The command that starts this session in the core.
  chat::Command toCommand() const;
  friend bool operator==(const SessionRequest&, const SessionRequest&) = default;
};

}  // namespace chatport::ui
