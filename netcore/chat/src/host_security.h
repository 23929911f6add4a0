#pragma once
// Host side: what every link's handshake needs from the room, made once when the room opens:
// the host's key pair, the room key derived from its password (if any), and the count of wrong
// passwords per source address. Shared by the links of every loop; immutable but for the
// guard, which is thread-safe.

#include <chatport/noise/key_pair.h>
#include <chatport/noise/password.h>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace chatport::chat {

/// Wrong passwords per source address: a few tries a minute, so a password cannot be guessed
/// online. Thread-safe; bounded (the oldest records give way past kMaxSources).
class PasswordGuard {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kTriesPerMinute = 5;
  static constexpr std::size_t kMaxSources = 4096;

  /// True if source may try a password now.
  bool mayTry(const std::string& source, Clock::time_point now = Clock::now());
  /// source gave a wrong password.
  void failed(const std::string& source, Clock::time_point now = Clock::now());

 private:
  struct Record {
    Clock::time_point windowStart;
    std::size_t failures = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;  // guarded by mutex_
};

struct HostSecurity {
  explicit HostSecurity(noise::KeyPair keys) : identity(std::move(keys)) {}

  noise::KeyPair identity;
  std::optional<noise::Psk> psk;  ///< from the room's password
  noise::PasswordCost passwordCost;
  PasswordGuard guesses;
};

}  // namespace chatport::chat
