#pragma once
// Host side of file transfer: the room's offers and the streams that carry them, relayed
// between members on the connections they already have (protocol.h, "files"). Lives on the core
// loop with the room; knows members only by id, and reaches them through Hooks.
//
// Memory: a stream's bytes in the host (relayed, not yet acknowledged by its recipient) never
// exceed proto::kFileWindow, because a chunk past the window ends the stream; streams running at
// once are bounded (CoreOptions::maxTransfers, maxTransfersPerSender), accepts past them wait in
// order; offers waiting for answers are bounded per sender (maxOffersPerSender).

#include <chatport/chat/chat_core.h>
#include <chatport/chat/protocol.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::chat {

class FileRelay {
 public:
  using Key = std::array<std::byte, 32>;  ///< a member's installation key (noise::PublicKey)

  struct Hooks {
    /// Sends message to member to; bulk: file data, which goes behind everything else.
    std::function<void(ClientId to, proto::HostMessage&& message, bool bulk)> send;
    /// The members a room-wide offer goes to: those connected now, in the room.
    std::function<std::vector<ClientId>()> present;
    /// Whether id is a member (connected or away).
    std::function<bool(ClientId id)> isMember;
    /// Member id's installation key: a recipient back in a new session is known by it.
    std::function<Key(ClientId id)> keyOf;
    std::function<std::int64_t()> nowMs;
  };

  FileRelay(const CoreOptions& options, Hooks hooks, std::shared_ptr<spdlog::logger> log);

  /// A file message (Offer, Accept, Decline, CancelTransfer, Chunk, Ack, ChunksEnd, Received)
  /// from member from; others are ignored.
  void onMessage(ClientId from, proto::ClientMessage&& message);
  /// Member id resumed its session on a new link (the host had not noticed the old one drop).
  void memberResumed(ClientId id);
  /// Member id left the room. Its offers and the copies it was receiving end, unless returnKey:
  /// its link was lost, and it may come back in a new session with that key within
  /// CoreOptions::transferResumeWindow to take them up again (a recipient by accepting again,
  /// even from a restarted program; a sender by Reclaim).
  void memberLeft(ClientId id, std::optional<Key> returnKey);
  /// Ends the copies whose recipient has not come back since before nowMs - window.
  void expireOrphans(std::int64_t nowMs);

  /// For the host's status line and tests.
  std::size_t transfers() const noexcept { return transfers_.size(); }
  std::size_t running() const noexcept { return running_; }

 private:
  enum class StreamState { Offered, Queued, Running, Checking };
  struct Stream {
    StreamState state = StreamState::Offered;
    ClientId member = kNoClient;  // who receives it now (its recipient; kNoClient: gone for now)
    std::optional<Key> returnKey;  // gone: the key it may come back with
    std::int64_t goneSinceMs = 0;
    std::uint64_t relayed = 0;  // the end of what was relayed in this run
    std::uint64_t acked = 0;    // the recipient has everything before it
    std::optional<std::uint64_t> restartAt;  // the sender was asked to start again there (a gap)
  };
  struct Transfer {
    ClientId from = kNoClient;    // the sender as it offered it: the transfer's name for it
    ClientId sender = kNoClient;  // the sender now (kNoClient: gone for now)
    std::optional<Key> returnKey;  // gone: the key it may come back with
    std::int64_t goneSinceMs = 0;
    std::uint64_t total = 0;
    std::map<ClientId, Stream> streams;  // by recipient
  };

  void offer(ClientId from, proto::Offer&& offer);
  void accept(ClientId from, const proto::Accept& accept);
  void cancel(ClientId from, const proto::CancelTransfer& cancel);
  void chunk(ClientId from, proto::Chunk&& chunk);
  void ack(ClientId from, const proto::Ack& ack);
  void chunksEnd(ClientId from, const proto::ChunksEnd& end);
  void received(ClientId from, proto::Received&& received);
  void reclaim(ClientId from, const proto::Reclaim& reclaim);

  Transfer* find(TransferId id);
  /// The stream member from receives in t, and its recipient's id (the stream's name to the
  /// sender). A stream whose recipient is gone is taken up by a member with its key.
  Stream* streamOf(TransferId id, Transfer& t, ClientId from, ClientId& recipient);
  /// Ends one stream: tells its sender and recipient (each unless nullopt), frees its slot, and
  /// forgets the transfer when it has no stream left.
  void endStream(TransferId id, ClientId recipient, std::optional<proto::Outcome> toSender,
                 std::optional<proto::Outcome> toRecipient, const std::string& detail);
  void forgetIfDone(TransferId id);
  /// Ends each (transfer, recipient) of streams, member gone having left.
  void endAll(const std::vector<std::pair<TransferId, ClientId>>& streams, ClientId gone);
  /// Starts (or restarts) a stream from offset if a slot is free, else queues it.
  void run(TransferId id, ClientId recipient, std::uint64_t offset);
  void startQueued();
  bool slotFree(ClientId sender) const;
  void sendTo(ClientId to, proto::HostMessage&& message, bool bulk = false);

  const CoreOptions options_;
  Hooks hooks_;
  std::shared_ptr<spdlog::logger> log_;
  TransferId nextId_ = 1;
  std::unordered_map<TransferId, Transfer> transfers_;
  std::unordered_map<ClientId, std::size_t> offersBy_;   // open offers per sender
  std::unordered_map<ClientId, std::size_t> runningBy_;  // running streams per sender
  std::size_t running_ = 0;
  struct Waiting {
    TransferId id;
    ClientId recipient;
    std::uint64_t offset;
  };
  std::deque<Waiting> queued_;
};

}  // namespace chatport::chat
