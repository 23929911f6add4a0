#pragma once
// Handing memory the allocator holds free back to the system after a surge.

#include <cstddef>

namespace chatport::chat {

/// glibc keeps memory that a thread frees in that thread's arena and gives back by itself only
/// the top of each arena. After a surge (a storm of joins, a flood queued for slow readers),
/// the short-lived frames and queues are freed between long-lived per-connection objects, so a
/// host holding thousands of idle connections would keep the surge's peak resident. When more
/// than minFreeBytes lie free, this returns their pages to the system (malloc_trim) and
/// answers true. Elsewhere (other C libraries, sanitizer allocators) it does nothing and
/// answers false. It briefly locks each arena: call it when the process is quiet.
bool releaseFreeMemory(std::size_t minFreeBytes);

}  // namespace chatport::chat
