#include "free_memory.h"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chatport::chat {

FreeMemoryReleaser::Allocator FreeMemoryReleaser::systemAllocator() noexcept {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // mallinfo2 counts every arena's free chunks; cheap next to the trim it may save.
  return {[] { return ::mallinfo2().fordblks; }, [] { ::malloc_trim(0); }};
#else
  return {};
#endif
}

bool FreeMemoryReleaser::releaseIfGrown() {
  if (!allocator_.freeBytes || !allocator_.release) return false;
  const std::size_t free = allocator_.freeBytes();
  low_ = std::min(low_, free);
  if (free < low_ + minGrowth_) return false;
  allocator_.release();
  low_ = free;
  return true;
}

}  // namespace chatport::chat
