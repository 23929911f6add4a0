#include <chatport/noise/secret.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <string.h>
#endif

namespace chatport::noise {

void secureWipe(void* p, std::size_t n) noexcept {
  if (n == 0) return;
#ifdef _WIN32
  SecureZeroMemory(p, n);
#else
  explicit_bzero(p, n);
#endif
}

}  // namespace chatport::noise
