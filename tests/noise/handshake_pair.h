#pragma once
// Two HandshakeStates that talk to each other in memory, for the Noise unit tests.

#include "bytes.h"

#include <chatport/noise/handshake_state.h>

#include <gtest/gtest.h>

#include <functional>
#include <ostream>

namespace chatport::noise::test {

struct HandshakePair {
  HandshakeConfig initiatorConfig;
  HandshakeConfig responderConfig;
  HandshakeState initiator;
  HandshakeState responder;

  /// Static keys for both sides, and the PSK where the pattern takes one.
  explicit HandshakePair(Protocol protocol) {
    initiatorConfig.protocol = responderConfig.protocol = protocol;
    initiatorConfig.role = Role::Initiator;
    responderConfig.role = Role::Responder;
    if (protocol.pattern != Pattern::NN) {
      initiatorConfig.localStatic = KeyPair::generate();
      responderConfig.localStatic = KeyPair::generate();
    }
    if (protocol.pattern == Pattern::XXpsk3) {
      Psk psk;
      psk.mutableBytes()[0] = std::byte{42};
      initiatorConfig.psk = responderConfig.psk = psk;
    }
  }

  void initialize() {
    ASSERT_FALSE(initiator.initialize(initiatorConfig));
    ASSERT_FALSE(responder.initialize(responderConfig));
  }

  /// Carries every handshake message across; tamper (if given) may change message i in
  /// flight. Returns the first error, with the message index and whether a read failed.
  struct Outcome {
    std::error_code error;
    std::size_t message = 0;
    bool duringRead = false;
  };
  Outcome run(const std::function<void(std::size_t, Bytes&)>& tamper = {}) {
    Bytes message;
    Bytes payload;
    for (std::size_t i = 0; !initiator.isComplete() || !responder.isComplete(); ++i) {
      HandshakeState& writer = i % 2 == 0 ? initiator : responder;
      HandshakeState& reader = i % 2 == 0 ? responder : initiator;
      const Bytes sent = fromText("payload " + std::to_string(i));
      if (auto ec = writer.writeMessage(sent, message)) return {ec, i, false};
      if (tamper) tamper(i, message);
      if (auto ec = reader.readMessage(message, payload)) return {ec, i, true};
      // An altered first message may still be read (it has no tag): its payload then differs.
      if (!tamper) {
        EXPECT_EQ(payload, sent) << "message " << i;
      }
    }
    return {};
  }
};

}  // namespace chatport::noise::test

namespace chatport::noise {
// Test names and failure messages show the protocol's name rather than its bytes.
inline void PrintTo(const Protocol& protocol, std::ostream* out) { *out << protocol.name(); }
}  // namespace chatport::noise
