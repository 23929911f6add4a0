// A joiner's parser of what the host sends (proto::HostMessage): see parser_round_trip.h.

#include "parser_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chatport::fuzz::checkParserRoundTrip<chatport::chat::proto::HostMessage>(data, size);
  return 0;
}
