#include "data_file.h"

#include "key_store.h"
#include "native_file.h"

#include <chatport/chat/history.h>
#include <chatport/net/secure_random.h>

#include <system_error>

namespace chatport::chat::data_file {
namespace fs = std::filesystem;

std::string toHex(std::span<const std::byte> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out.push_back(kDigits[std::to_integer<unsigned>(b) >> 4]);
    out.push_back(kDigits[std::to_integer<unsigned>(b) & 15]);
  }
  return out;
}

bool fromHex(std::string_view hex, std::span<std::byte, 32> out) {
  if (hex.size() != 2 * out.size()) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = std::byte(hi << 4 | lo);
  }
  return true;
}

fs::path pathOf(std::string_view utf8) {
  return fs::path(std::u8string(reinterpret_cast<const char8_t*>(utf8.data()), utf8.size()));
}

std::string utf8Of(const fs::path& path) {
  const std::u8string s = path.u8string();
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

fs::path fileIn(const std::string& dataFolder, std::string_view name) {
  return pathOf(dataFolder.empty() ? KeyStore::defaultDataFolder() : dataFolder) / pathOf(name);
}

bool replaceFile(const fs::path& path, const std::string& text, std::string& error) {
  std::array<std::byte, 6> random{};
  net::fillSecureRandom(random);
  fs::path temporary = path;
  temporary += pathOf("." + toHex(random) + ".new");
  std::error_code ec;
  files::NativeFile out = files::NativeFile::createNew(temporary, ec, files::NativeFile::Access::OwnerOnly);
  if (!ec) {
    ec = out.write(std::as_bytes(std::span(text)));
    if (!ec) ec = out.sync();  // on the disk before it takes the name: never an empty key file
    if (const auto closed = out.close(); !ec) ec = closed;
  }
  std::error_code ignored;
  if (ec) {
    fs::remove(temporary, ignored);
    error = "cannot write " + utf8Of(temporary) + ": " + ec.message();
    return false;
  }
  if ((ec = files::renameEntry(temporary, path, true))) {
    fs::remove(temporary, ignored);
    error = "cannot replace " + utf8Of(path) + ": " + ec.message();
    return false;
  }
  // The new name itself on the disk; if the folder cannot say so, the file is in place anyway.
  (void)files::syncFolder(path.has_parent_path() ? path.parent_path() : fs::path("."));
  return true;
}

}  // namespace chatport::chat::data_file

namespace chatport::chat {

// The history database is one of the data folder's files; its rooms are named by key as
// known_hosts names hosts.
std::string historyRoomOf(std::span<const std::byte> hostKey) { return "key:" + data_file::toHex(hostKey); }

}  // namespace chatport::chat
