#include "key_store.h"

#include "data_file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#ifndef _WIN32
#include <sys/stat.h>
#endif

namespace chatport::chat {
namespace fs = std::filesystem;
using data_file::fromHex;
using data_file::pathOf;
using data_file::replaceFile;
using data_file::toHex;
using data_file::utf8Of;

namespace {

std::map<std::string, std::string> readKnownHosts(const fs::path& path) {
  std::map<std::string, std::string> hosts;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string host, key;
    if (fields >> host >> key) hosts[host] = key;
  }
  return hosts;
}

}  // namespace

KeyStore::KeyStore(std::string folder)
    : folder_(folder.empty() ? defaultDataFolder() : std::move(folder)) {}

std::string KeyStore::defaultDataFolder() {
#ifdef _WIN32
  if (const wchar_t* appData = ::_wgetenv(L"APPDATA"); appData && *appData)
    return utf8Of(fs::path(appData) / "ChatPort");
  return utf8Of(fs::temp_directory_path() / "ChatPort");
#else
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return utf8Of(pathOf(xdg) / "chatport");
  if (const char* home = std::getenv("HOME"); home && *home)
    return utf8Of(pathOf(home) / ".local" / "share" / "chatport");
  return utf8Of(fs::temp_directory_path() / "chatport");
#endif
}

bool KeyStore::ensureFolder(std::string& error) {
  std::error_code ec;
  fs::create_directories(pathOf(folder_), ec);
  if (ec) {
    error = "cannot create the data folder " + folder_ + ": " + ec.message();
    return false;
  }
#ifndef _WIN32
  ::chmod(folder_.c_str(), 0700);
#endif
  return true;
}

const noise::KeyPair* KeyStore::identity(std::string& error) {
  if (identity_) return &*identity_;
  if (!ensureFolder(error)) return nullptr;
  const fs::path path = pathOf(folder_) / "identity.key";
  std::string hex;
  if (std::ifstream in(path); in) {
    in >> hex;
    noise::SecretKey secret;
    if (!fromHex(hex, secret.mutableBytes())) {
      error = utf8Of(path) + " is damaged; move it away to make a new identity (joiners will "
              "see this host's key change)";
      return nullptr;
    }
    identity_ = noise::KeyPair::fromSecret(secret.bytes());
    return &*identity_;
  }
  auto made = noise::KeyPair::generate();
  if (!replaceFile(path, toHex(made.secretKey().bytes()) + "\n", error)) return nullptr;
  identity_ = std::move(made);
  return &*identity_;
}

std::optional<noise::PublicKey> KeyStore::pinned(const std::string& host) {
  const auto hosts = readKnownHosts(pathOf(folder_) / "known_hosts");
  auto it = hosts.find(host);
  noise::PublicKey key{};
  if (it == hosts.end() || !fromHex(it->second, std::span<std::byte, 32>(key))) return std::nullopt;
  return key;
}

bool KeyStore::pin(const std::string& host, const noise::PublicKey& key, std::string& error) {
  if (!ensureFolder(error)) return false;
  const fs::path path = pathOf(folder_) / "known_hosts";
  auto hosts = readKnownHosts(path);
  hosts[host] = toHex(key);
  std::string text;
  for (const auto& [h, k] : hosts) text += h + " " + k + "\n";
  return replaceFile(path, text, error);
}

}  // namespace chatport::chat
