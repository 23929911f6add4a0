// The room beacon's parser (beacon.h): one UDP datagram, as a host or a joiner receives it.
// Whatever it accepts, the encoder writes back: byte for byte for version 1; for a later
// version, the fields version 1 knows, as the datagram's beginning. Reading that again gives
// the same message. Anything it rejects, it rejects without harm (AddressSanitizer and UBSan).

#include "beacon.h"
#include "check.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace beacon = chatport::chat::beacon;
  const std::span datagram(reinterpret_cast<const std::byte*>(data), size);
  beacon::Datagram message;
  if (beacon::parse(datagram, message) != beacon::BeaconError::None) return 0;

  const std::uint8_t version = data[4];
  chatport::net::Bytes encoded = beacon::encode(message);
  beacon::Datagram again;
  FUZZ_CHECK(beacon::parse(encoded, again) == beacon::BeaconError::None,
             "kind %u: its own encoding does not parse", unsigned{data[5]});
  FUZZ_CHECK(again == message, "kind %u: read differently the second time", unsigned{data[5]});

  if (const auto* query = std::get_if<beacon::Query>(&message)) {
    FUZZ_CHECK(query->size == size, "a query of %zu bytes read as %zu", size, query->size);
    FUZZ_CHECK(size >= beacon::kMaxAnnounceSize, "a query of %zu bytes accepted: too small to answer", size);
    if (version != beacon::kVersion) return 0;  // its padding may carry later fields
  }
  encoded[4] = std::byte{version};
  FUZZ_CHECK(encoded.size() <= size && std::equal(encoded.begin(), encoded.end(), datagram.begin()),
             "kind %u version %u: parsed from %zu bytes, encoded again as %zu others", unsigned{data[5]},
             unsigned{version}, size, encoded.size());
  FUZZ_CHECK(version != beacon::kVersion || encoded.size() == size,
             "version 1 with %zu bytes accepted after its %zu", size - encoded.size(), encoded.size());
  return 0;
}
