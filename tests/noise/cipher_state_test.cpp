// CipherState: ChaCha20-Poly1305 with Noise's nonce layout, checked against answers from an
// independent implementation (Python's cryptography package, OpenSSL underneath), and the
// nonce rules the spec sets.

#include "bytes.h"

#include <chatport/noise/cipher_state.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace chatport::noise::test {
namespace {

CipherState withKey(std::string_view keyHex) {
  const Bytes key = fromHex(keyHex);
  CipherState c;
  EXPECT_FALSE(c.initializeKey(std::span<const std::byte, 32>(key.data(), 32)));
  return c;
}

const std::string kOnes = "0101010101010101010101010101010101010101010101010101010101010101";

TEST(CipherState, NonceIsFourZeroBytesThenTheCounterLittleEndian) {
  CipherState c = withKey(kOnes);
  c.setNonce(0x0102030405060708);
  Bytes sealed;
  ASSERT_FALSE(c.encryptWithAd(fromText("ad"), fromText("hello"), sealed));
  EXPECT_EQ(toHex(sealed), "352aa2a2f72ce08b692cb84d3742243e7632a257a0");
  EXPECT_EQ(c.nonce(), 0x0102030405060709u);
}

TEST(CipherState, LastUsableNonceWorksThenBothDirectionsRefuse) {
  CipherState sender = withKey(kOnes);
  CipherState receiver = withKey(kOnes);
  sender.setNonce(CipherState::kMaxNonce - 1);
  receiver.setNonce(CipherState::kMaxNonce - 1);
  Bytes sealed, opened;
  ASSERT_FALSE(sender.encryptWithAd({}, fromText("hello"), sealed));
  EXPECT_EQ(toHex(sealed), "3c6b4a08e5bcbabb8be5f7b8c2c1b12c75683355c5");
  ASSERT_FALSE(receiver.decryptWithAd({}, sealed, opened));
  EXPECT_EQ(opened, fromText("hello"));

  // 2^64-1 is reserved (for rekey): neither side may use it for a message.
  EXPECT_EQ(sender.nonce(), CipherState::kMaxNonce);
  EXPECT_EQ(sender.encryptWithAd({}, fromText("again"), sealed), Error::NonceExhausted);
  EXPECT_TRUE(sealed.empty());
  EXPECT_EQ(sender.encryptWithAd({}, fromText("again"), sealed), Error::NonceExhausted) << "and stays refused";
  EXPECT_EQ(receiver.decryptWithAd({}, Bytes(21), opened), Error::NonceExhausted);
}

TEST(CipherState, RekeyDerivesTheSpecsKeyAndKeepsTheNonce) {
  // REKEY(0x01 * 32): the first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zeros), from Python's
  // cryptography package and from noise-protocol alike.
  CipherState rekeyed = withKey(kOnes);
  rekeyed.setNonce(7);
  ASSERT_FALSE(rekeyed.rekey());
  EXPECT_EQ(rekeyed.nonce(), 7u);
  CipherState expected = withKey("6cfb2b964ed404cedd9051572bde20be5910d8de91207ef94b5ceb2fa67ad788");
  expected.setNonce(7);
  Bytes a, b;
  ASSERT_FALSE(rekeyed.encryptWithAd({}, fromText("after rekey"), a));
  ASSERT_FALSE(expected.encryptWithAd({}, fromText("after rekey"), b));
  EXPECT_EQ(toHex(a), toHex(b));
}

TEST(CipherState, WithoutKeyPassesPlaintextThrough) {
  CipherState c;
  EXPECT_FALSE(c.hasKey());
  Bytes out;
  ASSERT_FALSE(c.encryptWithAd(fromText("ad"), fromText("clear"), out));
  EXPECT_EQ(out, fromText("clear"));
  ASSERT_FALSE(c.decryptWithAd(fromText("ad"), fromText("clear"), out));
  EXPECT_EQ(out, fromText("clear"));
  EXPECT_EQ(c.nonce(), 0u) << "no key, no nonce used";
}

TEST(CipherState, EncryptsAndDecryptsInPlace) {
  CipherState sender = withKey(kOnes);
  CipherState receiver = withKey(kOnes);
  const Bytes text = fromText("in place, as a frame buffer would be");
  Bytes buffer = text;
  buffer.resize(text.size() + kTagSize);
  ASSERT_FALSE(sender.encryptWithAd({}, std::span<const std::byte>(buffer).first(text.size()), buffer));
  EXPECT_NE(Bytes(buffer.begin(), buffer.begin() + 10), Bytes(text.begin(), text.begin() + 10));
  ASSERT_FALSE(receiver.decryptWithAd({}, buffer, std::span<std::byte>(buffer)));
  EXPECT_EQ(Bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(text.size())), text);
}

TEST(CipherState, RefusesOutputTooSmall) {
  CipherState c = withKey(kOnes);
  Bytes out(20);
  EXPECT_EQ(c.encryptWithAd({}, fromText("hello"), std::span<std::byte>(out)), Error::OutputTooSmall);
  EXPECT_EQ(c.nonce(), 0u);
}

TEST(CipherState, MovedFromStateHasNoKey) {
  CipherState a = withKey(kOnes);
  a.setNonce(3);
  CipherState b = std::move(a);
  EXPECT_TRUE(b.hasKey());
  EXPECT_EQ(b.nonce(), 3u);
  EXPECT_FALSE(a.hasKey());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
}

TEST(CipherState, EmptyPlaintextStillCarriesATag) {
  CipherState sender = withKey(kOnes);
  CipherState receiver = withKey(kOnes);
  Bytes sealed, opened = fromText("stale");
  ASSERT_FALSE(sender.encryptWithAd({}, {}, sealed));
  EXPECT_EQ(sealed.size(), kTagSize);
  ASSERT_FALSE(receiver.decryptWithAd({}, sealed, opened));
  EXPECT_TRUE(opened.empty());
}

// Two links' keys taking turns on one thread's cipher handle, as on an engine loop: each
// message is sealed under its own key (the known answer above), and each opens under its own.
void sealUnderTwoKeysInTurn() {
  CipherState ones = withKey(kOnes);
  CipherState other = withKey("0202020202020202020202020202020202020202020202020202020202020202");
  CipherState onesReceiver = withKey(kOnes);
  for (int round = 0; round < 50; ++round) {
    ones.setNonce(0x0102030405060708);
    Bytes sealed, noise, opened;
    ASSERT_FALSE(ones.encryptWithAd(fromText("ad"), fromText("hello"), sealed));
    ASSERT_EQ(toHex(sealed), "352aa2a2f72ce08b692cb84d3742243e7632a257a0") << "round " << round;
    ASSERT_FALSE(other.encryptWithAd(fromText("ad"), fromText("hello"), noise));
    ASSERT_NE(noise, sealed);
    onesReceiver.setNonce(0x0102030405060708);
    ASSERT_EQ(onesReceiver.decryptWithAd(fromText("ad"), noise, opened), Error::DecryptFailed)
        << "another key's message must not open";
    ASSERT_FALSE(onesReceiver.decryptWithAd(fromText("ad"), sealed, opened));
    ASSERT_EQ(opened, fromText("hello"));
  }
}

TEST(CipherState, EachMessageUsesItsOwnKeyWhetherTheThreadKeepsAHandleOrNot) {
  sealUnderTwoKeysInTurn();  // a handle per message
  const ThreadCipherScope keep;
  sealUnderTwoKeysInTurn();  // one handle for the thread
}

TEST(CipherState, ThreadsKeepingHandlesAndThreadsNotSealAtOnce) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([keeps = i % 2 == 0] {
      if (keeps) keepThreadCipher();
      sealUnderTwoKeysInTurn();
      if (keeps) releaseThreadCipher();  // before the thread ends: nothing is left behind
    });
  for (auto& t : threads) t.join();
}

TEST(CipherState, AStateMovedToAnotherThreadCarriesOnWhereItWas) {
  CipherState sender = withKey(kOnes);
  CipherState receiver = withKey(kOnes);
  Bytes first, second, opened;
  ASSERT_FALSE(sender.encryptWithAd({}, fromText("first"), first));
  std::thread([&] {
    const ThreadCipherScope keep;
    CipherState moved = std::move(sender);
    ASSERT_FALSE(moved.encryptWithAd({}, fromText("second"), second));
  }).join();
  ASSERT_FALSE(receiver.decryptWithAd({}, first, opened));
  ASSERT_FALSE(receiver.decryptWithAd({}, second, opened));
  EXPECT_EQ(opened, fromText("second"));
}

}  // namespace
}  // namespace chatport::noise::test
