#pragma once
// ChatPort's chat protocol: the messages carried in the engine's frames (net/frame.h), one
// message per frame. A pure codec: bytes in, values out, no I/O, no state. Every function here
// is thread-safe. docs/protocol.md describes the same wire format for people.
//
// Payload of one frame (all integers big-endian, strings UTF-8):
//
//   offset  size  field
//   0       1     type (MessageType)
//   1       ...   the fields of that type, in the order of the structs below
//
// Field encodings:
//   u8/u16/u32/u64/i64   fixed-width big-endian integers (i64: two's complement)
//   name                 u8 byte length n, then n bytes: 1-32 code points, see validateName()
//   text                 u32 byte length n <= 61440 (60 KiB), then n bytes of UTF-8
//   detail               u16 byte length n <= 1024, then n bytes of UTF-8 (may be empty)
//   token                16 bytes, opaque
//   entry                u32 id, u8 flags (bit 0: is the host; bits 1-2: Presence, 0-2;
//                        other bits 0), name
//   picture              the bytes to the payload's end: empty, or a PNG or JPEG (isPicture)
//
// Versioning: Hello starts with the protocol version. A host that does not speak it answers
// Refuse(VersionMismatch). The frame layout, the Hello version field and the Refuse message
// stay the same in every version, so that any two versions can at least tell each other so.

#include <chatport/chat/types.h>
#include <chatport/net/buffer.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chatport::chat::proto {

inline constexpr std::uint16_t kProtocolVersion = 9;
inline constexpr std::size_t kTokenSize = 16;
inline constexpr std::size_t kMaxDetailBytes = 1024;
/// The largest payload either side ever sends (a 60 KiB private message plus its fields);
/// receivers close a connection that announces a larger frame.
inline constexpr std::size_t kMaxPayload = 80 * 1024;
/// Entries in one Welcome or RosterPart that a host sends: at most 134 bytes each (a 32-character
/// name of 4-byte characters), so a part stays well under kMaxPayload.
inline constexpr std::size_t kRosterPartEntries = 256;

enum class MessageType : std::uint8_t {
  // joiner -> host
  Hello = 0x01,
  Say = 0x02,
  Whisper = 0x03,
  Rename = 0x04,
  Kick = 0x05,
  Bye = 0x06,
  Offer = 0x07,
  Accept = 0x08,
  Decline = 0x09,
  CancelTransfer = 0x0A,
  Chunk = 0x0B,
  Ack = 0x0C,
  ChunksEnd = 0x0D,
  Received = 0x0E,
  Reclaim = 0x0F,
  // both ways
  Heartbeat = 0x10,
  // joiner -> host
  SetPresence = 0x11,
  SetPicture = 0x12,
  // host -> joiner
  Welcome = 0x81,
  Refuse = 0x82,
  RosterPart = 0x83,
  Message = 0x84,
  Private = 0x85,
  Joined = 0x86,
  Left = 0x87,
  Renamed = 0x88,
  Error = 0x89,
  Closing = 0x8A,
  RoomKey = 0x8B,
  History = 0x8C,
  Offered = 0x8D,
  OfferRefused = 0x8E,
  Start = 0x8F,
  Data = 0x90,
  Acked = 0x91,
  DataEnd = 0x92,
  TransferEnded = 0x93,
  TransferPaused = 0x94,
  Limits = 0x95,
  PresenceChanged = 0x96,
  PictureChanged = 0x97,
};

/// Why the host refused, rejected a request, or is closing a session (Refuse, Error, Closing).
enum class Code : std::uint8_t {
  NameTaken = 1,
  InvalidName = 2,
  VersionMismatch = 3,
  RoomFull = 4,
  ProtocolError = 5,
  HandshakeTimeout = 6,
  RateLimited = 7,
  UnknownRecipient = 8,
  NotAllowed = 9,
  HostClosing = 10,
  Kicked = 11,
  Timeout = 12,   ///< the host heard nothing from this joiner for too long
  Replaced = 13,  ///< the same joiner resumed its session on a new connection
  WrongPassword = 14,     ///< the room's password was not the one the joiner gave (or none)
  PasswordRequired = 15,  ///< the room has a password and the joiner gave none
  Banned = 16,            ///< the host has banned this joiner's key
  HandshakeFailed = 17,   ///< the secure handshake failed: altered in transit, or not ChatPort
  PictureRefused = 18,    ///< a picture change over the member's budget
};
inline constexpr std::uint8_t kLastCode = 18;

using Token = std::array<std::byte, kTokenSize>;

// ---- joiner -> host ------------------------------------------------------------------------

/// type 0x01: u16 version, name, u64 lastSeq, u8 token length (0 or 16); if 16, the token and
/// u64 lastPrivateSeq.
struct Hello {
  std::uint16_t version = kProtocolVersion;
  std::string name;
  /// The seq of the last chat message of this room the joiner has (0: none): the host sends
  /// what came after it (a resumed session) or as much of it as it keeps (History).
  std::uint64_t lastSeq = 0;
  std::optional<Token> resumeToken;  ///< from an earlier Welcome: take over that session
  /// With a token: the pseq of the last private message received in that session.
  std::uint64_t lastPrivateSeq = 0;
  friend bool operator==(const Hello&, const Hello&) = default;
};
/// type 0x02: text. A chat message for the whole room.
struct Say {
  std::string text;
  friend bool operator==(const Say&, const Say&) = default;
};
/// type 0x03: u32 to, text. A private message to one client.
struct Whisper {
  ClientId to = kNoClient;
  std::string text;
  friend bool operator==(const Whisper&, const Whisper&) = default;
};
/// type 0x04: name.
struct Rename {
  std::string name;
  friend bool operator==(const Rename&, const Rename&) = default;
};
/// type 0x05: u32 who. Only the host may kick: a joiner that asks gets Error(NotAllowed).
struct Kick {
  ClientId who = kNoClient;
  friend bool operator==(const Kick&, const Kick&) = default;
};
/// type 0x06: no fields. The joiner is leaving on purpose (leave reason: quit).
struct Bye {
  friend bool operator==(const Bye&, const Bye&) = default;
};

/// type 0x11: u8 presence (Presence: 0 available, 1 away, 2 busy). How the joiner is, for everyone
/// to see; it costs a request like any other.
struct SetPresence {
  Presence presence = Presence::Available;
  friend bool operator==(const SetPresence&, const SetPresence&) = default;
};

/// type 0x12: the rest of the payload is the joiner's picture, a PNG or JPEG of at most
/// kMaxPictureBytes (isPicture); none: it has no picture. A few changes a minute are allowed
/// (kPictureChangeBurst, kPictureChangesPerMinute); it costs a request like any other.
struct SetPicture {
  Picture picture;
  friend bool operator==(const SetPicture&, const SetPicture&) = default;
};
/// What a host allows each person: this many picture changes at once, then this many a minute.
inline constexpr double kPictureChangeBurst = 3;
inline constexpr double kPictureChangesPerMinute = 2;

// ---- both ways -----------------------------------------------------------------------------

/// type 0x10: no fields. Sent every heartbeat interval; any message proves the sender alive.
struct Heartbeat {
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

// ---- host -> joiner ------------------------------------------------------------------------

/// type 0x81: u32 you, token, name hostName, u64 roomSeq, u32 heartbeatIntervalMs,
/// u32 sendRateMilli, u32 sendBurst, u32 totalClients, u32 n, n entries. When n < totalClients, RosterPart messages follow until
/// totalClients entries have been sent; the joiner is in the room once it has them all.
struct Welcome {
  ClientId you = kNoClient;
  Token token{};                  ///< presented in a later Hello to resume this session
  std::string hostName;           ///< the host's nickname
  std::uint64_t roomSeq = 0;      ///< seq of the last chat message; the next one has roomSeq + 1
  std::uint32_t heartbeatIntervalMs = 0;  ///< how often the host expects a heartbeat
  std::uint32_t totalClients = 0;
  std::vector<Participant> clients;
  /// The joiner's rate limit (on the wire after heartbeatIntervalMs): refilled at
  /// sendRateMilli / 1000 messages per second, bursts of sendBurst. 0: not told.
  std::uint32_t sendRateMilli = 0;
  std::uint32_t sendBurst = 0;
  friend bool operator==(const Welcome&, const Welcome&) = default;
};
/// type 0x82: u8 code, detail. The host will not admit this joiner; it closes the connection.
struct Refuse {
  Code code = Code::ProtocolError;
  std::string detail;
  friend bool operator==(const Refuse&, const Refuse&) = default;
};
/// type 0x83: u32 n, n entries. More of the client list that the Welcome began.
struct RosterPart {
  std::vector<Participant> clients;
  friend bool operator==(const RosterPart&, const RosterPart&) = default;
};
/// type 0x84: u32 from, u64 seq, i64 timeMs (milliseconds since 1970-01-01 UTC), text.
struct ChatMessage {
  ClientId from = kNoClient;
  std::uint64_t seq = 0;
  std::int64_t timeMs = 0;
  std::string text;
  friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};
/// type 0x85: u32 from, u32 to, u64 pseq, i64 timeMs, text. Sent to the recipient and to the
/// sender.
struct PrivateMessage {
  ClientId from = kNoClient;
  ClientId to = kNoClient;
  std::uint64_t pseq = 0;  ///< the host's count of private messages; resuming joiners name the last
  std::int64_t timeMs = 0;
  std::string text;
  friend bool operator==(const PrivateMessage&, const PrivateMessage&) = default;
};
/// type 0x86: u32 n (1..kRosterPartEntries), n entries. Who joined since the host last said so,
/// in the order they joined: a host announces joins a tick at a time, not one by one.
struct Joined {
  std::vector<Participant> who;
  friend bool operator==(const Joined&, const Joined&) = default;
};
/// type 0x87: u32 id, u8 reason (LeaveReason: 0 quit, 1 timeout, 2 kicked, 3 error, 4 too slow).
struct Left {
  ClientId id = kNoClient;
  LeaveReason reason = LeaveReason::Quit;
  friend bool operator==(const Left&, const Left&) = default;
};
/// type 0x88: u32 id, name (the new one).
struct Renamed {
  ClientId id = kNoClient;
  std::string name;
  friend bool operator==(const Renamed&, const Renamed&) = default;
};
/// type 0x89: u8 code, detail. A request failed; the session goes on.
struct ErrorReply {
  Code code = Code::ProtocolError;
  std::string detail;
  friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};
/// type 0x8A: u8 code, detail. The host ends this joiner's session and closes the connection.
struct Closing {
  Code code = Code::HostClosing;
  std::string detail;
  friend bool operator==(const Closing&, const Closing&) = default;
};

/// type 0x8B: u32 epoch, 32 bytes key. The room key broadcasts are sealed under from now on;
/// only ever sent inside the joiner's own channel (protocol version 3).
struct RoomKey {
  std::uint32_t epoch = 0;
  std::array<std::byte, 32> key{};
  friend bool operator==(const RoomKey&, const RoomKey&) = default;
};

/// One chat message of the room's past, in History. The sender by name: its id may name
/// nobody, or somebody else, now.
struct HistoryEntry {
  std::uint64_t seq = 0;
  std::int64_t timeMs = 0;
  std::string from;
  std::string text;
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};
/// type 0x8C: u64 missed, u32 n, n x (u64 seq, i64 timeMs, name from, text). Chat messages said
/// before this joiner's session, oldest first, sent after its Welcome and before anything else
/// said in the room: the latest ones for a newcomer, those after its Hello's lastSeq for one
/// coming back. missed: messages after lastSeq, before the first entry here, that the host
/// does not send (no longer kept, or beyond what it sends at once). Several parts may follow
/// each other; only the first one has missed set.
struct History {
  std::uint64_t missed = 0;
  std::vector<HistoryEntry> entries;
  friend bool operator==(const History&, const History&) = default;
};
/// A History part is at most this many bytes of entries (a 60 KiB message goes alone).
inline constexpr std::size_t kHistoryPartBytes = 64 * 1024;

// ---- files (protocol version 6) -------------------------------------------------------------
//
// A file or folder is offered through the host, which numbers the offer (transfer) and tells the
// recipients. Each recipient that accepts gets its own copy, a stream: the host asks the sender
// (Start) to send it from an offset, relays the sender's Chunks as Data, and the recipient's
// Acks back as Acked. A sender keeps at most kFileWindow bytes of a stream unacknowledged, and the
// host drops a stream whose sender does not: whatever the peers' speeds, the host holds no more
// than that of it. Content is a function of the offset alone, so a stream restarts anywhere: a
// recipient back after a dropped link accepts again from where its data ends.
//   path   u16 byte length n (1 <= n <= kMaxFilePathBytes), then n bytes of UTF-8
//   hash   32 bytes: BLAKE2b-256 of the offer's files' contents, in order
//   outcome u8: 0 arrived, else 1 + TransferFailure

/// The largest piece of a file in one Chunk or Data, and what the host holds of one stream.
inline constexpr std::size_t kFileChunk = 64 * 1024;
inline constexpr std::size_t kFileWindow = 1024 * 1024;
inline constexpr std::size_t kMaxFilePathBytes = 1024;
inline constexpr std::size_t kMaxOfferFiles = 1000;
/// An offer's list of files (paths and sizes) encodes to at most this many bytes.
inline constexpr std::size_t kMaxOfferListBytes = 64 * 1024;
/// The bytes one file takes in that list.
constexpr std::size_t offerListBytes(const OfferedFile& file) { return 2 + file.path.size() + 8; }
inline constexpr std::size_t kHashBytes = 32;
using FileHash = std::array<std::byte, kHashBytes>;

/// How a stream ended, for its sender or recipient: arrived, or why not.
struct Outcome {
  std::optional<TransferFailure> failure;  ///< nullopt: arrived whole, its hash checked
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// type 0x07: u32 tag, u32 to, u32 n, n x (path, u64 size). Offers files to one member (to) or
/// the room (0); tag is the sender's own number for it, echoed in Offered or OfferRefused. At
/// most kMaxOfferFiles files, each path safe (files::safeRelativePath) and within the frame.
struct Offer {
  std::uint32_t tag = 0;
  ClientId to = kNoClient;
  std::vector<OfferedFile> files;
  friend bool operator==(const Offer&, const Offer&) = default;
};
/// type 0x08: u64 transfer, u64 offset. The recipient takes the offer, or resumes it, from offset.
struct Accept {
  TransferId transfer = 0;
  std::uint64_t offset = 0;
  friend bool operator==(const Accept&, const Accept&) = default;
};
/// type 0x09: u64 transfer.
struct Decline {
  TransferId transfer = 0;
  friend bool operator==(const Decline&, const Decline&) = default;
};
/// type 0x0A: u64 transfer, u32 peer. The sender ends the offer for one recipient (peer) or all
/// (0); a recipient ends its own copy (peer 0).
struct CancelTransfer {
  TransferId transfer = 0;
  ClientId peer = kNoClient;
  friend bool operator==(const CancelTransfer&, const CancelTransfer&) = default;
};
/// type 0x0B: u64 transfer, u32 receiver, u64 offset, then 1..kFileChunk bytes of the file (to
/// the payload's end).
struct Chunk {
  TransferId transfer = 0;
  ClientId receiver = kNoClient;
  std::uint64_t offset = 0;
  net::Bytes data;
  friend bool operator==(const Chunk&, const Chunk&) = default;
};
/// type 0x0C: u64 transfer, u64 offset. The recipient has everything before offset (written, or
/// a little of it still on its way to its disk).
struct Ack {
  TransferId transfer = 0;
  std::uint64_t offset = 0;
  friend bool operator==(const Ack&, const Ack&) = default;
};
/// type 0x0D: u64 transfer, u32 receiver, hash. Every byte of that stream has been sent.
struct ChunksEnd {
  TransferId transfer = 0;
  ClientId receiver = kNoClient;
  FileHash hash{};
  friend bool operator==(const ChunksEnd&, const ChunksEnd&) = default;
};
/// type 0x0E: u64 transfer, outcome, detail. The recipient checked (or could not keep) the offer.
struct Received {
  TransferId transfer = 0;
  Outcome outcome;
  std::string detail;
  friend bool operator==(const Received&, const Received&) = default;
};

/// type 0x0F: u64 transfer. A sender back in a new session still offers it: the host gives it
/// back the offer (its recipients accept again) or says it has ended (TransferEnded, peer 0).
struct Reclaim {
  TransferId transfer = 0;
  friend bool operator==(const Reclaim&, const Reclaim&) = default;
};

/// type 0x8D: u64 transfer, u32 tag, u32 from, u32 to, i64 timeMs, u32 n, n x (path, u64 size).
/// To each recipient (tag 0) and to the sender (its tag).
struct Offered {
  TransferId transfer = 0;
  std::uint32_t tag = 0;
  ClientId from = kNoClient;
  ClientId to = kNoClient;
  std::int64_t timeMs = 0;
  std::vector<OfferedFile> files;
  friend bool operator==(const Offered&, const Offered&) = default;
};
/// type 0x8E: u32 tag, outcome, detail. The host does not carry that offer (too large, busy).
struct OfferRefused {
  std::uint32_t tag = 0;
  Outcome outcome;
  std::string detail;
  friend bool operator==(const OfferRefused&, const OfferRefused&) = default;
};
/// type 0x8F: u64 transfer, u32 receiver, u64 offset. To the sender: send receiver's copy from
/// offset (anything sent of it before is void).
struct Start {
  TransferId transfer = 0;
  ClientId receiver = kNoClient;
  std::uint64_t offset = 0;
  friend bool operator==(const Start&, const Start&) = default;
};
/// type 0x90: u64 transfer, u64 offset, then 1..kFileChunk bytes (to the payload's end).
struct Data {
  TransferId transfer = 0;
  std::uint64_t offset = 0;
  net::Bytes data;
  friend bool operator==(const Data&, const Data&) = default;
};
/// type 0x91: u64 transfer, u32 receiver, u64 offset. To the sender: receiver's Ack.
struct Acked {
  TransferId transfer = 0;
  ClientId receiver = kNoClient;
  std::uint64_t offset = 0;
  friend bool operator==(const Acked&, const Acked&) = default;
};
/// type 0x92: u64 transfer, hash. To the recipient: the sender has sent everything.
struct DataEnd {
  TransferId transfer = 0;
  FileHash hash{};
  friend bool operator==(const DataEnd&, const DataEnd&) = default;
};
/// type 0x93: u64 transfer, u32 peer, outcome, detail. A stream is over: to the sender (peer: the
/// recipient, 0 for all of them) and to the recipient (peer: the sender).
struct TransferEnded {
  TransferId transfer = 0;
  ClientId peer = kNoClient;
  Outcome outcome;
  std::string detail;
  friend bool operator==(const TransferEnded&, const TransferEnded&) = default;
};
/// type 0x94: u64 transfer, u32 peer, u8 paused (0 or 1). The other side's link dropped (1) or
/// is back (0); a recipient told 0 accepts again from where its data ends.
struct TransferPaused {
  TransferId transfer = 0;
  ClientId peer = kNoClient;
  bool paused = true;
  friend bool operator==(const TransferPaused&, const TransferPaused&) = default;
};

/// type 0x95: u32 sendRateMilli, u32 sendBurst. The joiner's rate limit from now on, as in the
/// Welcome; 0 and 0: none (the host has exempted this joiner).
struct Limits {
  std::uint32_t sendRateMilli = 0;
  std::uint32_t sendBurst = 0;
  friend bool operator==(const Limits&, const Limits&) = default;
};

/// type 0x96: u32 id, u8 presence. Someone (the host too) is now available, away or busy.
struct PresenceChanged {
  ClientId id = kNoClient;
  Presence presence = Presence::Available;
  friend bool operator==(const PresenceChanged&, const PresenceChanged&) = default;
};

/// type 0x97: u32 id, then the rest of the payload is the picture (as SetPicture). Someone (the
/// host too) changed theirs; a newcomer gets one for each person who has a picture, after its
/// Welcome. Sent as bulk data: chat goes ahead of it.
struct PictureChanged {
  ClientId id = kNoClient;
  Picture picture;
  friend bool operator==(const PictureChanged&, const PictureChanged&) = default;
};

using ClientMessage = std::variant<Hello, Say, Whisper, Rename, Kick, Bye, Heartbeat, Offer, Accept,
                                   Decline, CancelTransfer, Chunk, Ack, ChunksEnd, Received, Reclaim,
                                   SetPresence, SetPicture>;
using HostMessage = std::variant<Welcome, Refuse, RosterPart, ChatMessage, PrivateMessage, Joined,
                                 Left, Renamed, ErrorReply, Closing, Heartbeat, RoomKey, History,
                                 Offered, OfferRefused, Start, Data, Acked, DataEnd, TransferEnded,
                                 TransferPaused, Limits, PresenceChanged, PictureChanged>;

/// Why a payload was rejected. Parsing stops at the first error.
enum class ParseError : std::uint8_t {
  None,
  Empty,               ///< no type byte
  UnknownType,         ///< not a message this side receives
  Truncated,           ///< ends inside a field
  TrailingBytes,       ///< bytes left after the last field
  UnsupportedVersion,  ///< Hello with another protocol version (out holds that version)
  InvalidUtf8,         ///< a string is not valid UTF-8
  InvalidName,         ///< a name breaks validateName()
  TextTooLong,         ///< text longer than kMaxMessageBytes
  DetailTooLong,       ///< detail longer than kMaxDetailBytes
  BadTokenLength,      ///< a Hello token length other than 0 or 16
  BadCode,             ///< a Code value this version does not define
  BadLeaveReason,      ///< a LeaveReason value this version does not define
  BadFlags,            ///< reserved entry flag bits set
  BadRosterCount,      ///< a Welcome with more entries than totalClients; a Joined of none or of too many
  BadFileList,         ///< an offer with no files, too many, or a path that is empty or too long
  BadChunk,            ///< file data that is empty or longer than kFileChunk
  BadOutcome,          ///< an outcome value this version does not define
  BadPresence,         ///< a Presence value this version does not define
  BadPicture,          ///< a picture that is not a PNG or JPEG, or over kMaxPictureBytes
};

/// Stable snake_case name of a parse error, for logs.
std::string_view parseErrorName(ParseError error) noexcept;

/// Parses one frame payload received by the host. On error, out is unspecified except for
/// UnsupportedVersion, where it holds a Hello with the version the joiner speaks.
ParseError parse(std::span<const std::byte> payload, ClientMessage& out);
/// Parses one frame payload received by a joiner.
ParseError parse(std::span<const std::byte> payload, HostMessage& out);

/// The payload of one message (without the frame header). Messages must be valid: names
/// validated, text within limits, detail at most kMaxDetailBytes (longer detail is cut).
template <typename Message>
net::Bytes toPayload(const Message& message);
/// One whole frame (header and payload), ready for net::Connection::send.
template <typename Message>
net::SharedBytes toFrame(const Message& message);

net::SharedBytes toFrame(const ClientMessage& message);
net::SharedBytes toFrame(const HostMessage& message);

/// Encodes Welcomes for one room, keeping the RosterPart frames of a long client list for the
/// Welcomes after it. The list is in id order and a newcomer always gets a larger id than
/// anyone before, so a join only extends the list's end: each Welcome encodes just the last,
/// unfinished part, and every Welcome in flight shares the same bytes for the rest. Without
/// that, a burst of N joins would encode and queue N copies of a list growing to N entries.
class WelcomeEncoder {
 public:
  /// The last id in the parts kept; entries after it are to be passed as `rest`. kNoClient when
  /// none are kept.
  ClientId keptThrough() const noexcept { return parts_.empty() ? kNoClient : parts_.back().last; }

  /// The frames for one joiner: the Welcome (head's clients and totalClients are replaced) and
  /// the RosterParts after it. `total` is the whole list's length; `rest` is the list after
  /// keptThrough(), in id order. A list of up to kRosterPartEntries goes whole in the Welcome;
  /// a longer one entirely in RosterParts.
  std::vector<net::SharedBytes> frames(Welcome head, std::size_t total,
                                       std::span<const Participant> rest);

  /// Client `id` left or was renamed: the part holding it, and every part after it, are
  /// encoded afresh next time.
  void forget(ClientId id);

 private:
  struct Part {
    ClientId last;
    net::SharedBytes frame;
  };
  std::vector<Part> parts_;  // full parts, from the start of the list
};

/// What a Code means for a front end.
ErrorCode toErrorCode(Code code) noexcept;

}  // namespace chatport::chat::proto
