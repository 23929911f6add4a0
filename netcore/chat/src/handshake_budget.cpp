#include "handshake_budget.h"

#include <algorithm>

namespace chatport::chat {

HandshakeBudget::HandshakeBudget(std::size_t total, std::size_t perSource)
    : total_(std::max<std::size_t>(1, total)), perSource_(std::max<std::size_t>(1, perSource)) {}

std::shared_ptr<ClientLink> HandshakeBudget::add(const std::shared_ptr<ClientLink>& link,
                                                 const std::string& source) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<ClientLink> dropped;
  if (bySource_[source] >= perSource_) {
    auto oldest = std::find_if(order_.begin(), order_.end(),
                               [&](const Entry& e) { return e.source == source; });
    dropped = evict(oldest);
  } else if (order_.size() >= total_) {
    dropped = evict(order_.begin());
  }
  order_.push_back(Entry{link.get(), link, source});
  byLink_[link.get()] = std::prev(order_.end());
  ++bySource_[source];
  return dropped;
}

void HandshakeBudget::remove(const ClientLink& link) {
  std::lock_guard lock(mutex_);
  auto it = byLink_.find(&link);
  if (it != byLink_.end()) evict(it->second);
}

std::size_t HandshakeBudget::pending() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}

std::shared_ptr<ClientLink> HandshakeBudget::evict(Order::iterator it) {
  auto link = it->link.lock();
  if (auto s = bySource_.find(it->source); s != bySource_.end() && --s->second == 0) bySource_.erase(s);
  byLink_.erase(it->key);
  order_.erase(it);
  return link;
}

}  // namespace chatport::chat
