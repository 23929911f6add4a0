#pragma once
// What the person asked for: host a chat or join one, under which nickname, where.
// A plain value; StartDialog and the command line produce it, ChatWindow runs it.

#include <chatport/chat/types.h>

#include <QString>

namespace chatport::ui {

struct SessionRequest {
  chat::Role role = chat::Role::Host;
  QString name;
  /// Host: the address to listen on (empty: every IPv4 interface). Joiner: the host's name or
  /// address.
  QString address;
  /// Host: 0 lets the system pick a free port.
  quint16 port = chat::kDefaultPort;

  /// The command that starts this session in the core.
  chat::Command toCommand() const;
  friend bool operator==(const SessionRequest&, const SessionRequest&) = default;
};

}  // namespace chatport::ui
