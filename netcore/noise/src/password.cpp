#include <chatport/noise/password.h>

#include <chatport/noise/error.h>

#include "primitives.h"

#include <gcrypt.h>

namespace chatport::noise {

std::error_code derivePsk(std::string_view password, std::span<const std::byte> salt,
                          const PasswordCost& cost, Psk& out) {
  if (!cryptoLibraryReady()) return Error::CryptoLibrary;
  if (cost.memoryKiB < kMinPasswordCost.memoryKiB || cost.memoryKiB > kMaxPasswordCost.memoryKiB ||
      cost.iterations < kMinPasswordCost.iterations || cost.iterations > kMaxPasswordCost.iterations)
    return Error::CryptoLibrary;
  // RFC 9106 parameters, in libgcrypt's order: tag length, passes, memory (KiB), lanes.
  const unsigned long params[4] = {kKeySize, cost.iterations, cost.memoryKiB, 1};
  gcry_kdf_hd_t handle = nullptr;
  gcry_error_t err = gcry_kdf_open(&handle, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, params, 4,
                                   password.data(), password.size(), salt.data(), salt.size(),
                                   nullptr, 0, nullptr, 0);
  if (!err) err = gcry_kdf_compute(handle, nullptr);
  if (!err) err = gcry_kdf_final(handle, kKeySize, out.mutableBytes().data());
  if (handle) gcry_kdf_close(handle);
  if (err) {
    out.wipe();
    return Error::CryptoLibrary;
  }
  return {};
}

}  // namespace chatport::noise
