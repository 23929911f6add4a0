#pragma once
// A FIFO of shared frames that owns no heap memory while it holds at most one.
//
// A host holds thousands of idle connections, each with a send queue that is empty nearly all
// the time. std::deque allocates a 512-byte block and its map as soon as it is constructed
// (libstdc++), so ten thousand empty queues held 5.6 MiB. Here the front frame has a place of
// its own, so the usual send of one frame at a time allocates nothing either; frames behind it
// go to a vector read from a moving front, whose storage goes when the last of them is taken
// out and whose taken front part is reused before it grows.

#include <chatport/net/buffer.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace chatport::net {

class FrameQueue {
 public:
  bool empty() const noexcept { return !front_; }
  std::size_t size() const noexcept { return front_ ? 1 + rest_.size() - head_ : 0; }
  /// The i-th frame from the front; i < size().
  const SharedBytes& operator[](std::size_t i) const noexcept { return i == 0 ? front_ : rest_[head_ + i - 1]; }
  const SharedBytes& front() const noexcept { return front_; }

  /// frame must not be null.
  void push_back(SharedBytes frame) {
    if (!front_) {
      front_ = std::move(frame);
      return;
    }
    // Full, and at least half of it already taken: move the rest down instead of growing.
    if (rest_.size() == rest_.capacity() && head_ > 0 && head_ * 2 >= rest_.size()) {
      rest_.erase(rest_.begin(), rest_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    rest_.push_back(std::move(frame));
  }

  /// Takes the front frame out; size() > 0.
  SharedBytes pop_front() noexcept {
    SharedBytes frame = std::move(front_);
    if (head_ < rest_.size()) {
      front_ = std::move(rest_[head_++]);
      if (head_ == rest_.size()) freeRest();
    }
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
    front_.reset();
    freeRest();
  }

 private:
  void freeRest() noexcept {
    std::vector<SharedBytes>().swap(rest_);
    head_ = 0;
  }

  SharedBytes front_;               // null when empty
  std::vector<SharedBytes> rest_;   // behind front_: rest_[0, head_) have been taken (null)
  std::size_t head_ = 0;
};

}  // namespace chatport::net
