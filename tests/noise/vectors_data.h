#pragma once
// The published Noise test vectors (tests/data/noise/vectors.json), compiled in.

#include <string_view>

namespace chatport::noise::test {

extern const std::string_view kVectorsJson;

}  // namespace chatport::noise::test
