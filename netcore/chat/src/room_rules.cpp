#include "room_rules.h"

#include "data_file.h"

#include <chatport/chat/types.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace chatport::chat {
namespace {

constexpr const char* kFileName = "room_rules";
constexpr std::string_view kBan = "ban";
constexpr std::string_view kExempt = "exempt";

// Adds the rule on line to rules; false if the line is not one.
bool parseLine(const std::string& line, RoomRules& rules) {
  std::istringstream fields(line);
  std::string kind, hex, seconds;
  if (!(fields >> kind >> hex >> seconds) || (kind != kBan && kind != kExempt)) return false;
  noise::PublicKey key{};
  long long since = 0;
  if (!data_file::fromHex(hex, key) ||
      std::from_chars(seconds.data(), seconds.data() + seconds.size(), since).ptr != seconds.data() + seconds.size())
    return false;
  RoomRule rule;
  rule.since = std::chrono::system_clock::time_point(std::chrono::seconds(since));
  std::getline(fields >> std::ws, rule.name);
  if (validateName(rule.name)) return false;
  auto& kept = kind == kBan ? rules.banned : rules.exempt;
  if (kept.size() < kMaxRoomRules) kept.insert_or_assign(key, std::move(rule));
  return true;
}

void appendLines(std::string& text, std::string_view kind, const std::map<noise::PublicKey, RoomRule>& rules) {
  for (const auto& [key, rule] : rules) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(rule.since.time_since_epoch()).count();
    text.append(kind).append(" ").append(data_file::toHex(key)).append(" ");
    text.append(std::to_string(seconds)).append(" ").append(rule.name).append("\n");
  }
}

}  // namespace

RoomRules loadRoomRules(const std::string& dataFolder, std::string& problem) {
  problem.clear();
  const auto path = data_file::fileIn(dataFolder, kFileName);
  RoomRules rules;
  std::ifstream in(path, std::ios::binary);
  std::size_t damaged = 0;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && !parseLine(line, rules)) ++damaged;
  if (damaged > 0)
    problem = data_file::utf8Of(path) + ": " + std::to_string(damaged) +
              (damaged == 1 ? " damaged line was" : " damaged lines were") + " skipped";
  return rules;
}

bool saveRoomRules(const std::string& dataFolder, const RoomRules& rules, std::string& error) {
  std::string text;
  appendLines(text, kBan, rules.banned);
  appendLines(text, kExempt, rules.exempt);
  return data_file::replaceFile(data_file::fileIn(dataFolder, kFileName), text, error);
}

}  // namespace chatport::chat
