#include "password_input.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace chatport::cli {
namespace {

// Echo is off, and the settings to put back are saved. The quit-signal watcher may restore them
// from its own thread: turning echo off and back on happen under gTerminal.
std::mutex gTerminal;
bool gHidden = false;  // guarded by gTerminal
// readHiddenLine() is waiting for its line.
std::atomic<bool> gBlocking{false};
#ifdef _WIN32
DWORD gSavedMode = 0;  // guarded by gTerminal
#else
termios gSaved{};  // guarded by gTerminal
#endif

}  // namespace

bool readPasswordFile(const std::string& path, std::string& password, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the password file " + path;
    return false;
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    error = "the first line of " + path + " is empty: it must hold the room's password";
    return false;
  }
  password = std::move(line);
  return true;
}

bool Terminal::stdinIsTerminal() {
#ifdef _WIN32
  DWORD mode = 0;
  return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
#else
  return ::isatty(STDIN_FILENO) == 1;
#endif
}

bool Terminal::canHideWhileReading() {
#ifdef _WIN32
  return false;  // not known to reach a console read already waiting: not relied on
#else
  return true;  // the terminal echoes as keys arrive, under the current settings
#endif
}

Terminal::EchoOff::EchoOff() {
  std::lock_guard lock(gTerminal);
  if (gHidden) return;
#ifdef _WIN32
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  DWORD mode = 0;
  if (!GetConsoleMode(in, &mode)) return;
  gSavedMode = mode;
  gHidden = true;
  FlushConsoleInputBuffer(in);
  SetConsoleMode(in, mode & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
#else
  termios settings{};
  if (::tcgetattr(STDIN_FILENO, &settings) != 0) return;
  gSaved = settings;
  gHidden = true;
  settings.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  settings.c_lflag |= ECHONL;  // the Enter that ends the password still moves to a new line
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings);
#endif
}

Terminal::EchoOff::~EchoOff() { restore(); }

void Terminal::restore() noexcept {
  std::lock_guard lock(gTerminal);
  if (!std::exchange(gHidden, false)) return;
#ifdef _WIN32
  SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), gSavedMode);
#else
  ::tcsetattr(STDIN_FILENO, TCSANOW, &gSaved);
#endif
}

bool Terminal::promptBlocking() noexcept { return gBlocking.load(std::memory_order_acquire); }

std::optional<std::string> Terminal::readHiddenLine(const std::string& prompt) {
  std::string line;
  bool read = false;
  gBlocking.store(true, std::memory_order_release);
  {
    EchoOff hidden;  // before the prompt shows: what is typed after it is never echoed
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
    read = static_cast<bool>(std::getline(std::cin, line));
  }
  gBlocking.store(false, std::memory_order_release);
#ifdef _WIN32
  std::fputc('\n', stderr);  // the console did not echo the Enter either
#else
  if (!read) std::fputc('\n', stderr);
#endif
  if (!read) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace chatport::cli
