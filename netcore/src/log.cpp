#include <chatport/log.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace chatport::logging {
namespace {

constexpr const char* kLoggerNames[] = {"net", "chat", "ui", "app"};

struct State {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;  // guarded by mutex
  spdlog::level::level_enum level = spdlog::level::info;  // guarded by mutex
  bool configured = false;  // guarded by mutex
};

State& state() {
  static State s;
  return s;
}

spdlog::level::level_enum levelFrom(const std::string& requested) {
  if (auto l = parseLevel(requested)) return *l;
  if (const char* env = std::getenv("CHATPORT_LOG_LEVEL"))
    if (auto l = parseLevel(env)) return *l;
  return spdlog::level::info;
}

// Caller holds state().mutex.
void configureDefaultsLocked(State& s) {
  if (s.configured) return;
  s.sinks = {std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  s.level = levelFrom({});
  s.configured = true;
}

std::shared_ptr<spdlog::logger> makeLocked(State& s, const std::string& name) {
  auto logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
  logger->set_level(s.level);
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace

std::optional<spdlog::level::level_enum> parseLevel(std::string_view name) {
  static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"critical", spdlog::level::critical}, {"off", spdlog::level::off}};
  for (const auto& [text, level] : kLevels)
    if (text == name) return level;
  return std::nullopt;
}

void init(const Options& options) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.sinks.clear();
  if (options.console) s.sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!options.filePath.empty())
    s.sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        options.filePath, 5 * 1024 * 1024, 5));
  s.level = levelFrom(options.level);
  s.configured = true;
  for (const char* name : kLoggerNames) {
    spdlog::drop(name);
    makeLocked(s, name);
  }
}

std::shared_ptr<spdlog::logger> get(const std::string& name) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (auto existing = spdlog::get(name)) return existing;
  configureDefaultsLocked(s);
  return makeLocked(s, name);
}

}  // namespace chatport::logging
