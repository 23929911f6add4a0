#pragma once
// chatport-cli's main loop: standard input lines become commands, the core's events become
// output, and the session's end becomes the exit status. Main thread only.

#include <chatport/chat/chat_core.h>

#include "command_line.h"
#include "event_printer.h"
#include "input_inbox.h"

#include <deque>
#include <map>
#include <string>

namespace chatport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNetwork = 3;

class ChatConsole {
 public:
  ChatConsole(const CommandLine& options, chat::ChatCore& core, InputInbox& inbox, EventPrinter& printer);

  /// Starts the session and runs until it ends; returns the exit status.
  int run();

 private:
  void onEvent(const chat::Event& event);
  void onLine(const std::string& line);
  void leave();
  const chat::Participant* findByName(std::string_view name) const;

  const CommandLine& options_;
  chat::ChatCore& core_;
  InputInbox& inbox_;
  EventPrinter& printer_;

  bool connected_ = false;
  bool haveList_ = false;  // the client list for this connection has arrived
  bool endOfInput_ = false;
  bool leaving_ = false;
  bool finished_ = false;
  int exitCode_ = kExitOk;
  std::deque<std::string> held_;  // lines typed before the session was ready
  std::map<chat::ClientId, chat::Participant> roster_;
};

}  // namespace chatport::cli
