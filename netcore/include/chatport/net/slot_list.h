#pragma once
// A list of shared objects in which each knows its own place.

#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace chatport::net {

/// The objects a loop keeps alive (its connections, a room shard's links), held so that adding
/// and removing one costs no allocation of its own: a host keeps thousands of them, and a hash
/// map from pointer to owner would cost a node and a bucket for each. T keeps its index in a
/// member `std::uint32_t listSlot_ = SlotList<T>::kNone`, private with SlotList<T> a friend;
/// nothing else writes it, so T can be in one such list at a time. The order is not kept: a
/// removed item's place goes to the last one. One thread only.
template <typename T>
class SlotList {
 public:
  /// A slot's value while its item is in no list.
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  void add(std::shared_ptr<T> item) {
    item->listSlot_ = static_cast<std::uint32_t>(items_.size());
    items_.push_back(std::move(item));
  }

  /// Takes item out of the list and hands back the list's reference to it; null if it was not
  /// in the list.
  std::shared_ptr<T> remove(T& item) {
    const std::uint32_t slot = std::exchange(item.listSlot_, kNone);
    if (slot >= items_.size() || items_[slot].get() != &item) return nullptr;
    std::shared_ptr<T> taken = std::move(items_[slot]);
    if (slot + 1 != items_.size()) {
      items_[slot] = std::move(items_.back());
      items_[slot]->listSlot_ = slot;
    }
    items_.pop_back();
    // A crowd that has left gives its room back, without regrowing at every join after it.
    if (items_.capacity() > kKeptCapacity && items_.size() < items_.capacity() / 4) items_.shrink_to_fit();
    return taken;
  }

  /// The items, in no particular order; a copy, to act on them while they leave the list.
  std::vector<std::shared_ptr<T>> snapshot() const { return items_; }

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  void clear() noexcept {
    for (auto& item : items_) item->listSlot_ = kNone;
    items_.clear();
  }

 private:
  static constexpr std::size_t kKeptCapacity = 64;

  std::vector<std::shared_ptr<T>> items_;
};

}  // namespace chatport::net
