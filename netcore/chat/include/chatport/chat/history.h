#pragma once
// The history an installation keeps of the rooms it has been in: one SQLite database,
// history.sqlite3 in the data folder, written by a thread of the store's own and read from any
// thread. Both front ends share it (Qt-free). docs/ARCHITECTURE.md, "History storage", has the
// schema, the batching and the search tokenizer.
//
// A build without SQLite (the Windows build: Debian has no SQLite for mingw-w64) keeps no
// history: available() is false and open() says why.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace chatport::chat {

struct StoredMessage {
  /// The room's key: "key:<64 hex digits of the host's static key>", or "addr:<host>:<port>" for
  /// a room that is not secured.
  std::string room;
  /// The host's seq for room chat; 0 for a message without one (a private message, a notice).
  std::uint64_t seq = 0;
  std::int64_t timeMs = 0;  ///< Unix time in ms
  enum class Kind : std::uint8_t { Chat, Private, Notice } kind = Kind::Chat;
  std::string from;     ///< the sender's name
  std::string to;       ///< private: the other party's name; else empty
  std::string text;     ///< UTF-8
  bool outgoing = false;  ///< said by this installation's user
  std::int64_t id = 0;  ///< the row's id, set by the store when read back (0 when appending)
};

/// The room key (StoredMessage::room) of a secured room: its host's static key.
std::string historyRoomOf(std::span<const std::byte> hostKey);

struct StoredRoom {
  std::string room;      ///< the room's key, as StoredMessage::room
  std::string roomName;  ///< as last set with setRoomName; may be empty
  std::int64_t lastTimeMs = 0;
  std::uint64_t messages = 0;
  std::uint64_t lastSeq = 0;  ///< as lastSeq(room)
};

struct HistoryLimits {
  int keepDays = 0;            ///< 0: forever
  std::uint64_t maxBytes = 0;  ///< 0: no cap. Counts each message's text and names (UTF-8 bytes).
};

/// Every method is thread-safe, except that a committed callback must not call append,
/// setRoomName, flush or the deletions (they wait for the writer thread it runs on). Reads see
/// what has been committed (flush() first to see everything appended).
class HistoryStore {
 public:
  /// Most bytes of messages (their strings and the queue's bookkeeping, about 300 bytes each)
  /// waiting for the writer; append() waits while more are.
  static constexpr std::size_t kMaxQueuedBytes = 16u << 20;

  /// False in a build without SQLite.
  static bool available() noexcept;
  /// Why available() is false, for a person ("this Windows build keeps no history: ...").
  static std::string unavailableReason();
  /// Opens <dataFolder>/history.sqlite3, creating the folder and the database if need be
  /// (dataFolder empty: KeyStore::defaultDataFolder()). nullptr with error set, for a person,
  /// on failure: the folder cannot be made or written, the file is not a ChatPort history, it
  /// was written by a newer ChatPort, or this build keeps no history.
  static std::unique_ptr<HistoryStore> open(const std::string& dataFolder, std::string& error);

  /// Waits for the writer to commit everything appended.
  virtual ~HistoryStore();

  /// Queues message for the writer thread, which commits what is queued in batches, one
  /// transaction each. Does not wait for the disk, unless kMaxQueuedBytes are queued already:
  /// then it waits until the writer has made room (back-pressure: a host never loses a message
  /// it fans out). A room chat message (seq > 0) that the room has already (the same room and
  /// seq: a replay after a reconnection) is kept once. committed, if given, runs on the writer
  /// thread once the message is durable against a crash of the process (committed to the
  /// write-ahead log), in append order; it is not called if the write fails (disk full: the
  /// failure is logged).
  virtual void append(StoredMessage message, std::function<void()> committed = {}) = 0;
  /// Waits until everything appended so far is committed (or has failed).
  virtual void flush() = 0;
  /// Names the room for people (rooms(), the CLI). Queued like append().
  virtual void setRoomName(const std::string& room, const std::string& name) = 0;

  /// The room's last count messages of every kind, oldest first.
  virtual std::vector<StoredMessage> latest(const std::string& room, std::size_t count) = 0;
  /// The room's chat messages with seq > afterSeq, oldest first: the newest limit of them.
  /// missedBeyond: how many more there were (older than the first one returned).
  virtual std::vector<StoredMessage> since(const std::string& room, std::uint64_t afterSeq, std::size_t limit,
                                           std::uint64_t& missedBeyond) = 0;
  /// The highest seq the room has had. Deleting messages (deleteRoom, deleteAll, the limits)
  /// does not lower it, so a host that numbers from it never reuses a seq.
  virtual std::uint64_t lastSeq(const std::string& room) = 0;
  /// The message with this id and up to before/after of its room's messages around it, oldest
  /// first (a search hit in context); empty if there is no such message.
  virtual std::vector<StoredMessage> around(std::int64_t id, std::size_t before, std::size_t after) = 0;
  /// Messages holding every word of words (separated by spaces; case-insensitive for Latin
  /// letters; any script, Chinese included, words of any length), in room (empty: every room),
  /// newest first, at most limit. What the words hold is searched for as text, never read as
  /// query syntax.
  virtual std::vector<StoredMessage> search(const std::string& words, const std::string& room,
                                            std::size_t limit) = 0;
  /// The rooms that have messages, the most recent first.
  virtual std::vector<StoredRoom> rooms() = 0;

  /// Deletes the room's messages and name (after what is queued is written). The text is
  /// overwritten on disk, not just unlinked.
  virtual void deleteRoom(const std::string& room) = 0;
  /// Deletes every message and room name, as deleteRoom.
  virtual void deleteAll() = 0;
  /// Deletes the oldest messages beyond the limits (after what is queued is written).
  virtual void applyLimits(const HistoryLimits& limits) = 0;

 protected:
  HistoryStore() = default;
};

}  // namespace chatport::chat
