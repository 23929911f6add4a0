#pragma once
// chatport-cli's command line.

#include <chatport/chat/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatport::cli {

struct CommandLine {
  chat::Role role = chat::Role::Host;
  std::string name;
  std::string host;              ///< join: name or address
  std::string bindAddress = "0.0.0.0";
  std::uint16_t port = chat::kDefaultPort;
  std::size_t maxClients = 0;    ///< host: 0 keeps the core's default
  bool json = false;
  bool stay = false;
  std::string logLevel;          ///< empty: $CHATPORT_LOG_LEVEL, else warn
  bool help = false;
  bool version = false;
};

/// Parses argv (without the program name). On a usage error returns nullopt and sets error.
std::optional<CommandLine> parseCommandLine(const std::vector<std::string>& args, std::string& error);

/// The --help text.
std::string usageText();

}  // namespace chatport::cli
