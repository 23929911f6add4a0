#include "free_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chatport::chat {

bool releaseFreeMemory(std::size_t minFreeBytes) {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // mallinfo2 counts every arena's free chunks; cheap next to the trim it may save.
  const struct mallinfo2 info = ::mallinfo2();
  if (info.fordblks < minFreeBytes) return false;
  ::malloc_trim(0);
  return true;
#else
  (void)minFreeBytes;
  return false;
#endif
}

}  // namespace chatport::chat
