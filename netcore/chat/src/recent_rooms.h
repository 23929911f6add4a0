#pragma once
// The file recent_rooms in the data folder: the rooms this installation joined, newest first,
// one line each:
//
//   <address> <port> <64 hex digits of the host's key> <unix seconds joined> <host name>
//
// (the host name is the rest of the line: a nickname has no line breaks or control
// characters). Replaced whole, like known_hosts. The public side is in discovery.h.

#include <chatport/chat/discovery.h>

#include <string>

namespace chatport::chat {

/// Puts room first, dropping an older entry for the same address and port, or for the same
/// key and port (the host at a new address), and the oldest past kMaxRememberedRooms. False
/// with error set if the file cannot be written.
bool rememberRoom(const std::string& dataFolder, const RememberedRoom& room, std::string& error);

}  // namespace chatport::chat
