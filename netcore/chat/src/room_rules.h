#pragma once
// The file room_rules in the data folder: whom the host has banned from its room and whose rate
// limit it has lifted, kept across restarts as the room itself is (the same key, its history).
// One line each, replaced whole like known_hosts:
//
//   ban <64 hex digits of the person's key> <unix seconds since> <name then>
//   exempt <64 hex digits> <unix seconds since> <name then>
//
// (the name is the rest of the line: a nickname has no line breaks or control characters).

#include <chatport/noise/key_pair.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace chatport::chat {

struct RoomRule {
  std::string name;  ///< what the person was called when the rule was made
  std::chrono::system_clock::time_point since;
  friend bool operator==(const RoomRule&, const RoomRule&) = default;
};

struct RoomRules {
  std::map<noise::PublicKey, RoomRule> banned;
  std::map<noise::PublicKey, RoomRule> exempt;  ///< no rate limit
  friend bool operator==(const RoomRules&, const RoomRules&) = default;
};

/// At most this many of each kind are kept: a host cannot ban more.
inline constexpr std::size_t kMaxRoomRules = 10'000;

/// The rules kept in dataFolder (empty: the platform's); none if there is no file yet. Damaged
/// lines are skipped, and problem says so (for a person); problem is empty otherwise.
RoomRules loadRoomRules(const std::string& dataFolder, std::string& problem);
/// Replaces the file with rules. False with error set (for a person) if it cannot be written.
bool saveRoomRules(const std::string& dataFolder, const RoomRules& rules, std::string& error);

}  // namespace chatport::chat
