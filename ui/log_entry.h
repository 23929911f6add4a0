#pragma once
// One line of the chat log: a message, a private message, a system or error line, or a file or
// folder offered (with what can be done about it, and a thumbnail once an image has arrived).

#include <chatport/chat/types.h>

#include <QImage>
#include <QString>

#include <cstdint>

namespace chatport::ui {

struct LogEntry {
  enum class Kind : std::uint8_t {
    Message,  ///< to everyone
    Private,  ///< between two people; sender and recipient set
    System,   ///< joins, leaves, renames, kicks, connection news
    Error,    ///< a failure, in words a person can act on
    File,     ///< a file or folder offered by the sender or to this window's user
  };

  /// What a File row's buttons do; flags in fileActions.
  enum FileAction : std::uint8_t {
    NoFileAction = 0,
    Accept = 1,
    Decline = 2,
    Cancel = 4,
    Open = 8,          ///< the thumbnail, when there is one, opens it too
    ShowInFolder = 16,
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
  // Set by ChatLogModel::append from the row before (whatever the caller put there):
  /// A Message that continues the group of the one before it (same person, same minute,
  /// nothing between): drawn without name, time or avatar.
  bool continuesGroup = false;
  /// The first message, private message or file offer of a local day: a date line above it.
  bool startsDay = false;

  // File rows: text says who offers what to whom; these describe the offer.
  chat::TransferId transferId = 0;
  QString fileName;
  bool folder = false;
  std::uint64_t fileSize = 0;
  QString fileStatus;  ///< where it stands, in words ("Saved in Downloads", "Declined")
  QString filePath;    ///< once it arrived (or, for the sender, what was offered)
  std::uint8_t fileActions = NoFileAction;
  QImage thumbnail;    ///< a received image, scaled down, with its device pixel ratio set

  /// Said by a person: a message, a private message or a file offer.
  bool isSpoken() const { return kind == Kind::Message || kind == Kind::Private || kind == Kind::File; }
};

}  // namespace chatport::ui
