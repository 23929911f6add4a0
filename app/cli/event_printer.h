#pragma once
// Turns the core's events into chatport-cli's output: readable lines, or one JSON object per
// line with --json. In text mode whatever others wrote is shown inert (TerminalText), and the
// host's name carries a badge, [host], outside its brackets where no name can reach:
//   [12:00:00] <bob> hello
//             | a second line of bob's message
//   [12:00:01] [host] <ann> welcome
//   [12:00:02] (private) [host] <ann> -> <bob> psst
//   * <carol> joined
// When connected it prints the host's key fingerprint, so host and joiners can compare them.
// Main thread only.

#include <chatport/chat/types.h>

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::cli {

class EventPrinter {
 public:
  EventPrinter(bool json, std::FILE* out, std::FILE* err) : json_(json), out_(out), err_(err) {}

  void print(const chat::Event& event);
  void printList(const std::vector<chat::Participant>& clients);
  /// Host: who is banned from this room (BansEvent, /bans).
  void printBans(const std::vector<chat::BannedPerson>& banned);
  /// A problem found by the cli itself (unknown command, unknown nickname).
  void localError(std::string_view code, std::string_view detail);
  void flush();

 private:
  void line(const std::string& text);
  void errorLine(const std::string& text);
  static std::string clock(chat::TimePoint t, bool withDate = false);
  /// "[12:03:04] ", or for a message from before this session "[2026-11-30 12:03:04] (earlier) ".
  static std::string stamp(chat::TimePoint t, bool history);
  static std::int64_t millis(chat::TimePoint t);
  static std::string listJson(const std::vector<chat::Participant>& clients);
  /// name quoted, with the host's badge before it if id is the host.
  std::string who(chat::ClientId id, std::string_view name) const;
  /// A failure, as an error line (text or JSON; the fingerprints for HostKeyChanged and
  /// NotAnnouncedRoom). In text,
  /// the refusals a person can act on (password, host key, ban) say what to do.
  void failure(chat::ErrorCode code, const std::string& detail, const std::string& pinnedFingerprint = {},
               const std::string& offeredFingerprint = {});
  /// A message's lines: the first after head, the rest as continuation lines.
  void message(const std::string& head, std::string_view text);

  void file(const chat::Event& event);
  /// "report.pdf" or "Photos/", quoted, for text lines about transfer id.
  std::string transferName(chat::TransferId id) const;

  bool json_;
  struct Offered {
    std::string name;
    std::uint64_t size = 0;
  };
  std::map<chat::TransferId, Offered> offers_;  // named in later lines about them
  std::map<std::pair<chat::TransferId, chat::ClientId>, chat::TransferState> states_;
  chat::ClientId host_ = chat::kNoClient;  // the host of the current session, once known
  std::FILE* out_;
  std::FILE* err_;
};

}  // namespace chatport::cli
