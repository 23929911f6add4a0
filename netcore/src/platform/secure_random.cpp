#include <chatport/net/secure_random.h>

#include <system_error>

#ifdef _WIN32
#include <windows.h>
#include <bcrypt.h>
#else
#include <cerrno>
#include <sys/random.h>
#endif

namespace chatport::net {

void fillSecureRandom(std::span<std::byte> out) {
  if (out.empty()) return;  // Windows refuses a request for nothing (seen under Wine)
#ifdef _WIN32
  // The system-preferred generator needs no algorithm handle.
  const NTSTATUS status = BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(out.data()),
                                          static_cast<ULONG>(out.size()),
                                          BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  if (status < 0)
    throw std::system_error(static_cast<int>(status), std::system_category(), "BCryptGenRandom");
#else
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    done += static_cast<std::size_t>(n);
  }
#endif
}

bool constantTimeEqual(std::span<const std::byte> a, std::span<const std::byte> b) noexcept {
  if (a.size() != b.size()) return false;
  // volatile keeps the compiler from stopping at the first difference.
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff = static_cast<unsigned char>(diff | static_cast<unsigned char>(a[i] ^ b[i]));
  return diff == 0;
}

}  // namespace chatport::net
