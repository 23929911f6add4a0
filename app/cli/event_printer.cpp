#include "event_printer.h"

#include "json_line.h"
#include "terminal_text.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

namespace chatport::cli {

using namespace chatport::chat;

void EventPrinter::line(const std::string& text) {
  // Text lines are built from escaped parts; escaping the whole again changes nothing in them,
  // and makes sure that a part someone forgot cannot reach the terminal raw.
  const std::string safe = json_ ? text : TerminalText::escape(text);
  std::fwrite(safe.data(), 1, safe.size(), out_);
  std::fputc('\n', out_);
}

void EventPrinter::errorLine(const std::string& text) {
  // JSON goes to one stream so that a script reads every event in order.
  std::FILE* to = json_ ? out_ : err_;
  const std::string safe = json_ ? text : TerminalText::escape(text);
  std::fwrite(safe.data(), 1, safe.size(), to);
  std::fputc('\n', to);
}

std::string EventPrinter::who(ClientId id, std::string_view name) const {
  return (id != kNoClient && id == host_ ? "[host] " : "") + TerminalText::name(name);
}

void EventPrinter::message(const std::string& head, std::string_view text) {
  const std::vector<std::string> lines = TerminalText::lines(text);
  line(head + lines.front());
  for (std::size_t i = 1; i < lines.size(); ++i) line(std::string(TerminalText::kContinuation) + lines[i]);
}

void EventPrinter::flush() {
  std::fflush(out_);
  std::fflush(err_);
}

std::string EventPrinter::clock(TimePoint t, bool withDate) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
#ifdef _WIN32
  localtime_s(&tm, &tt);
#else
  localtime_r(&tt, &tm);
#endif
  char buf[32];
  std::strftime(buf, sizeof buf, withDate ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
  return buf;
}

std::string EventPrinter::stamp(TimePoint t, bool history) {
  // Said before this session: its day too, and marked apart from the live conversation.
  return history ? "[" + clock(t, true) + "] (earlier) " : "[" + clock(t) + "] ";
}

std::int64_t EventPrinter::millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string EventPrinter::listJson(const std::vector<Participant>& clients) {
  std::string out = "[";
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (i) out += ',';
    out += "{\"id\":" + std::to_string(clients[i].id) + ",\"name\":";
    JsonLine::appendString(out, clients[i].name);
    out += clients[i].isHost ? ",\"host\":true" : ",\"host\":false";
    out += ",\"presence\":\"" + std::string(presenceName(clients[i].presence)) + "\"}";
  }
  return out + "]";
}

void EventPrinter::printList(const std::vector<Participant>& clients) {
  if (json_) {
    line(JsonLine("roster").raw("clients", listJson(clients)).finish());
    return;
  }
  // The host first, then in the order given.
  std::vector<const Participant*> order;
  for (const auto& p : clients) order.push_back(&p);
  std::stable_partition(order.begin(), order.end(), [](const Participant* p) { return p->isHost; });
  std::string text = "* Here (" + std::to_string(clients.size()) + "):";
  for (std::size_t i = 0; i < order.size(); ++i) {
    text += i ? ", " : " ";
    text += (order[i]->isHost ? "[host] " : "") + TerminalText::name(order[i]->name);
    if (order[i]->presence != Presence::Available) text += " (" + std::string(presenceName(order[i]->presence)) + ")";
  }
  line(text);
}

void EventPrinter::printBans(const std::vector<BannedPerson>& banned) {
  if (json_) {
    std::string list = "[";
    for (const auto& b : banned) {
      if (list.size() > 1) list += ',';
      list += "{\"name\":";
      JsonLine::appendString(list, b.name);
      list += ",\"fingerprint\":";
      JsonLine::appendString(list, b.fingerprint);
      list += ",\"since\":" + std::to_string(millis(b.since)) + "}";
    }
    line(JsonLine("bans").raw("banned", list + "]").finish());
    return;
  }
  if (banned.empty()) {
    line("* Nobody is banned from this room");
    return;
  }
  std::string text = "* Banned (" + std::to_string(banned.size()) + "):";
  for (std::size_t i = 0; i < banned.size(); ++i)
    text += (i ? ", " : " ") + TerminalText::name(banned[i].name) + " (" + banned[i].fingerprint + ", since " +
            clock(banned[i].since, true) + ")";
  line(text);
}

void EventPrinter::localError(std::string_view code, std::string_view detail) {
  if (json_)
    errorLine(JsonLine("error").str("code", code).str("detail", detail).finish());
  else
    errorLine("! " + std::string(detail));
}

void EventPrinter::failure(ErrorCode errorCode, const std::string& detail, const std::string& pinnedFingerprint,
                           const std::string& offeredFingerprint) {
  if (json_) {
    JsonLine json("error");
    json.str("code", errorName(errorCode)).str("detail", detail);
    if (errorCode == ErrorCode::HostKeyChanged)
      json.str("pinned_fingerprint", pinnedFingerprint).str("offered_fingerprint", offeredFingerprint);
    else if (errorCode == ErrorCode::NotAnnouncedRoom)
      json.str("announced_fingerprint", pinnedFingerprint).str("offered_fingerprint", offeredFingerprint);
    errorLine(json.finish());
    return;
  }
  const std::string code = "! " + std::string(errorName(errorCode)) + ": ";
  switch (errorCode) {
    case ErrorCode::HostKeyChanged:
      errorLine(code + "the host's key is not the one pinned for this address. Someone may be posing as the host.");
      errorLine("!   pinned fingerprint (met before): " + pinnedFingerprint);
      errorLine("!   offered fingerprint (now):       " + offeredFingerprint);
      errorLine("! Ask the host's owner which fingerprint ChatPort shows when hosting. Only if it is the "
                "offered one (ChatPort reinstalled, say), join again with --accept-new-host-key.");
      return;
    case ErrorCode::NotAnnouncedRoom:
      errorLine(code + "this is not the room that was announced: the computer at its address answered with "
                       "another key than the one the room announced. Someone on the network may be posing as it.");
      errorLine("!   announced fingerprint: " + pinnedFingerprint);
      errorLine("!   offered fingerprint:   " + offeredFingerprint);
      errorLine("! Join by address (chatport-cli join ADDRESS) only if you trust this host.");
      return;
    case ErrorCode::PasswordRequired:
      errorLine(code + "this room has a password: give it with --password-file PATH or --password-prompt");
      return;
    case ErrorCode::WrongPassword:
      errorLine(code + "the host refused the password given: " + detail);
      return;
    case ErrorCode::Banned:
      errorLine(code + "the host has banned you from this room (it knows you by this computer's key)");
      return;
    case ErrorCode::DataFolder:
      errorLine(code + detail + " (choose another folder with --data-dir)");
      return;
    case ErrorCode::HistoryUnavailable:
      errorLine(code + detail + " (the chat goes on, but nothing of it is kept; --no-history says not to try)");
      return;
    default:
      errorLine(code + detail);
  }
}

void EventPrinter::print(const Event& event) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ConnectedEvent>) {
          const bool host = e.role == Role::Host;
          host_ = host ? e.self : kNoClient;  // a joiner learns it from the list that follows
          if (json_) {
            line(JsonLine("welcome")
                     .str("role", host ? "host" : "joiner")
                     .num("id", e.self)
                     .str("name", e.name)
                     .str("address", e.address)
                     .num("port", e.port)
                     .num("port_asked", e.portAsked)
                     .str("fingerprint", e.hostFingerprint)
                     .boolean("first_contact", e.firstContact)
                     .boolean("password", e.passwordProtected)
                     .finish());
          } else {
            const std::string where = e.address.find(':') != std::string::npos
                                          ? "[" + e.address + "]:" + std::to_string(e.port)
                                          : e.address + ":" + std::to_string(e.port);
            line(std::string(host ? "* Hosting on " : "* Joined ") + where + " as " + who(e.self, e.name) +
                 " (id " + std::to_string(e.self) + ")");
            if (host && e.portAsked != 0)
              line("* Port " + std::to_string(e.portAsked) + " is in use on this computer; the room is on port " +
                   std::to_string(e.port) + " instead (joiners on this network find it anyway)");
            if (host) {
              line("* This host's key fingerprint: " + e.hostFingerprint +
                   " (joiners see it when they join: the same one means nobody is in between)");
              if (e.passwordProtected) line("* The room has a password: joiners need it to join");
            } else {
              line("* The host's key fingerprint: " + e.hostFingerprint +
                   (e.firstContact ? " (first contact: pinned for this address; compare it with the host's)"
                                   : " (the one pinned for this address)"));
            }
          }
        } else if constexpr (std::is_same_v<E, ClientListEvent>) {
          for (const auto& p : e.clients)
            if (p.isHost) host_ = p.id;
          if (json_) printList(e.clients);  // text mode shows the list on /who only
        } else if constexpr (std::is_same_v<E, JoinedEvent>) {
          if (json_)
            line(JsonLine("joined").num("id", e.who.id).str("name", e.who.name).finish());
          else
            line("* " + who(e.who.id, e.who.name) + " joined");
        } else if constexpr (std::is_same_v<E, LeftEvent>) {
          if (json_)
            line(JsonLine("left")
                     .num("id", e.who.id)
                     .str("name", e.who.name)
                     .str("reason", leaveReasonName(e.reason))
                     .finish());
          else
            line("* " + who(e.who.id, e.who.name) + " left (" + std::string(leaveReasonName(e.reason)) + ")");
        } else if constexpr (std::is_same_v<E, RateLimitEvent>) {
          const bool exempt = e.sendRate <= 0;
          char limit[64];
          std::snprintf(limit, sizeof limit, "%g messages a second, %g at once", e.sendRate, e.sendBurst);
          if (json_) {
            char rate[32], burst[32];
            std::snprintf(rate, sizeof rate, "%g", e.sendRate);
            std::snprintf(burst, sizeof burst, "%g", e.sendBurst);
            line(JsonLine("rate_limit")
                     .num("id", e.who)
                     .str("name", e.name)
                     .boolean("exempt", exempt)
                     .raw("rate", rate)
                     .raw("burst", burst)
                     .finish());
          } else if (exempt) {
            line("* " + who(e.who, e.name) + " may send without a rate limit");
          } else {
            line("* " + who(e.who, e.name) + " is under the rate limit again (" + limit + ")");
          }
        } else if constexpr (std::is_same_v<E, PresenceEvent>) {
          if (json_)
            line(JsonLine("presence").num("id", e.id).str("name", e.name).str("presence", presenceName(e.presence)).finish());
          else
            line("* " + who(e.id, e.name) + (e.presence == Presence::Available ? " is back" : " is " + std::string(presenceName(e.presence))));
        } else if constexpr (std::is_same_v<E, BansEvent>) {
          printBans(e.banned);
        } else if constexpr (std::is_same_v<E, PictureEvent>) {
          // Text: a picture is for the window to show; a newcomer's burst of them says nothing.
          if (json_) line(JsonLine("picture").num("id", e.id).str("name", e.name).num("bytes", static_cast<std::int64_t>(e.picture.size())).finish());
        } else if constexpr (std::is_same_v<E, RenamedEvent>) {
          if (json_)
            line(JsonLine("renamed").num("id", e.id).str("old", e.oldName).str("new", e.newName).finish());
          else
            line("* " + who(e.id, e.oldName) + " is now " + TerminalText::name(e.newName));
        } else if constexpr (std::is_same_v<E, MessageEvent>) {
          if (json_) {
            JsonLine json("message");
            json.str("from", e.fromName)
                .num("id", e.from)
                .num("seq", static_cast<std::int64_t>(e.seq))
                .num("time", millis(e.time))
                .str("text", e.text);
            if (e.history) json.boolean("history", true);
            line(json.finish());
          } else {
            message(stamp(e.time, e.history) + who(e.from, e.fromName) + " ", e.text);
          }
        } else if constexpr (std::is_same_v<E, PrivateMessageEvent>) {
          if (json_) {
            JsonLine json("private");
            json.str("from", e.fromName)
                .num("id", e.from)
                .str("to", e.toName)
                .num("to_id", e.to)
                .num("time", millis(e.time))
                .str("text", e.text);
            if (e.history) json.boolean("history", true);
            line(json.finish());
          } else {
            message(stamp(e.time, e.history) + "(private) " + who(e.from, e.fromName) + " -> " + who(e.to, e.toName) + " ",
                    e.text);
          }
        } else if constexpr (std::is_same_v<E, ErrorEvent>) {
          failure(e.code, e.detail);
        } else if constexpr (std::is_same_v<E, DisconnectedEvent>) {
          // A session that ended in a failure: the failure first, as an error, as for one that
          // did not end it; then that it ended.
          switch (e.reason) {
            case ErrorCode::Left:
            case ErrorCode::HostClosed:
            case ErrorCode::Kicked:
            case ErrorCode::TooSlow:
            case ErrorCode::RateLimited:
            case ErrorCode::ConnectionLost: break;
            default: failure(e.reason, e.detail, e.pinnedFingerprint, e.offeredFingerprint);
          }
          if (json_)
            line(JsonLine("disconnected")
                     .str("reason", errorName(e.reason))
                     .str("detail", e.detail)
                     .boolean("reconnect", e.willReconnect)
                     .finish());
          else
            line("* Disconnected (" + std::string(errorName(e.reason)) + "): " + e.detail);
        } else if constexpr (std::is_same_v<E, ReconnectingEvent>) {
          if (json_)
            line(JsonLine("reconnecting").num("attempt", e.attempt).num("delay_ms", e.delay.count()).finish());
          else
            line("* Reconnecting in " + std::to_string(e.delay.count()) + " ms (attempt " +
                 std::to_string(e.attempt) + ")");
        } else if constexpr (std::is_same_v<E, SkippedEvent>) {
          if (json_)
            line(JsonLine("skipped")
                     .num("messages", static_cast<std::int64_t>(e.messages))
                     .num("notices", static_cast<std::int64_t>(e.notices))
                     .finish());
          else
            line("* Fell behind: skipped " +
                 (e.messages ? std::to_string(e.messages) + " messages" : std::string()) +
                 (e.messages && e.notices ? " and " : "") +
                 (e.notices ? std::to_string(e.notices) + " join/leave notices" : std::string()));
        } else if constexpr (std::is_same_v<E, MissedEvent>) {
          if (json_)
            line(JsonLine("missed").num("messages", static_cast<std::int64_t>(e.messages)).finish());
          else
            line("* " + std::to_string(e.messages) +
                 " messages said while disconnected could not be recovered");
        } else if constexpr (std::is_same_v<E, StatsEvent>) {
          // not shown: a status line has no place in a line-oriented stream
        } else {
          file(event);
        }
      },
      event);
}

namespace {

std::string sizeText(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < (1 << 20))
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
  else if (bytes < (std::uint64_t{1} << 30))
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  else
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (std::uint64_t{1} << 30));
  return text;
}

std::string_view stateName(TransferState state) {
  switch (state) {
    case TransferState::Waiting: return "waiting";
    case TransferState::Running: return "running";
    case TransferState::Paused: return "paused";
    case TransferState::Checking: return "checking";
  }
  return "unknown";
}

}  // namespace

std::string EventPrinter::transferName(TransferId id) const {
  auto it = offers_.find(id);
  return it == offers_.end() ? "transfer " + std::to_string(id) : "\"" + TerminalText::escape(it->second.name) + "\"";
}

void EventPrinter::file(const Event& event) {
  if (const auto* e = std::get_if<FileOfferEvent>(&event)) {
    offers_[e->id] = {e->folder ? e->name + "/" : e->name, e->size};
    if (json_) {
      line(JsonLine("file_offer")
               .num("transfer", static_cast<std::int64_t>(e->id))
               .boolean("outgoing", e->outgoing)
               .num("from", e->from)
               .str("from_name", e->fromName)
               .num("to", e->to)
               .str("name", e->name)
               .boolean("folder", e->folder)
               .num("size", static_cast<std::int64_t>(e->size))
               .num("files", static_cast<std::int64_t>(e->files.size()))
               .boolean("resumed", e->resumed)
               .finish());
    } else if (e->resumed) {
      line("* " + std::string(e->outgoing ? "Offering " : "Receiving ") + transferName(e->id) + " (" +
           sizeText(e->size) + ") again as transfer " + std::to_string(e->id) +
           (e->outgoing ? "" : " from " + who(e->from, e->fromName)) + ", from where it stopped");
    } else if (e->outgoing) {
      line("* Offered " + transferName(e->id) + " (" + sizeText(e->size) + ") as transfer " + std::to_string(e->id) +
           (e->to == kNoClient ? " to everyone" : ""));
    } else {
      line("* " + who(e->from, e->fromName) + " offers " + transferName(e->id) + " (" + sizeText(e->size) +
           (e->folder ? ", " + std::to_string(e->files.size()) + " files" : std::string()) + "): /accept " +
           std::to_string(e->id) + " [DIR] or /decline " + std::to_string(e->id));
    }
  } else if (const auto* p = std::get_if<FileProgressEvent>(&event)) {
    // The core tells progress at most four times a second; text shows only changes of state.
    auto [it, added] = states_.try_emplace({p->id, p->peer}, p->state);
    const bool changed = added || std::exchange(it->second, p->state) != p->state;
    if (json_) {
      line(JsonLine("file_progress")
               .num("transfer", static_cast<std::int64_t>(p->id))
               .boolean("outgoing", p->outgoing)
               .num("peer", p->peer)
               .str("state", stateName(p->state))
               .num("done", static_cast<std::int64_t>(p->done))
               .num("size", static_cast<std::int64_t>(p->size))
               .num("bytes_per_second", static_cast<std::int64_t>(p->bytesPerSecond))
               .finish());
    } else if (changed) {
      line("* " + transferName(p->id) + ": " + std::string(stateName(p->state)) + ", " + sizeText(p->done) +
           " of " + sizeText(p->size));
    }
  } else if (const auto* d = std::get_if<FileDoneEvent>(&event)) {
    states_.erase({d->id, d->peer});
    if (json_) {
      line(JsonLine("file_done")
               .num("transfer", static_cast<std::int64_t>(d->id))
               .boolean("outgoing", d->outgoing)
               .num("peer", d->peer)
               .str("path", d->path)
               .num("size", static_cast<std::int64_t>(d->size))
               .str("hash", d->hash)
               .finish());
    } else {
      line("* " + transferName(d->id) +
           (d->outgoing ? " arrived at client " + std::to_string(d->peer)
                        : " saved as \"" + TerminalText::escape(d->path) + "\"") +
           " (" + sizeText(d->size) + ", SHA-256 " + d->hash.substr(0, 16) + "...)");
    }
  } else if (const auto* f = std::get_if<FileFailedEvent>(&event)) {
    if (json_) {
      line(JsonLine("file_failed")
               .num("transfer", static_cast<std::int64_t>(f->id))
               .boolean("outgoing", f->outgoing)
               .num("peer", f->peer)
               .str("reason", transferFailureName(f->reason))
               .str("detail", f->detail)
               .finish());
    } else {
      errorLine("* " + transferName(f->id) + " did not arrive (" + std::string(transferFailureName(f->reason)) +
                ")" + (f->detail.empty() ? std::string() : ": " + TerminalText::escape(f->detail)));
    }
  }
}

}  // namespace chatport::cli
