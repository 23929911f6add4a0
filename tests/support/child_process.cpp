#include "child_process.h"

#include <cerrno>
#include <csignal>
#include <string>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace chatport::test {

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args, ChildOptions options) {
  std::signal(SIGPIPE, SIG_IGN);
  int toChild[2] = {-1, -1};
  int fromChild[2];
  if (::pipe2(fromChild, O_CLOEXEC) != 0) {
    problem_ = std::string("no pipe: ") + std::strerror(errno);
    return;
  }
  std::string terminalName;
  if (options.terminal) {
    terminal_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    char name[128];
    if (terminal_ < 0 || ::grantpt(terminal_) != 0 || ::unlockpt(terminal_) != 0 ||
        ::ptsname_r(terminal_, name, sizeof name) != 0) {
      problem_ = std::string("no pseudo-terminal (") + std::strerror(errno) + "): is devpts mounted at /dev/pts?";
      return;
    }
    if (::access(name, R_OK | W_OK) != 0) {  // e.g. in a chroot without its own /dev/pts
      problem_ = std::string("the pseudo-terminal ") + name + " cannot be opened here (" + std::strerror(errno) +
                 "): is devpts mounted at /dev/pts?";
      return;
    }
    terminalName = name;
  } else if (::pipe2(toChild, O_CLOEXEC) != 0) {
    problem_ = std::string("no pipe: ") + std::strerror(errno);
    return;
  }
  std::vector<std::string> argvStrings{program};
  argvStrings.insert(argvStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvStrings) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The environment, made before fork: the child may only call async-signal-safe functions.
  // A later entry for a name replaces an earlier one, and the test's own.
  std::vector<std::string> envStrings;
  auto set = [&envStrings](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('=') + 1);
    std::erase_if(envStrings, [&](const std::string& e) { return e.compare(0, name.size(), name) == 0; });
    envStrings.push_back(entry);
  };
  for (char** e = environ; *e; ++e) envStrings.emplace_back(*e);
  for (const auto& entry : options.environment) set(entry);
  std::vector<char*> envp;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    if (options.terminal) {
      // A session of its own, whose controlling terminal the pseudo-terminal becomes.
      ::setsid();
      const int tty = ::open(terminalName.c_str(), O_RDWR);
      if (tty < 0) ::_exit(127);
      ::dup2(tty, 0);
      ::dup2(tty, 2);
    } else {
      ::dup2(toChild[0], 0);
    }
    ::dup2(fromChild[1], 1);
    if (options.errorToOutput) ::dup2(fromChild[1], 2);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  if (toChild[0] >= 0) ::close(toChild[0]);
  ::close(fromChild[1]);
  in_ = options.terminal ? -1 : toChild[1];
  out_ = fromChild[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0) ::close(out_);
  if (terminal_ >= 0) ::close(terminal_);
}

bool ChildProcess::writeLine(const std::string& line) {
  const std::string data = line + "\n";
  const int to = terminal_ >= 0 ? terminal_ : in_;
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(to, data.data() + done, data.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void ChildProcess::closeInput() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    const auto n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool ChildProcess::readTerminal(const std::string& part, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (const auto at = shown_.find(part, shownLooked_); at != std::string::npos) {
      shownLooked_ = at + part.size();
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (terminal_ < 0 || left.count() <= 0) return false;
    pollfd p{terminal_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    const auto n = ::read(terminal_, chunk, sizeof chunk);
    if (n <= 0) return false;  // EIO once the child has closed the terminal
    shown_.append(chunk, static_cast<std::size_t>(n));
  }
}

void ChildProcess::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds deadline) {
  if (status_) return status_;
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    // No event to wait on for a child's exit without a signal handler; poll gently.
    ::usleep(10'000);
  }
}

}  // namespace chatport::test
