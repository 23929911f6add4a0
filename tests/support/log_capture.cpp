#include "log_capture.h"

#include <chatport/log.h>

#include <mutex>
#include <set>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/dist_sink.h>

namespace chatport::test {
namespace {

// Between the loggers and the captures: captures come and go while engines log, which the
// distributing sink allows (it locks); the loggers' own sink lists are changed only once.
std::shared_ptr<spdlog::sinks::dist_sink_mt> captures() {
  static const auto dist = std::make_shared<spdlog::sinks::dist_sink_mt>();
  return dist;
}

}  // namespace

class LogCapture::Sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit Sink(std::shared_ptr<Guarded<std::vector<LogLine>>> lines) : lines_(std::move(lines)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    LogLine line{msg.level, std::string(msg.logger_name.begin(), msg.logger_name.end()),
                 std::string(msg.payload.begin(), msg.payload.end())};
    lines_->with([&](std::vector<LogLine>& l) { l.push_back(std::move(line)); });
  }
  void flush_() override {}

 private:
  std::shared_ptr<Guarded<std::vector<LogLine>>> lines_;
};

LogCapture::LogCapture()
    : lines_(std::make_shared<Guarded<std::vector<LogLine>>>()),
      sink_(std::make_shared<Sink>(lines_)) {
  captures()->add_sink(sink_);
}

LogCapture::~LogCapture() { captures()->remove_sink(sink_); }

std::vector<LogLine> LogCapture::lines() {
  return lines_->with([](std::vector<LogLine>& l) { return l; });
}

std::size_t LogCapture::count(std::string_view words, spdlog::level::level_enum level) {
  return lines_->with([&](std::vector<LogLine>& l) {
    std::size_t n = 0;
    for (const auto& line : l)
      if (line.level >= level && line.text.find(words) != std::string::npos) ++n;
    return n;
  });
}

std::shared_ptr<spdlog::sinks::sink> LogCapture::sink() const { return sink_; }

std::string LogCapture::dump() {
  std::string out;
  for (const auto& line : lines()) {
    out += "  [" + line.logger + "] ";
    out += spdlog::level::to_string_view(line.level).data();
    out += ": " + line.text + "\n";
  }
  return out;
}

bool routeLogsToCaptures(std::initializer_list<const char*> loggers) {
  static std::mutex mutex;
  static std::set<std::string> routed;  // guarded by mutex
  std::lock_guard lock(mutex);
  for (const char* name : loggers)
    if (routed.insert(name).second) logging::get(name)->sinks().push_back(captures());
  return true;
}

std::size_t countLines(const std::vector<LogLine>& lines, std::string_view words) {
  std::size_t n = 0;
  for (const auto& line : lines)
    if (line.text.find(words) != std::string::npos) ++n;
  return n;
}

}  // namespace chatport::test
