#pragma once
// chatport-cli's command line.

#include <chatport/chat/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatport::cli {

struct CommandLine {
  chat::Role role = chat::Role::Host;
  bool discover = false;         ///< `discover`: list the rooms heard, then end
  double seconds = 2;            ///< discover: how long to listen
  std::string name;
  std::string host;              ///< join: name or address
  std::string bindAddress;        ///< host: empty for every address (see HostCommand)
  std::uint16_t port = chat::kDefaultPort;
  std::size_t maxClients = 0;    ///< host: 0 keeps the core's default
  double rate = 0;               ///< host: messages a second each joiner may send; 0: the default
  double burst = 0;              ///< host: how many at once; 0: the default
  bool keepHistory = true;       ///< --no-history: keep nothing on disk
  std::string acceptFilesInto;   ///< --accept-files DIR: accept every offer into DIR
  std::uint64_t maxFileBytes = 0;  ///< host: --max-file-size; 0 keeps the core's default
  std::optional<std::size_t> historyMessages;  ///< host: sent to newcomers; unset: the default
  std::string dataDir;           ///< where the key and pinned hosts live; empty: the platform's
  std::string passwordFile;      ///< the room's password is this file's first line
  bool passwordPrompt = false;   ///< ask for the room's password on the terminal
  bool acceptNewHostKey = false; ///< join: the host's key may differ from the pinned one
  std::optional<std::array<std::byte, 32>> expectedHostKey;  ///< join ROOM: the key it announced
  bool announce = true;          ///< host: announce the room on the network
  bool anyPortIfTaken = false;   ///< host: see HostCommand::anyPortIfTaken
  chat::DiscoveryOptions discovery;  ///< --interface
  std::vector<std::string> probes;   ///< discover, join: --probe ADDR|SUBNET
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

/// CHATPORT_PASSWORD_COST, "KIB,PASSES": what deriving a hosted room's key from its password
/// costs (Argon2id memory and passes), within noise::kMinPasswordCost and kMaxPasswordCost.
/// Tests lower it; a real room should keep the default. nullopt if text is not such a pair.
struct PasswordCost {
  std::uint32_t memoryKiB = 0;
  std::uint32_t iterations = 0;
};
std::optional<PasswordCost> parsePasswordCost(std::string_view text);

}  // namespace chatport::cli
