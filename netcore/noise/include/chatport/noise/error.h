#pragma once
// Errors of the Noise module. Every failure comes back as a std::error_code, never as an
// exception: a peer's bad bytes are ordinary input, and a failed decryption is an answer.

#include <string>
#include <system_error>

namespace chatport::noise {

enum class Error {
  UnsupportedProtocol = 1,  ///< the protocol name is not one this module implements
  NotInitialized,           ///< the handshake was used before initialize() succeeded
  MissingStaticKey,         ///< the pattern sends this side's static key and none was given
  MissingPsk,               ///< the pattern mixes a pre-shared key and none was given
  UnusedPsk,                ///< a pre-shared key was given to a pattern that would ignore it
  WrongTurn,                ///< writeMessage() when a message should be read, or the reverse
  HandshakeComplete,        ///< every handshake message has been written or read already
  HandshakeNotComplete,     ///< split() before the last handshake message
  AlreadySplit,             ///< split() was called before: its keys are gone
  HandshakeFailed,          ///< an earlier error ended this handshake; start a new one
  MessageTooLong,           ///< over the 65535 bytes a Noise message may have
  MessageTooShort,          ///< fewer bytes than the keys and tags the pattern puts there
  DecryptFailed,            ///< authentication failed: wrong key, altered or replayed message
  InvalidPublicKey,         ///< the peer's key gives an all-zero shared secret (low order)
  NonceExhausted,           ///< 2^64-1 messages with one key: nonces would repeat
  OutputTooSmall,           ///< the caller's buffer cannot hold the result
  NoRandomness,             ///< the system's random generator refused
  CryptoLibrary,            ///< libgcrypt missing, too old, or failed unexpectedly
};

const std::error_category& noiseCategory() noexcept;
std::error_code make_error_code(Error e) noexcept;

}  // namespace chatport::noise

template <>
struct std::is_error_code_enum<chatport::noise::Error> : std::true_type {};
