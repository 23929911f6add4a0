#pragma once
// Turns the core's events into chatport-cli's output: readable lines, or one JSON object per
// line with --json. Main thread only.

#include <chatport/chat/types.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::cli {

class EventPrinter {
 public:
  EventPrinter(bool json, std::FILE* out, std::FILE* err) : json_(json), out_(out), err_(err) {}

  void print(const chat::Event& event);
  void printList(const std::vector<chat::Participant>& clients);
  /// A problem found by the cli itself (unknown command, unknown nickname).
  void localError(std::string_view code, std::string_view detail);
  void flush();

 private:
  void line(const std::string& text);
  void errorLine(const std::string& text);
  static std::string clock(chat::TimePoint t);
  static std::int64_t millis(chat::TimePoint t);
  static std::string listJson(const std::vector<chat::Participant>& clients);

  bool json_;
  std::FILE* out_;
  std::FILE* err_;
};

}  // namespace chatport::cli
