// Linked into the UI tests of a clang ThreadSanitizer build only (tests/ui/CMakeLists.txt).
//
// QProcess starts a program the way vfork does: clone(CLONE_VM | CLONE_VFORK), the child sharing
// the parent's memory until it execs. Clang 14's ThreadSanitizer handles every clone as a fork:
// the child, in that shared memory, takes over the parent thread's state, and the parent then
// stops on "CHECK failed: ... !thr->slot". A vfork child runs no code of ours before it execs,
// so there is nothing for the tool to watch: such a clone goes straight to the C library, and any
// other clone to the tool's own handler. The tool defines its clone weakly so that this one can
// take its place.
#include <dlfcn.h>
#include <sched.h>
#include <sys/types.h>

#include <cstdarg>

extern "C" {

int __interceptor_clone(int (*fn)(void*), void* stack, int flags, void* arg, int* parentTid,
                        void* tls, pid_t* childTid);

int clone(int (*fn)(void*), void* stack, int flags, void* arg, ...) noexcept {
  va_list rest;
  va_start(rest, arg);
  auto* parentTid = va_arg(rest, int*);
  auto* tls = va_arg(rest, void*);
  auto* childTid = va_arg(rest, pid_t*);
  va_end(rest);
  if ((flags & CLONE_VM) == 0) {
    return __interceptor_clone(fn, stack, flags, arg, parentTid, tls, childTid);
  }
  using Clone = int (*)(int (*)(void*), void*, int, void*, ...);
  static const auto libcClone = reinterpret_cast<Clone>(dlsym(RTLD_NEXT, "clone"));
  return libcClone(fn, stack, flags, arg, parentTid, tls, childTid);
}

}  // extern "C"
