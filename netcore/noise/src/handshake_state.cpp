#include <chatport/noise/handshake_state.h>

#include "primitives.h"

#include <array>
#include <cstdint>
#include <new>

namespace chatport::noise {
namespace {

enum class Token : std::uint8_t { E, S, EE, ES, SE, SS, Psk };

using MessagePattern = std::span<const Token>;

// The patterns of spec sections 7.5 and 9.4. Message i is the initiator's when i is even.
constexpr Token kE[] = {Token::E};
constexpr Token kEEe[] = {Token::E, Token::EE};
constexpr Token kEEeSEs[] = {Token::E, Token::EE, Token::S, Token::ES};
constexpr Token kSSe[] = {Token::S, Token::SE};
constexpr Token kSSePsk[] = {Token::S, Token::SE, Token::Psk};

struct PatternSpec {
  std::array<MessagePattern, 3> messages;
  std::size_t count;
  bool usesPsk;  // then every "e" token also does MixKey(e.public_key) (spec section 9.2)
};

const PatternSpec& patternSpec(Pattern pattern) noexcept {
  static const PatternSpec kNN{{MessagePattern(kE), MessagePattern(kEEe), {}}, 2, false};
  static const PatternSpec kXXSpec{{MessagePattern(kE), MessagePattern(kEEeSEs), MessagePattern(kSSe)}, 3, false};
  static const PatternSpec kXXpsk3Spec{{MessagePattern(kE), MessagePattern(kEEeSEs), MessagePattern(kSSePsk)}, 3, true};
  switch (pattern) {
    case Pattern::NN: return kNN;
    case Pattern::XX: return kXXSpec;
    case Pattern::XXpsk3: return kXXpsk3Spec;
  }
  return kXXSpec;
}

bool sendsStatic(const PatternSpec& spec, Role role) noexcept {
  for (std::size_t i = role == Role::Initiator ? 0 : 1; i < spec.count; i += 2)
    for (Token t : spec.messages[i])
      if (t == Token::S) return true;
  return false;
}

}  // namespace

std::error_code HandshakeState::setPsk(const Psk& psk) {
  if (!initialized_ || failed_ || split_) return Error::NotInitialized;
  if (!patternSpec(protocol_.pattern).usesPsk) return Error::UnusedPsk;
  psk_ = psk;
  return {};
}

std::error_code HandshakeState::initialize(const HandshakeConfig& config) {
  *this = HandshakeState();
  const PatternSpec& spec = patternSpec(config.protocol.pattern);
  if (sendsStatic(spec, config.role) && !config.localStatic) return Error::MissingStaticKey;
  if (spec.usesPsk && !config.psk && !config.pskLater) return Error::MissingPsk;
  if (!spec.usesPsk && config.psk) return Error::UnusedPsk;
  protocol_ = config.protocol;
  role_ = config.role;
  s_ = config.localStatic;
  psk_ = config.psk;
  ephemeralForTests_ = config.ephemeralForTests;
  if (auto ec = symmetric_.initialize(protocol_)) return ec;
  if (auto ec = symmetric_.mixHash(config.prologue)) return ec;
  // NN and XX have no pre-messages, so nothing else is hashed before the first message.
  initialized_ = true;
  return {};
}

bool HandshakeState::isComplete() const noexcept {
  return initialized_ && nextMessage_ >= patternSpec(protocol_.pattern).count;
}

bool HandshakeState::isMyTurnToWrite() const noexcept {
  if (!initialized_ || failed_ || isComplete()) return false;
  return (nextMessage_ % 2 == 0) == (role_ == Role::Initiator);
}

std::error_code HandshakeState::checkTurn(bool writing) const noexcept {
  if (!initialized_) return Error::NotInitialized;
  if (failed_) return Error::HandshakeFailed;
  if (isComplete()) return Error::HandshakeComplete;
  const bool mine = (nextMessage_ % 2 == 0) == (role_ == Role::Initiator);
  if (mine != writing) return Error::WrongTurn;
  return {};
}

std::error_code HandshakeState::fail(std::error_code ec) {
  failed_ = true;
  remoteStatic_.reset();
  wipeSecrets();
  return ec;
}

void HandshakeState::wipeSecrets() noexcept {
  // KeyPair, Psk and SymmetricState wipe themselves when replaced. A failed handshake keeps
  // nothing, not even h: there is no session for it to name.
  s_.reset();
  e_.reset();
  ephemeralForTests_.reset();
  psk_.reset();
  symmetric_ = SymmetricState();
}

std::size_t HandshakeState::messageOverhead() const noexcept {
  // The bytes the next message carries besides its payload: the same walk through the tokens
  // as writeMessage/readMessage, tracking only whether a key is set.
  const PatternSpec& spec = patternSpec(protocol_.pattern);
  bool keyed = symmetric_.hasKey();
  std::size_t size = 0;
  for (Token t : spec.messages[nextMessage_]) {
    switch (t) {
      case Token::E:
        size += kKeySize;
        if (spec.usesPsk) keyed = true;
        break;
      case Token::S: size += kKeySize + (keyed ? kTagSize : 0); break;
      default: keyed = true; break;  // every DH and the psk token call MixKey
    }
  }
  return size + (keyed ? kTagSize : 0);
}

std::error_code HandshakeState::dh(std::span<const std::byte> secret, const PublicKey& remote) {
  Secret<kKeySize> shared;
  if (secret.size() != kKeySize) return Error::CryptoLibrary;
  if (auto ec = detail::x25519(shared.mutableBytes(), secret.first<kKeySize>(), remote)) return ec;
  return symmetric_.mixKey(shared.bytes());
}

std::error_code HandshakeState::writeMessage(std::span<const std::byte> payload, std::vector<std::byte>& message) {
  message.clear();
  if (auto ec = checkTurn(true)) return ec;
  const std::size_t overhead = messageOverhead();
  if (payload.size() > kMaxMessageSize || overhead + payload.size() > kMaxMessageSize) return Error::MessageTooLong;
  message.reserve(overhead + payload.size());

  const PatternSpec& spec = patternSpec(protocol_.pattern);
  const bool initiator = role_ == Role::Initiator;
  for (Token t : spec.messages[nextMessage_]) {
    std::error_code ec;
    switch (t) {
      case Token::E:
        if (ephemeralForTests_) {
          e_ = std::move(ephemeralForTests_);
          ephemeralForTests_.reset();
        } else {
          try {
            e_ = KeyPair::generate();
          } catch (const std::bad_alloc&) {
            return fail(Error::CryptoLibrary);
          } catch (...) {
            return fail(Error::NoRandomness);
          }
        }
        message.insert(message.end(), e_->publicKey().begin(), e_->publicKey().end());
        ec = symmetric_.mixHash(e_->publicKey());
        if (!ec && spec.usesPsk) ec = symmetric_.mixKey(e_->publicKey());
        break;
      case Token::S: ec = symmetric_.encryptAndHash(s_->publicKey(), message); break;
      case Token::EE: ec = dh(e_->secretKey().bytes(), *remoteEphemeral_); break;
      case Token::ES:
        ec = initiator ? dh(e_->secretKey().bytes(), *remoteStatic_) : dh(s_->secretKey().bytes(), *remoteEphemeral_);
        break;
      case Token::SE:
        ec = initiator ? dh(s_->secretKey().bytes(), *remoteEphemeral_) : dh(e_->secretKey().bytes(), *remoteStatic_);
        break;
      case Token::SS: ec = dh(s_->secretKey().bytes(), *remoteStatic_); break;
      case Token::Psk: ec = psk_ ? symmetric_.mixKeyAndHash(psk_->bytes()) : Error::MissingPsk; break;
    }
    if (ec) {
      message.clear();
      return fail(ec);
    }
  }
  if (auto ec = symmetric_.encryptAndHash(payload, message)) {
    message.clear();
    return fail(ec);
  }
  ++nextMessage_;
  return {};
}

std::error_code HandshakeState::readMessage(std::span<const std::byte> message, std::vector<std::byte>& payload) {
  payload.clear();
  if (auto ec = checkTurn(false)) return ec;
  // From here on the bytes are the peer's: whatever is wrong with them ends the handshake.
  if (message.size() > kMaxMessageSize) return fail(Error::MessageTooLong);
  if (message.size() < messageOverhead()) return fail(Error::MessageTooShort);

  const PatternSpec& spec = patternSpec(protocol_.pattern);
  const bool initiator = role_ == Role::Initiator;
  std::vector<std::byte> scratch;
  for (Token t : spec.messages[nextMessage_]) {
    std::error_code ec;
    switch (t) {
      case Token::E: {
        PublicKey re;
        std::copy_n(message.begin(), kKeySize, re.begin());
        message = message.subspan(kKeySize);
        remoteEphemeral_ = re;
        ec = symmetric_.mixHash(re);
        if (!ec && spec.usesPsk) ec = symmetric_.mixKey(re);
        break;
      }
      case Token::S: {
        const std::size_t size = kKeySize + (symmetric_.hasKey() ? kTagSize : 0);
        scratch.clear();
        ec = symmetric_.decryptAndHash(message.first(size), scratch);
        message = message.subspan(size);
        if (!ec) {
          PublicKey rs;
          std::copy_n(scratch.begin(), kKeySize, rs.begin());
          remoteStatic_ = rs;
        }
        break;
      }
      case Token::EE: ec = dh(e_->secretKey().bytes(), *remoteEphemeral_); break;
      case Token::ES:
        ec = initiator ? dh(e_->secretKey().bytes(), *remoteStatic_) : dh(s_->secretKey().bytes(), *remoteEphemeral_);
        break;
      case Token::SE:
        ec = initiator ? dh(s_->secretKey().bytes(), *remoteEphemeral_) : dh(e_->secretKey().bytes(), *remoteStatic_);
        break;
      case Token::SS: ec = dh(s_->secretKey().bytes(), *remoteStatic_); break;
      case Token::Psk: ec = psk_ ? symmetric_.mixKeyAndHash(psk_->bytes()) : Error::MissingPsk; break;
    }
    if (ec) return fail(ec);
  }
  if (auto ec = symmetric_.decryptAndHash(message, payload)) {
    payload.clear();
    return fail(ec);
  }
  ++nextMessage_;
  return {};
}

std::error_code HandshakeState::split(CipherState& send, CipherState& receive) {
  if (!initialized_) return Error::NotInitialized;
  if (failed_) return Error::HandshakeFailed;
  if (split_) return Error::AlreadySplit;
  if (!isComplete()) return Error::HandshakeNotComplete;
  CipherState c1;
  CipherState c2;
  if (auto ec = symmetric_.split(c1, c2)) return fail(ec);
  if (role_ == Role::Initiator) {
    send = std::move(c1);
    receive = std::move(c2);
  } else {
    send = std::move(c2);
    receive = std::move(c1);
  }
  split_ = true;
  // Only h and the peer's static key remain: the transport keys now live in send and receive.
  s_.reset();
  e_.reset();
  ephemeralForTests_.reset();
  psk_.reset();
  return {};
}

}  // namespace chatport::noise
