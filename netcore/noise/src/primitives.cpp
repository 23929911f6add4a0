#include "primitives.h"

#include <chatport/noise/error.h>
#include <chatport/noise/secret.h>

#include <gcrypt.h>

#include <array>
#include <mutex>

namespace chatport::noise {
namespace {

// gcry_ecc_mul_point and GCRY_ECC_CURVE25519 arrived in 1.9.
constexpr const char* kMinimumVersion = "1.9.0";

}  // namespace

bool cryptoLibraryReady() noexcept {
  static std::once_flag once;
  static bool ready = false;
  std::call_once(once, [] {
    // gcry_check_version() must come first and may be called again by anyone.
    if (!gcry_check_version(kMinimumVersion)) return;
    // An application (or another library in it) may have finished initialising already; the
    // GCRYCTL_INITIALIZATION_FINISHED_P query is the documented way for a library to ask.
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
      // No secure-memory pool: libgcrypt's is a small fixed mlock()ed area meant for a few
      // long-lived keys, and two cipher handles per connection would exhaust it with a few
      // hundred joiners. This module wipes what it holds instead (secret.h); keeping keys
      // out of swap is left to the system (encrypted swap), as the threat model notes.
      gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
      gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    // libgcrypt 1.10 caches each curve's field prime in a global table the first time the
    // curve is used, without a lock: two threads doing their first X25519 at once each store
    // one, and one leaks (LeakSanitizer saw it when two hosts started together). One
    // operation here, under the once-flag, fills the table before any thread races for it.
    std::array<unsigned char, kKeySize> scalar{1}, point{9}, result{};
    gcry_ecc_mul_point(GCRY_ECC_CURVE25519, result.data(), scalar.data(), point.data());
    ready = true;
  });
  return ready;
}

namespace detail {
namespace {

int mdAlgorithm(HashAlgorithm hash) noexcept {
  return hash == HashAlgorithm::Blake2b ? GCRY_MD_BLAKE2B_512 : GCRY_MD_SHA256;
}

// gcry_md_hash_buffers() takes the parts as an iovec array; a handshake never hashes more
// than four parts at once (HMAC key, previous output, data, counter byte).
constexpr std::size_t kMaxParts = 4;

}  // namespace

std::error_code x25519(std::span<std::byte, kKeySize> out, std::span<const std::byte, kKeySize> secret,
                       std::span<const std::byte, kKeySize> publicKey) noexcept {
  if (!cryptoLibraryReady()) return Error::CryptoLibrary;
  // libgcrypt clamps the scalar itself (RFC 7748 decodeScalar25519) and masks the top bit of
  // the point, as X25519 requires.
  const gpg_error_t err = gcry_ecc_mul_point(GCRY_ECC_CURVE25519, reinterpret_cast<unsigned char*>(out.data()),
                                             reinterpret_cast<const unsigned char*>(secret.data()),
                                             reinterpret_cast<const unsigned char*>(publicKey.data()));
  if (err) {
    secureWipe(out.data(), out.size());
    return Error::InvalidPublicKey;
  }
  // libgcrypt returns zeros for the low-order points rather than an error. Check without
  // branching on the secret bytes.
  unsigned char any = 0;
  for (std::byte b : out) any = static_cast<unsigned char>(any | static_cast<unsigned char>(b));
  if (any == 0) return Error::InvalidPublicKey;
  return {};
}

std::error_code x25519Base(std::span<std::byte, kKeySize> out, std::span<const std::byte, kKeySize> secret) noexcept {
  std::array<std::byte, kKeySize> basePoint{};
  basePoint[0] = std::byte{9};
  return x25519(out, secret, basePoint);
}

std::size_t hashSize(HashAlgorithm hash) noexcept { return hash == HashAlgorithm::Blake2b ? 64 : 32; }

namespace {

std::error_code hashParts(HashAlgorithm hash, unsigned flags, std::span<const std::byte> key,
                          std::initializer_list<std::span<const std::byte>> parts, std::span<std::byte> out) noexcept {
  if (!cryptoLibraryReady()) return Error::CryptoLibrary;
  if (out.size() < hashSize(hash) || parts.size() > kMaxParts) return Error::OutputTooSmall;
  std::array<gcry_buffer_t, kMaxParts + 1> iov{};
  std::size_t count = 0;
  auto add = [&](std::span<const std::byte> part) {
    // gcry_buffer_t's data is not const, but gcry_md_hash_buffers only reads it.
    iov[count].data = const_cast<std::byte*>(part.data());
    iov[count].len = part.size();
    ++count;
  };
  // With GCRY_MD_FLAG_HMAC the first buffer is the key.
  if (flags & GCRY_MD_FLAG_HMAC) add(key);
  for (auto part : parts) add(part);
  const gpg_error_t err = gcry_md_hash_buffers(mdAlgorithm(hash), flags, out.data(), iov.data(), static_cast<int>(count));
  return err ? make_error_code(Error::CryptoLibrary) : std::error_code{};
}

}  // namespace

std::error_code hash(HashAlgorithm hash, std::initializer_list<std::span<const std::byte>> parts,
                     std::span<std::byte> out) noexcept {
  return hashParts(hash, 0, {}, parts, out);
}

std::error_code hmac(HashAlgorithm hash, std::span<const std::byte> key,
                     std::initializer_list<std::span<const std::byte>> parts, std::span<std::byte> out) noexcept {
  return hashParts(hash, GCRY_MD_FLAG_HMAC, key, parts, out);
}

std::error_code hkdf(HashAlgorithm hash, std::span<const std::byte> chainingKey,
                     std::span<const std::byte> inputKeyMaterial,
                     std::initializer_list<std::span<std::byte>> outputs) noexcept {
  const std::size_t n = hashSize(hash);
  if (outputs.size() < 2 || outputs.size() > 3) return Error::OutputTooSmall;
  for (auto out : outputs)
    if (out.size() < n) return Error::OutputTooSmall;
  Secret<64> tempKey;
  const auto temp = tempKey.mutableBytes().first(n);
  if (auto ec = hmac(hash, chainingKey, {inputKeyMaterial}, temp)) return ec;
  // output1 = HMAC(temp, 0x01); output_i = HMAC(temp, output_{i-1} || i)
  std::span<const std::byte> previous;
  std::byte counter{1};
  for (auto out : outputs) {
    const std::span<const std::byte> counterByte(&counter, 1);
    if (auto ec = previous.empty() ? hmac(hash, temp, {counterByte}, out.first(n))
                                   : hmac(hash, temp, {previous, counterByte}, out.first(n)))
      return ec;
    previous = out.first(n);
    counter = static_cast<std::byte>(static_cast<unsigned>(counter) + 1);
  }
  return {};
}

}  // namespace detail
}  // namespace chatport::noise
