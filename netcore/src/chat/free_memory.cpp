#include "free_memory.h"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chatport::chat {

bool FreeMemoryReleaser::releaseIfGrown() {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // mallinfo2 counts every arena's free chunks; cheap next to the trim it may save.
  const std::size_t free = ::mallinfo2().fordblks;
  low_ = std::min(low_, free);
  if (free < low_ + minGrowth_) return false;
  ::malloc_trim(0);
  low_ = free;
  return true;
#else
  return false;
#endif
}

}  // namespace chatport::chat
