// The host's parser of what joiners send (proto::ClientMessage): see parser_round_trip.h.

#include "parser_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chatport::fuzz::checkParserRoundTrip<chatport::chat::proto::ClientMessage>(data, size);
  return 0;
}
