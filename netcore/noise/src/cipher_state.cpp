#include <chatport/noise/cipher_state.h>
#include <chatport/noise/secret.h>

#include "primitives.h"

#include <gcrypt.h>

#include <array>
#include <cstring>
#include <utility>

namespace chatport::noise {

namespace {

// ChaChaPoly's 96-bit nonce: 32 zero bits, then the counter little-endian (spec section 12.3).
std::array<unsigned char, 12> nonceBytes(std::uint64_t n) noexcept {
  std::array<unsigned char, 12> iv{};
  for (int i = 0; i < 8; ++i) iv[4 + i] = static_cast<unsigned char>(n >> (8 * i));
  return iv;
}

// The handle of a thread that keeps one (keepThreadCipher), opened at its first message. Both
// are trivially destructible on purpose: see releaseThreadCipher().
thread_local gcry_cipher_hd_t threadHandle = nullptr;
thread_local bool threadKeepsHandle = false;

// A handle with key loaded for one message: the thread's own, or one opened for this message.
// Either way the key does not stay in it (the thread's is given zeros, another closed).
class LoadedCipher {
 public:
  explicit LoadedCipher(std::span<const std::byte, 32> key) noexcept {
    if (threadHandle) {
      handle_ = threadHandle;
    } else if (!gcry_cipher_open(&handle_, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_POLY1305, 0)) {
      if (threadKeepsHandle) threadHandle = handle_;
    } else {
      handle_ = nullptr;
      return;
    }
    if (gcry_cipher_setkey(handle_, key.data(), key.size())) {
      release();
      handle_ = nullptr;
    }
  }
  ~LoadedCipher() {
    if (handle_) release();
  }
  LoadedCipher(const LoadedCipher&) = delete;
  LoadedCipher& operator=(const LoadedCipher&) = delete;

  /// Null if libgcrypt refused.
  gcry_cipher_hd_t get() const noexcept { return handle_; }

 private:
  void release() noexcept {
    if (handle_ == threadHandle) {
      static constexpr std::array<unsigned char, 32> kZeros{};
      gcry_cipher_setkey(handle_, kZeros.data(), kZeros.size());
    } else {
      gcry_cipher_close(handle_);  // wipes the key schedule
    }
  }

  gcry_cipher_hd_t handle_ = nullptr;
};

}  // namespace

void keepThreadCipher() noexcept { threadKeepsHandle = true; }

void releaseThreadCipher() noexcept {
  threadKeepsHandle = false;
  if (threadHandle) gcry_cipher_close(std::exchange(threadHandle, nullptr));
}

CipherState::CipherState() noexcept = default;

CipherState::~CipherState() { clearKey(); }

CipherState::CipherState(CipherState&& other) noexcept
    : key_(other.key_), hasKey_(other.hasKey_), nonce_(other.nonce_) {
  other.clearKey();
}

CipherState& CipherState::operator=(CipherState&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    hasKey_ = other.hasKey_;
    nonce_ = other.nonce_;
    other.clearKey();
  }
  return *this;
}

void CipherState::clearKey() noexcept {
  key_.wipe();
  hasKey_ = false;
  nonce_ = 0;
}

std::error_code CipherState::initializeKey(std::span<const std::byte, 32> key) noexcept {
  if (!cryptoLibraryReady()) return Error::CryptoLibrary;
  key_ = Secret<32>(key);
  hasKey_ = true;
  nonce_ = 0;
  return {};
}

std::error_code CipherState::crypt(bool encrypt, std::uint64_t nonce, std::span<const std::byte> ad,
                                   std::span<const std::byte> in, std::span<std::byte> out) noexcept {
  const LoadedCipher loaded(key_.bytes());
  gcry_cipher_hd_t h = loaded.get();
  if (!h) return Error::CryptoLibrary;
  const auto iv = nonceBytes(nonce);
  // setiv starts a new message: it derives a fresh Poly1305 key and resets the tag state.
  if (gcry_cipher_setiv(h, iv.data(), iv.size())) return Error::CryptoLibrary;
  if (!ad.empty() && gcry_cipher_authenticate(h, ad.data(), ad.size())) return Error::CryptoLibrary;
  if (encrypt) {
    // in place when out.data() == in.data(): libgcrypt's (out, in = NULL) form.
    const bool inPlace = out.data() == in.data();
    if (!in.empty() && gcry_cipher_encrypt(h, out.data(), in.size(), inPlace ? nullptr : in.data(),
                                           inPlace ? 0 : in.size()))
      return Error::CryptoLibrary;
    if (gcry_cipher_gettag(h, out.data() + in.size(), kTagSize)) return Error::CryptoLibrary;
    return {};
  }
  const std::size_t length = in.size() - kTagSize;
  const bool inPlace = out.data() == in.data();
  if (length > 0 && gcry_cipher_decrypt(h, out.data(), length, inPlace ? nullptr : in.data(),
                                        inPlace ? 0 : length))
    return Error::CryptoLibrary;
  if (gcry_cipher_checktag(h, in.data() + length, kTagSize)) {
    secureWipe(out.data(), length);
    return Error::DecryptFailed;
  }
  return {};
}

std::error_code CipherState::encryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> plaintext,
                                           std::span<std::byte> out) noexcept {
  if (out.size() < plaintext.size() + overhead()) return Error::OutputTooSmall;
  if (!hasKey_) {
    if (out.data() != plaintext.data() && !plaintext.empty())
      std::memmove(out.data(), plaintext.data(), plaintext.size());
    return {};
  }
  if (nonce_ == kMaxNonce) return Error::NonceExhausted;
  if (auto ec = crypt(true, nonce_, ad, plaintext, out)) return ec;
  ++nonce_;
  return {};
}

std::error_code CipherState::encryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> plaintext,
                                           std::vector<std::byte>& out) {
  out.resize(plaintext.size() + overhead());
  const auto ec = encryptWithAd(ad, plaintext, std::span<std::byte>(out));
  if (ec) out.clear();
  return ec;
}

std::error_code CipherState::decryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> ciphertext,
                                           std::span<std::byte> out) noexcept {
  if (!hasKey_) {
    if (out.size() < ciphertext.size()) return Error::OutputTooSmall;
    if (out.data() != ciphertext.data() && !ciphertext.empty())
      std::memmove(out.data(), ciphertext.data(), ciphertext.size());
    return {};
  }
  // Too short to hold a tag: no key could have made it.
  if (ciphertext.size() < kTagSize) return Error::DecryptFailed;
  if (out.size() < ciphertext.size() - kTagSize) return Error::OutputTooSmall;
  if (nonce_ == kMaxNonce) return Error::NonceExhausted;
  // The nonce moves only after a message authenticates, so a forged message cannot make the
  // receiver skip the real one (spec section 5.1).
  if (auto ec = crypt(false, nonce_, ad, ciphertext, out)) return ec;
  ++nonce_;
  return {};
}

std::error_code CipherState::decryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> ciphertext,
                                           std::vector<std::byte>& out) {
  const std::size_t length = hasKey_ ? (ciphertext.size() >= kTagSize ? ciphertext.size() - kTagSize : 0)
                                     : ciphertext.size();
  out.resize(length);
  const auto ec = decryptWithAd(ad, ciphertext, std::span<std::byte>(out));
  if (ec) out.clear();
  return ec;
}

std::error_code CipherState::rekey() noexcept {
  if (!hasKey_) return {};
  // REKEY(k) = ENCRYPT(k, 2^64-1, zerolen, zeros) truncated to 32 bytes; the nonce 2^64-1 is
  // reserved for exactly this, so it never collides with a message's.
  std::array<std::byte, 32 + kTagSize> block{};
  if (auto ec = crypt(true, kMaxNonce, {}, std::span<const std::byte>(block.data(), 32), block)) return ec;
  const std::uint64_t keep = nonce_;
  const auto ec = initializeKey(std::span<const std::byte, 32>(block.data(), 32));
  secureWipe(block.data(), block.size());
  nonce_ = keep;
  return ec;
}

}  // namespace chatport::noise
