#include <chatport/noise/symmetric_state.h>

#include "primitives.h"

#include <algorithm>
#include <cstring>

namespace chatport::noise {
namespace {

// Cipher keys are 32 bytes; with a 64-byte hash the spec truncates HKDF's outputs.
std::span<const std::byte, 32> cipherKey(std::span<const std::byte> hkdfOutput) noexcept {
  return hkdfOutput.first<32>();
}

}  // namespace

std::error_code SymmetricState::initialize(const Protocol& protocol) noexcept {
  hash_ = protocol.hash;
  hashSize_ = detail::hashSize(hash_);
  ck_.wipe();
  h_.fill(std::byte{0});
  cipher_.clearKey();
  std::string name;
  try {
    name = protocol.name();
  } catch (...) {
    return Error::CryptoLibrary;  // out of memory for a 40-byte string
  }
  const auto nameBytes = std::as_bytes(std::span<const char>(name.data(), name.size()));
  if (nameBytes.size() <= hashSize_) {
    // Short names are used as they are, zero-padded to HASHLEN.
    std::copy(nameBytes.begin(), nameBytes.end(), h_.begin());
  } else if (auto ec = detail::hash(hash_, {nameBytes}, std::span<std::byte>(h_).first(hashSize_))) {
    return ec;
  }
  std::copy_n(h_.begin(), hashSize_, ck_.mutableBytes().begin());
  return {};
}

std::error_code SymmetricState::mixHash(std::span<const std::byte> data) noexcept {
  std::array<std::byte, kMaxHashSize> next{};
  if (auto ec = detail::hash(hash_, {handshakeHash(), data}, std::span<std::byte>(next).first(hashSize_))) return ec;
  h_ = next;
  return {};
}

std::error_code SymmetricState::mixKey(std::span<const std::byte> inputKeyMaterial) noexcept {
  Secret<kMaxHashSize> tempK;
  const auto ck = ck_.mutableBytes().first(hashSize_);
  if (auto ec = detail::hkdf(hash_, ck, inputKeyMaterial, {ck, tempK.mutableBytes().first(hashSize_)})) return ec;
  return cipher_.initializeKey(cipherKey(tempK.bytes()));
}

std::error_code SymmetricState::mixKeyAndHash(std::span<const std::byte> inputKeyMaterial) noexcept {
  Secret<kMaxHashSize> tempH;
  Secret<kMaxHashSize> tempK;
  const auto ck = ck_.mutableBytes().first(hashSize_);
  if (auto ec = detail::hkdf(hash_, ck, inputKeyMaterial,
                             {ck, tempH.mutableBytes().first(hashSize_), tempK.mutableBytes().first(hashSize_)}))
    return ec;
  if (auto ec = mixHash(tempH.bytes().first(hashSize_))) return ec;
  return cipher_.initializeKey(cipherKey(tempK.bytes()));
}

std::error_code SymmetricState::encryptAndHash(std::span<const std::byte> plaintext, std::vector<std::byte>& out) {
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + cipher_.overhead());
  const auto ciphertext = std::span<std::byte>(out).subspan(start);
  if (auto ec = cipher_.encryptWithAd(handshakeHash(), plaintext, ciphertext)) {
    out.resize(start);
    return ec;
  }
  return mixHash(ciphertext);
}

std::error_code SymmetricState::decryptAndHash(std::span<const std::byte> ciphertext, std::vector<std::byte>& out) {
  const std::size_t overhead = cipher_.overhead();
  if (ciphertext.size() < overhead) return Error::DecryptFailed;
  const std::size_t start = out.size();
  out.resize(start + ciphertext.size() - overhead);
  // h before the ciphertext is mixed in is the associated data; mix only once it authenticated.
  if (auto ec = cipher_.decryptWithAd(handshakeHash(), ciphertext, std::span<std::byte>(out).subspan(start))) {
    out.resize(start);
    return ec;
  }
  return mixHash(ciphertext);
}

std::error_code SymmetricState::split(CipherState& c1, CipherState& c2) noexcept {
  Secret<kMaxHashSize> tempK1;
  Secret<kMaxHashSize> tempK2;
  if (auto ec = detail::hkdf(hash_, ck_.bytes().first(hashSize_), {},
                             {tempK1.mutableBytes().first(hashSize_), tempK2.mutableBytes().first(hashSize_)}))
    return ec;
  if (auto ec = c1.initializeKey(cipherKey(tempK1.bytes()))) return ec;
  if (auto ec = c2.initializeKey(cipherKey(tempK2.bytes()))) return ec;
  ck_.wipe();
  cipher_.clearKey();
  return {};
}

}  // namespace chatport::noise
