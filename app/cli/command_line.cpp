#include "command_line.h"

#include "history_command.h"
#include "option_reader.h"

#include <chatport/log.h>
#include <chatport/noise/password.h>

#include <charconv>

namespace chatport::cli {
namespace {

bool parsePort(std::string_view text, bool allowZero, std::uint16_t& port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 65535 || (value == 0 && !allowZero))
    return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// HOST, HOST:PORT, [V6] or [V6]:PORT; a bare IPv6 address has more than one colon and no port.
bool splitHostPort(const std::string& text, std::string& host, std::optional<std::uint16_t>& port) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    const std::string rest = text.substr(close + 1);
    if (rest.empty()) return !host.empty();
    std::uint16_t p = 0;
    if (rest.front() != ':' || !parsePort(rest.substr(1), false, p)) return false;
    port = p;
    return !host.empty();
  }
  const auto colon = text.find(':');
  if (colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
    std::uint16_t p = 0;
    if (!parsePort(text.substr(colon + 1), false, p)) return false;
    port = p;
    return !host.empty();
  }
  host = text;
  return !host.empty();
}

}  // namespace

std::string usageText() {
  return "Usage:\n"
         "  chatport-cli host [--port N] [--bind ADDR] --name NICK [options]\n"
         "  chatport-cli join HOST[:PORT]|ROOM [--port N] --name NICK [options]\n"
         "  chatport-cli discover [--seconds N] [--json] [--interface NAME] [--probe ADDR]\n"
         "  chatport-cli history search|rooms|export|delete ... (see below)\n"
         "\n"
         "Hosts a ChatPort chat, or joins one: by address, or by the name of a room found on\n"
         "the network (the host's nickname, as `discover` lists it) or joined before. `discover`\n"
         "lists the rooms it hears in N seconds (default 2), asking the rooms joined before\n"
         "directly too, and ends; with --json one object per room.\n"
         "\n"
         "In a chat, each line read from standard input is sent as a\n"
         "chat message; lines starting with / are commands:\n"
         "  /msg NICK TEXT   a private message      /who       who is here\n"
         "  /nick NEW        change your nickname   /quit      leave\n"
         "  /away, /busy     tell everyone you are away, or busy; /back: available again\n"
         "  /picture PATH    show everyone this PNG or JPEG (16 KiB at most) as your picture;\n"
         "                   /picture alone removes it\n"
         "  /kick NICK       remove someone (host only)\n"
         "  /ban NICK        remove someone and keep them out of this room, also after a\n"
         "                   restart (host only); /bans lists who is banned, and\n"
         "                   /unban NICK|FINGERPRINT lets them join again\n"
         "  /exempt NICK     lift NICK's rate limit, e.g. for a bot (host only; kept like\n"
         "                   bans); /unexempt NICK puts it back\n"
         "  /send PATH [NICK] offer a file or folder to everyone, or to NICK\n"
         "  /accept ID [DIR] save offer ID into DIR (default: the current folder)\n"
         "  /decline ID      decline offer ID\n"
         "  /cancel ID [NICK] stop transfer ID (your offer: to everyone, or to NICK only)\n"
         "  /pause ID [NICK] hold transfer ID back (the same); /resume ID [NICK] let it go on\n"
         "  //TEXT           send TEXT starting with /\n"
         "End of input leaves the chat once this side's transfers are over, unless --stay\n"
         "is given.\n"
         "\n"
         "Output: one line per event, or one JSON object per line with --json.\n"
         "  [12:00:00] <bob> hello                    a message\n"
         "            | and its next line             lines after a message's first\n"
         "  [12:00:01] [host] <ann> welcome           [host]: from the host of the chat\n"
         "  [12:00:02] (private) <bob> -> [host] <ann> psst\n"
         "  * <carol> joined                          news; ! errors, on standard error\n"
         "A name is always inside <>, with \\, < and > in it shown as \\\\, \\< and \\>, so [host]\n"
         "before the < is the program's badge, never part of a name. Control characters,\n"
         "bidi controls and line separators in names and messages are shown as \\xNN or\n"
         "\\u{NNNN}; nothing anyone sends can reach the terminal as an escape sequence.\n"
         "\n"
         "Options:\n"
         "  --port N         port to host on or join (default 5150; host: 0 picks a free one;\n"
         "                   an announced room without --port takes the next free port when\n"
         "                   5150 is taken)\n"
         "  --bind ADDR      address to host on (default: every address, IPv6 and IPv4;\n"
         "                   0.0.0.0 for IPv4 only)\n"
         "  --max-clients N  host: how many joiners may be connected at once (default 1000)\n"
         "  --rate N         host: messages a second each joiner may send (default 20; a room\n"
         "                   with a bot, or a benchmark, may need more); joiners are told it\n"
         "  --burst N        host: how many a joiner may send at once (default 40)\n"
         "  --name NICK      your nickname: 1-32 characters\n"
         "  --password-file PATH\n"
         "                   the room's password is the first line of this file (host: joiners\n"
         "                   need it; join: the host's). Never give a password on the command\n"
         "                   line, where other users of the computer can read it.\n"
         "  --password-prompt\n"
         "                   ask for the room's password on the terminal, without echo. On\n"
         "                   Linux a joiner on a terminal is also asked when the host says the\n"
         "                   room needs one, or that the password given is wrong.\n"
         "  --accept-new-host-key\n"
         "                   join: the host's key fingerprint is not the one pinned for its\n"
         "                   address, and its owner has confirmed the new one: trust and pin it\n"
         "  --data-dir DIR   where this computer's key, the hosts it has met and its history\n"
         "                   are kept (default $XDG_DATA_HOME/chatport, ~/.local/share/chatport,\n"
         "                   or %APPDATA%\\ChatPort on Windows)\n"
         "  --accept-files DIR\n"
         "                   accept every file offered to this side, into DIR\n"
         "  --max-file-size N\n"
         "                   host: the largest file or folder the room carries, in MiB\n"
         "                   (default 4096)\n"
         "  --no-history     keep nothing of this chat on disk (a host's room then starts\n"
         "                   afresh next time)\n"
         "  --history-messages N\n"
         "                   host: how many of the latest messages a newcomer is sent\n"
         "                   (default 100; 0 sends none)\n"
         "  --no-announce    host: do not announce the room on the network (joiners then\n"
         "                   need its address)\n"
         "  --interface NAME announce and look for rooms on this network interface only\n"
         "                   (repeat for more; default: every one that is up, except loopback\n"
         "                   and virtual machines' and containers' adapters)\n"
         "  --probe ADDR     discover, join: also ask this address, or every address of a\n"
         "                   subnet (192.168.7.0/24, at most /22), directly: for rooms the\n"
         "                   network's broadcasts do not reach (other subnets, VPNs)\n"
         "  --seconds N      discover: how long to listen (default 2)\n"
         "  --discovery-port N\n"
         "                   the UDP port rooms are announced and looked for on (default\n"
         "                   5149; everyone on the network must use the same one)\n"
         "  --json           print one JSON object per event and line instead of text\n"
         "  --stay           keep running after the end of input\n"
         "  --log-level L    trace, debug, info, warn (default), error, critical or off\n"
         "  --help, --version\n"
         "\n"
         "Every chat is encrypted. When hosting, the host's key fingerprint is printed; a\n"
         "joiner prints the fingerprint of the host it reached, and pins it the first time\n"
         "(first contact). If both read the same fingerprint, nobody is in between. A host\n"
         "whose key differs from the pinned one is refused until --accept-new-host-key.\n"
         "\n"
         + historyUsageText() +
         "\n"
         "Environment:\n"
         "  CHATPORT_PASSWORD_COST=KIB,PASSES  host: the memory (KiB, 8192-1048576) and passes\n"
         "                   (1-10) of the password hash (default 65536,3). Lower only for tests.\n"
         "  CHATPORT_LOG_LEVEL  as --log-level\n"
         "\n"
         "Exit status: 0 normal end, 2 usage error, 3 network failure (port in use, cannot\n"
         "connect, refused by the host: wrong or missing password, changed host key, banned;\n"
         "connection lost), 1 history failure (its file cannot be opened, an export cannot be\n"
         "written).\n";
}

std::optional<CommandLine> parseCommandLine(const std::vector<std::string>& args, std::string& error) {
  CommandLine out;
  std::vector<std::string> positional;
  std::optional<std::uint16_t> explicitPort;
  bool haveName = false;
  OptionReader reader(args);
  while (reader.next()) {
    const std::string& arg = reader.arg();
    std::string value;
    auto needValue = [&] { return reader.value(value, error); };
    if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if (arg == "--version") {
      out.version = true;
    } else if (arg == "--json") {
      out.json = true;
    } else if (arg == "--stay") {
      out.stay = true;
    } else if (arg == "--password-prompt") {
      out.passwordPrompt = true;
    } else if (arg == "--accept-new-host-key") {
      out.acceptNewHostKey = true;
    } else if (arg == "--no-announce") {
      out.announce = false;
    } else if (arg == "--interface") {
      if (!needValue()) return std::nullopt;
      out.discovery.interfaces.push_back(value);
    } else if (arg == "--discovery-port") {
      if (!needValue()) return std::nullopt;
      if (!parsePort(value, false, out.discovery.port)) {
        error = "--discovery-port must be a number from 1 to 65535";
        return std::nullopt;
      }
    } else if (arg == "--probe") {
      if (!needValue()) return std::nullopt;
      out.probes.push_back(value);
    } else if (arg == "--seconds") {
      if (!needValue()) return std::nullopt;
      double n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || !(n > 0 && n <= 3600)) {
        error = "--seconds must be a number from 0.1 to 3600";
        return std::nullopt;
      }
      out.seconds = n;
    } else if (arg == "--password-file") {
      if (!needValue()) return std::nullopt;
      if (value.empty()) {
        error = "--password-file needs a file name";
        return std::nullopt;
      }
      out.passwordFile = value;
    } else if (arg == "--data-dir") {
      if (!needValue()) return std::nullopt;
      if (value.empty()) {
        error = "--data-dir needs a folder name";
        return std::nullopt;
      }
      out.dataDir = value;
    } else if (arg == "--password") {
      error = "a password is never given on the command line, where others can read it: use "
              "--password-file PATH or --password-prompt";
      return std::nullopt;
    } else if (arg == "--name") {
      if (!needValue()) return std::nullopt;
      out.name = value;
      haveName = true;
    } else if (arg == "--port") {
      if (!needValue()) return std::nullopt;
      std::uint16_t p = 0;
      if (!parsePort(value, true, p)) {
        error = "--port must be a number from 0 to 65535";
        return std::nullopt;
      }
      explicitPort = p;
    } else if (arg == "--no-history") {
      out.keepHistory = false;
    } else if (arg == "--accept-files") {
      if (!needValue()) return std::nullopt;
      out.acceptFilesInto = value;
    } else if (arg == "--max-file-size") {
      if (!needValue()) return std::nullopt;
      unsigned long long n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n == 0 || n > (1ull << 24)) {
        error = "--max-file-size must be a number of MiB from 1 to 16777216";
        return std::nullopt;
      }
      out.maxFileBytes = n << 20;
    } else if (arg == "--history-messages") {
      if (!needValue()) return std::nullopt;
      unsigned long n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n > 1000) {
        error = "--history-messages must be a number from 0 to 1000";
        return std::nullopt;
      }
      out.historyMessages = n;
    } else if (arg == "--max-clients") {
      if (!needValue()) return std::nullopt;
      unsigned long n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n == 0 || n > 1'000'000) {
        error = "--max-clients must be a number from 1 to 1000000";
        return std::nullopt;
      }
      out.maxClients = n;
    } else if (arg == "--rate" || arg == "--burst") {
      if (!needValue()) return std::nullopt;
      double n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || !(n >= 0.1 && n <= 100000)) {
        error = arg + " must be a number from 0.1 to 100000";
        return std::nullopt;
      }
      (arg == "--rate" ? out.rate : out.burst) = n;
    } else if (arg == "--bind") {
      if (!needValue()) return std::nullopt;
      out.bindAddress = value;
    } else if (arg == "--log-level") {
      if (!needValue()) return std::nullopt;
      if (!logging::parseLevel(value)) {
        error = "unknown log level '" + value + "'";
        return std::nullopt;
      }
      out.logLevel = value;
    } else if (arg.size() > 1 && arg[0] == '-') {
      error = "unknown option " + arg;
      return std::nullopt;
    } else {
      positional.push_back(arg);
    }
  }
  if (out.help || out.version) return out;

  if (positional.empty()) {
    error = "say host, join or discover";
    return std::nullopt;
  }
  if (positional[0] == "discover") {
    if (positional.size() != 1) {
      error = "discover takes no address; use --probe ADDR";
      return std::nullopt;
    }
    out.discover = true;
    return out;
  }
  if (positional[0] == "host") {
    out.role = chat::Role::Host;
    if (positional.size() != 1) {
      error = "host takes no address; use --bind";
      return std::nullopt;
    }
    if (out.acceptNewHostKey) {
      error = "--accept-new-host-key goes with join";
      return std::nullopt;
    }
    if (out.burst > 0 && out.burst < 1) {
      error = "--burst must let at least one message through";
      return std::nullopt;
    }
    if (explicitPort) out.port = *explicitPort;
    // The default port taken (another room on this computer): an announced room is found
    // wherever it listens. A port asked for is a must.
    out.anyPortIfTaken = out.announce && !explicitPort;
  } else if (positional[0] == "join") {
    out.role = chat::Role::Joiner;
    if (out.rate > 0 || out.burst > 0) {
      error = "--rate and --burst go with host: the host sets the room's limits";
      return std::nullopt;
    }
    if (out.historyMessages) {
      error = "--history-messages goes with host: the host sends its room's history";
      return std::nullopt;
    }
    if (positional.size() != 2) {
      error = "join needs one HOST[:PORT]";
      return std::nullopt;
    }
    std::optional<std::uint16_t> portInAddress;
    if (!splitHostPort(positional[1], out.host, portInAddress)) {
      error = "'" + positional[1] + "' is not HOST[:PORT]";
      return std::nullopt;
    }
    if (explicitPort && *explicitPort == 0) {
      error = "--port must be from 1 to 65535 to join";
      return std::nullopt;
    }
    out.port = portInAddress.value_or(explicitPort.value_or(chat::kDefaultPort));
  } else if (positional[0] == "history") {
    error = "history comes first: chatport-cli history [--data-dir DIR] search|rooms|export|delete ...";
    return std::nullopt;
  } else {
    error = "unknown mode '" + positional[0] + "': say host, join or discover";
    return std::nullopt;
  }
  if (out.passwordPrompt && !out.passwordFile.empty()) {
    error = "give --password-file or --password-prompt, not both";
    return std::nullopt;
  }
  if (!haveName) {
    error = "--name NICK is required";
    return std::nullopt;
  }
  if (chat::validateName(out.name)) {
    error = "the nickname must be 1-32 characters without control characters";
    return std::nullopt;
  }
  return out;
}

std::optional<PasswordCost> parsePasswordCost(std::string_view text) {
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view digits, std::uint32_t& out) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc{} && end == digits.data() + digits.size() && !digits.empty();
  };
  PasswordCost cost;
  if (!number(text.substr(0, comma), cost.memoryKiB) || !number(text.substr(comma + 1), cost.iterations))
    return std::nullopt;
  if (cost.memoryKiB < noise::kMinPasswordCost.memoryKiB || cost.memoryKiB > noise::kMaxPasswordCost.memoryKiB ||
      cost.iterations < noise::kMinPasswordCost.iterations || cost.iterations > noise::kMaxPasswordCost.iterations)
    return std::nullopt;
  return cost;
}

}  // namespace chatport::cli
