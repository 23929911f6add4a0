#pragma once
// Host side: the connections that have not said hello yet, counted apart from the room's
// members. A silent socket costs the host a descriptor and a little memory until the handshake
// deadline; without a budget of their own, enough of them would fill the room's limit and
// lock every real joiner out. The budget has a total and a share per source address; when a
// new connection would go over either, the oldest pending one (of that source, or of all) is
// dropped to make room: a newcomer who says hello promptly always gets its turn.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace chatport::chat {

class ClientLink;

class HandshakeBudget {
 public:
  HandshakeBudget(std::size_t total, std::size_t perSource);

  /// Thread-safe. Counts link, from source, as pending. Returns the pending link to drop to
  /// make room for it, or null; the caller drops it (on its own loop).
  std::shared_ptr<ClientLink> add(const std::shared_ptr<ClientLink>& link, const std::string& source);
  /// Thread-safe, idempotent. The link said hello, or closed: it no longer counts.
  void remove(const ClientLink& link);
  /// Thread-safe.
  std::size_t pending() const;

 private:
  struct Entry {
    const ClientLink* key;
    std::weak_ptr<ClientLink> link;
    std::string source;
  };
  using Order = std::list<Entry>;
  /// Takes it out of the count; the caller holds mutex_.
  std::shared_ptr<ClientLink> evict(Order::iterator it);

  const std::size_t total_;
  const std::size_t perSource_;
  mutable std::mutex mutex_;
  Order order_;                                                // guarded by mutex_; oldest first
  std::unordered_map<const ClientLink*, Order::iterator> byLink_;  // guarded by mutex_
  std::unordered_map<std::string, std::size_t> bySource_;         // guarded by mutex_
};

}  // namespace chatport::chat
