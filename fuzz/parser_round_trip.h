#pragma once
// The property every message parser is fuzzed for: whatever it accepts, the encoder writes back
// byte for byte (one encoding per message, so two peers can never read one frame two ways), and
// reading that again gives the same message. Anything it rejects, it rejects without harm:
// AddressSanitizer and UBSan watch over that.
//
// A harness for a new message family is a file of a few lines (client_message_fuzzer.cpp) and
// a line in CMakeLists.txt, given parse(payload, Variant&) and toFrame(const Variant&).

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include "check.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace chatport::fuzz {

template <typename Variant>
void checkParserRoundTrip(const std::uint8_t* data, std::size_t size) {
  namespace proto = chat::proto;
  const std::span payload(reinterpret_cast<const std::byte*>(data), size);
  Variant message;
  const proto::ParseError error = proto::parse(payload, message);
  if (error != proto::ParseError::None) return;

  const net::SharedBytes frame = proto::toFrame(message);
  net::Bytes expected;
  net::appendFrame(expected, payload);
  FUZZ_CHECK(*frame == expected,
             "message type 0x%02x: parsed from %zu payload bytes, encoded again as %zu",
             data[0], size, frame->size() - net::kFrameHeaderSize);

  Variant again;
  FUZZ_CHECK(proto::parse(std::span(*frame).subspan(net::kFrameHeaderSize), again) ==
                 proto::ParseError::None,
             "message type 0x%02x: its own encoding does not parse", data[0]);
  FUZZ_CHECK(again == message, "message type 0x%02x: read differently the second time", data[0]);
}

}  // namespace chatport::fuzz
