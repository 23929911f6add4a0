// HandshakeState as the chat protocol will use it: a full XX or XXpsk3 handshake, what each
// side learns of the other, and the misuses it refuses.

#include "handshake_pair.h"

#include <gtest/gtest.h>

namespace chatport::noise::test {
namespace {

class Handshake : public ::testing::TestWithParam<Protocol> {};

TEST_P(Handshake, BothSidesAgreeAndTalkBothWays) {
  HandshakePair pair(GetParam());
  pair.initialize();
  const auto outcome = pair.run();
  ASSERT_FALSE(outcome.error) << outcome.error.message() << " at message " << outcome.message;
  EXPECT_EQ(toHex(pair.initiator.handshakeHash()), toHex(pair.responder.handshakeHash()));

  CipherState aSend, aReceive, bSend, bReceive;
  ASSERT_FALSE(pair.initiator.split(aSend, aReceive));
  ASSERT_FALSE(pair.responder.split(bSend, bReceive));
  Bytes sealed, opened;
  for (int round = 0; round < 3; ++round) {
    const Bytes hello = fromText("hello " + std::to_string(round));
    ASSERT_FALSE(aSend.encryptWithAd({}, hello, sealed));
    ASSERT_FALSE(bReceive.decryptWithAd({}, sealed, opened));
    EXPECT_EQ(opened, hello);
    ASSERT_FALSE(bSend.encryptWithAd({}, hello, sealed));
    ASSERT_FALSE(aReceive.decryptWithAd({}, sealed, opened));
    EXPECT_EQ(opened, hello);
  }
}

// The patterns that send static keys.
class StaticKeyHandshake : public ::testing::TestWithParam<Protocol> {};

TEST_P(StaticKeyHandshake, RemoteStaticKeyIsThePeersOwn) {
  HandshakePair pair(GetParam());
  pair.initialize();
  Bytes message, payload;
  EXPECT_FALSE(pair.initiator.remoteStatic());
  ASSERT_FALSE(pair.initiator.writeMessage({}, message));
  ASSERT_FALSE(pair.responder.readMessage(message, payload));
  ASSERT_FALSE(pair.responder.writeMessage({}, message));
  ASSERT_FALSE(pair.initiator.readMessage(message, payload));
  // The initiator knows the responder after message 2, before its own key goes out.
  ASSERT_TRUE(pair.initiator.remoteStatic());
  EXPECT_EQ(*pair.initiator.remoteStatic(), pair.responderConfig.localStatic->publicKey());
  EXPECT_FALSE(pair.responder.remoteStatic());
  ASSERT_FALSE(pair.initiator.writeMessage({}, message));
  ASSERT_FALSE(pair.responder.readMessage(message, payload));
  ASSERT_TRUE(pair.responder.remoteStatic());
  EXPECT_EQ(*pair.responder.remoteStatic(), pair.initiatorConfig.localStatic->publicKey());

  CipherState send, receive;
  ASSERT_FALSE(pair.responder.split(send, receive));
  EXPECT_EQ(*pair.responder.remoteStatic(), pair.initiatorConfig.localStatic->publicKey())
      << "split() must keep the peer's key for pinning";
}

TEST_P(Handshake, DifferentProloguesFail) {
  HandshakePair pair(GetParam());
  const Bytes a = fromText("chatport 1");
  const Bytes b = fromText("chatport 2");
  pair.initiatorConfig.prologue = a;
  pair.responderConfig.prologue = b;
  pair.initialize();
  const auto outcome = pair.run();
  EXPECT_EQ(outcome.error, Error::DecryptFailed);
  EXPECT_TRUE(outcome.duringRead);
  // The first message with a tag is the second; with a PSK every message has one.
  EXPECT_EQ(outcome.message, GetParam().pattern == Pattern::XXpsk3 ? 0u : 1u);
}

INSTANTIATE_TEST_SUITE_P(Patterns, Handshake,
                         ::testing::Values(Protocol{Pattern::NN, HashAlgorithm::Blake2b}, kXX, kXXpsk3,
                                           Protocol{Pattern::XX, HashAlgorithm::Sha256},
                                           Protocol{Pattern::XXpsk3, HashAlgorithm::Sha256}),
                         [](const auto& param) { return param.param.name(); });

INSTANTIATE_TEST_SUITE_P(Patterns, StaticKeyHandshake,
                         ::testing::Values(kXX, kXXpsk3, Protocol{Pattern::XX, HashAlgorithm::Sha256},
                                           Protocol{Pattern::XXpsk3, HashAlgorithm::Sha256}),
                         [](const auto& param) { return param.param.name(); });

TEST(HandshakePsk, WrongPskFailsAtTheMessageThatMixesIt) {
  HandshakePair pair(kXXpsk3);
  pair.responderConfig.psk->mutableBytes()[31] = std::byte{1};
  pair.initialize();
  const auto outcome = pair.run();
  EXPECT_EQ(outcome.error, Error::DecryptFailed);
  EXPECT_TRUE(outcome.duringRead);
  EXPECT_EQ(outcome.message, 2u) << "psk3 mixes the key into the third message";
  EXPECT_TRUE(pair.responder.hasFailed());
  EXPECT_FALSE(pair.responder.remoteStatic()) << "a failed handshake vouches for no key";
}

TEST(HandshakeConfig, RefusesMissingOrStrayKeys) {
  HandshakeState hs;
  EXPECT_EQ(hs.initialize({.protocol = kXX, .role = Role::Initiator}), Error::MissingStaticKey);
  EXPECT_EQ(hs.initialize({.protocol = kXX, .role = Role::Responder}), Error::MissingStaticKey);
  EXPECT_EQ(hs.initialize({.protocol = kXXpsk3, .localStatic = KeyPair::generate()}), Error::MissingPsk);
  EXPECT_EQ(hs.initialize({.protocol = kXX, .localStatic = KeyPair::generate(), .psk = Psk()}), Error::UnusedPsk);
  EXPECT_FALSE(hs.initialize({.protocol = Protocol{Pattern::NN, HashAlgorithm::Blake2b}}));
}

TEST(HandshakeMisuse, RefusedCallsLeaveTheHandshakeUsable) {
  HandshakePair pair(kXX);
  Bytes message, payload;
  EXPECT_EQ(pair.initiator.writeMessage({}, message), Error::NotInitialized);
  pair.initialize();
  EXPECT_EQ(pair.responder.writeMessage({}, message), Error::WrongTurn);
  EXPECT_EQ(pair.initiator.readMessage(message, payload), Error::WrongTurn);
  CipherState send, receive;
  EXPECT_EQ(pair.initiator.split(send, receive), Error::HandshakeNotComplete);
  const Bytes tooLong(kMaxMessageSize - 31, std::byte{1});  // plus the 32-byte key: 65536
  EXPECT_EQ(pair.initiator.writeMessage(tooLong, message), Error::MessageTooLong);
  EXPECT_FALSE(pair.initiator.hasFailed());
  EXPECT_TRUE(message.empty());

  const auto outcome = pair.run();
  ASSERT_FALSE(outcome.error) << outcome.error.message();
  EXPECT_EQ(pair.initiator.writeMessage({}, message), Error::HandshakeComplete);
  ASSERT_FALSE(pair.initiator.split(send, receive));
  EXPECT_EQ(pair.initiator.split(send, receive), Error::AlreadySplit);
}

TEST(HandshakeMisuse, LargestPayloadFitsExactly) {
  HandshakePair pair(kXX);
  pair.initialize();
  Bytes message, payload;
  const Bytes largest(kMaxMessageSize - kKeySize, std::byte{7});  // message 1: e, then the payload
  ASSERT_FALSE(pair.initiator.writeMessage(largest, message));
  EXPECT_EQ(message.size(), kMaxMessageSize);
  ASSERT_FALSE(pair.responder.readMessage(message, payload));
  EXPECT_EQ(payload, largest);
}

TEST(HandshakeInput, ShortOrLongMessagesEndTheHandshake) {
  for (std::size_t size : {std::size_t{0}, std::size_t{31}, kMaxMessageSize + 1}) {
    HandshakePair pair(kXX);
    pair.initialize();
    Bytes payload;
    const Bytes message(size, std::byte{9});
    const auto ec = pair.responder.readMessage(message, payload);
    EXPECT_EQ(ec, size > kMaxMessageSize ? Error::MessageTooLong : Error::MessageTooShort) << size;
    EXPECT_TRUE(pair.responder.hasFailed());
    EXPECT_EQ(pair.responder.readMessage(Bytes(32), payload), Error::HandshakeFailed);
  }
}

TEST(HandshakeInput, SecondMessageCutShortOfItsTagsFails) {
  HandshakePair pair(kXX);
  pair.initialize();
  const auto outcome = pair.run([](std::size_t i, Bytes& m) {
    if (i == 1) m.resize(32 + 48 + 15);  // e, encrypted s, and one byte short of the tag
  });
  EXPECT_EQ(outcome.error, Error::MessageTooShort);
  EXPECT_EQ(outcome.message, 1u);
}

TEST(HandshakeInput, LowOrderEphemeralKeyIsRefused) {
  HandshakePair pair(kXX);
  pair.initialize();
  // 0 and 1 are points of small order: any secret times them is 0.
  const auto outcome = pair.run([](std::size_t i, Bytes& m) {
    if (i == 0) std::fill(m.begin(), m.begin() + 32, std::byte{0});
  });
  EXPECT_EQ(outcome.error, Error::InvalidPublicKey);
  EXPECT_EQ(outcome.message, 1u) << "the responder refuses when it computes ee for message 2";
  EXPECT_FALSE(outcome.duringRead);
}

TEST(Protocol, NamesRoundTrip) {
  for (auto pattern : {Pattern::NN, Pattern::XX, Pattern::XXpsk3})
    for (auto hash : {HashAlgorithm::Blake2b, HashAlgorithm::Sha256}) {
      const Protocol p{pattern, hash};
      EXPECT_EQ(Protocol::parse(p.name()), p) << p.name();
    }
  EXPECT_EQ(kXX.name(), "Noise_XX_25519_ChaChaPoly_BLAKE2b");
  EXPECT_EQ(kXXpsk3.name(), "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b");
  EXPECT_FALSE(Protocol::parse("Noise_IK_25519_ChaChaPoly_BLAKE2b"));
  EXPECT_FALSE(Protocol::parse("Noise_XX_448_ChaChaPoly_BLAKE2b"));
  EXPECT_FALSE(Protocol::parse("noise_xx_25519_chachapoly_blake2b"));
}

}  // namespace
}  // namespace chatport::noise::test
