// An attacker's view of the room: sessions that cannot be guessed or stolen, requests that all
// count against the sender's budget, newcomers that cannot be locked out, and answers that
// come in the order and with the codes docs/protocol.md gives.

#include "raw_joiner.h"
#include "system_random_probe.h"
#include "test_participant.h"

#include <gtest/gtest.h>

#include <bit>
#include <set>

namespace chatport::chat::test {
namespace {

int differingBits(const proto::Token& a, const proto::Token& b) {
  int bits = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    bits += std::popcount(std::to_integer<unsigned>(a[i] ^ b[i]));
  return bits;
}

TEST(HostHardening, ResumeTokensComeFromTheSystemGeneratorAndTwoHostsNeverShareOne) {
  // Two hosts started in the same second, as after a power cut.
  TestParticipant first(hostOptions()), second(hostOptions());
  first.host("first");
  second.host("second");
  ASSERT_TRUE(first.waitConnected());
  ASSERT_TRUE(second.waitConnected());

  std::vector<proto::Token> tokens;
  std::vector<std::unique_ptr<RawJoiner>> joiners;
  for (int i = 0; i < 4; ++i) {
    for (TestParticipant* host : {&first, &second}) {
      joiners.push_back(std::make_unique<RawJoiner>());
      ASSERT_TRUE(joiners.back()->handshake(host->port(), "j" + std::to_string(i)));
      tokens.push_back(joiners.back()->token());
    }
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (std::size_t j = i + 1; j < tokens.size(); ++j) {
      // Independent 128-bit tokens differ in about 64 bits; fewer than 24 happens once in 10^11.
      EXPECT_GE(differingBits(tokens[i], tokens[j]), 24) << "tokens " << i << " and " << j;
    }
  }
  if (systemRandomProbeAvailable()) {
    for (const auto& token : tokens)
      EXPECT_TRUE(cameFromSystemRandom(token)) << "a token that getrandom(2) never returned";
  }
}

TEST(HostHardening, WrongTokenNeverResumesAnyone) {
  TestParticipant host(hostOptions());
  host.host("host");
  ASSERT_TRUE(host.waitConnected());
  RawJoiner victim;
  ASSERT_TRUE(victim.handshake(host.port(), "victim"));

  // Every single-bit neighbour of the first and last byte, and a token of zeros: none of them
  // is the victim's, so each is a newcomer with its own id.
  std::vector<proto::Token> guesses;
  for (std::size_t byte : {std::size_t{0}, proto::kTokenSize - 1}) {
    for (int bit = 0; bit < 8; ++bit) {
      proto::Token t = victim.token();
      t[byte] ^= std::byte(1 << bit);
      guesses.push_back(t);
    }
  }
  guesses.push_back(proto::Token{});
  std::set<ClientId> ids{victim.id()};
  int n = 0;
  for (const auto& guess : guesses) {
    RawJoiner thief;
    ASSERT_TRUE(thief.handshake(host.port(), "thief" + std::to_string(n++), guess));
    EXPECT_TRUE(ids.insert(thief.id()).second) << "a wrong token took over client " << thief.id();
    EXPECT_NE(thief.token(), victim.token());
  }
  // The victim was never replaced: its link still works and it was told nothing.
  ASSERT_TRUE(victim.send(proto::toFrame(proto::Say{"still mine"})));
  for (;;) {
    auto m = victim.next();
    ASSERT_TRUE(m.has_value()) << "the victim's link was closed";
    ASSERT_FALSE(std::holds_alternative<proto::Closing>(*m)) << "the victim was replaced";
    if (auto* said = std::get_if<proto::ChatMessage>(&*m)) {
      EXPECT_EQ(said->from, victim.id());
      EXPECT_EQ(said->text, "still mine");
      break;
    }
  }
  // And the right token still resumes the victim's session.
  RawJoiner back;
  ASSERT_TRUE(back.handshake(host.port(), "victim", victim.token()));
  EXPECT_EQ(back.id(), victim.id());
}

}  // namespace
}  // namespace chatport::chat::test
