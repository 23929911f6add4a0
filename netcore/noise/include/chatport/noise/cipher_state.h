#pragma once
// CipherState (Noise section 5.1): a ChaCha20-Poly1305 key and a 64-bit nonce counter. After
// the handshake each direction of a connection has one; each message uses the next nonce, so
// a replayed, dropped or reordered message fails to decrypt.
//
// Nonce on the wire of the cipher: 4 zero bytes, then the 64-bit counter little-endian (the
// spec's ChaChaPoly). The counter value 2^64-1 is never used: at it both directions refuse
// (Error::NonceExhausted) rather than repeat a nonce.
//
// Not thread-safe: one thread at a time (a connection's loop thread).
//
// A CipherState holds its 32-byte key, not a libgcrypt cipher handle (about 1.2 KB each, and a
// host keeps two CipherStates per joiner). The handle belongs to the thread that seals or opens:
// a thread that keeps one (ThreadCipherScope, or keepThreadCipher() and releaseThreadCipher()
// around its work, as the chat engine's loop threads do) loads a message's key into it for that
// message and replaces it with zeros after. Any other thread opens a handle for the message and
// closes it again: the same result, a little slower, and nothing left when the thread ends.

#include <chatport/noise/error.h>
#include <chatport/noise/secret.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <vector>

namespace chatport::noise {

/// This thread keeps one cipher handle from its next message on, until releaseThreadCipher().
/// Call both on the same thread; a thread that keeps a handle must release it before it ends
/// (the handle is not released at thread exit: see releaseThreadCipher()).
void keepThreadCipher() noexcept;
/// Closes this thread's handle, if it kept one; from then on each message opens its own.
/// Called explicitly, never from a thread_local's destructor: mingw-w64's emulated TLS frees
/// thread_local storage before those destructors run.
void releaseThreadCipher() noexcept;

/// keepThreadCipher() for the life of a scope on one thread.
class ThreadCipherScope {
 public:
  ThreadCipherScope() noexcept { keepThreadCipher(); }
  ~ThreadCipherScope() { releaseThreadCipher(); }
  ThreadCipherScope(const ThreadCipherScope&) = delete;
  ThreadCipherScope& operator=(const ThreadCipherScope&) = delete;
};

inline constexpr std::size_t kTagSize = 16;
/// No Noise message, handshake or transport, may be longer (spec section 3).
inline constexpr std::size_t kMaxMessageSize = 65535;
/// The largest plaintext one transport message carries.
inline constexpr std::size_t kMaxPlaintextSize = kMaxMessageSize - kTagSize;

class CipherState {
 public:
  static constexpr std::uint64_t kMaxNonce = ~std::uint64_t{0};

  CipherState() noexcept;
  ~CipherState();
  CipherState(CipherState&& other) noexcept;
  CipherState& operator=(CipherState&& other) noexcept;
  CipherState(const CipherState&) = delete;
  CipherState& operator=(const CipherState&) = delete;

  /// Sets the key and resets the nonce to 0.
  std::error_code initializeKey(std::span<const std::byte, 32> key) noexcept;
  /// Forgets the key (wiped): encryption then passes plaintext through, as the spec's
  /// "empty" key does during the first handshake messages.
  void clearKey() noexcept;
  bool hasKey() const noexcept { return hasKey_; }
  /// The nonce the next message will use.
  std::uint64_t nonce() const noexcept { return nonce_; }
  /// For tests and the spec's SetNonce(); a transport never moves its nonce by hand.
  void setNonce(std::uint64_t n) noexcept { nonce_ = n; }

  /// Encrypts plaintext with associated data ad into out, which must hold
  /// plaintext.size() + overhead() bytes; out may be exactly plaintext's storage (in place)
  /// but must not overlap it otherwise. Without a key, copies plaintext.
  std::error_code encryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> plaintext,
                                std::span<std::byte> out) noexcept;
  /// The same into a vector, resized to fit (out must not be plaintext's storage).
  std::error_code encryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> plaintext,
                                std::vector<std::byte>& out);
  /// Decrypts and authenticates; out must hold ciphertext.size() - overhead() bytes (in place
  /// allowed, as above). On failure out holds zeros, the nonce stays where it was, and the
  /// result is Error::DecryptFailed.
  std::error_code decryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> ciphertext,
                                std::span<std::byte> out) noexcept;
  std::error_code decryptWithAd(std::span<const std::byte> ad, std::span<const std::byte> ciphertext,
                                std::vector<std::byte>& out);

  /// Replaces the key with one derived from it (spec section 11.3: the first 32 bytes of the
  /// encryption of 32 zeros at nonce 2^64-1). The nonce is kept. Both sides must rekey at the
  /// same point in the message stream; when is the application's rule.
  std::error_code rekey() noexcept;

  /// Bytes a message grows by when encrypted: kTagSize with a key, 0 without.
  std::size_t overhead() const noexcept { return hasKey_ ? kTagSize : 0; }

 private:
  std::error_code crypt(bool encrypt, std::uint64_t nonce, std::span<const std::byte> ad,
                        std::span<const std::byte> in, std::span<std::byte> out) noexcept;

  Secret<32> key_;  // wiped when forgotten or replaced
  bool hasKey_ = false;
  std::uint64_t nonce_ = 0;
};

}  // namespace chatport::noise
