#pragma once
// A child process with pipes to its standard input and output (POSIX), for running
// chatport-cli as a user or a script would, or a peer written in another language.

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace chatport::test {

class ChildProcess {
 public:
  /// Starts program with args; its standard error goes to the test's.
  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  ~ChildProcess();

  bool writeLine(const std::string& line);
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
  std::string buffer_;
  std::optional<int> status_;
};

}  // namespace chatport::test
