#pragma once
// What a front end and the chat core say to each other: commands in, events out.
// Plain values, no Qt, no sockets: a front end never touches the network.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chatport::chat {

using ClientId = std::uint32_t;
inline constexpr ClientId kNoClient = 0;
inline constexpr std::uint16_t kDefaultPort = 5150;

enum class Role : std::uint8_t { Host, Joiner };

/// How someone is, as they say (or, for away, as their front end notices when they are idle).
/// Busy: they want no notifications.
enum class Presence : std::uint8_t { Available = 0, Away = 1, Busy = 2 };

struct Participant {
  ClientId id = kNoClient;
  std::string name;
  bool isHost = false;
  Presence presence = Presence::Available;
  friend bool operator==(const Participant&, const Participant&) = default;
};

enum class LeaveReason : std::uint8_t {
  Quit = 0,
  Timeout = 1,
  Kicked = 2,
  Error = 3,
  TooSlow = 4,
  TooFast = 5,  ///< the host dropped it for sending too fast (flooding)
};

/// Failures a front end shows to a person. Each has a stable name for scripts (errorName).
enum class ErrorCode : std::uint8_t {
  PortInUse,          ///< host: the port is taken by another program
  BindFailed,         ///< host: the address cannot be used (not this machine's, no permission)
  ConnectionRefused,  ///< join: nothing listens there
  HostUnreachable,    ///< join: no route to the host / unknown host name
  ConnectTimedOut,    ///< join: the host did not answer
  NameTaken,          ///< join/rename: someone else has that nickname
  InvalidName,        ///< nickname empty, too long, or with control characters
  VersionMismatch,    ///< host and joiner speak different protocol versions
  RoomFull,           ///< the host accepts no more joiners
  HostClosed,         ///< the host ended the chat or went away
  Kicked,             ///< the host removed this joiner
  TooSlow,            ///< this joiner did not keep up and was dropped
  RateLimited,        ///< sending too fast; the message was not sent
  MessageTooLong,     ///< over the 60 KiB limit; not sent
  InvalidText,        ///< not valid UTF-8; not sent
  UnknownRecipient,   ///< private message to someone no longer here
  NotAllowed,         ///< e.g. kick from a joiner
  NotConnected,       ///< a command that needs a connection while there is none
  ProtocolError,      ///< the other side broke the protocol
  ConnectionLost,     ///< the connection ended for another reason
  Left,               ///< not a failure: this side left (LeaveCommand, or the core shut down)
  WrongPassword,      ///< join: the room's password is another one
  PasswordRequired,   ///< join: the room has a password and none was given
  HostKeyChanged,     ///< join: the host's key is not the one pinned for that address
  Banned,             ///< join: the host has banned this installation's key
  HandshakeFailed,    ///< the secure handshake failed (altered in transit, or not ChatPort)
  DataFolder,         ///< the data folder (keys, pinned hosts) cannot be read or written
  NotAnnouncedRoom,   ///< join: the host's key is not the one its room announced (expectedHostKey)
  HistoryUnavailable, ///< the history database cannot be used; the chat goes on without it
  FileUnreadable,     ///< send file: the file or folder cannot be read (detail says which and why)
  FileTooLarge,       ///< send file: over the host's limit (CoreOptions::maxFileBytes)
  TransferBusy,       ///< send file: the room or this sender has as many transfers as it allows
  UnknownTransfer,    ///< accept, decline or cancel a transfer that is not (or no longer) there
  InvalidPicture,     ///< set picture: not a PNG or JPEG, or over kMaxPictureBytes; or changed too often
  RulesNotKept,       ///< host: a ban or lifted rate limit cannot be kept in the data folder; it holds until the room ends
};

/// Stable snake_case name, e.g. "port_in_use".
std::string_view errorName(ErrorCode code) noexcept;
std::string_view leaveReasonName(LeaveReason reason) noexcept;
/// "available", "away" or "busy".
std::string_view presenceName(Presence presence) noexcept;

/// Where and how rooms are announced and looked for (chatport/chat/discovery.h).
struct DiscoveryOptions {
  /// Interface names to announce and listen on ("eth0"; on Windows the adapter's name). Empty:
  /// every up, non-loopback one that is not likely virtual; loopback when there is no other.
  std::vector<std::string> interfaces;
  /// The paths a beacon takes; each can be turned off (a network that blocks one of them).
  bool broadcast = true;
  bool multicastV4 = true;
  bool multicastV6 = true;
  /// The shared UDP port rooms are announced on. Everyone on a network must use the same one.
  std::uint16_t port = 5149;
  /// How often a host announces its room, and how long a room not heard of is kept in the list
  /// (tests shorten both).
  std::chrono::milliseconds interval{3000};
  std::chrono::milliseconds forgetAfter{10000};
  friend bool operator==(const DiscoveryOptions&, const DiscoveryOptions&) = default;
};

// ---- Commands: front end -> core ---------------------------------------------------------

struct HostCommand {
  std::string name;
  /// Empty: every address of this computer, IPv6 and IPv4 ("[::]", dual-stack), or IPv4 alone
  /// ("0.0.0.0") where the system has no IPv6. An address given is kept as it is.
  std::string bindAddress;
  std::uint16_t port = kDefaultPort;
  std::string password;  ///< empty: anyone who can reach the host may join
  /// Announce the room on the network, so that joiners find it without an address.
  bool announce = true;
  /// port is a preference, not a must: when another program holds it, host on the next free
  /// one (the following ports first, then one the system picks). For an announced room, which
  /// joiners find wherever it listens; ConnectedEvent::portAsked tells the front end it moved.
  bool anyPortIfTaken = false;
  DiscoveryOptions discovery;
};
struct JoinCommand {
  std::string name;
  std::string host;  ///< name or address
  std::uint16_t port = kDefaultPort;
  std::string password;  ///< the room's password, if it has one
  /// The host's key may differ from the one pinned for this address: accept it and pin it (the
  /// user has checked the new fingerprint with the host).
  bool acceptNewHostKey = false;
  /// The room was chosen from those found on the network (RoomFinder): the key it announced.
  /// A host that shows another key is not that room, and is refused (NotAnnouncedRoom) whatever
  /// acceptNewHostKey says: beacons are not authenticated, the handshake is.
  std::optional<std::array<std::byte, 32>> expectedHostKey;
};
struct SendCommand { std::string text; };
struct PrivateCommand { ClientId to = kNoClient; std::string text; };
struct RenameCommand { std::string name; };
/// Host: removes someone; with ban, their key may not join this room again (BansEvent), also
/// after the host restarts on the same data folder, until an UnbanCommand.
struct KickCommand { ClientId who = kNoClient; bool ban = false; };
/// Host: lets a banned person join again, named by their key's fingerprint (BansEvent).
struct UnbanCommand { std::string fingerprint; };
/// Host: lifts someone's rate limit (exempt), or puts it back. It follows their installation's
/// key, so a bot that reconnects keeps it, also after the host restarts on the same data folder.
/// The person is told.
struct ExemptCommand { ClientId who = kNoClient; bool exempt = true; };
/// Leaves the chat (a host ends it for everyone); also cancels a connect or reconnect.
struct LeaveCommand {};
/// How this person is now, for everyone in the room to see (a PresenceEvent confirms it). Kept
/// across reconnects and sessions of this core: a joiner tells each host it joins.
struct SetPresenceCommand { Presence presence = Presence::Available; };

/// A person's picture: the bytes of a PNG or JPEG of at most kMaxPictureBytes, shown beside their
/// name and messages. Empty: none (a front end shows initials). The core checks the size and the
/// file's signature only; a front end decodes it, and ignores one it cannot.
using Picture = std::vector<std::byte>;
inline constexpr std::size_t kMaxPictureBytes = 16 * 1024;
/// Whether bytes may be someone's picture: empty, or a PNG or JPEG within kMaxPictureBytes.
bool isPicture(std::span<const std::byte> bytes) noexcept;
/// This person's picture, for everyone in the room to see (empty: none; a PictureEvent confirms
/// it). Kept across reconnects and sessions of this core, like presence. A host lets each
/// person change it a few times a minute.
struct SetPictureCommand { Picture picture; };


// ---- Files ---------------------------------------------------------------------------------
//
// A file, or a folder (its files with their paths under it), is offered to one person or to the
// whole room, and travels through the host on the connections that already exist. Each
// recipient accepts it (into a folder of its choice) or declines; the sender may cancel. A
// dropped connection pauses a transfer and the reconnect resumes it where the receiver's data
// ends. The receiver writes to a temporary name, checks the whole offer's BLAKE2b-256 hash on
// arrival, and only then gives the file its name.

/// Names one offer in the room: the host numbers them. The same for the sender and every
/// recipient.
using TransferId = std::uint64_t;

/// Offers a file or a folder. to: one person, or kNoClient for everyone in the room.
struct SendFileCommand {
  ClientId to = kNoClient;
  std::string path;
};
/// Accepts an offer into directory (created if missing). Nothing there is overwritten: a name
/// that is taken gets " (2)", " (3)"... before its extension, unless overwrite.
struct AcceptFileCommand {
  TransferId id = 0;
  std::string directory;
  bool overwrite = false;
};
struct DeclineFileCommand { TransferId id = 0; };
/// Sender: stops sending it to everyone (peer kNoClient) or to one recipient. Recipient: stops
/// receiving it and removes what it had written.
struct CancelFileCommand {
  TransferId id = 0;
  ClientId peer = kNoClient;
};
/// Pauses or resumes a transfer on this side: a sender stops sending, to everyone (peer
/// kNoClient: recipients who accept later too) or to one recipient (resuming one copy of an offer
/// paused for everyone resumes only that one); a recipient stops taking more (the host holds no
/// more than its small window meanwhile), and peer is ignored.
struct PauseFileCommand {
  TransferId id = 0;
  bool paused = true;
  ClientId peer = kNoClient;
};

using Command = std::variant<HostCommand, JoinCommand, SendCommand, PrivateCommand, RenameCommand,
                             KickCommand, LeaveCommand, SendFileCommand, AcceptFileCommand,
                             DeclineFileCommand, CancelFileCommand, PauseFileCommand, ExemptCommand,
                             SetPresenceCommand, SetPictureCommand, UnbanCommand>;

// ---- Events: core -> front end -----------------------------------------------------------

using TimePoint = std::chrono::system_clock::time_point;

/// Hosting started, or the host welcomed this joiner.
struct ConnectedEvent {
  Role role = Role::Joiner;
  ClientId self = kNoClient;
  std::string name;
  std::string address;  ///< host: the bound address; joiner: the host's address
  std::uint16_t port = 0;
  /// Host: the port asked for, where it differs from port (it was taken: anyPortIfTaken).
  /// 0 otherwise.
  std::uint16_t portAsked = 0;
  /// The host's key fingerprint (noise::fingerprint): to compare aloud with the host's.
  std::string hostFingerprint;
  /// Joiner: this host's key was met for the first time and has been pinned now.
  bool firstContact = false;
  /// The room has a password.
  bool passwordProtected = false;
  /// Joiner: the host's limit on what this joiner sends (chat, private and rename messages):
  /// a burst of sendBurst, refilled at sendRate per second. 0: no limit was told.
  double sendRate = 0;
  double sendBurst = 0;
  std::string historyRoom;  ///< this room's key in the history store (HistoryStore), empty where none is kept
};
/// The whole list, after connecting and whenever it changes.
struct ClientListEvent { std::vector<Participant> clients; };
struct JoinedEvent { Participant who; };
struct LeftEvent { Participant who; LeaveReason reason = LeaveReason::Quit; };
struct RenamedEvent { ClientId id = kNoClient; std::string oldName; std::string newName; };
/// Someone (this front end's own person too) is now available, away or busy.
struct PresenceEvent { ClientId id = kNoClient; std::string name; Presence presence = Presence::Available; };
/// Someone's picture (this front end's own person's too), when it changes and, for those who had
/// one already, after joining. Empty: they removed it.
struct PictureEvent { ClientId id = kNoClient; std::string name; Picture picture; };
struct MessageEvent {
  ClientId from = kNoClient;  ///< kNoClient in history: who said it is fromName
  std::string fromName;
  std::uint64_t seq = 0;  ///< room order, the same on every client
  TimePoint time;         ///< stamped by the host
  std::string text;
  /// Said before this session: the room's history, shown apart from the live conversation.
  bool history = false;
};
struct PrivateMessageEvent {
  ClientId from = kNoClient;
  std::string fromName;
  ClientId to = kNoClient;
  std::string toName;
  TimePoint time;
  std::string text;
  /// From this installation's own history of the room (ids are kNoClient then).
  bool history = false;
};
/// A request failed and the session goes on (a message not sent, a rename refused...). A
/// failure that ends the session is told once, by its DisconnectedEvent.
struct ErrorEvent {
  ErrorCode code;
  std::string detail;
};
/// The session ended. reason tells why (HostClosed, Kicked, TooSlow, ConnectionLost, or why it
/// could not start: PortInUse, ConnectionRefused, NameTaken...); willReconnect: a
/// ReconnectingEvent follows.
struct DisconnectedEvent {
  ErrorCode reason;
  std::string detail;
  bool willReconnect = false;
  /// HostKeyChanged: the fingerprint pinned for the address, and the one the host showed.
  /// NotAnnouncedRoom: the fingerprint the room announced, and the one the host showed.
  std::string pinnedFingerprint;
  std::string offeredFingerprint;
};
struct ReconnectingEvent { int attempt = 0; std::chrono::milliseconds delay{0}; };
/// Periodic figures for a status line.
/// Host: messagesIn counts chat and private messages received by the room, messagesOut the
/// frames queued to joiners for them. Joiner: messages received and sent.
struct StatsEvent {
  std::size_t clients = 0;
  std::uint64_t messagesIn = 0;
  std::uint64_t messagesOut = 0;
  /// Host: bytes waiting in all joiners' send queues when last measured, and the most any one
  /// joiner's queue has held (bounded by CoreOptions::maxQueuedBytesPerClient). Joiner: 0.
  std::size_t queuedBytes = 0;
  std::size_t peakQueuedBytesPerClient = 0;
};

/// The front end fell behind: the core let go of the oldest events it had not taken yet, to
/// keep its queue within CoreOptions::maxPendingEventBytes. It stands where they stood.
/// messages: chat and private messages not shown; notices: join and leave notices (the client
/// list that follows is complete all the same).
struct SkippedEvent {
  std::uint64_t messages = 0;
  std::uint64_t notices = 0;
};

/// Joiner, after resuming its session: this many chat messages were said while it was away
/// that the host no longer had. Comes where they would have been: before the first message
/// after the gap, or at the end of what the host sent again.
struct MissedEvent {
  std::uint64_t messages = 0;
};

/// One file of an offer: its path under the offer (a single file: just its name; a folder:
/// "folder/sub/name"), '/'-separated, each part safe to use as a file name on any system.
struct OfferedFile {
  std::string path;
  std::uint64_t size = 0;
  friend bool operator==(const OfferedFile&, const OfferedFile&) = default;
};

/// An offer was made: by this side (outgoing: the host has numbered it) or to it.
struct FileOfferEvent {
  TransferId id = 0;
  bool outgoing = false;
  ClientId from = kNoClient;
  std::string fromName;
  ClientId to = kNoClient;  ///< kNoClient: offered to the whole room
  std::string name;         ///< the file's or folder's name (files[0].path's first part)
  bool folder = false;
  std::uint64_t size = 0;   ///< all its files together
  std::vector<OfferedFile> files;
  TimePoint time;
  /// Taken up from an earlier run of this program, which stopped in the middle of it: one it
  /// was receiving (already accepted) or offering (its files found unchanged, or not).
  bool resumed = false;
};

/// Where one copy of a transfer stands (a sender has one per recipient that accepted).
enum class TransferState : std::uint8_t {
  Waiting,   ///< offered, not yet accepted
  Running,
  Paused,    ///< paused by a person on either side, or a link dropped and may come back
  Checking,  ///< all bytes are in; the receiver is checking the hash
};

/// How far a transfer is. Sent when it starts, pauses or resumes, and at most four times a
/// second while it runs. peer: the recipient (for the sender) or the sender (for a recipient).
struct FileProgressEvent {
  TransferId id = 0;
  bool outgoing = false;
  ClientId peer = kNoClient;
  TransferState state = TransferState::Running;
  std::uint64_t done = 0;
  std::uint64_t size = 0;
  double bytesPerSecond = 0;  ///< over the last few seconds
};

/// A transfer arrived whole, its hash checked. Recipient: path is where it was saved. Sender:
/// one such event per recipient (peer), path is what was sent.
struct FileDoneEvent {
  TransferId id = 0;
  bool outgoing = false;
  ClientId peer = kNoClient;
  std::string path;
  std::uint64_t size = 0;
  std::string hash;  ///< SHA-256 of the contents (of all the files, in order), lower-case hex
};

/// Why a transfer ended without arriving.
enum class TransferFailure : std::uint8_t {
  Declined,          ///< the recipient declined it
  Cancelled,         ///< this side cancelled it
  CancelledByPeer,   ///< the other side cancelled it
  PeerLeft,          ///< the sender or the recipient left the room
  HashMismatch,      ///< the data that arrived is not what was sent; nothing was kept
  TooLarge,          ///< over the host's size limit
  Busy,              ///< the host runs as many transfers as it allows
  WriteFailed,       ///< the recipient could not write it (disk full, no permission...)
  ReadFailed,        ///< the sender could not read it any more (moved, changed, unreadable)
  SessionEnded,      ///< this side left the room, or it ended
  ProtocolError,     ///< the other side broke the file protocol
};
std::string_view transferFailureName(TransferFailure failure) noexcept;

struct FileFailedEvent {
  TransferId id = 0;
  bool outgoing = false;
  ClientId peer = kNoClient;  ///< sender: the recipient concerned (kNoClient: every one)
  TransferFailure reason = TransferFailure::ProtocolError;
  std::string detail;
};

/// Someone's rate limit changed (ExemptCommand). Host: who is the person it exempted (or put
/// back under the limit); joiner: who is this joiner, told by the host. sendRate 0: no limit.
struct RateLimitEvent {
  ClientId who = kNoClient;
  std::string name;
  double sendRate = 0;
  double sendBurst = 0;
};

/// Host: someone banned from this room.
struct BannedPerson {
  std::string name;         ///< what they were called when banned
  std::string fingerprint;  ///< their key's (noise::fingerprint): what UnbanCommand names
  TimePoint since;
  friend bool operator==(const BannedPerson&, const BannedPerson&) = default;
};
/// Host: who is banned from this room, oldest ban first: as the room starts if anyone is, and
/// after every ban and unban.
struct BansEvent {
  std::vector<BannedPerson> banned;
};

using Event = std::variant<ConnectedEvent, ClientListEvent, JoinedEvent, LeftEvent, RenamedEvent,
                           MessageEvent, PrivateMessageEvent, ErrorEvent, DisconnectedEvent,
                           ReconnectingEvent, StatsEvent, SkippedEvent, MissedEvent, FileOfferEvent,
                           FileProgressEvent, FileDoneEvent, FileFailedEvent, RateLimitEvent,
                           PresenceEvent, PictureEvent, BansEvent>;

/// Nicknames: 1-32 characters (code points) of valid UTF-8 that can be seen: no control,
/// format (bidi, zero-width), unassigned or private-use characters; no leading or trailing
/// blanks or fillers; no combining mark without a character to sit on, nor more than four in
/// a row. Returns the reason it is refused, or nullopt if acceptable. Thread-safe.
/// Two names that differ only in case or compatibility form (NFKC) are the same name in a room.
inline constexpr std::size_t kMaxNameCodePoints = 32;
std::optional<ErrorCode> validateName(std::string_view name);
/// Chat text: valid UTF-8, at most kMaxMessageBytes. Thread-safe.
inline constexpr std::size_t kMaxMessageBytes = 60 * 1024;
std::optional<ErrorCode> validateText(std::string_view text);

}  // namespace chatport::chat
