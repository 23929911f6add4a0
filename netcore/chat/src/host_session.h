#pragma once
// Host mode: the room. Its state (who is here, names, the message sequence) lives on the core
// loop only; joiners' connections live on every loop, reached through a Fanout.

#include <chatport/chat/protocol.h>
#include <chatport/chat/types.h>
#include <chatport/net/engine.h>

#include "chat_session.h"
#include "client_list_publisher.h"
#include "free_memory.h"
#include "name_index.h"
#include "room_rules.h"
#include "secure_wire.h"
#include "room_beacon.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace chatport::chat {

class ClientLink;
class Fanout;
class FileEndpoint;
class FileRelay;
class HistoryStore;
class LoopShard;
class RoomFlow;
struct HostSecurity;

class HostSession final : public ChatSession, public std::enable_shared_from_this<HostSession> {
 public:
  explicit HostSession(SessionContext context);
  ~HostSession() override;

  /// Core loop only. Binds and starts accepting, then reports ConnectedEvent and the client
  /// list; or reports ErrorEvent + DisconnectedEvent and ends.
  void start(const HostCommand& command);

  // ChatSession; core loop only.
  void say(std::string text) override;
  void whisper(ClientId to, std::string text) override;
  void rename(std::string name) override;
  void kick(ClientId who, bool ban) override;
  void exempt(ClientId who, bool exempt) override;
  void unban(const std::string& fingerprint) override;
  void setPresence(Presence presence) override;
  void setPicture(const Picture& picture) override;
  void leave(std::function<void()> done) override;
  FileEndpoint* files() override { return files_.get(); }

  /// Core loop only: a request from a joiner's link (its hello, or one once admitted) that its
  /// inbox counts as cost bytes: handled now (onMessage), or held while the room is congested
  /// (RoomFlow), and counted until handled.
  void onRequest(const std::shared_ptr<ClientLink>& link, proto::ClientMessage&& message, std::size_t cost);
  /// Core loop only: a message from a joiner's link (its hello, or a request once admitted).
  void onMessage(const std::shared_ptr<ClientLink>& link, proto::ClientMessage&& message);
  /// Core loop only: that link has closed, for reason.
  void onLinkClosed(const std::shared_ptr<ClientLink>& link, LeaveReason reason, std::string detail);

 private:
  struct Member {
    // One for each of thousands of joiners: what its link knows (its key, whether it has been
    // welcomed) is not copied here.
    Participant who;
    std::shared_ptr<ClientLink> link;  // null for the host itself
    proto::Token token{};              // resume token
    struct Picture;
    std::unique_ptr<Picture> picture;  // made when it first sets one
  };

  /// Member id is now available, away or busy: everyone is told.
  void changePresence(ClientId id, Presence presence);
  /// Member id has a new picture (empty: none): everyone is told, as bulk data, if it is within
  /// the member's budget (the host's own has none); otherwise the member is told why not.
  void changePicture(ClientId id, chat::Picture picture);
  /// Everyone else's pictures, to member id's new link (after its Welcome).
  void sendPictures(const std::shared_ptr<ClientLink>& link, ClientId id);
  /// The room's announcement follows its people and the host's name.
  void announceRoom();
  void stopAnnouncing();
  void onHello(const std::shared_ptr<ClientLink>& link, proto::Hello&& hello);
  /// Sends the Welcome and client list to member id's new link and admits it to the room.
  /// Where a resumed session left off: the last chat message (seq) and private one (pseq) it had.
  struct ResumePoint {
    std::uint64_t seq = 0;
    std::uint64_t pseq = 0;
  };
  /// Welcomes link as id; a resumed session is then sent what the replay holds after from, a
  /// new one the room's past (sendHistory) after lastSeq, the last message it has (0: none).
  void welcome(const std::shared_ptr<ClientLink>& link, ClientId id, const proto::Token& token,
               std::optional<ResumePoint> from, std::uint64_t lastSeq = 0);
  /// History for a new session: the latest historyForNewcomers messages, or those after
  /// lastSeq (up to historyForReturning, and how many more there were) for a joiner that had
  /// been here. Nothing when it has everything.
  void sendHistory(const std::shared_ptr<ClientLink>& link, std::uint64_t lastSeq);
  /// Keeps a chat message for History, within historyBytes.
  void keepPast(proto::HistoryEntry entry);
  /// Keeps a chat message (to == kNoClient) or a private one for joiners that resume.
  void remember(std::uint64_t seq, const net::SharedBytes& frame, ClientId from = kNoClient,
                ClientId to = kNoClient);
  void refuse(const std::shared_ptr<ClientLink>& link, proto::Code code, std::string detail);
  /// Sends payload (one message of protocol.h) to every member, sealed once under the room key;
  /// first starts the new epoch due since someone left, if mayStartEpoch (Left notices do not,
  /// so that k members leaving at once cost no k new keys to everyone).
  /// Announces the joins not yet announced first, so that nothing about a member reaches anyone
  /// before its Joined.
  void broadcast(const net::Bytes& payload, bool mayStartEpoch = true);
  /// Joins are announced a tick (kJoinedEvery) at a time: a join after a quiet tick at once,
  /// those within a tick together at its end, so that a crowd joining costs O(N) frames a tick
  /// rather than O(N) a join. The newcomers themselves have the list in their Welcome.
  void announceLater(const Participant& who);
  /// Announces what waits, and if anything did, starts the next tick.
  void joinedTick();
  /// Sends what announceLater() holds now. Under a new epoch if one is due, so nothing new is
  /// sealed for those who left; if it is due but may not start now (a Left on its way to the
  /// one leaving), it waits for the next tick.
  void announceJoins(bool mayStartEpoch = true);
  /// A new room key, sent to every member in their own channels.
  void startNewEpoch();
  /// The room key's frame for a member, of the current epoch.
  net::SharedBytes roomKeyFrame() const;
  void reply(const Member& to, proto::Code code, std::string detail);
  /// A chat message: numbered now, published (publish()) once the history store has it, or at
  /// once without a store, so that every message a joiner receives is in the history even if
  /// the host is killed the next moment. Messages are published in their order.
  void chat(ClientId from, std::string text);
  /// Sent to the room, kept for replays and History, shown: what chat() said, now durable.
  void publish(proto::ChatMessage message, std::string fromName);
  /// The history store has every message up to seq.
  void onDurable(std::uint64_t seq);
  /// The room's order on the wire: step runs now if no chat message is waiting for the store,
  /// else once those before it have gone out. Joined, Left, Renamed, Welcomes and private
  /// messages go this way, so that everyone sees them where they happened among the chat.
  void inOrder(std::function<void()> step);
  void runReadySteps();
  void privateMessage(ClientId from, ClientId to, std::string text);
  std::optional<ErrorCode> renameMember(ClientId id, std::string name);
  void removeMember(ClientId id, LeaveReason reason);
  std::vector<Participant> roster() const;
  Member* findByLink(const ClientLink& link);
  /// The member's installation's static key, to which its resumes are bound; all zero for the
  /// host itself.
  static const noise::PublicKey& keyOf(const Member& m);
  /// Its Welcome has gone out on its current link (room keys go to it from then).
  static bool welcomed(const Member& m);
  /// Who here goes by a name with this nameKey(); kNoClient if nobody.
  ClientId nameHolder(std::string_view key) const;
  /// A resume token from the system's CSPRNG, not filed under any member's slot yet.
  proto::Token newToken();
  /// The member whose resume token this is, compared in constant time; or null.
  Member* findByToken(const proto::Token& token);
  /// The listener has failed for good (and the engine has closed it): ends the session, as
  /// chat_core.h says. Core loop only.
  void onListenerFailed(std::error_code why);
  void scheduleStats();
  void emit(Event event);
  /// Handles the requests held while the room was congested (RoomFlow), until it is again.
  void handleHeld();

  SessionContext ctx_;
  const ClientId hostId_ = 1;
  std::vector<std::shared_ptr<LoopShard>> shards_;
  std::shared_ptr<Fanout> fanout_;
  std::shared_ptr<RoomBeacon> beacon_;  // null: not announced (not asked, or no discovery here)
  beacon::RoomInfo room_;              // what the beacon says
  std::shared_ptr<net::Listener> listener_;
  std::shared_ptr<ClientListPublisher> publisher_;
  std::shared_ptr<HostSecurity> security_;
  std::shared_ptr<RoomFlow> flow_;

  // Core loop only.
  bool ended_ = false;
  // Requests that came while the room was congested, in order; each still counted in its
  // link's inbox, which bounds them.
  struct Held {
    std::shared_ptr<ClientLink> link;
    proto::ClientMessage message;
    std::size_t cost;
  };
  std::deque<Held> held_;
  std::size_t unpublishedBytes_ = 0;  // chat text numbered, waiting for the store
  ClientId nextId_ = 2;
  std::uint64_t seq_ = 0;           // the last chat message numbered
  std::uint64_t publishedSeq_ = 0;  // the last one sent to the room (the Welcome's roomSeq)
  // What waits for the store, in the room's order: a chat message to publish (seq > 0, once
  // durable) or any other step (seq 0) behind one.
  struct Step {
    std::uint64_t seq;
    std::function<void()> run;
  };
  std::deque<Step> outbox_;
  std::uint64_t durableSeq_ = 0;
  HistoryStore* store_ = nullptr;  // null: no history kept on disk
  std::string historyRoom_;        // this room's key in the store
  std::uint64_t privateSeq_ = 0;
  // The latest chat and private messages, oldest first, for joiners that resume after losing
  // their link; about CoreOptions::resumeHistoryBytes of them. A private message has a
  // recipient (to), and its seq is its pseq.
  struct Said {
    std::uint64_t seq;
    net::SharedBytes frame;
    ClientId from;
    ClientId to;
  };
  std::deque<Said> replay_;
  std::size_t replayBytes_ = 0;
  // The room's latest chat messages, oldest first, by their senders' names: what History
  // sends new sessions. At least max(historyForNewcomers, historyForReturning) of them where
  // historyBytes allows.
  std::deque<proto::HistoryEntry> past_;
  std::size_t pastBytes_ = 0;
  const net::SharedBytes heartbeat_ = proto::toFrame(proto::Heartbeat{});  // ends a replay
  // One node each for thousands of joiners: from pools of their own (record_pool.h).
  template <typename T>
  using Pooled = net::PoolAllocator<T>;
  // Ordered by id: the client list's order.
  std::map<ClientId, Member, std::less<ClientId>, Pooled<std::pair<const ClientId, Member>>> members_;
  NameIndex<> names_;  // who goes by each nameKey(): see nameHolder
  // By tokenSlot(): the first 8 bytes.
  std::unordered_map<std::uint64_t, ClientId, std::hash<std::uint64_t>, std::equal_to<>,
                     Pooled<std::pair<const std::uint64_t, ClientId>>>
      tokens_;
  // The room key broadcasts are sealed under. Whenever someone leaves, the next broadcast
  // starts a new epoch, whose key goes only to those still here.
  std::unique_ptr<secure::RoomSealer> roomKey_;
  bool newEpochDue_ = false;
  std::vector<Participant> unannounced_;  // joined, not yet told to the room (announceLater)
  net::TimerId joinedTimer_ = 0;
  // Who is banned, and who has no rate limit (ExemptCommand), by installation key: kept in the
  // data folder (room_rules.h), read as the room starts and written at every change.
  RoomRules rules_;
  /// Writes rules_ to the data folder; the host is told if it cannot be (the rule holds anyway
  /// while this room lasts).
  void saveRules();
  /// BansEvent: who is banned now.
  void reportBans();
  /// The member who, for a host's command about someone else: nullptr (and the host told why)
  /// if who is the host itself (notTheHost says why not) or no longer here, or the room ended.
  Member* someoneElse(ClientId who, const char* notTheHost);
  /// The rate limit a member's Welcome and Limits tell it: none if its key is exempt.
  proto::Limits limitsFor(const noise::PublicKey& key) const;
  proto::WelcomeEncoder welcomes_;  // told of every leave and rename
  std::uint64_t messagesIn_ = 0;
  std::uint64_t messagesOut_ = 0;
  net::TimerId statsTimer_ = 0;
  // Files: the room's transfers, and the host's own offers and downloads.
  std::unique_ptr<FileRelay> relay_;
  std::shared_ptr<FileEndpoint> files_;
  /// Starts relay_ and files_ once the room is up.
  void startFiles();
  /// Ends transfers whose recipient did not come back in time; again every while.
  void expireTransfers();
  net::TimerId transferTimer_ = 0;
  /// A relay message to member to (the host's own: to files_).
  void sendFileMessage(ClientId to, proto::HostMessage&& message, bool bulk);
  // What a surge of 1 MiB or more left free goes back to the system once it is over and the
  // queues are quiet. A join storm of 10,000 leaves 4 - 8 MiB of pages free between the
  // members' records, and the loops' spare send states (about 1.5 MiB after it) a few seconds
  // later; a release (malloc_trim) costs a few milliseconds, once per surge.
  FreeMemoryReleaser freeMemory_{1 << 20};
};

}  // namespace chatport::chat
