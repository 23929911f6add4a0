#pragma once
// HandshakeState (Noise section 5.3): one side of one handshake, as a pure state machine. It
// never touches a socket or a clock: the caller carries each message to the peer (framing is
// the caller's), and the published test vectors drive it byte for byte.
//
//   HandshakeState hs;
//   hs.initialize({.protocol = kXX, .role = Role::Initiator, .localStatic = myKeys});
//   hs.writeMessage(payload, msg)  ->  peer        (-> e)
//   hs.readMessage(fromPeer, payload)              (<- e, ee, s, es: remoteStatic() known)
//   hs.writeMessage(payload, msg)  ->  peer        (-> s, se)
//   hs.split(send, receive)                        transport from here on
//
// Whatever is wrong with the peer's bytes (readMessage) ends the handshake, and so does a
// failure once writeMessage() has started changing the state: later calls return
// Error::HandshakeFailed. The application then closes the connection and tells the peer
// nothing about why. A call refused before it changes anything (WrongTurn, MessageTooLong
// from writeMessage, NotInitialized) leaves the handshake as it was.
//
// Not thread-safe: one thread at a time (a connection's loop thread).

#include <chatport/noise/cipher_state.h>
#include <chatport/noise/error.h>
#include <chatport/noise/key_pair.h>
#include <chatport/noise/protocol.h>
#include <chatport/noise/symmetric_state.h>

#include <cstddef>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

namespace chatport::noise {

enum class Role { Initiator, Responder };

struct HandshakeConfig {
  Protocol protocol = kXX;
  Role role = Role::Initiator;
  /// Bytes both sides must agree on without sending them (e.g. the application's protocol
  /// version): mixed into the handshake hash, so a mismatch fails the handshake.
  std::span<const std::byte> prologue;
  /// This side's long-term key pair; required by XX and XXpsk3, unused by NN.
  std::optional<KeyPair> localStatic;
  /// Required by XXpsk3, refused by the others.
  std::optional<Psk> psk;
  /// XXpsk3 only: the psk comes later, through setPsk(), before the message that mixes it (a
  /// joiner salts a room password with the host's static key, which it learns in message 2).
  bool pskLater = false;
  /// For the published test vectors only: the ephemeral key this side would otherwise
  /// generate. Product code leaves it empty; a reused ephemeral key breaks forward secrecy.
  std::optional<KeyPair> ephemeralForTests;
};

class HandshakeState {
 public:
  HandshakeState() = default;
  HandshakeState(HandshakeState&&) noexcept = default;
  HandshakeState& operator=(HandshakeState&&) noexcept = default;
  HandshakeState(const HandshakeState&) = delete;
  HandshakeState& operator=(const HandshakeState&) = delete;

  /// Initialize(): copies the keys and hashes the prologue. Fails with MissingStaticKey,
  /// MissingPsk, UnusedPsk or CryptoLibrary; may be called again to start over.
  std::error_code initialize(const HandshakeConfig& config);

  /// Sets the pre-shared key of a handshake initialised with pskLater; before the message that
  /// mixes it is written or read (that message fails with MissingPsk without one).
  std::error_code setPsk(const Psk& psk);
  /// Writes the next handshake message (keys the pattern sends, then payload, encrypted once a
  /// key has been agreed) into message, replacing its contents. MessageTooLong leaves the
  /// state as it was. The payload of the first message is never encrypted, and before the
  /// last message it is not yet authenticated as coming from the peer's static key: send
  /// nothing secret there. payload must not be message's own storage.
  std::error_code writeMessage(std::span<const std::byte> payload, std::vector<std::byte>& message);
  /// Reads the peer's next handshake message; its payload replaces payload's contents
  /// (message must not be payload's own storage).
  std::error_code readMessage(std::span<const std::byte> message, std::vector<std::byte>& payload);

  /// True when this side writes the next message.
  bool isMyTurnToWrite() const noexcept;
  /// True after the last handshake message has been written or read.
  bool isComplete() const noexcept;
  bool hasFailed() const noexcept { return failed_; }
  Role role() const noexcept { return role_; }
  const Protocol& protocol() const noexcept { return protocol_; }

  /// Split(): the transport CipherStates oriented for this side (send: what this side
  /// encrypts; receive: what it decrypts). Only once, after the last message; then the
  /// handshake's secrets are wiped, and only remoteStatic() and handshakeHash() remain.
  std::error_code split(CipherState& send, CipherState& receive);

  /// The peer's static public key, once a message carrying it has been read and
  /// authenticated (in XX: the initiator after message 2, the responder after message 3).
  /// Compare it with a pinned key before trusting the peer; in XX the initiator can do so
  /// before its own static key goes out in message 3.
  const std::optional<PublicKey>& remoteStatic() const noexcept { return remoteStatic_; }
  /// h: identical on both sides once complete, and unique to this session.
  std::span<const std::byte> handshakeHash() const noexcept { return symmetric_.handshakeHash(); }

 private:
  std::error_code fail(std::error_code ec);
  std::error_code checkTurn(bool writing) const noexcept;
  std::error_code dh(std::span<const std::byte> secret, const PublicKey& remote);
  std::size_t messageOverhead() const noexcept;
  void wipeSecrets() noexcept;

  Protocol protocol_{};
  Role role_ = Role::Initiator;
  bool initialized_ = false;
  bool failed_ = false;
  bool split_ = false;
  std::size_t nextMessage_ = 0;
  SymmetricState symmetric_;
  std::optional<KeyPair> s_;
  std::optional<KeyPair> e_;
  std::optional<KeyPair> ephemeralForTests_;
  std::optional<Psk> psk_;
  std::optional<PublicKey> remoteStatic_;
  std::optional<PublicKey> remoteEphemeral_;
};

}  // namespace chatport::noise
