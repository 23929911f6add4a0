#pragma once
// `chatport-cli history`: search, list, export and delete the history kept in the data folder.
//
//   chatport-cli history [--data-dir DIR] search WORDS... [--room ROOM] [--limit N] [--json]
//   chatport-cli history [--data-dir DIR] rooms [--json]
//   chatport-cli history [--data-dir DIR] export ROOM [--format text|json] [--output FILE]
//   chatport-cli history [--data-dir DIR] delete ROOM|--all
//
// ROOM is a room's name as `history rooms` lists it, or its key (key:... or addr:...).

#include <string>
#include <vector>

namespace chatport::cli {

/// The exit status when the history cannot be read or written (its file, an export's file).
inline constexpr int kExitHistory = 1;

/// Runs `history` with the arguments after it; returns the exit status.
int runHistory(const std::vector<std::string>& args);

/// The part of --help about `history`.
std::string historyUsageText();

}  // namespace chatport::cli
