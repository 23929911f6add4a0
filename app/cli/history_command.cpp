#include "history_command.h"

#include "chat_console.h"
#include "json_line.h"
#include "option_reader.h"
#include "terminal_text.h"

#include <chatport/chat/history.h>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <limits>
#include <map>
#include <optional>

namespace chatport::cli {
namespace {

using chat::HistoryStore;
using chat::StoredMessage;
using chat::StoredRoom;

struct HistoryOptions {
  std::string dataDir;
  std::vector<std::string> positional;  // the command, then its arguments
  std::string room;                     // search --room
  std::string format = "text";          // export --format
  std::string output;                   // export --output
  std::size_t limit = 100;              // search --limit
  bool json = false;
  bool all = false;                     // delete --all
  bool help = false;
};

std::optional<HistoryOptions> parse(const std::vector<std::string>& args, std::string& error) {
  HistoryOptions out;
  bool optionsEnded = false;
  OptionReader reader(args);
  while (reader.next()) {
    const std::string& raw = reader.raw();
    if (optionsEnded || raw.size() < 2 || raw[0] != '-') {
      out.positional.push_back(raw);
      continue;
    }
    const std::string& arg = reader.arg();
    std::string value;
    auto needValue = [&] { return reader.value(value, error); };
    if (arg == "--") {
      optionsEnded = true;
    } else if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if (arg == "--json") {
      out.json = true;
    } else if (arg == "--all") {
      out.all = true;
    } else if (arg == "--data-dir" || arg == "--room" || arg == "--output") {
      if (!needValue()) return std::nullopt;
      if (value.empty()) {
        error = arg + " needs a value";
        return std::nullopt;
      }
      (arg == "--data-dir" ? out.dataDir : arg == "--room" ? out.room : out.output) = value;
    } else if (arg == "--format") {
      if (!needValue()) return std::nullopt;
      if (value != "text" && value != "json") {
        error = "--format is text or json";
        return std::nullopt;
      }
      out.format = value;
    } else if (arg == "--limit") {
      if (!needValue()) return std::nullopt;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out.limit);
      if (ec != std::errc{} || end != value.data() + value.size() || out.limit == 0 || out.limit > 1'000'000) {
        error = "--limit must be a number from 1 to 1000000";
        return std::nullopt;
      }
    } else {
      error = "unknown option " + arg + " for history";
      return std::nullopt;
    }
  }
  if (out.help) return out;
  const std::string command = out.positional.empty() ? std::string() : out.positional[0];
  const std::size_t arguments = out.positional.empty() ? 0 : out.positional.size() - 1;
  if (command == "search") {
    if (arguments == 0) error = "history search needs the WORDS to look for";
  } else if (command == "rooms") {
    if (arguments != 0) error = "history rooms takes no arguments";
  } else if (command == "export") {
    if (arguments != 1) error = "history export needs one ROOM";
  } else if (command == "delete") {
    if (out.all == (arguments == 1) || arguments > 1) error = "history delete needs one ROOM, or --all";
  } else {
    error = command.empty() ? "say history search, rooms, export or delete"
                            : "unknown history command '" + command + "': say search, rooms, export or delete";
  }
  if (error.empty() && !out.room.empty() && command != "search") error = "--room goes with history search";
  if (error.empty() && (!out.output.empty() || out.format != "text") && command != "export")
    error = "--format and --output go with history export";
  if (error.empty() && out.all && command != "delete") error = "--all goes with history delete";
  if (!error.empty()) return std::nullopt;
  return out;
}

std::string formatTime(std::int64_t ms, bool utc) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
#ifdef _WIN32
  utc ? gmtime_s(&tm, &seconds) : localtime_s(&tm, &seconds);
#else
  utc ? gmtime_r(&seconds, &tm) : localtime_r(&seconds, &tm);
#endif
  char buf[40];
  if (utc) {
    const auto milli = static_cast<int>(((ms % 1000) + 1000) % 1000);
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", milli);
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  }
  return buf;
}

const char* kindName(StoredMessage::Kind kind) {
  switch (kind) {
    case StoredMessage::Kind::Chat: return "chat";
    case StoredMessage::Kind::Private: return "private";
    case StoredMessage::Kind::Notice: return "notice";
  }
  return "notice";
}

std::string jsonLine(const StoredMessage& m) {
  return JsonLine("message")
      .str("room", m.room)
      .num("seq", static_cast<std::int64_t>(m.seq))
      .str("time", formatTime(m.timeMs, true))
      .str("kind", kindName(m.kind))
      .str("from", m.from)
      .str("to", m.to)
      .str("text", m.text)
      .boolean("outgoing", m.outgoing)
      .boolean("history", true)
      .finish();
}

// The message as chatport-cli shows a chat's messages (text mode: inert, one line per line of
// the message), with the date; roomName before it when given.
std::string textLines(const StoredMessage& m, const std::string& roomName) {
  std::string head = "[" + formatTime(m.timeMs, false) + "] ";
  if (!roomName.empty()) head += "{" + TerminalText::escape(roomName) + "} ";
  switch (m.kind) {
    case StoredMessage::Kind::Chat: head += TerminalText::name(m.from) + " "; break;
    case StoredMessage::Kind::Private:
      head += "(private) " + TerminalText::name(m.from) + " -> " + TerminalText::name(m.to) + " ";
      break;
    case StoredMessage::Kind::Notice: head += "* "; break;
  }
  const auto lines = TerminalText::lines(m.text);
  std::string out = head + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) out += std::string(TerminalText::kContinuation) + lines[i] + "\n";
  return out;
}

std::string displayName(const StoredRoom& room) { return room.roomName.empty() ? room.room : room.roomName; }

// ROOM, a name or a key, among the rooms with history; nullopt (said why) if none or several.
std::optional<StoredRoom> findRoom(HistoryStore& store, const std::string& room) {
  const auto rooms = store.rooms();
  std::vector<StoredRoom> named;
  for (const auto& r : rooms) {
    if (r.room == room) return r;
    if (r.roomName == room) named.push_back(r);
  }
  if (named.size() == 1) return named.front();
  if (named.empty()) {
    std::fprintf(stderr, "chatport-cli: no history of a room '%s' (chatport-cli history rooms lists them)\n",
                 TerminalText::escape(room).c_str());
  } else {
    std::fprintf(stderr, "chatport-cli: %zu rooms are called '%s'; name one by its key:\n", named.size(),
                 TerminalText::escape(room).c_str());
    for (const auto& r : named) std::fprintf(stderr, "  %s\n", r.room.c_str());
  }
  return std::nullopt;
}

int search(HistoryStore& store, const HistoryOptions& options) {
  std::string room;
  if (!options.room.empty()) {
    const auto found = findRoom(store, options.room);
    if (!found) return kExitUsage;
    room = found->room;
  }
  std::string words;
  for (std::size_t i = 1; i < options.positional.size(); ++i) words += (i > 1 ? " " : "") + options.positional[i];
  std::map<std::string, std::string> names;
  for (const auto& r : store.rooms()) names[r.room] = displayName(r);
  const auto hits = store.search(words, room, options.limit);
  for (const auto& m : hits) {
    const std::string out = options.json ? jsonLine(m) + "\n" : textLines(m, room.empty() ? names[m.room] : "");
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (hits.empty() && !options.json) std::fprintf(stderr, "chatport-cli: nothing found\n");
  return kExitOk;
}

int listRooms(HistoryStore& store, const HistoryOptions& options) {
  for (const auto& r : store.rooms()) {
    if (options.json)
      std::printf("%s\n", JsonLine("room")
                              .str("room", r.room)
                              .str("name", r.roomName)
                              .num("messages", static_cast<std::int64_t>(r.messages))
                              .str("last", formatTime(r.lastTimeMs, true))
                              .num("last_seq", static_cast<std::int64_t>(r.lastSeq))
                              .finish()
                              .c_str());
    else
      std::printf("%s  %llu message%s, the last %s  %s\n", TerminalText::escape(displayName(r)).c_str(),
                  static_cast<unsigned long long>(r.messages), r.messages == 1 ? "" : "s",
                  formatTime(r.lastTimeMs, false).c_str(), r.room.c_str());
  }
  return kExitOk;
}

int exportRoom(HistoryStore& store, const HistoryOptions& options) {
  const auto room = findRoom(store, options.positional[1]);
  if (!room) return kExitUsage;
  const bool json = options.format == "json";
  std::string text;
  if (!json)
    text = "# ChatPort history of " + TerminalText::escape(displayName(*room)) + " (" + room->room + "), " +
           std::to_string(room->messages) + " messages\n";
  for (const auto& m : store.latest(room->room, std::numeric_limits<std::size_t>::max()))
    text += json ? jsonLine(m) + "\n" : textLines(m, "");
  if (options.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "chatport-cli: cannot write %s\n", options.output.c_str());
    return kExitHistory;
  }
  return kExitOk;
}

int deleteHistory(HistoryStore& store, const HistoryOptions& options) {
  if (options.all) {
    store.deleteAll();
    std::printf("Deleted the history of every room.\n");
    return kExitOk;
  }
  const auto room = findRoom(store, options.positional[1]);
  if (!room) return kExitUsage;
  store.deleteRoom(room->room);
  std::printf("Deleted the history of %s (%llu messages).\n", TerminalText::escape(displayName(*room)).c_str(),
              static_cast<unsigned long long>(room->messages));
  return kExitOk;
}

}  // namespace

std::string historyUsageText() {
  return "History: what was said in the rooms this computer has been in, kept in the data folder\n"
         "(history.sqlite3). ROOM is a room's name as `history rooms` lists it, or its key.\n"
         "  chatport-cli history search WORDS... [--room ROOM] [--limit N] [--json]\n"
         "                   messages holding every word (any script; newest first, 100 at most)\n"
         "  chatport-cli history rooms [--json]\n"
         "  chatport-cli history export ROOM [--format text|json] [--output FILE]\n"
         "                   the room's messages, oldest first, to standard output or FILE\n"
         "  chatport-cli history delete ROOM|--all\n"
         "Each takes --data-dir DIR. With --json (export: --format json) one JSON object per\n"
         "message: room, seq, time (UTC), kind, from, to, text, outgoing, \"history\": true.\n";
}

int runHistory(const std::vector<std::string>& args) {
  if (!HistoryStore::available()) {
    std::fprintf(stderr, "chatport-cli: %s\n", HistoryStore::unavailableReason().c_str());
    return kExitUsage;
  }
  std::string error;
  const auto options = parse(args, error);
  if (!options) {
    std::fprintf(stderr, "chatport-cli: %s\n\n%s", error.c_str(), historyUsageText().c_str());
    return kExitUsage;
  }
  if (options->help) {
    std::fputs(historyUsageText().c_str(), stdout);
    return kExitOk;
  }
  auto store = HistoryStore::open(options->dataDir, error);
  if (!store) {
    std::fprintf(stderr, "chatport-cli: %s\n", error.c_str());
    return kExitHistory;
  }
  const std::string& command = options->positional[0];
  int status = command == "search"   ? search(*store, *options)
               : command == "rooms"  ? listRooms(*store, *options)
               : command == "export" ? exportRoom(*store, *options)
                                     : deleteHistory(*store, *options);
  std::fflush(stdout);
  return status;
}

}  // namespace chatport::cli
