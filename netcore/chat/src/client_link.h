#pragma once
// Host side: one joiner's connection, living on that connection's loop. It does the per-joiner
// work that needs no room state, so the room's thread does not have to: parsing, the handshake
// deadline, heartbeat silence, and the rate limit. Everything else goes to the room as a posted
// task, in the order received.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/protocol.h>
#include <chatport/net/connection.h>
#include <chatport/net/frame_queue.h>
#include <chatport/net/loop.h>
#include <chatport/net/slot_list.h>

#include "loop_shard.h"
#include "secure_wire.h"
#include "token_bucket.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::chat {

class ClientLink final : public std::enable_shared_from_this<ClientLink>, public net::Connection::Receiver {
 public:
  /// shard has its link context (LoopShard::setLinkContext).
  ClientLink(std::shared_ptr<net::Connection> connection, std::shared_ptr<LoopShard> shard);

  /// Loop thread only. Starts receiving and the handshake deadline; counts the link as pending
  /// in the handshake budget until its first frame, dropping the oldest pending link (on its
  /// own loop) when the budget is full.
  void start();
  /// Loop thread only. The handshake budget needs room: a link still waiting for its first
  /// frame closes without a word (it has said nothing to answer).
  void dropIfSilent();

  /// Loop thread only. The room admitted this joiner as id.
  void admit(ClientId id);
  /// Loop thread only. Queues a frame of protocol.h for the joiner, sealed under the link's
  /// own keys once the channel is up.
  void send(const net::SharedBytes& frame);
  /// Loop thread only. Queues file data: handed to the connection only while little else waits
  /// there, so that chat sent meanwhile goes ahead of it (sealed as it is handed over, so the
  /// order of the channel's nonces is the order on the wire).
  void sendBulk(const net::SharedBytes& frame);
  /// Loop thread only. Queues frames the room has sealed already (RoomSealed broadcasts).
  void sendSealed(const net::SharedBytes& frames);
  /// Loop thread only. Ends the link: sends lastFrame if any, then closes once what is queued
  /// has been sent (flush) or at once. The room hears reason when it has closed.
  void close(const net::SharedBytes& lastFrame, LeaveReason reason, bool flush);
  /// Loop thread only. Lifts the joiner's rate limit (the host exempted it), or puts it back
  /// with a full bucket. What it sends still counts against its inbox (postToRoom).
  void setExempt(bool exempt);
  /// Loop thread only. Drops the joiner if it has been silent for longer than the heartbeat
  /// timeout (not while its link is not read: see setReading).
  void checkSilence(net::Clock::time_point now);
  /// Loop thread only. Stops reading from the joiner while the room is congested (RoomFlow), or
  /// reads again (unless its own requests still fill its inbox); its silence is counted from
  /// then.
  void setReading(bool reading) { setPaused(kPausedForRoom, !reading); }
  /// Loop thread only. How long the joiner's queue has been over the room's mark, now that it is
  /// (over) or not; nullopt if it is not.
  std::optional<net::Clock::duration> behindFor(bool over, net::Clock::time_point now);

  /// Any thread: the room has handled a request that postToRoom counted as cost bytes. Once
  /// its inbox is down to half its bound, a joiner held back for it is read again.
  void roomHandled(std::size_t cost);

  /// Loop thread only.
  bool isMember() const noexcept { return phase_ == Phase::Member; }
  bool isOpen() const noexcept { return phase_ != Phase::Closed; }
  std::size_t queuedBytes() const noexcept;

  /// The joiner's static key, known once the handshake is complete: set on the link's loop
  /// before the hello is posted to the room, and never changed after.
  const noise::PublicKey& peerKey() const noexcept { return peerKey_; }

  /// The room's thread only: the member this link is the current link of (kNoClient: none).
  /// The room keeps it so, in place of a map from links to members.
  ClientId roomMember() const noexcept { return roomMember_; }
  void setRoomMember(ClientId id) noexcept { roomMember_ = id; }
  /// The room's thread only: the room has sent this link its Welcome.
  bool welcomed() const noexcept { return welcomed_; }
  void setWelcomed() noexcept { welcomed_ = true; }

  /// Any thread: fixed for the link's life.
  std::size_t loopIndex() const noexcept { return loop().index(); }
  std::string peer() const { return connection_->peer().toString(); }

 private:
  friend class net::SlotList<ClientLink>;

  // AwaitingHello: nothing received yet. Handshaking: Noise message 2 sent, waiting for 3.
  // Joining: the hello went to the room, which has not answered yet.
  enum class Phase : std::uint8_t { AwaitingHello, Handshaking, Joining, Member, Closing, Closed };

  /// "address:port (client id)", for the log.
  std::string who() const;
  /// The shard's, which are the room's. Any thread.
  const CoreOptions& options() const noexcept;
  const LinkContext& context() const noexcept;
  net::Loop& loop() const noexcept { return connection_->loop(); }
  // net::Connection::Receiver
  void onFrame(net::Connection&, std::span<const std::byte> payload) override { onFrame(payload); }
  void onClose(net::Connection&, std::error_code reason) override { onClose(reason); }
  void onFrame(std::span<const std::byte> payload);
  void onClose(std::error_code reason);
  void onFirstFrame(std::span<const std::byte> payload);
  void onHandshakeFrame(std::span<const std::byte> payload);
  void onHello(std::span<const std::byte> payload);
  /// Queues frame: sealed once the channel is up, as it is before.
  void deliver(const net::SharedBytes& frame);
  /// Holds a frame that came behind the hello until the room has answered it.
  void holdEarlyFrame(std::span<const std::byte> payload);
  void onMemberFrame(std::span<const std::byte> payload);
  /// Takes one request from the joiner's budget. False if over it: the request is dropped,
  /// answered (if answer) with Error(RateLimited), and a joiner that keeps on is dropped.
  bool spend(bool answer);
  void answer(proto::Code code, std::string detail);
  void refuse(proto::Code code, std::string detail);
  /// Posts a request to the room, counted as cost bytes of the joiner's inbox there. Over its
  /// bound it is dropped if !mayHoldBack (file data), else taken, and the joiner is not read
  /// until the room has caught up (kPausedForInbox).
  void postToRoom(proto::ClientMessage&& message, std::size_t cost, bool mayHoldBack = true);
  /// Hands bulk frames to the connection while its queue is short.
  void feedBulk();
  /// Why nothing is read from the joiner (pausedFor_): the room is congested, or the joiner's
  /// requests fill its share of the room's inbox.
  static constexpr std::uint8_t kPausedForRoom = 1;
  static constexpr std::uint8_t kPausedForInbox = 2;
  /// Loop thread only. Reads from the joiner while there is no reason not to.
  void setPaused(std::uint8_t reason, bool paused);

  // A host holds thousands of links: what they share is held once (the shard's context and
  // options), what the connection knows (its loop, the peer's address) is not copied, and what
  // only some phases need is allocated for those (handshake_, early_).
  const std::shared_ptr<net::Connection> connection_;  // kept once closed (it is then inert)
  const std::shared_ptr<LoopShard> shard_;

  // Loop thread only from here on (but for the atomics and roomMember_). The small fields go
  // together at the end, where they leave no holes.
  net::Clock::time_point lastHeard_;
  // The handshake's deadline until the joiner is admitted; once it is leaving, how long its
  // last words may linger.
  net::TimerId timer_ = 0;
  TokenBucket bucket_;
  net::Clock::time_point behindSince_{};  // its queue went over the room's mark; epoch: it is not
  // Frames that came behind the hello while the room decides: handled once admitted, so that
  // the Welcome (or Refuse) is the first thing the joiner hears. Bounded by kMaxEarlyBytes.
  struct EarlyFrames {
    std::vector<net::Bytes> frames;
    std::size_t bytes = 0;
    bool overflow = false;  // more came than kMaxEarlyBytes
  };
  std::unique_ptr<EarlyFrames> early_;
  // The secure channel: the handshake while it runs (allocated only then: a member does not
  // carry its ~500 bytes), then one cipher each way.
  std::unique_ptr<noise::HandshakeState> handshake_;
  noise::CipherState sendCipher_;
  noise::CipherState receiveCipher_;
  noise::PublicKey peerKey_{};
  // File data waiting behind the connection's queue; bounded by the relay's windows. Made with
  // the first of it, with the connection's drained handler.
  std::unique_ptr<net::FrameQueue> bulk_;
  // Requests posted to the room and not yet handled there, in bytes (see postToRoom).
  std::atomic<std::size_t> inboxBytes_{0};
  const char* leaveDetail_ = nullptr;  // why this side closed it, where the reason's name does not say
  // Set on the loop thread when the inbox went over its bound and reading stopped for it;
  // cleared by the room (roomHandled) when it asks the loop to read again.
  std::atomic<bool> inboxFull_{false};
  Phase phase_ = Phase::AwaitingHello;
  bool exempt_ = false;         // no rate limit (the host said so)
  std::uint8_t pausedFor_ = 0;  // kPausedFor... bits: nothing is read from the joiner while any is set
  bool leaveReasonSet_ = false;
  LeaveReason leaveReason_ = LeaveReason::Error;
  bool channelOpen_ = false;
  bool welcomed_ = false;  // the room's thread only: see welcomed()
  ClientId id_ = kNoClient;
  std::uint32_t strikes_ = 0;  // messages refused for the rate limit since the bucket was last full
  std::uint32_t listSlot_ = net::SlotList<ClientLink>::kNone;  // its place in its shard's list
  ClientId roomMember_ = kNoClient;  // the room's thread only: see roomMember()
};

}  // namespace chatport::chat
