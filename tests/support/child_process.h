#pragma once
// A child process with pipes to its standard input and output (POSIX), for running
// chatport-cli as a user or a script would, or a peer written in another language.

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace chatport::test {

struct ChildOptions {
  /// "NAME=value" entries added to (or replacing in) the test's environment.
  std::vector<std::string> environment;
  /// Standard error joins standard output (readLine sees both) instead of going to the test's.
  bool errorToOutput = false;
  /// Standard input and standard error are a terminal (a pseudo-terminal, the child's
  /// controlling terminal, echoing by default): writeLine types on it and readTerminal reads
  /// what it shows. Standard output stays a pipe.
  bool terminal = false;
};

class ChildProcess {
 public:
  /// Starts program with args; its standard error goes to the test's unless options say.
  ChildProcess(const std::string& program, const std::vector<std::string>& args, ChildOptions options = {});
  ~ChildProcess();

  /// Why the child could not be started (no pipe, no pseudo-terminal); empty if it was.
  const std::string& problem() const { return problem_; }
  bool writeLine(const std::string& line);
  /// Terminal: reads what the terminal shows until it holds part (true), or the deadline or
  /// the child's end (false). shown collects everything read so far, across calls.
  bool readTerminal(const std::string& part, std::chrono::milliseconds deadline = std::chrono::seconds(30));
  const std::string& shown() const { return shown_; }
  void closeInput();
  /// The next line of output, without its newline; nullopt at end of output or the deadline.
  std::optional<std::string> readLine(std::chrono::milliseconds deadline = std::chrono::seconds(30));
  void kill(int signal);
  /// The exit status (or 128 + signal); nullopt if still running at the deadline.
  std::optional<int> wait(std::chrono::milliseconds deadline = std::chrono::seconds(30));

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int terminal_ = -1;  // the pseudo-terminal's master side
  std::string buffer_;
  std::string shown_;
  std::string problem_;
  std::size_t shownLooked_ = 0;  // shown_ before this was searched for the last part
  std::optional<int> status_;
};

}  // namespace chatport::test
