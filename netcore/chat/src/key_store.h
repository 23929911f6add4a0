#pragma once
// This installation's keys and the hosts it has met, in its data folder:
//
//   identity.key   the long-term X25519 secret key, 64 hex digits (owner-only: 0600 on Linux;
//                  on Windows the folder is in the user's profile, private to the user)
//   known_hosts    one line per host met: "<host>:<port> <64 hex digits of its public key>"
//                  (trust on first use: a host's key is pinned the first time, and a different
//                  key at that address is refused until the user accepts it deliberately)
//
// Files are replaced whole (written to a temporary name, then renamed), so a crash leaves the
// old one or the new one, never half of either. Core loop only, except where said.

#include <chatport/noise/key_pair.h>

#include <optional>
#include <string>

namespace chatport::chat {

class KeyStore {
 public:
  /// folder empty: defaultDataFolder().
  explicit KeyStore(std::string folder);

  /// Thread-safe. The platform's folder for the app's data: $XDG_DATA_HOME/chatport or
  /// ~/.local/share/chatport on Linux, %APPDATA%\ChatPort on Windows.
  static std::string defaultDataFolder();

  const std::string& folder() const noexcept { return folder_; }
  /// This installation's key pair: read once from identity.key, or made and saved there.
  /// nullptr with error set (for a person) if the folder cannot be read or written.
  const noise::KeyPair* identity(std::string& error);
  /// The key pinned for host ("name-or-address:port"), if any.
  std::optional<noise::PublicKey> pinned(const std::string& host);
  /// Pins key for host, replacing any other. False with error set if it cannot be saved.
  bool pin(const std::string& host, const noise::PublicKey& key, std::string& error);

 private:
  bool ensureFolder(std::string& error);

  std::string folder_;
  std::optional<noise::KeyPair> identity_;
};

}  // namespace chatport::chat
