#pragma once
// chatport-cli's main loop: standard input lines become commands, the core's events become
// output, and the session's end becomes the exit status. Main thread only.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/client_state.h>

#include "command_line.h"
#include "event_printer.h"
#include "input_inbox.h"
#include "password_input.h"
#include "send_pacer.h"

#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <memory>
#include <string>

namespace chatport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNetwork = 3;

class ChatConsole {
 public:
  /// How often a joiner on a terminal is asked for the room's password after a refusal.
  static constexpr int kPasswordPrompts = 3;

  /// password: the room's (from a file or a prompt before the session), or empty.
  ChatConsole(const CommandLine& options, chat::ChatCore& core, InputInbox& inbox, EventPrinter& printer,
              std::string password = {});

  /// Starts the session and runs until it ends; returns the exit status.
  int run();

 private:
  void startSession();
  void onEvent(const chat::Event& event);
  void onLine(const std::string& line);
  /// /picture PATH: that file as this person's picture, once checked; no path removes it.
  void submitPicture(const std::string& path);
  void leave();
  /// The join was refused for its password: asks for it on the terminal, echo off; the next
  /// line read is the password.
  void askForPassword();
  void passwordTyped(std::string password);

  const CommandLine& options_;
  chat::ChatCore& core_;
  InputInbox& inbox_;
  EventPrinter& printer_;

  chat::ClientState state_;  // the room as this side sees it
  std::vector<chat::BannedPerson> banned_;  // host: as the last BansEvent said
  bool endOfInput_ = false;
  bool leaving_ = false;
  bool finished_ = false;
  int exitCode_ = kExitOk;
  std::string password_;
  /// A joiner reading a terminal whose echo can be turned off under the reader: a refusal for
  /// the password may be answered by asking for it.
  bool mayAskPassword_ = false;
  int passwordPrompts_ = 0;
  std::unique_ptr<Terminal::EchoOff> passwordPrompt_;  // while waiting for the password line
  std::deque<std::string> held_;  // lines not sent yet: before the session was ready, or paced
  /// Lines read from a pipe or file are paced to the host's rate limit; a person typing is not.
  const bool pace_;
  SendPacer pacer_;
  // This side's transfers that are not over: end of input waits for them. /send commands not
  // yet answered (by the offer, or an error), offers to one person not yet answered, and
  // transfers under way (id, peer, outgoing).
  std::size_t sendsUnanswered_ = 0;
  std::set<chat::TransferId> offersOpen_;
  std::set<std::tuple<chat::TransferId, chat::ClientId, bool>> transfers_;
  bool transfersOver() const { return sendsUnanswered_ == 0 && offersOpen_.empty() && transfers_.empty(); }
  void onFileEvent(const chat::Event& event);
};

}  // namespace chatport::cli
