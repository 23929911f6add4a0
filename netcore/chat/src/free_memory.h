#pragma once
// Handing memory the allocator holds free back to the system after a surge.

#include <cstddef>

namespace chatport::chat {

/// glibc keeps memory that a thread frees in that thread's arena and gives back by itself only
/// the top of each arena. After a surge (a storm of joins, a flood queued for slow readers),
/// the short-lived frames and queues are freed between long-lived per-connection records, so a
/// host holding thousands of idle connections would keep the surge's peak resident.
///
/// releaseIfGrown() returns those pages to the system (malloc_trim) once per surge: when the
/// allocator's free total has grown by minGrowthBytes since its lowest point after the last
/// release (glibc still counts released pages as free, so the total itself says nothing).
/// Elsewhere (other C libraries, sanitizer allocators) it does nothing and answers false.
/// A release briefly locks each arena: call it when the process is quiet.
class FreeMemoryReleaser {
 public:
  /// What the releaser needs of an allocator.
  struct Allocator {
    std::size_t (*freeBytes)() = nullptr;  ///< bytes it holds free, given back or not
    void (*release)() = nullptr;           ///< gives what it can of them back to the system
  };
  /// glibc's (mallinfo2, malloc_trim); an empty one, which releases nothing, elsewhere.
  static Allocator systemAllocator() noexcept;

  explicit FreeMemoryReleaser(std::size_t minGrowthBytes, Allocator allocator = systemAllocator())
      : minGrowth_(minGrowthBytes), allocator_(allocator) {}

  /// True if it released memory.
  bool releaseIfGrown();

 private:
  const std::size_t minGrowth_;
  const Allocator allocator_;
  std::size_t low_ = 0;  // free bytes after the last release, or the fewest since
};

}  // namespace chatport::chat
