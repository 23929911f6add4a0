#pragma once
// ChatPort's named loggers: "net" (engine), "chat" (protocol and rooms), "ui", "app".
// Each component fetches its logger once and keeps it (spdlog::get takes a lock).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace chatport::logging {

struct Options {
  /// trace, debug, info, warn, error, critical or off. Empty: $CHATPORT_LOG_LEVEL, else info.
  std::string level;
  /// A rotating log file (5 files of 5 MiB) beside the console; empty for none.
  std::string filePath;
  bool console = true;
};

/// Creates or reconfigures every named logger. Call at start-up, before other threads log.
/// Throws spdlog::spdlog_ex if the log file cannot be opened.
void init(const Options& options);

/// The named logger, created with the current sinks and level on first use. Thread-safe.
std::shared_ptr<spdlog::logger> get(const std::string& name);

/// Parses a level name; nullopt for anything else.
std::optional<spdlog::level::level_enum> parseLevel(std::string_view name);

}  // namespace chatport::logging
