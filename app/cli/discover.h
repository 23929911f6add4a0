#pragma once
// chatport-cli's use of room discovery: `discover`, and `join ROOM` by a room's name.
#include "command_line.h"

#include <string>

namespace chatport::cli {

/// `discover`: listens for options.seconds (asking the rooms joined before directly too), prints
/// the rooms heard (text, or one JSON object per
/// room with --json) and returns the exit status.
int runDiscover(const CommandLine& options);

/// Whether `join TEXT` may name a room: not an address, not localhost, and no dot in it (a
/// name with a dot is a computer's name, looked up in the DNS).
bool maybeRoomName(const std::string& text);

/// `join ROOM` where ROOM is not an address: looks for a room of that name on the network (at
/// most a few seconds) and, if one is heard, points options.host and options.port at it; if
/// none is heard, at the address of a remembered room of that name (chat::rememberedRooms).
/// False if neither: ROOM is then tried as a host name.
bool findRoomToJoin(CommandLine& options);

}  // namespace chatport::cli
