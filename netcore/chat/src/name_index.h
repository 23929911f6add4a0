#pragma once
// The names taken in a room, for telling whether a name is free.

#include <chatport/chat/types.h>
#include <chatport/net/record_pool.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace chatport::chat {

/// Which member goes by a name key (nameKey()), kept as a hash of the key: 32 bytes a member,
/// where a map from the key's string took 64 and more. Two keys may share a hash: a lookup
/// compares the real keys of the members under it, which keyOf gives (the room keeps each
/// member's name; the index keeps none). Hash is a parameter for the tests, which make every
/// key collide.
template <typename Hash = std::hash<std::string_view>>
class NameIndex {
 public:
  void add(std::string_view key, ClientId id) { byHash_.emplace(Hash{}(key), id); }

  void remove(std::string_view key, ClientId id) {
    auto [it, end] = byHash_.equal_range(Hash{}(key));
    for (; it != end; ++it) {
      if (it->second == id) {
        byHash_.erase(it);
        return;
      }
    }
  }

  /// The member whose name has this key, or kNoClient. keyOf(ClientId) is that member's key now.
  template <typename KeyOf>
  ClientId find(std::string_view key, KeyOf&& keyOf) const {
    auto [it, end] = byHash_.equal_range(Hash{}(key));
    for (; it != end; ++it)
      if (keyOf(it->second) == key) return it->second;
    return kNoClient;
  }

 private:
  // A node each: from a pool of their own (record_pool.h).
  std::unordered_multimap<std::uint64_t, ClientId, std::hash<std::uint64_t>, std::equal_to<>,
                          net::PoolAllocator<std::pair<const std::uint64_t, ClientId>>>
      byHash_;
};

}  // namespace chatport::chat
