#include "system_random_probe.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace chatport::chat::test {
namespace {

std::mutex recordedMutex;
std::vector<std::string> recorded;  // guarded by recordedMutex; bounded below

#if defined(__linux__)
void remember(const void* data, std::size_t size) {
  std::lock_guard lock(recordedMutex);
  if (recorded.size() < 100000) recorded.emplace_back(static_cast<const char*>(data), size);
}
#endif

}  // namespace

bool cameFromSystemRandom(std::span<const std::byte> bytes) {
  const std::string_view wanted(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::lock_guard lock(recordedMutex);
  return std::any_of(recorded.begin(), recorded.end(), [&](const std::string& r) {
    return r.find(wanted) != std::string::npos;
  });
}

#if defined(__linux__)
bool systemRandomProbeAvailable() { return true; }
#else
bool systemRandomProbeAvailable() { return false; }
#endif

}  // namespace chatport::chat::test

#if defined(__linux__)
extern "C" ssize_t getrandom(void* buffer, size_t length, unsigned int flags) {
  const long n = ::syscall(SYS_getrandom, buffer, length, flags);
  if (n > 0) chatport::chat::test::remember(buffer, static_cast<std::size_t>(n));
  return n;
}
#endif
