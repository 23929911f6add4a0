#pragma once
// Handing memory the allocator holds free back to the system after a surge.

#include <cstddef>

namespace chatport::chat {

/// glibc keeps memory that a thread frees in that thread's arena and gives back by itself only
/// the top of each arena. After a surge (a storm of joins, a flood queued for slow readers),
/// the short-lived frames and queues are freed between long-lived per-connection records, so a
/// host holding thousands of idle connections would keep the surge's peak resident.
///
/// releaseIfGrown() returns those pages to the system (malloc_trim) once per surge. A surge is
/// the allocator's free total grown by minGrowthBytes since its lowest point after the last
/// release (glibc still counts released pages as free, so the total itself says nothing), or
/// the bytes in use moved by minGrowthBytes since the last release (a storm of joins leaves
/// its records between the pages its frames used; a slow one reuses and frees those pages
/// again without the free total growing much). The release waits until the surge is over: until
/// the bytes in use moved by less than an eighth of minGrowthBytes since the last call, so that
/// pages released in the middle of a storm are not taken again by its rest.
/// A surge's rest is freed over the next seconds (spare send states kept for a while, queues
/// that empty late): once, within kTailCalls calls after a surge's release, the free total
/// grown by an eighth of minGrowthBytes is released
/// too, when settled. (Only the window bounds it: a quiet room's heartbeats take and give back
/// a frame per joiner meanwhile, so the free total dips and rises again while the rest comes.)
/// Elsewhere (other C libraries, sanitizer allocators) it does nothing and answers false.
/// A release briefly locks each arena: call it when the process is quiet.
class FreeMemoryReleaser {
 public:
  /// What the releaser needs of an allocator.
  struct Allocator {
    std::size_t (*freeBytes)() = nullptr;  ///< bytes it holds free, given back or not
    void (*release)() = nullptr;           ///< gives what it can of them back to the system
    std::size_t (*inUseBytes)() = nullptr;  ///< bytes allocated (optional)
  };
  /// glibc's (mallinfo2, malloc_trim); an empty one, which releases nothing, elsewhere.
  static Allocator systemAllocator() noexcept;

  explicit FreeMemoryReleaser(std::size_t minGrowthBytes, Allocator allocator = systemAllocator())
      : minGrowth_(minGrowthBytes), allocator_(allocator) {}

  /// True if it released memory.
  bool releaseIfGrown();

  /// How many calls after a surge's release its tail may still be released.
  static constexpr int kTailCalls = 10;

 private:
  const std::size_t minGrowth_;
  const Allocator allocator_;
  std::size_t low_ = 0;  // free bytes after the last release, or the fewest since
  std::size_t inUseAtRelease_ = 0;
  std::size_t lastInUse_ = 0;  // at the last call
  bool seen_ = false;          // lastInUse_ is set
  bool surge_ = false;         // one has begun since the last release
  int tailCalls_ = 0;          // left for the last surge's tail; 0: none expected
};

}  // namespace chatport::chat
