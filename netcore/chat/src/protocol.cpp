#include <chatport/chat/protocol.h>

#include <chatport/net/frame.h>

#include "utf8.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace chatport::chat::proto {
namespace {

constexpr std::uint8_t kHostFlag = 0x01;
constexpr std::uint8_t kPresenceShift = 1;  // entry flags bits 1-2
constexpr std::uint8_t kPresenceMask = 0x06;
// u64 seq, i64 timeMs, a one-byte name, an empty text.
constexpr std::size_t kSmallestHistoryEntry = 8 + 8 + 2 + 4;

// ---- writing -------------------------------------------------------------------------------

class Writer {
 public:
  explicit Writer(net::Bytes& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(std::byte{v}); }
  void u16(std::uint16_t v) { be(v, 2); }
  void u32(std::uint32_t v) { be(v, 4); }
  void u64(std::uint64_t v) { be(v, 8); }
  void i64(std::int64_t v) { be(static_cast<std::uint64_t>(v), 8); }
  void bytes(std::span<const std::byte> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void name(std::string_view s) {
    assert(s.size() <= 255);
    u8(static_cast<std::uint8_t>(s.size()));
    bytes(net::asBytes(s));
  }
  void text(std::string_view s) {
    assert(s.size() <= kMaxMessageBytes);
    u32(static_cast<std::uint32_t>(s.size()));
    bytes(net::asBytes(s));
  }
  void detail(std::string_view s) {
    s = cutUtf8(s, kMaxDetailBytes);
    u16(static_cast<std::uint16_t>(s.size()));
    bytes(net::asBytes(s));
  }
  void entry(const Participant& p) {
    u32(p.id);
    u8(static_cast<std::uint8_t>((p.isHost ? kHostFlag : 0) |
                                 static_cast<std::uint8_t>(p.presence) << kPresenceShift));
    name(p.name);
  }
  void type(MessageType t) { u8(static_cast<std::uint8_t>(t)); }
  void files(const std::vector<OfferedFile>& files) {
    u32(static_cast<std::uint32_t>(files.size()));
    for (const auto& f : files) {
      assert(!f.path.empty() && f.path.size() <= kMaxFilePathBytes);
      u16(static_cast<std::uint16_t>(f.path.size()));
      bytes(net::asBytes(f.path));
      u64(f.size);
    }
  }
  void outcome(const Outcome& o) {
    u8(o.failure ? static_cast<std::uint8_t>(1 + static_cast<std::uint8_t>(*o.failure)) : 0);
  }

 private:
  void be(std::uint64_t v, int size) {
    for (int i = size - 1; i >= 0; --i) out_.push_back(std::byte(v >> (8 * i) & 0xFF));
  }
  // At most max bytes, not splitting a UTF-8 sequence.
  static std::string_view cutUtf8(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
  }

  net::Bytes& out_;
};

void write(Writer& w, const Hello& m) {
  w.type(MessageType::Hello);
  w.u16(m.version);
  w.name(m.name);
  w.u64(m.lastSeq);
  if (m.resumeToken) {
    w.u8(kTokenSize);
    w.bytes(*m.resumeToken);
    w.u64(m.lastPrivateSeq);
  } else {
    w.u8(0);
  }
}
void write(Writer& w, const Say& m) {
  w.type(MessageType::Say);
  w.text(m.text);
}
void write(Writer& w, const Whisper& m) {
  w.type(MessageType::Whisper);
  w.u32(m.to);
  w.text(m.text);
}
void write(Writer& w, const Rename& m) {
  w.type(MessageType::Rename);
  w.name(m.name);
}
void write(Writer& w, const Kick& m) {
  w.type(MessageType::Kick);
  w.u32(m.who);
}
void write(Writer& w, const Bye&) { w.type(MessageType::Bye); }
void write(Writer& w, const SetPresence& m) {
  w.type(MessageType::SetPresence);
  w.u8(static_cast<std::uint8_t>(m.presence));
}
void write(Writer& w, const SetPicture& m) {
  assert(isPicture(m.picture));
  w.type(MessageType::SetPicture);
  w.bytes(m.picture);
}
void write(Writer& w, const Heartbeat&) { w.type(MessageType::Heartbeat); }
void write(Writer& w, const Welcome& m) {
  w.type(MessageType::Welcome);
  w.u32(m.you);
  w.bytes(m.token);
  w.name(m.hostName);
  w.u64(m.roomSeq);
  w.u32(m.heartbeatIntervalMs);
  w.u32(m.sendRateMilli);
  w.u32(m.sendBurst);
  w.u32(m.totalClients);
  w.u32(static_cast<std::uint32_t>(m.clients.size()));
  for (const auto& p : m.clients) w.entry(p);
}
void write(Writer& w, const Refuse& m) {
  w.type(MessageType::Refuse);
  w.u8(static_cast<std::uint8_t>(m.code));
  w.detail(m.detail);
}
void write(Writer& w, const RosterPart& m) {
  w.type(MessageType::RosterPart);
  w.u32(static_cast<std::uint32_t>(m.clients.size()));
  for (const auto& p : m.clients) w.entry(p);
}
void write(Writer& w, const ChatMessage& m) {
  w.type(MessageType::Message);
  w.u32(m.from);
  w.u64(m.seq);
  w.i64(m.timeMs);
  w.text(m.text);
}
void write(Writer& w, const PrivateMessage& m) {
  w.type(MessageType::Private);
  w.u32(m.from);
  w.u32(m.to);
  w.u64(m.pseq);
  w.i64(m.timeMs);
  w.text(m.text);
}
void write(Writer& w, const Joined& m) {
  w.type(MessageType::Joined);
  w.u32(static_cast<std::uint32_t>(m.who.size()));
  for (const auto& p : m.who) w.entry(p);
}
void write(Writer& w, const Left& m) {
  w.type(MessageType::Left);
  w.u32(m.id);
  w.u8(static_cast<std::uint8_t>(m.reason));
}
void write(Writer& w, const Renamed& m) {
  w.type(MessageType::Renamed);
  w.u32(m.id);
  w.name(m.name);
}
void write(Writer& w, const ErrorReply& m) {
  w.type(MessageType::Error);
  w.u8(static_cast<std::uint8_t>(m.code));
  w.detail(m.detail);
}
void write(Writer& w, const Closing& m) {
  w.type(MessageType::Closing);
  w.u8(static_cast<std::uint8_t>(m.code));
  w.detail(m.detail);
}
void write(Writer& w, const RoomKey& m) {
  w.type(MessageType::RoomKey);
  w.u32(m.epoch);
  w.bytes(m.key);
}
void write(Writer& w, const History& m) {
  w.type(MessageType::History);
  w.u64(m.missed);
  w.u32(static_cast<std::uint32_t>(m.entries.size()));
  for (const auto& e : m.entries) {
    w.u64(e.seq);
    w.i64(e.timeMs);
    w.name(e.from);
    w.text(e.text);
  }
}

void write(Writer& w, const Offer& m) {
  w.type(MessageType::Offer);
  w.u32(m.tag);
  w.u32(m.to);
  w.files(m.files);
}
void write(Writer& w, const Accept& m) {
  w.type(MessageType::Accept);
  w.u64(m.transfer);
  w.u64(m.offset);
}
void write(Writer& w, const Decline& m) {
  w.type(MessageType::Decline);
  w.u64(m.transfer);
}
void write(Writer& w, const CancelTransfer& m) {
  w.type(MessageType::CancelTransfer);
  w.u64(m.transfer);
  w.u32(m.peer);
}
void write(Writer& w, const Chunk& m) {
  w.type(MessageType::Chunk);
  w.u64(m.transfer);
  w.u32(m.receiver);
  w.u64(m.offset);
  w.bytes(m.data);
}
void write(Writer& w, const Ack& m) {
  w.type(MessageType::Ack);
  w.u64(m.transfer);
  w.u64(m.offset);
}
void write(Writer& w, const ChunksEnd& m) {
  w.type(MessageType::ChunksEnd);
  w.u64(m.transfer);
  w.u32(m.receiver);
  w.bytes(m.hash);
}
void write(Writer& w, const Received& m) {
  w.type(MessageType::Received);
  w.u64(m.transfer);
  w.outcome(m.outcome);
  w.detail(m.detail);
}
void write(Writer& w, const Reclaim& m) {
  w.type(MessageType::Reclaim);
  w.u64(m.transfer);
}
void write(Writer& w, const Offered& m) {
  w.type(MessageType::Offered);
  w.u64(m.transfer);
  w.u32(m.tag);
  w.u32(m.from);
  w.u32(m.to);
  w.i64(m.timeMs);
  w.files(m.files);
}
void write(Writer& w, const OfferRefused& m) {
  w.type(MessageType::OfferRefused);
  w.u32(m.tag);
  w.outcome(m.outcome);
  w.detail(m.detail);
}
void write(Writer& w, const Start& m) {
  w.type(MessageType::Start);
  w.u64(m.transfer);
  w.u32(m.receiver);
  w.u64(m.offset);
}
void write(Writer& w, const Data& m) {
  w.type(MessageType::Data);
  w.u64(m.transfer);
  w.u64(m.offset);
  w.bytes(m.data);
}
void write(Writer& w, const Acked& m) {
  w.type(MessageType::Acked);
  w.u64(m.transfer);
  w.u32(m.receiver);
  w.u64(m.offset);
}
void write(Writer& w, const DataEnd& m) {
  w.type(MessageType::DataEnd);
  w.u64(m.transfer);
  w.bytes(m.hash);
}
void write(Writer& w, const TransferEnded& m) {
  w.type(MessageType::TransferEnded);
  w.u64(m.transfer);
  w.u32(m.peer);
  w.outcome(m.outcome);
  w.detail(m.detail);
}
void write(Writer& w, const TransferPaused& m) {
  w.type(MessageType::TransferPaused);
  w.u64(m.transfer);
  w.u32(m.peer);
  w.u8(m.paused ? 1 : 0);
}
void write(Writer& w, const Limits& m) {
  w.type(MessageType::Limits);
  w.u32(m.sendRateMilli);
  w.u32(m.sendBurst);
}
void write(Writer& w, const PresenceChanged& m) {
  w.type(MessageType::PresenceChanged);
  w.u32(m.id);
  w.u8(static_cast<std::uint8_t>(m.presence));
}

void write(Writer& w, const PictureChanged& m) {
  assert(isPicture(m.picture));
  w.type(MessageType::PictureChanged);
  w.u32(m.id);
  w.bytes(m.picture);
}

// ---- reading -------------------------------------------------------------------------------

// Reads fields in order; the first failure sticks and every later read is a no-op.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}

  ParseError error() const { return error_; }
  bool ok() const { return error_ == ParseError::None; }
  ParseError finish() {
    if (ok() && !in_.empty()) error_ = ParseError::TrailingBytes;
    return error_;
  }
  void fail(ParseError e) {
    if (ok()) error_ = e;
  }

  std::uint8_t u8() { return static_cast<std::uint8_t>(be(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(be(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(be(4)); }
  std::uint64_t u64() { return be(8); }
  std::int64_t i64() { return static_cast<std::int64_t>(be(8)); }

  std::size_t left() const { return in_.size(); }
  std::span<const std::byte> take(std::size_t n) {
    if (!ok()) return {};
    if (in_.size() < n) {
      fail(ParseError::Truncated);
      return {};
    }
    auto out = in_.first(n);
    in_ = in_.subspan(n);
    return out;
  }

  std::string name() {
    const std::size_t n = u8();
    const auto raw = take(n);
    if (!ok()) return {};
    const std::string_view s = net::asText(raw);
    // Invalid UTF-8 is one way of breaking the name rules: the sender is told InvalidName.
    if (validateName(s)) fail(ParseError::InvalidName);
    return ok() ? std::string(s) : std::string();
  }
  std::string text() {
    const std::size_t n = u32();
    if (ok() && n > kMaxMessageBytes) fail(ParseError::TextTooLong);
    return utf8(take(n));
  }
  std::string detailText() {
    const std::size_t n = u16();
    if (ok() && n > kMaxDetailBytes) fail(ParseError::DetailTooLong);
    return utf8(take(n));
  }
  Code code() {
    const std::uint8_t v = u8();
    if (ok() && (v == 0 || v > kLastCode)) fail(ParseError::BadCode);
    return static_cast<Code>(v);
  }
  LeaveReason leaveReason() {
    const std::uint8_t v = u8();
    if (ok() && v > static_cast<std::uint8_t>(LeaveReason::TooFast)) fail(ParseError::BadLeaveReason);
    return static_cast<LeaveReason>(v);
  }
  Presence presence() { return presenceFrom(u8()); }
  Presence presenceFrom(std::uint8_t v) {
    if (ok() && v > static_cast<std::uint8_t>(Presence::Busy)) fail(ParseError::BadPresence);
    return static_cast<Presence>(v);
  }
  Participant entry() {
    Participant p;
    p.id = u32();
    const std::uint8_t flags = u8();
    if (ok() && (flags & ~(kHostFlag | kPresenceMask))) fail(ParseError::BadFlags);
    p.isHost = flags & kHostFlag;
    p.presence = presenceFrom(static_cast<std::uint8_t>((flags & kPresenceMask) >> kPresenceShift));
    p.name = name();
    return p;
  }
  // n entries; n is checked against the bytes left before reserving anything, so a forged
  // count cannot make the parser allocate more than the payload could hold.
  std::vector<Participant> entries(std::uint32_t n) {
    std::vector<Participant> out;
    if (!ok()) return out;
    if (n > in_.size() / 7) {  // the smallest entry is 7 bytes
      fail(ParseError::Truncated);
      return out;
    }
    out.reserve(n);
    for (std::uint32_t i = 0; i < n && ok(); ++i) out.push_back(entry());
    return out;
  }
  // An offer's files: n checked against the bytes left first, as entries() does.
  std::vector<OfferedFile> files() {
    std::vector<OfferedFile> out;
    const std::uint32_t n = u32();
    if (ok() && (n == 0 || n > kMaxOfferFiles)) fail(ParseError::BadFileList);
    if (ok() && n > in_.size() / 11) fail(ParseError::Truncated);  // the smallest is 11 bytes
    if (!ok()) return out;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n && ok(); ++i) {
      const std::size_t length = u16();
      if (ok() && (length == 0 || length > kMaxFilePathBytes)) fail(ParseError::BadFileList);
      OfferedFile f;
      f.path = utf8(take(length));
      f.size = u64();
      out.push_back(std::move(f));
    }
    return out;
  }
  // File data: the rest of the payload, 1..kFileChunk bytes.
  net::Bytes chunk() {
    if (ok() && (in_.empty() || in_.size() > kFileChunk)) fail(ParseError::BadChunk);
    const auto raw = take(in_.size());
    return net::Bytes(raw.begin(), raw.end());
  }
  Picture picture() {
    const auto raw = take(in_.size());
    if (ok() && !isPicture(raw)) fail(ParseError::BadPicture);
    return ok() ? Picture(raw.begin(), raw.end()) : Picture();
  }
  FileHash hash() {
    FileHash h{};
    const auto raw = take(h.size());
    if (ok()) std::copy(raw.begin(), raw.end(), h.begin());
    return h;
  }
  Outcome outcome() {
    const std::uint8_t v = u8();
    if (!ok() || v == 0) return {};
    if (v - 1 > static_cast<int>(TransferFailure::ProtocolError)) {
      fail(ParseError::BadOutcome);
      return {};
    }
    return {static_cast<TransferFailure>(v - 1)};
  }
  Token token() {
    Token t{};
    const auto raw = take(kTokenSize);
    if (ok()) std::copy(raw.begin(), raw.end(), t.begin());
    return t;
  }

 private:
  std::uint64_t be(std::size_t size) {
    const auto raw = take(size);
    std::uint64_t v = 0;
    for (std::byte b : raw) v = v << 8 | std::to_integer<std::uint64_t>(b);
    return v;
  }
  std::string utf8(std::span<const std::byte> raw) {
    if (!ok()) return {};
    const std::string_view s = net::asText(raw);
    if (!detail::isValidUtf8(s)) {
      fail(ParseError::InvalidUtf8);
      return {};
    }
    return std::string(s);
  }

  std::span<const std::byte> in_;
  ParseError error_ = ParseError::None;
};

template <typename Message>
void encodeInto(net::Bytes& out, const Message& m) {
  Writer w(out);
  write(w, m);
}

}  // namespace

std::string_view parseErrorName(ParseError error) noexcept {
  switch (error) {
    case ParseError::None: return "none";
    case ParseError::Empty: return "empty";
    case ParseError::UnknownType: return "unknown_type";
    case ParseError::Truncated: return "truncated";
    case ParseError::TrailingBytes: return "trailing_bytes";
    case ParseError::UnsupportedVersion: return "unsupported_version";
    case ParseError::InvalidUtf8: return "invalid_utf8";
    case ParseError::InvalidName: return "invalid_name";
    case ParseError::TextTooLong: return "text_too_long";
    case ParseError::DetailTooLong: return "detail_too_long";
    case ParseError::BadTokenLength: return "bad_token_length";
    case ParseError::BadCode: return "bad_code";
    case ParseError::BadLeaveReason: return "bad_leave_reason";
    case ParseError::BadFlags: return "bad_flags";
    case ParseError::BadPresence: return "bad_presence";
    case ParseError::BadPicture: return "bad_picture";
    case ParseError::BadRosterCount: return "bad_roster_count";
    case ParseError::BadFileList: return "bad_file_list";
    case ParseError::BadChunk: return "bad_chunk";
    case ParseError::BadOutcome: return "bad_outcome";
  }
  return "unknown";
}

ParseError parse(std::span<const std::byte> payload, ClientMessage& out) {
  if (payload.empty()) return ParseError::Empty;
  Reader r(payload.subspan(1));
  switch (static_cast<MessageType>(payload[0])) {
    case MessageType::Hello: {
      Hello m;
      m.version = r.u16();
      if (r.ok() && m.version != kProtocolVersion) {
        out = std::move(m);
        return ParseError::UnsupportedVersion;  // the rest may be laid out differently
      }
      m.name = r.name();
      m.lastSeq = r.u64();
      const std::uint8_t tokenLength = r.u8();
      if (r.ok() && tokenLength == kTokenSize) {
        m.resumeToken = r.token();
        m.lastPrivateSeq = r.u64();
      } else if (r.ok() && tokenLength != 0)
        r.fail(ParseError::BadTokenLength);
      out = std::move(m);
      break;
    }
    case MessageType::Say: {
      Say m;
      m.text = r.text();
      out = std::move(m);
      break;
    }
    case MessageType::Whisper: {
      Whisper m;
      m.to = r.u32();
      m.text = r.text();
      out = std::move(m);
      break;
    }
    case MessageType::Rename: {
      Rename m;
      m.name = r.name();
      out = std::move(m);
      break;
    }
    case MessageType::Kick: {
      Kick m;
      m.who = r.u32();
      out = m;
      break;
    }
    case MessageType::Bye: out = Bye{}; break;
    case MessageType::SetPresence: out = SetPresence{r.presence()}; break;
    case MessageType::SetPicture: out = SetPicture{r.picture()}; break;
    case MessageType::Heartbeat: out = Heartbeat{}; break;
    case MessageType::Offer: {
      Offer m;
      m.tag = r.u32();
      m.to = r.u32();
      m.files = r.files();
      out = std::move(m);
      break;
    }
    case MessageType::Accept: {
      Accept m;
      m.transfer = r.u64();
      m.offset = r.u64();
      out = m;
      break;
    }
    case MessageType::Decline: out = Decline{r.u64()}; break;
    case MessageType::CancelTransfer: {
      CancelTransfer m;
      m.transfer = r.u64();
      m.peer = r.u32();
      out = m;
      break;
    }
    case MessageType::Chunk: {
      Chunk m;
      m.transfer = r.u64();
      m.receiver = r.u32();
      m.offset = r.u64();
      m.data = r.chunk();
      out = std::move(m);
      break;
    }
    case MessageType::Ack: {
      Ack m;
      m.transfer = r.u64();
      m.offset = r.u64();
      out = m;
      break;
    }
    case MessageType::ChunksEnd: {
      ChunksEnd m;
      m.transfer = r.u64();
      m.receiver = r.u32();
      m.hash = r.hash();
      out = m;
      break;
    }
    case MessageType::Reclaim: out = Reclaim{r.u64()}; break;
    case MessageType::Received: {
      Received m;
      m.transfer = r.u64();
      m.outcome = r.outcome();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    default: return ParseError::UnknownType;
  }
  return r.finish();
}

ParseError parse(std::span<const std::byte> payload, HostMessage& out) {
  if (payload.empty()) return ParseError::Empty;
  Reader r(payload.subspan(1));
  switch (static_cast<MessageType>(payload[0])) {
    case MessageType::Welcome: {
      Welcome m;
      m.you = r.u32();
      m.token = r.token();
      m.hostName = r.name();
      m.roomSeq = r.u64();
      m.heartbeatIntervalMs = r.u32();
      m.sendRateMilli = r.u32();
      m.sendBurst = r.u32();
      m.totalClients = r.u32();
      const std::uint32_t n = r.u32();
      if (r.ok() && n > m.totalClients) r.fail(ParseError::BadRosterCount);
      m.clients = r.entries(n);
      out = std::move(m);
      break;
    }
    case MessageType::Refuse: {
      Refuse m;
      m.code = r.code();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    case MessageType::RosterPart: {
      RosterPart m;
      m.clients = r.entries(r.u32());
      out = std::move(m);
      break;
    }
    case MessageType::Message: {
      ChatMessage m;
      m.from = r.u32();
      m.seq = r.u64();
      m.timeMs = r.i64();
      m.text = r.text();
      out = std::move(m);
      break;
    }
    case MessageType::Private: {
      PrivateMessage m;
      m.from = r.u32();
      m.to = r.u32();
      m.pseq = r.u64();
      m.timeMs = r.i64();
      m.text = r.text();
      out = std::move(m);
      break;
    }
    case MessageType::Joined: {
      Joined m;
      const std::uint32_t n = r.u32();
      if (r.ok() && (n == 0 || n > kRosterPartEntries)) r.fail(ParseError::BadRosterCount);
      if (r.ok()) m.who = r.entries(n);
      out = std::move(m);
      break;
    }
    case MessageType::Left: {
      Left m;
      m.id = r.u32();
      m.reason = r.leaveReason();
      out = m;
      break;
    }
    case MessageType::Renamed: {
      Renamed m;
      m.id = r.u32();
      m.name = r.name();
      out = std::move(m);
      break;
    }
    case MessageType::Error: {
      ErrorReply m;
      m.code = r.code();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    case MessageType::Closing: {
      Closing m;
      m.code = r.code();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    case MessageType::Heartbeat: out = Heartbeat{}; break;
    case MessageType::RoomKey: {
      RoomKey m;
      m.epoch = r.u32();
      const auto key = r.take(m.key.size());
      if (r.ok()) std::copy(key.begin(), key.end(), m.key.begin());
      out = m;
      break;
    }
    case MessageType::History: {
      History m;
      m.missed = r.u64();
      const std::uint32_t n = r.u32();
      if (r.ok() && n > r.left() / kSmallestHistoryEntry) r.fail(ParseError::Truncated);
      if (r.ok()) m.entries.reserve(n);
      for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
        HistoryEntry e;
        e.seq = r.u64();
        e.timeMs = r.i64();
        e.from = r.name();
        e.text = r.text();
        m.entries.push_back(std::move(e));
      }
      out = std::move(m);
      break;
    }
    case MessageType::Offered: {
      Offered m;
      m.transfer = r.u64();
      m.tag = r.u32();
      m.from = r.u32();
      m.to = r.u32();
      m.timeMs = r.i64();
      m.files = r.files();
      out = std::move(m);
      break;
    }
    case MessageType::OfferRefused: {
      OfferRefused m;
      m.tag = r.u32();
      m.outcome = r.outcome();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    case MessageType::Start: {
      Start m;
      m.transfer = r.u64();
      m.receiver = r.u32();
      m.offset = r.u64();
      out = m;
      break;
    }
    case MessageType::Data: {
      Data m;
      m.transfer = r.u64();
      m.offset = r.u64();
      m.data = r.chunk();
      out = std::move(m);
      break;
    }
    case MessageType::Acked: {
      Acked m;
      m.transfer = r.u64();
      m.receiver = r.u32();
      m.offset = r.u64();
      out = m;
      break;
    }
    case MessageType::DataEnd: {
      DataEnd m;
      m.transfer = r.u64();
      m.hash = r.hash();
      out = m;
      break;
    }
    case MessageType::TransferEnded: {
      TransferEnded m;
      m.transfer = r.u64();
      m.peer = r.u32();
      m.outcome = r.outcome();
      m.detail = r.detailText();
      out = std::move(m);
      break;
    }
    case MessageType::TransferPaused: {
      TransferPaused m;
      m.transfer = r.u64();
      m.peer = r.u32();
      const std::uint8_t paused = r.u8();
      if (r.ok() && paused > 1) r.fail(ParseError::BadFlags);
      m.paused = paused == 1;
      out = m;
      break;
    }
    case MessageType::Limits: {
      Limits m;
      m.sendRateMilli = r.u32();
      m.sendBurst = r.u32();
      out = m;
      break;
    }
    case MessageType::PresenceChanged: {
      PresenceChanged m;
      m.id = r.u32();
      m.presence = r.presence();
      out = m;
      break;
    }
    case MessageType::PictureChanged: {
      PictureChanged m;
      m.id = r.u32();
      m.picture = r.picture();
      out = std::move(m);
      break;
    }
    default: return ParseError::UnknownType;
  }
  return r.finish();
}

template <typename Message>
net::Bytes toPayload(const Message& message) {
  net::Bytes out;
  encodeInto(out, message);
  return out;
}

template <typename Message>
net::SharedBytes toFrame(const Message& message) {
  // Encoded straight after a header placeholder, so the payload is never copied.
  auto out = std::make_shared<net::Bytes>(net::kFrameHeaderSize);
  encodeInto(*out, message);
  const std::size_t n = out->size() - net::kFrameHeaderSize;
  assert(n <= net::kFrameLengthLimit);
  (*out)[0] = std::byte{net::kFrameMagic};
  (*out)[1] = std::byte(n >> 16 & 0xFF);
  (*out)[2] = std::byte(n >> 8 & 0xFF);
  (*out)[3] = std::byte(n & 0xFF);
  return out;
}

#define CHATPORT_PROTO_INSTANTIATE(M)                 \
  template net::Bytes toPayload<M>(const M& message); \
  template net::SharedBytes toFrame<M>(const M& message);
CHATPORT_PROTO_INSTANTIATE(Hello)
CHATPORT_PROTO_INSTANTIATE(Say)
CHATPORT_PROTO_INSTANTIATE(Whisper)
CHATPORT_PROTO_INSTANTIATE(Rename)
CHATPORT_PROTO_INSTANTIATE(Kick)
CHATPORT_PROTO_INSTANTIATE(Bye)
CHATPORT_PROTO_INSTANTIATE(Heartbeat)
CHATPORT_PROTO_INSTANTIATE(Welcome)
CHATPORT_PROTO_INSTANTIATE(Refuse)
CHATPORT_PROTO_INSTANTIATE(RosterPart)
CHATPORT_PROTO_INSTANTIATE(ChatMessage)
CHATPORT_PROTO_INSTANTIATE(PrivateMessage)
CHATPORT_PROTO_INSTANTIATE(Joined)
CHATPORT_PROTO_INSTANTIATE(Left)
CHATPORT_PROTO_INSTANTIATE(Renamed)
CHATPORT_PROTO_INSTANTIATE(ErrorReply)
CHATPORT_PROTO_INSTANTIATE(Closing)
CHATPORT_PROTO_INSTANTIATE(RoomKey)
CHATPORT_PROTO_INSTANTIATE(History)
CHATPORT_PROTO_INSTANTIATE(Offer)
CHATPORT_PROTO_INSTANTIATE(Accept)
CHATPORT_PROTO_INSTANTIATE(Decline)
CHATPORT_PROTO_INSTANTIATE(CancelTransfer)
CHATPORT_PROTO_INSTANTIATE(Chunk)
CHATPORT_PROTO_INSTANTIATE(Ack)
CHATPORT_PROTO_INSTANTIATE(ChunksEnd)
CHATPORT_PROTO_INSTANTIATE(Received)
CHATPORT_PROTO_INSTANTIATE(Reclaim)
CHATPORT_PROTO_INSTANTIATE(Offered)
CHATPORT_PROTO_INSTANTIATE(OfferRefused)
CHATPORT_PROTO_INSTANTIATE(Start)
CHATPORT_PROTO_INSTANTIATE(Data)
CHATPORT_PROTO_INSTANTIATE(Acked)
CHATPORT_PROTO_INSTANTIATE(DataEnd)
CHATPORT_PROTO_INSTANTIATE(TransferEnded)
CHATPORT_PROTO_INSTANTIATE(TransferPaused)
CHATPORT_PROTO_INSTANTIATE(Limits)
CHATPORT_PROTO_INSTANTIATE(SetPresence)
CHATPORT_PROTO_INSTANTIATE(PresenceChanged)
CHATPORT_PROTO_INSTANTIATE(SetPicture)
CHATPORT_PROTO_INSTANTIATE(PictureChanged)
#undef CHATPORT_PROTO_INSTANTIATE

net::SharedBytes toFrame(const ClientMessage& message) {
  return std::visit([](const auto& m) { return toFrame(m); }, message);
}

net::SharedBytes toFrame(const HostMessage& message) {
  return std::visit([](const auto& m) { return toFrame(m); }, message);
}

static_assert(kMaxOfferListBytes + 64 <= kMaxPayload, "an offer must fit in a frame");
static_assert(kFileChunk + 32 <= kMaxPayload, "a chunk must fit in a frame");
static_assert(kRosterPartEntries * (4 + 1 + 1 + 4 * kMaxNameCodePoints) < kMaxPayload,
              "a full roster part must fit in a frame");

std::vector<net::SharedBytes> WelcomeEncoder::frames(Welcome head, std::size_t total,
                                                     std::span<const Participant> rest) {
  head.totalClients = static_cast<std::uint32_t>(total);
  head.clients.clear();
  if (parts_.empty() && rest.size() <= kRosterPartEntries) {
    head.clients.assign(rest.begin(), rest.end());
    return {toFrame(head)};
  }
  std::vector<net::SharedBytes> out;
  out.reserve(1 + parts_.size() + rest.size() / kRosterPartEntries + 1);
  out.push_back(toFrame(head));
  for (const Part& part : parts_) out.push_back(part.frame);
  while (!rest.empty()) {
    const std::size_t n = std::min(rest.size(), kRosterPartEntries);
    RosterPart part;
    part.clients.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(n));
    out.push_back(toFrame(part));
    if (n == kRosterPartEntries) parts_.push_back({part.clients.back().id, out.back()});
    rest = rest.subspan(n);
  }
  return out;
}

void WelcomeEncoder::forget(ClientId id) {
  auto holding = std::find_if(parts_.begin(), parts_.end(), [id](const Part& p) { return p.last >= id; });
  parts_.erase(holding, parts_.end());
}

ErrorCode toErrorCode(Code code) noexcept {
  switch (code) {
    case Code::NameTaken: return ErrorCode::NameTaken;
    case Code::InvalidName: return ErrorCode::InvalidName;
    case Code::VersionMismatch: return ErrorCode::VersionMismatch;
    case Code::RoomFull: return ErrorCode::RoomFull;
    case Code::ProtocolError: return ErrorCode::ProtocolError;
    case Code::HandshakeTimeout: return ErrorCode::ConnectTimedOut;
    case Code::RateLimited: return ErrorCode::RateLimited;
    case Code::UnknownRecipient: return ErrorCode::UnknownRecipient;
    case Code::NotAllowed: return ErrorCode::NotAllowed;
    case Code::HostClosing: return ErrorCode::HostClosed;
    case Code::Kicked: return ErrorCode::Kicked;
    case Code::Timeout: return ErrorCode::ConnectionLost;
    case Code::Replaced: return ErrorCode::ConnectionLost;
    case Code::WrongPassword: return ErrorCode::WrongPassword;
    case Code::PasswordRequired: return ErrorCode::PasswordRequired;
    case Code::Banned: return ErrorCode::Banned;
    case Code::HandshakeFailed: return ErrorCode::HandshakeFailed;
    case Code::PictureRefused: return ErrorCode::InvalidPicture;
  }
  return ErrorCode::ProtocolError;
}

}  // namespace chatport::chat::proto
