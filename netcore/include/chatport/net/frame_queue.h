#pragma once
// A FIFO of shared frames that owns no heap memory while it is empty.
//
// A host holds thousands of idle connections, each with a send queue that is empty nearly all
// the time. std::deque allocates a 512-byte block and its map as soon as it is constructed
// (libstdc++), so ten thousand empty queues held 5.6 MiB. This one is a vector read from a
// moving front: taking the last frame out lets its storage go, and the front part that has
// been taken is reused before the vector grows.

#include <chatport/net/buffer.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace chatport::net {

class FrameQueue {
 public:
  bool empty() const noexcept { return head_ == items_.size(); }
  std::size_t size() const noexcept { return items_.size() - head_; }
  /// The i-th frame from the front; i < size().
  const SharedBytes& operator[](std::size_t i) const noexcept { return items_[head_ + i]; }
  const SharedBytes& front() const noexcept { return items_[head_]; }

  void push_back(SharedBytes frame) {
    // Full, and at least half of it already taken: move the rest down instead of growing.
    if (items_.size() == items_.capacity() && head_ > 0 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    items_.push_back(std::move(frame));
  }

  /// Takes the front frame out; size() > 0. The last one out frees the storage.
  SharedBytes pop_front() noexcept {
    SharedBytes frame = std::move(items_[head_++]);
    if (empty()) clear();
    return frame;
  }

  /// Takes the first n frames out (n <= size()), in order.
  std::vector<SharedBytes> take(std::size_t n) {
    std::vector<SharedBytes> taken;
    taken.reserve(n);
    for (std::size_t i = 0; i < n; ++i) taken.push_back(pop_front());
    return taken;
  }

  /// Drops every frame and frees the storage.
  void clear() noexcept {
    std::vector<SharedBytes>().swap(items_);
    head_ = 0;
  }

 private:
  std::vector<SharedBytes> items_;
  std::size_t head_ = 0;  // items_[0, head_) have been taken (empty pointers)
};

}  // namespace chatport::net
