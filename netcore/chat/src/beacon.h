#pragma once
// The room beacon: the UDP datagrams by which hosts announce their rooms on the local network
// and joiners ask for them (docs/protocol.md, "Room beacon"). A pure codec: bytes in, values
// out, no I/O, no state, never throws. Every function here is thread-safe.
//
// Datagram (all integers big-endian):
//
//   offset  size  field
//   0       4     magic "CPRB" (43 50 52 42)
//   4       1     beacon version (1)
//   5       1     kind (BeaconKind)
//   6       ...   the fields of that kind
//
// Announce (kind 1), host -> joiners:
//   6       2     u16 chat protocol version the host speaks
//   8       1     u8 flags: bit 0 a password is needed; bits 1-7 are 0
//   9       8     instance id: random, new each time a host starts
//   17      32    the host's static public key (X25519), as the Noise handshake will show it
//   49      4     u32 change counter: one higher after each change of any field but the id
//   53      4     u32 people in the room, the host included
//   57      1     u8 n, the number of TCP ports (1-4), then n x u16 port (each non-zero)
//   ...           room name: u8 byte length, then the bytes; 0 = no name (show the host's)
//   ...           host name: u8 byte length, then the bytes
// The host name, and the room name unless empty, follow the nickname rules (validateName).
// At most 324 bytes in all (kMaxAnnounceSize).
//
// Query (kind 2), joiner -> hosts: nothing but zero padding up to at least kQuerySize bytes.
// A host answers only with an Announce no larger than the Query, so answering never
// amplifies a forged query.
//
// Versioning: version 1 is the base. A later version only ever appends fields to a kind (a
// kind whose layout must change gets a new kind number), so a reader takes any version >= 1,
// reads the fields it knows, and ignores what follows them only when the version is above 1.
// Unknown kinds are rejected (UnknownKind) without harm.

#include <chatport/net/buffer.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chatport::chat::beacon {

/// Where beacons go: UDP, next to the chat's default TCP port 5150 (docs/protocol.md says why),
/// to each interface's IPv4 broadcast address, to an IPv4 group of local scope (RFC 2365; sent
/// with TTL 1) and to an IPv6 link-local group (ff12::/16: link-local scope, transient since
/// it is not assigned by IANA, as Syncthing's ff12::8384).
inline constexpr std::uint16_t kDiscoveryPort = 5149;
inline constexpr std::string_view kMulticastV4 = "239.255.51.50";
inline constexpr std::string_view kMulticastV6 = "ff12::5150";

inline constexpr std::array<std::byte, 4> kMagic{std::byte{'C'}, std::byte{'P'}, std::byte{'R'},
                                                 std::byte{'B'}};
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 6;
inline constexpr std::size_t kMaxPorts = 4;
inline constexpr std::size_t kMaxNameBytes = 128;  ///< 32 code points of 4 bytes
/// The largest Announce of version 1.
inline constexpr std::size_t kMaxAnnounceSize =
    kHeaderSize + 2 + 1 + 8 + 32 + 4 + 4 + 1 + 2 * kMaxPorts + 2 * (1 + kMaxNameBytes);
/// The smallest Query a host answers: room for the largest Announce.
inline constexpr std::size_t kQuerySize = 384;
/// No datagram is read beyond this: under the IPv6 minimum MTU (1280) less the IPv6 and UDP
/// headers, so a beacon is never fragmented.
inline constexpr std::size_t kMaxDatagramSize = 1232;
static_assert(kMaxAnnounceSize <= kQuerySize && kQuerySize <= kMaxDatagramSize);

enum class BeaconKind : std::uint8_t { Announce = 1, Query = 2 };

using InstanceId = std::array<std::byte, 8>;
/// The room host's static public key: the same bytes as noise::PublicKey, whose fingerprint
/// (noise::fingerprint) is ConnectedEvent::hostFingerprint.
using HostKey = std::array<std::byte, 32>;

/// What a host says about its room.
struct RoomInfo {
  std::uint16_t protocolVersion = 0;
  bool passwordRequired = false;
  HostKey hostKey{};
  std::uint32_t people = 0;
  std::vector<std::uint16_t> tcpPorts;  ///< 1-4 ports, each non-zero; the first is the usual one
  std::string roomName;                 ///< empty: the room has no name of its own
  std::string hostName;
  friend bool operator==(const RoomInfo&, const RoomInfo&) = default;
};

struct Announce {
  InstanceId instance{};
  std::uint32_t changeCounter = 0;
  RoomInfo room;
  friend bool operator==(const Announce&, const Announce&) = default;
};

struct Query {
  std::size_t size = kQuerySize;  ///< the whole datagram's size: padded to it with zeros
  friend bool operator==(const Query&, const Query&) = default;
};

using Datagram = std::variant<Announce, Query>;

/// Why a datagram was rejected. Parsing stops at the first error.
enum class BeaconError : std::uint8_t {
  None,
  Truncated,           ///< shorter than its header or ends inside a field
  TooLarge,            ///< longer than kMaxDatagramSize
  BadMagic,            ///< not a ChatPort beacon
  UnsupportedVersion,  ///< beacon version 0
  UnknownKind,         ///< a kind this version does not define
  TrailingBytes,       ///< version 1 with bytes after the last field
  BadFlags,            ///< reserved flag bits set
  BadPorts,            ///< no port, more than kMaxPorts, or port 0
  InvalidName,         ///< a name that breaks the nickname rules (or is not UTF-8)
  QueryTooSmall,       ///< a Query under kQuerySize: it would be answered with more than it is
  BadPadding,          ///< a version 1 Query whose padding is not all zeros
};

/// Stable snake_case name of an error, for logs.
std::string_view beaconErrorName(BeaconError error) noexcept;

/// Parses one datagram. On error, out is unspecified.
BeaconError parse(std::span<const std::byte> datagram, Datagram& out);

/// Whether room can be announced: the rules parse() applies to an Announce's fields.
BeaconError validate(const RoomInfo& room);

/// The datagram of a message; room must pass validate() (checked only by assert). A Query is
/// padded to max(size, kQuerySize) and at most kMaxDatagramSize.
net::Bytes encode(const Announce& announce);
net::Bytes encode(const Query& query);
net::Bytes encode(const Datagram& datagram);

}  // namespace chatport::chat::beacon
