#include "key_store.h"

#include <chatport/net/secure_random.h>

#include <array>
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
namespace {

std::string toHex(std::span<const std::byte> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out.push_back(kDigits[std::to_integer<unsigned>(b) >> 4]);
    out.push_back(kDigits[std::to_integer<unsigned>(b) & 15]);
  }
  return out;
}

template <std::size_t N>
bool fromHex(std::string_view hex, std::span<std::byte, N> out) {
  if (hex.size() != 2 * N) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = std::byte(hi << 4 | lo);
  }
  return true;
}

// Folder names are UTF-8 everywhere in ChatPort; a path made from a narrow string would read
// them in the Windows code page.
fs::path pathOf(std::string_view utf8) {
  return fs::path(std::u8string(reinterpret_cast<const char8_t*>(utf8.data()), utf8.size()));
}

std::string utf8Of(const fs::path& path) {
  const std::u8string s = path.u8string();
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

// Writes text to path whole: a temporary file beside it, owner-only, then renamed over it. The
// temporary name is this write's own, so two programs sharing the folder never write into one
// file (the later rename wins whole).
bool replaceFile(const fs::path& path, const std::string& text, std::string& error) {
  std::array<std::byte, 6> random{};
  net::fillSecureRandom(random);
  fs::path temporary = path;
  temporary += pathOf("." + toHex(random) + ".new");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = "cannot write " + utf8Of(temporary);
      return false;
    }
#ifndef _WIN32
    ::chmod(temporary.c_str(), 0600);  // before the secret is written into it
#endif
    out << text;
    out.flush();
    if (!out) {
      error = "cannot write " + utf8Of(temporary);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    error = "cannot replace " + utf8Of(path) + ": " + ec.message();
    return false;
  }
  return true;
}

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
    if (!fromHex<32>(hex, secret.mutableBytes())) {
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
  if (it == hosts.end() || !fromHex<32>(it->second, std::span<std::byte, 32>(key))) return std::nullopt;
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
