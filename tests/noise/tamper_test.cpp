// Whatever a man in the middle changes, the reader notices: every single flipped bit of every
// handshake and transport message, and transport messages replayed or reordered.

#include "handshake_pair.h"

#include <gtest/gtest.h>

namespace chatport::noise::test {
namespace {

class Tamper : public ::testing::TestWithParam<Protocol> {};

TEST_P(Tamper, AnyFlippedBitInAnyHandshakeMessageFailsTheHandshake) {
  // The static keys are made once: the loop below runs some 1,800 handshakes.
  const HandshakePair keys(GetParam());
  std::vector<std::size_t> sizes;
  {
    HandshakePair pair(GetParam());
    pair.initiatorConfig = keys.initiatorConfig;
    pair.responderConfig = keys.responderConfig;
    pair.initialize();
    ASSERT_FALSE(pair.run([&](std::size_t, Bytes& m) { sizes.push_back(m.size()); }).error);
  }
  ASSERT_EQ(sizes.size(), 3u);
  for (std::size_t target = 0; target < sizes.size(); ++target) {
    for (std::size_t bit = 0; bit < sizes[target] * 8; ++bit) {
      HandshakePair pair(Protocol{Pattern::NN, GetParam().hash});  // no keys made here
      pair.initiatorConfig = keys.initiatorConfig;
      pair.responderConfig = keys.responderConfig;
      pair.initialize();
      const auto outcome = pair.run([&](std::size_t i, Bytes& m) {
        if (i == target) m[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
      });
      // Without a PSK the first message carries no tag (nothing is keyed yet); a change to it
      // changes h and the ephemeral key, so the tag of the second message no longer verifies.
      // With a PSK the ephemeral key is mixed into the key at once and every message has a tag.
      const bool firstUntagged = GetParam().pattern != Pattern::XXpsk3;
      const std::size_t failsAt = target == 0 && firstUntagged ? 1 : target;
      ASSERT_EQ(outcome.error, Error::DecryptFailed) << "message " << target << " bit " << bit;
      ASSERT_TRUE(outcome.duringRead) << "message " << target << " bit " << bit;
      ASSERT_EQ(outcome.message, failsAt) << "message " << target << " bit " << bit;
    }
  }
}

struct Transport {
  CipherState aSend, aReceive, bSend, bReceive;
};

Transport connect(Protocol protocol) {
  HandshakePair pair(protocol);
  pair.initialize();
  EXPECT_FALSE(pair.run().error);
  Transport t;
  EXPECT_FALSE(pair.initiator.split(t.aSend, t.aReceive));
  EXPECT_FALSE(pair.responder.split(t.bSend, t.bReceive));
  return t;
}

TEST_P(Tamper, AnyFlippedBitInATransportMessageFailsAndCostsNothing) {
  Transport t = connect(GetParam());
  const Bytes ad = fromText("frame header");
  const Bytes text = fromText("a chat line of some sixty-four bytes, give or take a few bytes..");
  Bytes sealed, opened;
  ASSERT_FALSE(t.aSend.encryptWithAd(ad, text, sealed));
  for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    Bytes bad = sealed;
    bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
    ASSERT_EQ(t.bReceive.decryptWithAd(ad, bad, opened), Error::DecryptFailed) << "bit " << bit;
    ASSERT_TRUE(opened.empty());
  }
  Bytes otherAd = ad;
  otherAd[0] ^= std::byte{1};
  EXPECT_EQ(t.bReceive.decryptWithAd(otherAd, sealed, opened), Error::DecryptFailed);
  // Forgeries do not move the nonce: the real message still opens.
  EXPECT_EQ(t.bReceive.nonce(), 0u);
  ASSERT_FALSE(t.bReceive.decryptWithAd(ad, sealed, opened));
  EXPECT_EQ(opened, text);
}

TEST_P(Tamper, ReplayedTransportMessageFails) {
  Transport t = connect(GetParam());
  Bytes sealed, opened;
  ASSERT_FALSE(t.aSend.encryptWithAd({}, fromText("once"), sealed));
  ASSERT_FALSE(t.bReceive.decryptWithAd({}, sealed, opened));
  EXPECT_EQ(t.bReceive.decryptWithAd({}, sealed, opened), Error::DecryptFailed);
}

TEST_P(Tamper, ReorderedOrDroppedTransportMessageFails) {
  Transport t = connect(GetParam());
  Bytes first, second, opened;
  ASSERT_FALSE(t.aSend.encryptWithAd({}, fromText("first"), first));
  ASSERT_FALSE(t.aSend.encryptWithAd({}, fromText("second"), second));
  EXPECT_EQ(t.bReceive.decryptWithAd({}, second, opened), Error::DecryptFailed);
  ASSERT_FALSE(t.bReceive.decryptWithAd({}, first, opened));
  ASSERT_FALSE(t.bReceive.decryptWithAd({}, second, opened));
  EXPECT_EQ(opened, fromText("second"));
}

TEST_P(Tamper, MessageForTheOtherDirectionFails) {
  Transport t = connect(GetParam());
  Bytes sealed, opened;
  ASSERT_FALSE(t.aSend.encryptWithAd({}, fromText("to b"), sealed));
  // Reflected back at its sender: a's receive key is not a's send key.
  EXPECT_EQ(t.aReceive.decryptWithAd({}, sealed, opened), Error::DecryptFailed);
}

TEST_P(Tamper, TruncatedTransportMessageFails) {
  Transport t = connect(GetParam());
  Bytes sealed, opened;
  ASSERT_FALSE(t.aSend.encryptWithAd({}, fromText("hello"), sealed));
  for (std::size_t size = 0; size < sealed.size(); ++size) {
    const Bytes cut(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(t.bReceive.decryptWithAd({}, cut, opened), Error::DecryptFailed) << size;
  }
}

INSTANTIATE_TEST_SUITE_P(Patterns, Tamper,
                         ::testing::Values(kXX, kXXpsk3, Protocol{Pattern::XX, HashAlgorithm::Sha256}),
                         [](const auto& param) { return param.param.name(); });

}  // namespace
}  // namespace chatport::noise::test
