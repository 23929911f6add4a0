#include <chatport/net/record_pool.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <new>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/mman.h>
#endif

// GCC says so with __SANITIZE_ADDRESS__; Debian 12's clang (14) only through __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHATPORT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CHATPORT_ASAN 1
#endif

#ifdef CHATPORT_ASAN
#include <sanitizer/asan_interface.h>
#define POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POOL_POISON(p, n) ((void)(p), (void)(n))
#define POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace chatport::net {

namespace {

constexpr std::size_t roundUp(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// Slabs come straight from the system, aligned to their size, never from the heap: an aligned
// block from malloc costs twice its size in the heap's span (the rest left free around it), and
// those gaps fill with a storm's short-lived blocks that keep the heap from shrinking.
void* mapSlab() {
  constexpr std::size_t bytes = BlockPool::kSlabBytes;
#ifdef _WIN32
  // VirtualAlloc's granularity is 64 KiB: a slab of that size comes aligned to it.
  static_assert(bytes == 64 * 1024);
  void* p = ::VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!p) throw std::bad_alloc();
  return p;
#else
  // Twice the size, then the unaligned head and tail given back.
  void* raw = ::mmap(nullptr, 2 * bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = roundUp(start, bytes);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::uintptr_t tail = start + bytes - aligned; tail > 0)
    ::munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  return reinterpret_cast<void*>(aligned);
#endif
}

void unmapSlab(void* slab) noexcept {
  // AddressSanitizer keeps a region's poison past munmap: the next slab mapped there would
  // start with its predecessor's free blocks poisoned.
  POOL_UNPOISON(slab, BlockPool::kSlabBytes);
#ifdef _WIN32
  ::VirtualFree(slab, 0, MEM_RELEASE);
#else
  ::munmap(slab, BlockPool::kSlabBytes);
#endif
}

}  // namespace

// At the start of its slab, which is aligned to its size: a block finds its slab by rounding
// its address down.
struct BlockPool::Slab {
  Slab* prev = nullptr;  // in open_, while it has a free block
  Slab* next = nullptr;
  void* free = nullptr;     // blocks given back, each holding the next one's address
  std::size_t used = 0;     // blocks handed out
  std::size_t carved = 0;   // blocks ever handed out; those after it are untouched
  bool open = false;        // in open_
};

BlockPool::BlockPool(std::size_t blockSize, std::size_t blockAlign)
    : blockSize_(roundUp(std::max(blockSize, sizeof(void*)), std::max(blockAlign, alignof(void*)))),
      firstOffset_(roundUp(sizeof(Slab), std::max(blockAlign, alignof(void*)))),
      capacity_((kSlabBytes - firstOffset_) / blockSize_) {
  assert(blockAlign <= 64 && (blockAlign & (blockAlign - 1)) == 0);
  assert(capacity_ >= 1);
}

BlockPool::~BlockPool() {
  while (open_) {
    Slab* slab = open_;
    unlink(*slab);
    assert(slab->used == 0);
    slab->~Slab();
    unmapSlab(slab);
  }
}

void BlockPool::link(Slab& slab) noexcept {
  slab.prev = nullptr;
  slab.next = open_;
  if (open_) open_->prev = &slab;
  open_ = &slab;
  slab.open = true;
}

void BlockPool::unlink(Slab& slab) noexcept {
  if (slab.prev) slab.prev->next = slab.next;
  else open_ = slab.next;
  if (slab.next) slab.next->prev = slab.prev;
  slab.prev = slab.next = nullptr;
  slab.open = false;
}

void* BlockPool::allocate() {
  std::lock_guard lock(mutex_);
  if (!open_) {
    void* memory = mapSlab();
    link(*new (memory) Slab);
    ++slabs_;
  }
  Slab& slab = *open_;
  void* block;
  if (slab.free) {
    block = slab.free;
    POOL_UNPOISON(block, blockSize_);
    slab.free = *static_cast<void**>(block);
  } else {
    block = reinterpret_cast<std::byte*>(&slab) + firstOffset_ + slab.carved * blockSize_;
    ++slab.carved;
  }
  if (++slab.used == capacity_) unlink(slab);
  return block;
}

void BlockPool::deallocate(void* block) noexcept {
  if (!block) return;
  auto* slab = reinterpret_cast<Slab*>(reinterpret_cast<std::uintptr_t>(block) & ~(kSlabBytes - 1));
  std::lock_guard lock(mutex_);
  *static_cast<void**>(block) = slab->free;
  slab->free = block;
  POOL_POISON(block, blockSize_);
  --slab->used;
  if (!slab->open) link(*slab);
  // An empty slab goes back, unless it is the only one with room (which would only be made
  // again at the next allocation).
  if (slab->used == 0 && !(open_ == slab && !slab->next)) {
    unlink(*slab);
    --slabs_;
    slab->~Slab();
    unmapSlab(slab);
  }
}

std::size_t BlockPool::slabs() const {
  std::lock_guard lock(mutex_);
  return slabs_;
}

}  // namespace chatport::net
