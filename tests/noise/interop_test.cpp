// ChatPort's Noise against an independent implementation: noise-protocol 3.0.2 (JavaScript on
// libsodium) under Node.js, run as a child process and driven through its standard input and
// output (tests/noise/interop/peer.js describes the lines). Both directions: ChatPort as
// initiator and as responder, Noise_XX_25519_ChaChaPoly_BLAKE2b. noise-protocol has no PSK
// patterns, so XXpsk3 is covered by the published vectors only.

#include "bytes.h"
#include "child_process.h"

#include <chatport/noise/handshake_state.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace chatport::noise::test {
namespace {

using chatport::test::ChildProcess;
using namespace std::chrono_literals;

const std::string kNode = CHATPORT_NODE_PATH;
const std::filesystem::path kPeerDir = CHATPORT_NOISE_PEER_DIR;

// Skips when Node.js or the npm packages are missing, except in CI, where they must be there.
#define REQUIRE_NODE_PEER()                                                                          \
  do {                                                                                               \
    std::string missing;                                                                             \
    if (kNode.empty() || kNode.find("NOTFOUND") != std::string::npos || !std::filesystem::exists(kNode)) \
      missing = "node (Node.js) was not found when CMake ran";                                       \
    else if (!std::filesystem::exists(kPeerDir / "node_modules" / "noise-protocol"))                 \
      missing = "noise-protocol is not installed: run `npm ci` in " + kPeerDir.string() +           \
                " (scripts/install-deps.sh test does)";                                              \
    if (!missing.empty()) {                                                                          \
      const char* ci = std::getenv("CI");                                                            \
      if (ci && std::string(ci) == "true") FAIL() << missing;                                        \
      GTEST_SKIP() << missing;                                                                       \
    }                                                                                                \
  } while (0)

/// One line "<word> <hex>" from the peer; fails the test on anything else.
class Peer {
 public:
  explicit Peer(const char* role) : process_(kNode, {(kPeerDir / "peer.js").string(), role}) {}

  Bytes expect(const std::string& word) {
    const auto line = process_.readLine(10s);
    if (!line) {
      ADD_FAILURE() << "no line from the node peer within 10 s (expected \"" << word << "\")";
      return {};
    }
    if (line->rfind(word + " ", 0) != 0 && *line != word) {
      ADD_FAILURE() << "expected \"" << word << "\" from the node peer, got: " << line->substr(0, 200);
      return {};
    }
    return fromHex(line->size() > word.size() ? line->substr(word.size() + 1) : "");
  }
  std::string line() { return process_.readLine(10s).value_or("<nothing within 10 s>"); }
  void send(const std::string& word, std::span<const std::byte> bytes) {
    ASSERT_TRUE(process_.writeLine(word + " " + toHex(bytes)));
  }
  void send(const std::string& line) { ASSERT_TRUE(process_.writeLine(line)); }
  std::optional<int> wait() { return process_.wait(10s); }

 private:
  ChildProcess process_;
};

void handshakeAndTalk(Role ourRole) {
  Peer peer(ourRole == Role::Initiator ? "responder" : "initiator");
  const Bytes nodeStatic = peer.expect("static");
  ASSERT_EQ(nodeStatic.size(), kKeySize);

  const KeyPair ours = KeyPair::generate();
  HandshakeState hs;
  ASSERT_FALSE(hs.initialize({.protocol = kXX, .role = ourRole, .localStatic = ours}));
  Bytes message, payload;
  for (std::size_t i = 0; !hs.isComplete(); ++i) {
    SCOPED_TRACE("handshake message " + std::to_string(i));
    if (hs.isMyTurnToWrite()) {
      const Bytes sent = fromText("chatport-hs-" + std::to_string(i));
      ASSERT_FALSE(hs.writeMessage(sent, message));
      peer.send("hs", message);
      EXPECT_EQ(peer.expect("read"), sent) << "the node peer read another payload";
    } else {
      message = peer.expect("hs");
      const auto ec = hs.readMessage(message, payload);
      ASSERT_FALSE(ec) << ec.message();
      EXPECT_EQ(payload, fromText("node-hs-" + std::to_string(i)));
    }
  }
  EXPECT_EQ(toHex(peer.expect("hash")), toHex(hs.handshakeHash()));
  EXPECT_EQ(toHex(peer.expect("remote-static")), toHex(ours.publicKey()));
  ASSERT_TRUE(hs.remoteStatic());
  EXPECT_EQ(toHex(*hs.remoteStatic()), toHex(nodeStatic));

  CipherState send, receive;
  ASSERT_FALSE(hs.split(send, receive));
  Bytes sealed, opened;
  auto roundTrip = [&](const Bytes& text) {
    ASSERT_FALSE(send.encryptWithAd({}, text, sealed));
    peer.send("t", sealed);
    const Bytes reply = peer.expect("t");
    const auto ec = receive.decryptWithAd({}, reply, opened);
    ASSERT_FALSE(ec) << ec.message() << " (" << text.size() << "-byte message)";
    Bytes echoed = fromText("echo:");
    echoed.insert(echoed.end(), text.begin(), text.end());
    EXPECT_EQ(opened, echoed) << text.size() << "-byte message";
  };
  // Empty, small, 1 KiB, and the largest plaintext whose echo still fits in one message.
  const std::size_t echoable = kMaxPlaintextSize - 5;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{1024}, echoable}) {
    Bytes text(size);
    for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<std::byte>(i * 31 + 7);
    roundTrip(text);
  }
  // Rekey on both sides at the same point: the spec's REKEY must agree with libsodium's.
  peer.send("rekey");
  EXPECT_EQ(peer.line(), "ok");
  ASSERT_FALSE(send.rekey());
  ASSERT_FALSE(receive.rekey());
  roundTrip(fromText("after rekey"));

  // A flipped bit reaches the peer: it must refuse, as ChatPort does.
  ASSERT_FALSE(send.encryptWithAd({}, fromText("tampered"), sealed));
  sealed[3] ^= std::byte{0x10};
  peer.send("t", sealed);
  const std::string refusal = peer.line();
  EXPECT_EQ(refusal.rfind("error transport decrypt", 0), 0u) << refusal;
  EXPECT_EQ(peer.wait(), 1);
}

TEST(NoiseInterop, ChatPortInitiatesToNoiseProtocol) {
  REQUIRE_NODE_PEER();
  handshakeAndTalk(Role::Initiator);
}

TEST(NoiseInterop, NoiseProtocolInitiatesToChatPort) {
  REQUIRE_NODE_PEER();
  handshakeAndTalk(Role::Responder);
}

TEST(NoiseInterop, ChatPortRefusesAlteredMessageFromNoiseProtocol) {
  REQUIRE_NODE_PEER();
  Peer peer("responder");
  peer.expect("static");
  HandshakeState hs;
  ASSERT_FALSE(hs.initialize({.protocol = kXX, .role = Role::Initiator, .localStatic = KeyPair::generate()}));
  Bytes message, payload;
  ASSERT_FALSE(hs.writeMessage({}, message));
  peer.send("hs", message);
  peer.expect("read");
  message = peer.expect("hs");
  ASSERT_GT(message.size(), 40u);
  message[40] ^= std::byte{1};  // inside the responder's encrypted static key
  EXPECT_EQ(hs.readMessage(message, payload), Error::DecryptFailed);
  EXPECT_TRUE(hs.hasFailed());
  EXPECT_FALSE(hs.remoteStatic());
  peer.send("quit");
  EXPECT_EQ(peer.wait(), 0);
}

TEST(NoiseInterop, NoiseProtocolRefusesAlteredMessageFromChatPort) {
  REQUIRE_NODE_PEER();
  Peer peer("responder");
  peer.expect("static");
  HandshakeState hs;
  ASSERT_FALSE(hs.initialize({.protocol = kXX, .role = Role::Initiator, .localStatic = KeyPair::generate()}));
  Bytes message, payload;
  ASSERT_FALSE(hs.writeMessage({}, message));
  peer.send("hs", message);
  peer.expect("read");
  ASSERT_FALSE(hs.readMessage(peer.expect("hs"), payload));
  ASSERT_FALSE(hs.writeMessage(fromText("who I am"), message));
  message[5] ^= std::byte{0x80};  // inside the initiator's encrypted static key
  peer.send("hs", message);
  const std::string refusal = peer.line();
  EXPECT_EQ(refusal.rfind("error handshake message 2", 0), 0u) << refusal;
  EXPECT_EQ(peer.wait(), 1);
}

}  // namespace
}  // namespace chatport::noise::test
