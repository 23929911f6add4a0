// Key pairs, X25519 and fingerprints, against RFC 7748's published values and an independent
// BLAKE2b (Python's hashlib).

#include "bytes.h"
#include "primitives.h"

#include <chatport/noise/key_pair.h>
#include <chatport/noise/secret.h>

#include <gtest/gtest.h>

#include <regex>

namespace chatport::noise::test {
namespace {

// RFC 7748 section 6.1.
const std::string kAliceSecret = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const std::string kAlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const std::string kBobSecret = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const std::string kBobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const std::string kShared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

KeyPair fromHexSecret(const std::string& hex) {
  const Bytes secret = fromHex(hex);
  return KeyPair::fromSecret(std::span<const std::byte, kKeySize>(secret.data(), kKeySize));
}

TEST(KeyPair, PublicKeysMatchRfc7748) {
  EXPECT_EQ(toHex(fromHexSecret(kAliceSecret).publicKey()), kAlicePublic);
  EXPECT_EQ(toHex(fromHexSecret(kBobSecret).publicKey()), kBobPublic);
}

TEST(KeyPair, SharedSecretMatchesRfc7748BothWays) {
  const KeyPair alice = fromHexSecret(kAliceSecret);
  const KeyPair bob = fromHexSecret(kBobSecret);
  std::array<std::byte, kKeySize> ab{}, ba{};
  ASSERT_FALSE(detail::x25519(ab, alice.secretKey().bytes(), bob.publicKey()));
  ASSERT_FALSE(detail::x25519(ba, bob.secretKey().bytes(), alice.publicKey()));
  EXPECT_EQ(toHex(ab), kShared);
  EXPECT_EQ(toHex(ba), kShared);
}

TEST(KeyPair, LowOrderPointsAreRefused) {
  const KeyPair alice = fromHexSecret(kAliceSecret);
  std::array<std::byte, kKeySize> out{};
  for (const char* point : {"0000000000000000000000000000000000000000000000000000000000000000",
                            "0100000000000000000000000000000000000000000000000000000000000000",
                            // order 8 (from the list in libsodium and WireGuard)
                            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
    const Bytes p = fromHex(point);
    PublicKey key;
    std::copy(p.begin(), p.end(), key.begin());
    EXPECT_EQ(detail::x25519(out, alice.secretKey().bytes(), key), Error::InvalidPublicKey) << point;
  }
}

TEST(KeyPair, GeneratedPairsDifferAndAgree) {
  const KeyPair a = KeyPair::generate();
  const KeyPair b = KeyPair::generate();
  EXPECT_NE(a.publicKey(), b.publicKey());
  EXPECT_EQ(KeyPair::fromSecret(a.secretKey().bytes()).publicKey(), a.publicKey());
  std::array<std::byte, kKeySize> ab{}, ba{};
  ASSERT_FALSE(detail::x25519(ab, a.secretKey().bytes(), b.publicKey()));
  ASSERT_FALSE(detail::x25519(ba, b.secretKey().bytes(), a.publicKey()));
  EXPECT_EQ(ab, ba);
}

TEST(Fingerprint, IsBlake2bOfTheKeyInFiveGroupsOfBase32) {
  // Python: base64.b32encode(hashlib.blake2b(key).digest())[:20], grouped by four.
  const Bytes alice = fromHex(kAlicePublic);
  PublicKey key;
  std::copy(alice.begin(), alice.end(), key.begin());
  EXPECT_EQ(fingerprint(key), "5LMU-P47U-GFHC-UDNH-I5DW");
  EXPECT_EQ(fingerprint(PublicKey{}), "TK32-OOUX-UGRQ-GFAG-W3AW");
  const std::regex form("[A-Z2-7]{4}(-[A-Z2-7]{4}){4}");
  EXPECT_TRUE(std::regex_match(fingerprint(KeyPair::generate().publicKey()), form));
}

TEST(Secret, WipeLeavesZeros) {
  Secret<32> s;
  s.mutableBytes()[5] = std::byte{0xAA};
  s.wipe();
  for (std::byte b : s.bytes()) EXPECT_EQ(b, std::byte{0});
}

}  // namespace
}  // namespace chatport::noise::test
