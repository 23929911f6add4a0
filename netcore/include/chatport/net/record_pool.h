#pragma once
// Fixed-size blocks for the records a host keeps one of for each joiner (its connection, its
// stream, the room's link and member), carved from slabs of their own.
//
// A join storm allocates those long-lived records in between short-lived ones (handshake state,
// frames, posted tasks) on the same heap. Once the transients are freed they leave holes among
// the records that the heap cannot give back, and the records each carry a heap header: a host
// with 10,000 idle joiners held about two megabytes that way. Kept apart, the records pack
// densely, and a slab whose records have all gone is given back at once.

#include <cstddef>
#include <memory>
#include <mutex>
#include <new>

namespace chatport::net {

/// Blocks of one size, from 64 KiB slabs mapped from the system (not the heap). A slab is
/// carved as it is used (its untouched pages cost nothing), and unmapped once empty unless it
/// is the only one with room. Thread-safe: a record made on one thread may be freed on another.
class BlockPool {
 public:
  static constexpr std::size_t kSlabBytes = 64 * 1024;

  /// blockAlign: a power of two, at most 64. Blocks are at least a pointer's size.
  BlockPool(std::size_t blockSize, std::size_t blockAlign);
  /// Frees the slabs; every block must have been given back.
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  void* allocate();
  /// block: from allocate() of this pool.
  void deallocate(void* block) noexcept;

  std::size_t blockSize() const noexcept { return blockSize_; }
  std::size_t blocksPerSlab() const noexcept { return capacity_; }
  /// Slabs held now.
  std::size_t slabs() const;

 private:
  struct Slab;
  void link(Slab& slab) noexcept;
  void unlink(Slab& slab) noexcept;

  const std::size_t blockSize_;
  const std::size_t firstOffset_;  // of the first block in its slab, after the slab's header
  const std::size_t capacity_;     // blocks per slab
  mutable std::mutex mutex_;
  Slab* open_ = nullptr;  // slabs with a free block, the one freed into last first
  std::size_t slabs_ = 0;
};

/// The process's pool for blocks of Size bytes aligned to Align. Never destroyed: a record may
/// be freed during the process's exit, after static destructors have run.
template <std::size_t Size, std::size_t Align>
BlockPool& blockPool() {
  static BlockPool* const pool = new BlockPool(Size, Align);
  return *pool;
}

/// An allocator that takes single objects from blockPool() (arrays from the heap): for
/// std::allocate_shared and node-based containers of per-joiner records.
template <typename T>
class PoolAllocator {
 public:
  using value_type = T;

  PoolAllocator() noexcept = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n != 1) return std::allocator<T>().allocate(n);
    return static_cast<T*>(blockPool<sizeof(T), alignof(T)>().allocate());
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n != 1) return std::allocator<T>().deallocate(p, n);
    blockPool<sizeof(T), alignof(T)>().deallocate(p);
  }

  template <typename U>
  friend bool operator==(const PoolAllocator&, const PoolAllocator<U>&) noexcept {
    return true;
  }
};

/// A base for a class whose objects are made with new: puts them in its pool.
///   class Stream final : public IoStream, public PooledNew<Stream> { ... };
template <typename T>
struct PooledNew {
  static void* operator new(std::size_t size) {
    if (size != sizeof(T)) return ::operator new(size);  // a derived class: not ours
    return blockPool<sizeof(T), alignof(T)>().allocate();
  }
  static void operator delete(void* p, std::size_t size) noexcept {
    if (size != sizeof(T)) return ::operator delete(p);
    blockPool<sizeof(T), alignof(T)>().deallocate(p);
  }
};

}  // namespace chatport::net
