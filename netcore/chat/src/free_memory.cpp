#include "free_memory.h"

#include <chatport/chat/chat_core.h>

#include <algorithm>

// glibc's allocator, where no sanitizer has replaced it.
#if defined(__GLIBC__) && !defined(CHATPORT_SANITIZED)
#define CHATPORT_GLIBC_MALLOC 1
#include <malloc.h>
#endif

namespace chatport::chat {

void useOneHeap() noexcept {
#ifdef CHATPORT_GLIBC_MALLOC
  // glibc fixes its limit once threads have made arenas of their own; set before, it holds.
  ::mallopt(M_ARENA_MAX, 1);
#endif
}

FreeMemoryReleaser::Allocator FreeMemoryReleaser::systemAllocator() noexcept {
#ifdef CHATPORT_GLIBC_MALLOC
  // mallinfo2 counts every arena's free chunks; cheap next to the trim it may save.
  return {[] { return ::mallinfo2().fordblks; }, [] { ::malloc_trim(0); },
          [] { return ::mallinfo2().uordblks; }};
#else
  return {};
#endif
}

bool FreeMemoryReleaser::releaseIfGrown() {
  if (!allocator_.freeBytes || !allocator_.release) return false;
  const auto distance = [](std::size_t x, std::size_t y) { return x > y ? x - y : y - x; };
  const std::size_t free = allocator_.freeBytes();
  low_ = std::min(low_, free);
  const bool knowsInUse = allocator_.inUseBytes != nullptr;
  const std::size_t inUse = knowsInUse ? allocator_.inUseBytes() : 0;
  if (free >= low_ + minGrowth_ || distance(inUse, inUseAtRelease_) >= minGrowth_) surge_ = true;
  const bool settled = !knowsInUse || (seen_ && distance(inUse, lastInUse_) < minGrowth_ / 8);
  lastInUse_ = inUse;
  seen_ = true;
  const bool tail = tailCalls_ > 0 && free >= low_ + minGrowth_ / 8;
  if (tailCalls_ > 0) --tailCalls_;
  if ((!surge_ && !tail) || !settled) return false;
  allocator_.release();
  tailCalls_ = surge_ ? kTailCalls : 0;  // a surge's release may have a tail; the tail's has none
  low_ = free;
  inUseAtRelease_ = inUse;
  surge_ = false;
  return true;
}

}  // namespace chatport::chat
