#pragma once
// A joiner made of a plain blocking socket, for tests that need a peer that misbehaves:
// never reads, goes silent, sends garbage, or resets.

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include "raw_socket.h"

#include <deque>
#include <optional>
#include <vector>
#include <string>

namespace chatport::chat::test {

class RawJoiner {
 public:
  bool connect(std::uint16_t port);
  bool send(const net::SharedBytes& frame) { return socket_.sendAll(*frame); }
  bool sendRaw(std::span<const std::byte> bytes) { return socket_.sendAll(bytes); }
  /// Connects, says hello as name (presenting resumeToken, if any) and reads up to the Welcome.
  /// False if refused or closed.
  bool handshake(std::uint16_t port, const std::string& name,
                 std::optional<proto::Token> resumeToken = std::nullopt);
  /// Blocks for the next message from the host; nullopt once the connection has ended.
  std::optional<proto::HostMessage> next();
  /// Reads until the host closes, or says its last word (Refuse or Closing), after which it
  /// closes itself as a joiner does; returns every message received meanwhile.
  std::vector<proto::HostMessage> readUntilClosed();
  chatport::test::RawSocket& socket() { return socket_; }
  ClientId id() const { return id_; }
  /// The resume token of the Welcome that handshake() read.
  const proto::Token& token() const { return token_; }

 private:
  chatport::test::RawSocket socket_;
  net::FrameDecoder decoder_{proto::kMaxPayload};
  std::deque<proto::HostMessage> ready_;
  bool ended_ = false;
  ClientId id_ = kNoClient;
  proto::Token token_{};
};

}  // namespace chatport::chat::test
