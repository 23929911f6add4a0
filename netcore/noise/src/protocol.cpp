#include <chatport/noise/protocol.h>

#include <array>

namespace chatport::noise {
namespace {

constexpr std::array<std::pair<Pattern, std::string_view>, 3> kPatterns{{
    {Pattern::NN, "NN"}, {Pattern::XX, "XX"}, {Pattern::XXpsk3, "XXpsk3"}}};
constexpr std::array<std::pair<HashAlgorithm, std::string_view>, 2> kHashes{{
    {HashAlgorithm::Blake2b, "BLAKE2b"}, {HashAlgorithm::Sha256, "SHA256"}}};

}  // namespace

std::string Protocol::name() const {
  std::string out = "Noise_";
  for (const auto& [p, text] : kPatterns)
    if (p == pattern) out += text;
  out += "_25519_ChaChaPoly_";
  for (const auto& [h, text] : kHashes)
    if (h == hash) out += text;
  return out;
}

std::optional<Protocol> Protocol::parse(std::string_view name) {
  for (const auto& [p, patternText] : kPatterns)
    for (const auto& [h, hashText] : kHashes) {
      const Protocol candidate{p, h};
      if (candidate.name() == name) return candidate;
    }
  return std::nullopt;
}

}  // namespace chatport::noise
