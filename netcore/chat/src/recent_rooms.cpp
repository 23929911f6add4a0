#include "recent_rooms.h"

#include "data_file.h"
#include "name_key.h"

#include <chatport/log.h>
#include <chatport/noise/key_pair.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <mutex>
#include <sstream>

namespace chatport::chat {
namespace {

constexpr const char* kFileName = "recent_rooms";

// One read-modify-write at a time in this process (the core remembers on its loop while a
// window forgets on the UI thread). Between processes the later rename wins whole.
std::mutex fileMutex;

std::optional<RememberedRoom> parseLine(const std::string& line) {
  std::istringstream fields(line);
  std::string address, port, key, seconds;
  if (!(fields >> address >> port >> key >> seconds)) return std::nullopt;
  RememberedRoom room;
  room.address = address;
  unsigned portNumber = 0;
  long long since = 0;
  if (std::from_chars(port.data(), port.data() + port.size(), portNumber).ptr != port.data() + port.size() ||
      portNumber == 0 || portNumber > 65535 ||
      std::from_chars(seconds.data(), seconds.data() + seconds.size(), since).ptr != seconds.data() + seconds.size() ||
      !data_file::fromHex(key, room.hostKey))
    return std::nullopt;
  room.port = static_cast<std::uint16_t>(portNumber);
  room.lastJoined = std::chrono::system_clock::time_point(std::chrono::seconds(since));
  std::getline(fields >> std::ws, room.hostName);
  if (validateName(room.hostName)) return std::nullopt;
  room.fingerprint = noise::fingerprint(room.hostKey);
  return room;
}

std::vector<RememberedRoom> readFile(const std::filesystem::path& path) {
  std::vector<RememberedRoom> rooms;
  std::ifstream in(path, std::ios::binary);
  std::size_t damaged = 0;
  for (std::string line; std::getline(in, line) && rooms.size() < kMaxRememberedRooms;) {
    if (auto room = parseLine(line))
      rooms.push_back(std::move(*room));
    else
      ++damaged;
  }
  if (damaged > 0)
    logging::get("chat")->warn("{}: {} damaged line(s) skipped", data_file::utf8Of(path), damaged);
  return rooms;
}

bool writeFile(const std::filesystem::path& path, const std::vector<RememberedRoom>& rooms, std::string& error) {
  std::string text;
  for (const auto& r : rooms) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(r.lastJoined.time_since_epoch()).count();
    text += r.address + ' ' + std::to_string(r.port) + ' ' + data_file::toHex(r.hostKey) + ' ' +
            std::to_string(seconds) + ' ' + r.hostName + '\n';
  }
  return data_file::replaceFile(path, text, error);
}

}  // namespace

bool rememberRoom(const std::string& dataFolder, const RememberedRoom& room, std::string& error) {
  // A line per room, fields split at blanks: an address that has one (none does) is not kept.
  if (room.address.empty() || room.address.find_first_of(" \t\r\n") != std::string::npos) return true;
  const auto path = data_file::fileIn(dataFolder, kFileName);
  std::lock_guard lock(fileMutex);
  auto rooms = readFile(path);
  std::erase_if(rooms, [&](const RememberedRoom& r) {
    return r.port == room.port && (r.address == room.address || r.hostKey == room.hostKey);
  });
  rooms.insert(rooms.begin(), room);
  if (rooms.size() > kMaxRememberedRooms) rooms.resize(kMaxRememberedRooms);
  return writeFile(path, rooms, error);
}

std::vector<RememberedRoom> rememberedRooms(const std::string& dataFolder) {
  const auto path = data_file::fileIn(dataFolder, kFileName);
  std::lock_guard lock(fileMutex);
  return readFile(path);
}

bool forgetRoom(const std::string& dataFolder, const std::string& address, std::uint16_t port,
                std::string& problem) {
  const auto path = data_file::fileIn(dataFolder, kFileName);
  std::lock_guard lock(fileMutex);
  auto rooms = readFile(path);
  if (std::erase_if(rooms, [&](const RememberedRoom& r) { return r.address == address && r.port == port; }) == 0)
    return true;
  return writeFile(path, rooms, problem);
}

const RememberedRoom* findRememberedByName(const std::vector<RememberedRoom>& rooms, std::string_view text) {
  const std::string key = nameKey(text);
  for (const auto& room : rooms)
    if (nameKey(room.hostName) == key) return &room;
  return nullptr;
}

}  // namespace chatport::chat
