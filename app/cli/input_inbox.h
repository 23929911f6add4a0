#pragma once
// What reaches chatport-cli's main thread from elsewhere: lines from standard input (read on a
// thread of their own, since reading blocks), a wake from the chat core, and a request to quit
// (Ctrl+C). The main thread sleeps on one condition variable until one of them arrives.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace chatport::cli {

class InputInbox {
 public:
  struct Taken {
    std::deque<std::string> lines;
    bool endOfInput = false;
    bool quit = false;
  };

  /// Thread-safe. Called by the core's wake callback.
  void wake();
  void pushLine(std::string line);
  void endOfInput();
  void requestQuit();
  /// Main thread. Blocks until something has arrived (or until, if given, has passed), then
  /// takes it all. A wake is consumed.
  Taken wait(std::optional<std::chrono::steady_clock::time_point> until = std::nullopt);

  /// Starts a detached thread that reads standard input line by line into inbox. It holds the
  /// inbox alive and never touches anything else, so the program may end while it is blocked.
  static void startStdinReader(const std::shared_ptr<InputInbox>& inbox);
  /// Turns Ctrl+C and termination requests into requestQuit() (a second one ends the program
  /// at once). POSIX: call before any other thread starts, so that they inherit the mask.
  static void watchQuitSignals(const std::shared_ptr<InputInbox>& inbox);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> lines_;  // guarded by mutex_
  bool woken_ = false;             // guarded by mutex_
  bool endOfInput_ = false;        // guarded by mutex_
  bool quit_ = false;              // guarded by mutex_
};

}  // namespace chatport::cli
