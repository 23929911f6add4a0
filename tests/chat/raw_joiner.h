#pragma once
// A joiner made of a plain blocking socket, for tests that need a peer that misbehaves:
// never reads, goes silent, sends garbage, or resets. It speaks protocol version 3 itself (the
// Noise handshake, sealed messages, the room key), so a test can also misbehave inside the
// channel, or send bytes in clear where the protocol wants them sealed.

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>
#include <chatport/noise/cipher_state.h>
#include <chatport/noise/key_pair.h>

#include "raw_socket.h"
#include "secure_wire.h"

#include <deque>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace chatport::chat::test {

/// A frame of exactly these payload bytes (values 0-255), for messages the codec would refuse to
/// encode.
net::Bytes frameOf(std::initializer_list<int> payload);
/// The same from a payload's bytes.
net::Bytes frameOf(std::span<const std::byte> payload);

class RawJoiner {
 public:
  RawJoiner();
  /// With a given installation key, e.g. another's, to resume its session.
  explicit RawJoiner(const noise::KeyPair& keys);

  bool connect(std::uint16_t port);
  /// Runs the handshake on a connected socket up to its last message, whose payload is hello
  /// (one message of protocol.h, valid or not), and returns that last frame unsent, so that a
  /// test can put more behind it in one write. nullopt if the host refused or closed (the
  /// refusal is then the next message).
  std::optional<net::Bytes> secureHandshake(std::span<const std::byte> hello, const std::string& password = {});
  /// Connects, says hello as name (presenting resumeToken, if any) and reads up to the Welcome.
  /// False if refused or closed.
  bool handshake(std::uint16_t port, const std::string& name,
                 std::optional<proto::Token> resumeToken = std::nullopt);
  /// A frame of protocol.h, sealed for the host: the bytes to write.
  net::Bytes seal(const net::SharedBytes& frame);
  bool send(const net::SharedBytes& frame) { return sendRaw(seal(frame)); }
  bool sendRaw(std::span<const std::byte> bytes) { return socket_.sendAll(bytes); }
  /// Blocks for the next message from the host, opened; nullopt once the connection has ended
  /// or a message did not decrypt. RoomKey messages are kept (roomKeys()) and returned too.
  std::optional<proto::HostMessage> next();
  /// Reads until the host closes, or says its last word (Refuse or Closing), after which it
  /// closes itself as a joiner does; returns every message received meanwhile.
  std::vector<proto::HostMessage> readUntilClosed();
  chatport::test::RawSocket& socket() { return socket_; }
  ClientId id() const { return id_; }
  /// The resume token of the Welcome that handshake() read.
  const proto::Token& token() const { return token_; }
  /// The room keys it has been given, in order.
  const std::vector<proto::RoomKey>& roomKeys() const { return roomKeys_; }
  const noise::KeyPair& keys() const { return keys_; }
  /// The host's static key, once the handshake has read it.
  const std::optional<noise::PublicKey>& hostKey() const { return hostKey_; }

 private:
  /// The next whole frame's payload; nullopt at the end of the stream.
  std::optional<net::Bytes> nextFrame();

  chatport::test::RawSocket socket_;
  net::FrameDecoder decoder_{proto::kMaxPayload + 64};
  std::deque<net::Bytes> frames_;
  std::deque<proto::HostMessage> ready_;
  bool ended_ = false;
  ClientId id_ = kNoClient;
  proto::Token token_{};
  noise::KeyPair keys_;
  noise::CipherState send_;
  noise::CipherState receive_;
  secure::RoomOpener room_;
  std::vector<proto::RoomKey> roomKeys_;
  std::optional<noise::PublicKey> hostKey_;
};

}  // namespace chatport::chat::test
