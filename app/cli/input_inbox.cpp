#include "input_inbox.h"

#include "password_input.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#else
#include <csignal>
#include <pthread.h>
#endif

namespace chatport::cli {

void InputInbox::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_one();
}

void InputInbox::pushLine(std::string line) {
  {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  changed_.notify_one();
}

void InputInbox::endOfInput() {
  {
    std::lock_guard lock(mutex_);
    endOfInput_ = true;
  }
  changed_.notify_one();
}

void InputInbox::requestQuit() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_one();
}

InputInbox::Taken InputInbox::wait(std::optional<std::chrono::steady_clock::time_point> until) {
  std::unique_lock lock(mutex_);
  const auto arrived = [this] { return woken_ || !lines_.empty() || endOfInput_ || quit_; };
  if (until)
    changed_.wait_until(lock, *until, arrived);
  else
    changed_.wait(lock, arrived);
  Taken taken;
  taken.lines.swap(lines_);
  taken.endOfInput = std::exchange(endOfInput_, false);
  taken.quit = std::exchange(quit_, false);
  woken_ = false;
  return taken;
}

void InputInbox::startStdinReader(const std::shared_ptr<InputInbox>& inbox) {
  std::thread([inbox] {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF from Windows consoles
      inbox->pushLine(std::move(line));
    }
    inbox->endOfInput();
  }).detach();
}

#ifdef _WIN32
namespace {
std::shared_ptr<InputInbox> gQuitInbox;  // written once, before the handler is installed
std::atomic<int> gQuitRequests{0};

BOOL WINAPI onConsoleControl(DWORD) {
  // A second request, or one during a password prompt (nothing would take it): end at once,
  // with the console's echo back on.
  if (gQuitRequests.fetch_add(1) > 0 || Terminal::promptBlocking()) {
    Terminal::restore();
    std::_Exit(130);
  }
  gQuitInbox->requestQuit();
  return TRUE;
}
}  // namespace

void InputInbox::watchQuitSignals(const std::shared_ptr<InputInbox>& inbox) {
  gQuitInbox = inbox;
  SetConsoleCtrlHandler(onConsoleControl, TRUE);
}
#else
void InputInbox::watchQuitSignals(const std::shared_ptr<InputInbox>& inbox) {
  std::signal(SIGPIPE, SIG_IGN);  // a reader that went away must not kill us mid-goodbye
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // The signals are taken synchronously by this thread, where any code may run.
  std::thread([inbox, set] {
    for (int requests = 0;; ++requests) {
      int signal = 0;
      if (sigwait(&set, &signal) != 0) return;
      // A second request, or one during a password prompt (nothing would take it): end at
      // once, with the terminal's echo back on.
      if (requests > 0 || Terminal::promptBlocking()) {
        Terminal::restore();
        std::fputc('\n', stderr);
        std::_Exit(128 + signal);
      }
      inbox->requestQuit();
    }
  }).detach();
}
#endif

}  // namespace chatport::cli
