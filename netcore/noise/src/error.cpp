#include <chatport/noise/error.h>

namespace chatport::noise {
namespace {

class NoiseCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "chatport.noise"; }
  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
      case Error::UnsupportedProtocol: return "unsupported Noise protocol";
      case Error::NotInitialized: return "the handshake was not initialized";
      case Error::MissingStaticKey: return "the handshake pattern needs a static key pair";
      case Error::MissingPsk: return "the handshake pattern needs a pre-shared key";
      case Error::UnusedPsk: return "a pre-shared key was given to a pattern without one";
      case Error::WrongTurn: return "it is the other side's turn in the handshake";
      case Error::HandshakeComplete: return "the handshake has no more messages";
      case Error::HandshakeNotComplete: return "the handshake is not complete";
      case Error::AlreadySplit: return "the handshake was already split into transport keys";
      case Error::HandshakeFailed: return "the handshake failed earlier";
      case Error::MessageTooLong: return "message longer than 65535 bytes";
      case Error::MessageTooShort: return "message too short for the handshake pattern";
      case Error::DecryptFailed: return "message failed authentication";
      case Error::InvalidPublicKey: return "the peer's public key is invalid";
      case Error::NonceExhausted: return "no nonce left for this key";
      case Error::OutputTooSmall: return "output buffer too small";
      case Error::NoRandomness: return "the system's random generator failed";
      case Error::CryptoLibrary: return "libgcrypt is missing, too old or failed";
    }
    return "unknown Noise error";
  }
};

}  // namespace

const std::error_category& noiseCategory() noexcept {
  static const NoiseCategory category;
  return category;
}

std::error_code make_error_code(Error e) noexcept { return {static_cast<int>(e), noiseCategory()}; }

}  // namespace chatport::noise
