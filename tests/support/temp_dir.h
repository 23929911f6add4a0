#pragma once
// A folder of a test's own under the system's temporary folder, removed with everything in it
// when the object goes: tests never read or write the user's real data folder.

#include <chatport/net/secure_random.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

namespace chatport::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "chatport-test-") {
    std::array<std::byte, 8> random{};
    net::fillSecureRandom(random);
    std::string name = prefix;
    for (std::byte b : random) {
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02x", std::to_integer<unsigned>(b));
      name += hex;
    }
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string string() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace chatport::test
