#pragma once
// What an operator would read in the log, captured for tests that check its lines: that a storm
// of failures is a few lines, not thousands, and that the first cause is among them.

#include "wait.h"

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>

namespace chatport::test {

struct LogLine {
  spdlog::level::level_enum level;
  std::string logger;
  std::string text;
};

/// The lines the routed loggers write while it exists (see routeLogsToCaptures). Thread-safe.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<LogLine> lines();
  /// Lines at level or above whose text contains words.
  std::size_t count(std::string_view words, spdlog::level::level_enum level = spdlog::level::trace);
  /// Waits until pred(lines) holds; false at the deadline.
  template <typename Pred>
  bool waitFor(Pred&& pred, std::chrono::milliseconds deadline = kDeadline) {
    return lines_->waitFor([&](const std::vector<LogLine>& l) { return pred(l); }, deadline);
  }
  /// Every line, one per row, for failure messages.
  std::string dump();
  /// The sink itself, for a logger of the test's own.
  std::shared_ptr<spdlog::sinks::sink> sink() const;

 private:
  class Sink;
  std::shared_ptr<Guarded<std::vector<LogLine>>> lines_;
  std::shared_ptr<Sink> sink_;
};

/// Makes the named loggers' lines reach every LogCapture, on top of their own sinks. Call it
/// before any thread logs through them (at the test program's static initialisation), since a
/// logger's list of sinks is not guarded; idempotent. Returns true, for use in an initialiser.
bool routeLogsToCaptures(std::initializer_list<const char*> loggers);

/// Lines whose text contains words, of those given.
std::size_t countLines(const std::vector<LogLine>& lines, std::string_view words);

}  // namespace chatport::test
