#pragma once
// Room passwords for chatport-cli. Never on the command line (any user of the computer can
// list it): from a file, its first line, or typed at the terminal without echo.
//
// A terminal prompt comes in two kinds. Before the session starts (--password-prompt), the
// main thread reads the line itself, before the standard-input reader thread exists. When a
// join is refused for its password, that thread is already waiting on the terminal, so echo
// is switched off under it (EchoOff) and the next line it delivers is the password: POSIX
// terminals apply the change to a read already waiting; Windows consoles are not relied on to
// (canHideWhileReading()). Either way a quit signal puts the terminal back (restore()) before
// the program ends.

#include <memory>
#include <optional>
#include <string>

namespace chatport::cli {

/// The first line of the file at path, without its line ending. False with error set if the
/// file cannot be read or that line is empty.
bool readPasswordFile(const std::string& path, std::string& password, std::string& error);

class Terminal {
 public:
  /// Standard input is a terminal (a console on Windows).
  static bool stdinIsTerminal();
  /// Echo can be switched off for a line another thread is already waiting for.
  static bool canHideWhileReading();

  /// Writes prompt to standard error and reads one line from standard input without echo.
  /// Main thread, while nothing else reads standard input. A quit signal meanwhile ends the
  /// program (status 130) with echo back on. nullopt at end of input.
  static std::optional<std::string> readHiddenLine(const std::string& prompt);

  /// Echo off on the terminal of standard input until destroyed; typed-ahead input is
  /// discarded first, so that nothing typed before the prompt becomes the password.
  class EchoOff {
   public:
    EchoOff();
    ~EchoOff();
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
  };

  /// Thread-safe. Echo back on if an EchoOff or a prompt turned it off. For the quit-signal
  /// watcher, before it ends the program at once.
  static void restore() noexcept;
  /// Thread-safe. readHiddenLine() is waiting for its line: a quit request cannot reach the
  /// main thread, so the watcher ends the program itself.
  static bool promptBlocking() noexcept;
};

}  // namespace chatport::cli
