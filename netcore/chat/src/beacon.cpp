#include "beacon.h"

#include <chatport/chat/types.h>

#include <algorithm>
#include <cassert>

namespace chatport::chat::beacon {
namespace {

constexpr std::uint8_t kPasswordFlag = 0x01;

class Writer {
 public:
  explicit Writer(net::Bytes& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(std::byte{v}); }
  void u16(std::uint16_t v) { be(v, 2); }
  void u32(std::uint32_t v) { be(v, 4); }
  void bytes(std::span<const std::byte> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void name(std::string_view s) {
    u8(static_cast<std::uint8_t>(s.size()));
    bytes(net::asBytes(s));
  }
  void header(BeaconKind kind) {
    bytes(kMagic);
    u8(kVersion);
    u8(static_cast<std::uint8_t>(kind));
  }

 private:
  void be(std::uint32_t v, int size) {
    for (int i = size - 1; i >= 0; --i) out_.push_back(std::byte(v >> (8 * i) & 0xFF));
  }
  net::Bytes& out_;
};

// Reads fields in order; the first failure sticks and every later read is a no-op.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}
  bool ok() const { return error_ == BeaconError::None; }
  BeaconError error() const { return error_; }
  void fail(BeaconError e) {
    if (ok()) error_ = e;
  }
  std::span<const std::byte> rest() const { return in_; }

  std::span<const std::byte> take(std::size_t n) {
    if (!ok()) return {};
    if (in_.size() < n) {
      fail(BeaconError::Truncated);
      return {};
    }
    auto out = in_.first(n);
    in_ = in_.subspan(n);
    return out;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(be(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(be(2)); }
  std::uint32_t u32() { return be(4); }
  template <std::size_t N>
  std::array<std::byte, N> array() {
    std::array<std::byte, N> out{};
    const auto raw = take(N);
    if (ok()) std::copy(raw.begin(), raw.end(), out.begin());
    return out;
  }
  std::string name() {
    const auto raw = take(u8());
    return ok() ? std::string(net::asText(raw)) : std::string();
  }

 private:
  std::uint32_t be(std::size_t size) {
    std::uint32_t v = 0;
    for (std::byte b : take(size)) v = v << 8 | std::to_integer<std::uint32_t>(b);
    return v;
  }
  std::span<const std::byte> in_;
  BeaconError error_ = BeaconError::None;
};

void parseAnnounce(Reader& r, Announce& m) {
  m.room.protocolVersion = r.u16();
  const std::uint8_t flags = r.u8();
  if (r.ok() && (flags & ~kPasswordFlag)) r.fail(BeaconError::BadFlags);
  m.room.passwordRequired = flags & kPasswordFlag;
  m.instance = r.array<8>();
  m.room.hostKey = r.array<32>();
  m.changeCounter = r.u32();
  m.room.people = r.u32();
  const std::uint8_t ports = r.u8();
  if (r.ok() && (ports == 0 || ports > kMaxPorts)) r.fail(BeaconError::BadPorts);
  for (std::uint8_t i = 0; i < ports && r.ok(); ++i) m.room.tcpPorts.push_back(r.u16());
  m.room.roomName = r.name();
  m.room.hostName = r.name();
  if (r.ok()) r.fail(validate(m.room));
}

void parseQuery(Reader& r, std::size_t size, std::uint8_t version, Query& m) {
  m.size = size;
  if (size < kQuerySize) r.fail(BeaconError::QueryTooSmall);
  const auto padding = r.take(r.rest().size());
  // Later versions may carry fields in what version 1 pads with.
  const auto nonZero = [](std::byte b) { return b != std::byte{0}; };
  if (r.ok() && version == 1 && std::any_of(padding.begin(), padding.end(), nonZero))
    r.fail(BeaconError::BadPadding);
}

}  // namespace

std::string_view beaconErrorName(BeaconError error) noexcept {
  switch (error) {
    case BeaconError::None: return "none";
    case BeaconError::Truncated: return "truncated";
    case BeaconError::TooLarge: return "too_large";
    case BeaconError::BadMagic: return "bad_magic";
    case BeaconError::UnsupportedVersion: return "unsupported_version";
    case BeaconError::UnknownKind: return "unknown_kind";
    case BeaconError::TrailingBytes: return "trailing_bytes";
    case BeaconError::BadFlags: return "bad_flags";
    case BeaconError::BadPorts: return "bad_ports";
    case BeaconError::InvalidName: return "invalid_name";
    case BeaconError::QueryTooSmall: return "query_too_small";
    case BeaconError::BadPadding: return "bad_padding";
  }
  return "unknown";
}

BeaconError validate(const RoomInfo& room) {
  if (room.tcpPorts.empty() || room.tcpPorts.size() > kMaxPorts ||
      std::find(room.tcpPorts.begin(), room.tcpPorts.end(), 0) != room.tcpPorts.end())
    return BeaconError::BadPorts;
  // validateName also bounds the length: 32 code points are at most kMaxNameBytes bytes.
  if ((!room.roomName.empty() && validateName(room.roomName)) || validateName(room.hostName))
    return BeaconError::InvalidName;
  return BeaconError::None;
}

BeaconError parse(std::span<const std::byte> datagram, Datagram& out) {
  if (datagram.size() > kMaxDatagramSize) return BeaconError::TooLarge;
  if (datagram.size() < kHeaderSize) return BeaconError::Truncated;
  if (!std::equal(kMagic.begin(), kMagic.end(), datagram.begin())) return BeaconError::BadMagic;
  const auto version = std::to_integer<std::uint8_t>(datagram[4]);
  if (version == 0) return BeaconError::UnsupportedVersion;
  Reader r(datagram.subspan(kHeaderSize));
  switch (static_cast<BeaconKind>(datagram[5])) {
    case BeaconKind::Announce: {
      Announce m;
      parseAnnounce(r, m);
      out = std::move(m);
      break;
    }
    case BeaconKind::Query: {
      Query m;
      parseQuery(r, datagram.size(), version, m);
      out = m;
      break;
    }
    default: return BeaconError::UnknownKind;
  }
  if (r.ok() && version == 1 && !r.rest().empty()) r.fail(BeaconError::TrailingBytes);
  return r.error();
}

net::Bytes encode(const Announce& m) {
  assert(validate(m.room) == BeaconError::None);
  net::Bytes out;
  out.reserve(kMaxAnnounceSize);
  Writer w(out);
  w.header(BeaconKind::Announce);
  w.u16(m.room.protocolVersion);
  w.u8(m.room.passwordRequired ? kPasswordFlag : 0);
  w.bytes(m.instance);
  w.bytes(m.room.hostKey);
  w.u32(m.changeCounter);
  w.u32(m.room.people);
  w.u8(static_cast<std::uint8_t>(m.room.tcpPorts.size()));
  for (std::uint16_t port : m.room.tcpPorts) w.u16(port);
  w.name(m.room.roomName);
  w.name(m.room.hostName);
  assert(out.size() <= kMaxAnnounceSize);
  return out;
}

net::Bytes encode(const Query& m) {
  net::Bytes out;
  Writer w(out);
  w.header(BeaconKind::Query);
  out.resize(std::clamp(m.size, kQuerySize, kMaxDatagramSize));
  return out;
}

net::Bytes encode(const Datagram& datagram) {
  return std::visit([](const auto& m) { return encode(m); }, datagram);
}

}  // namespace chatport::chat::beacon
