#pragma once
// One line of the chat log: a message, a private message, or a system or error line.

#include <chatport/chat/types.h>

#include <QString>

#include <cstdint>

namespace chatport::ui {

struct LogEntry {
  enum class Kind : std::uint8_t {
    Message,  ///< to everyone
    Private,  ///< between two people; sender and recipient set
    System,   ///< joins, leaves, renames, kicks, connection news
    Error,    ///< a failure, in words a person can act on
  };

  Kind kind = Kind::System;
  /// Written by this window's user (messages and private messages).
  bool own = false;
  chat::ClientId senderId = chat::kNoClient;
  QString sender;
  QString recipient;  ///< Private only
  chat::ClientId recipientId = chat::kNoClient;
  /// The sender or the recipient is the chat's host: the log draws a badge by the name.
  bool senderIsHost = false;
  bool recipientIsHost = false;
  /// Milliseconds since the Unix epoch, UTC: the host's stamp for messages, local for the rest.
  qint64 timeMs = 0;
  std::uint64_t seq = 0;  ///< room order of a message; 0 for the rest
  QString text;
  /// Said before this session (the room's history, or this installation's own): drawn muted.
  bool history = false;
};

}  // namespace chatport::ui
