// The published Noise test vectors (the cacophony set): fed the same keys, ChatPort's
// implementation must produce every handshake and transport message byte for byte, read the
// other side's, and end with the same handshake hash, in both roles.

#include "bytes.h"
#include "mini_json.h"
#include "vectors_data.h"

#include <chatport/noise/handshake_state.h>

#include <gtest/gtest.h>

#include <set>

namespace chatport::noise::test {
namespace {

using chatport::test::Json;

const Json& vectors() {
  static const Json kParsed = [] {
    auto parsed = Json::parse(kVectorsJson);
    return parsed ? *parsed : Json{};
  }();
  return kParsed["vectors"];
}

std::vector<std::string> supportedProtocolNames() {
  std::vector<std::string> names;
  for (const Json& v : vectors().array)
    if (Protocol::parse(v.str("protocol_name"))) names.push_back(v.str("protocol_name"));
  return names;
}

const Json* findVector(const std::string& name) {
  for (const Json& v : vectors().array)
    if (v.str("protocol_name") == name) return &v;
  return nullptr;
}

std::optional<KeyPair> keyPair(const Json& v, const std::string& field) {
  const Bytes secret = fromHex(v.str(field));
  if (secret.size() != kKeySize) return std::nullopt;
  return KeyPair::fromSecret(std::span<const std::byte, kKeySize>(secret.data(), kKeySize));
}

std::optional<Psk> psk(const Json& v, const std::string& field) {
  const Json& list = v[field];
  if (list.array.empty()) return std::nullopt;
  const Bytes bytes = fromHex(list.array[0].string);
  if (bytes.size() != kKeySize) return std::nullopt;
  return Psk(std::span<const std::byte, kKeySize>(bytes.data(), kKeySize));
}

TEST(NoiseVectors, FileHoldsEveryProtocolChatPortImplements) {
  ASSERT_FALSE(vectors().array.empty()) << "tests/data/noise/vectors.json did not parse";
  const auto names = supportedProtocolNames();
  const std::set<std::string> found(names.begin(), names.end());
  for (const char* name : {"Noise_NN_25519_ChaChaPoly_BLAKE2b", "Noise_XX_25519_ChaChaPoly_BLAKE2b",
                           "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b", "Noise_XX_25519_ChaChaPoly_SHA256",
                           "Noise_XXpsk3_25519_ChaChaPoly_SHA256"})
    EXPECT_TRUE(found.count(name)) << "no vector for " << name;
}

class NoiseVector : public ::testing::TestWithParam<std::string> {};

TEST_P(NoiseVector, BothRolesProduceEveryMessageByteForByte) {
  const Json* v = findVector(GetParam());
  ASSERT_NE(v, nullptr);
  const auto protocol = Protocol::parse(GetParam());
  ASSERT_TRUE(protocol);

  const Bytes initPrologue = fromHex(v->str("init_prologue"));
  const Bytes respPrologue = fromHex(v->str("resp_prologue"));
  HandshakeConfig initConfig{.protocol = *protocol, .role = Role::Initiator, .prologue = initPrologue,
                             .localStatic = keyPair(*v, "init_static"), .psk = psk(*v, "init_psks"),
                             .ephemeralForTests = keyPair(*v, "init_ephemeral")};
  HandshakeConfig respConfig{.protocol = *protocol, .role = Role::Responder, .prologue = respPrologue,
                             .localStatic = keyPair(*v, "resp_static"), .psk = psk(*v, "resp_psks"),
                             .ephemeralForTests = keyPair(*v, "resp_ephemeral")};
  HandshakeState initiator;
  HandshakeState responder;
  ASSERT_FALSE(initiator.initialize(initConfig));
  ASSERT_FALSE(responder.initialize(respConfig));

  const auto& messages = (*v)["messages"].array;
  ASSERT_GE(messages.size(), 4u);
  CipherState initSend, initReceive, respSend, respReceive;
  bool transport = false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    const Bytes payload = fromHex(messages[i].str("payload"));
    const Bytes expected = fromHex(messages[i].str("ciphertext"));
    // Messages alternate, the initiator first, through the handshake and on into transport.
    const bool fromInitiator = i % 2 == 0;
    HandshakeState& writer = fromInitiator ? initiator : responder;
    HandshakeState& reader = fromInitiator ? responder : initiator;

    if (!transport) {
      Bytes written;
      Bytes read;
      ASSERT_TRUE(writer.isMyTurnToWrite());
      ASSERT_FALSE(writer.writeMessage(payload, written));
      EXPECT_EQ(toHex(written), toHex(expected));
      ASSERT_FALSE(reader.readMessage(expected, read));
      EXPECT_EQ(toHex(read), toHex(payload));
      if (initiator.isComplete()) {
        ASSERT_TRUE(responder.isComplete());
        const std::string hash = v->str("handshake_hash");
        EXPECT_EQ(toHex(initiator.handshakeHash()), hash);
        EXPECT_EQ(toHex(responder.handshakeHash()), hash);
        if (protocol->pattern != Pattern::NN) {
          ASSERT_TRUE(initiator.remoteStatic());
          ASSERT_TRUE(responder.remoteStatic());
          EXPECT_EQ(*initiator.remoteStatic(), respConfig.localStatic->publicKey());
          EXPECT_EQ(*responder.remoteStatic(), initConfig.localStatic->publicKey());
        }
        ASSERT_FALSE(initiator.split(initSend, initReceive));
        ASSERT_FALSE(responder.split(respSend, respReceive));
        EXPECT_EQ(toHex(initiator.handshakeHash()), hash) << "split() must keep h";
        transport = true;
      }
      continue;
    }
    CipherState& send = fromInitiator ? initSend : respSend;
    CipherState& receive = fromInitiator ? respReceive : initReceive;
    Bytes sealed;
    Bytes opened;
    ASSERT_FALSE(send.encryptWithAd({}, payload, sealed));
    EXPECT_EQ(toHex(sealed), toHex(expected));
    ASSERT_FALSE(receive.decryptWithAd({}, expected, opened));
    EXPECT_EQ(toHex(opened), toHex(payload));
  }
  EXPECT_TRUE(transport) << "the handshake never completed";
}

INSTANTIATE_TEST_SUITE_P(Published, NoiseVector, ::testing::ValuesIn(supportedProtocolNames()),
                         [](const auto& param) { return param.param; });

}  // namespace
}  // namespace chatport::noise::test
