#pragma once
// The chat core: runs a host (server) or a joiner (client) on the network engine, and talks to
// a front end only through two thread-safe queues.
//
//   ChatCore core;                          // any thread
//   core.setWakeCallback([&] { ... });      // e.g. QMetaObject::invokeMethod(..., Qt::QueuedConnection)
//   core.submit(chat::JoinCommand{"ann", "192.168.1.5"});
//   ...on wake, on the front end's thread:
//   std::vector<chat::Event> batch;
//   while (core.drainEvents(batch, 500)) { for (auto& e : batch) show(e); batch.clear(); }
//
// The wake callback runs on a core thread, once per batch: after it has run, it runs again
// only once the front end has drained the queue empty. It must not block.
//
// What the events say, in order:
//  - A session (HostCommand or JoinCommand) starts with ConnectedEvent, then a ClientListEvent.
//    The list is republished when it changes, at most every 100 ms; JoinedEvent, LeftEvent and
//    RenamedEvent come at once, and a ClientListEvent includes every change reported before it.
//  - Every session ends with exactly one DisconnectedEvent whose willReconnect is false; after
//    it the core is idle and accepts a new HostCommand or JoinCommand at once. It alone says
//    why: one failure, one event (no ErrorEvent comes with it).
//    * It could not start (port in use, bad bind address, refused, unreachable, timed out,
//      name taken, room full, version mismatch, a wrong password, a changed host key with both
//      fingerprints in it): DisconnectedEvent{code, willReconnect = false}. No ConnectedEvent
//      was sent.
//    * Host, its listening socket failed for good (nobody could join any more):
//      DisconnectedEvent{ConnectionLost, willReconnect = false}; its joiners are told that the
//      host closed the chat.
//    * LeaveCommand (or destroying the core): DisconnectedEvent{ErrorCode::Left}. For a joiner
//      that was connecting or waiting to reconnect, this cancels it.
//    * The host ended the chat: DisconnectedEvent{HostClosed}; kicked: {Kicked}; dropped for
//      flooding: {RateLimited}. No reconnect: the host meant it.
//  - Joiner, the host lost (connection reset or closed without a goodbye, or silent for
//    heartbeatTimeout): DisconnectedEvent{ConnectionLost, willReconnect = true}, then a
//    ReconnectingEvent before each attempt (delays doubling from reconnectInitialDelay to
//    reconnectMaxDelay), then ConnectedEvent again on success, under the same name: a resume
//    token from the welcome lets the joiner take over its own stale session on the host.
//    Attempts that fail only produce further ReconnectingEvents, except a refusal that
//    retrying cannot fix (name taken meanwhile, version mismatch), which ends the session.
//    A resumed session then gets the chat and private messages it missed, in order, as
//    MessageEvents and PrivateMessageEvents; if the host no longer had some of the chat
//    messages, a MissedEvent says how many, where they would have been.
//  - SkippedEvent: the front end fell more than CoreOptions::maxPendingEventBytes behind; it
//    stands in for the oldest messages and notices that were let go.
//  - ErrorEvent (the session goes on): a command failed, e.g. RateLimited,
//    MessageTooLong, InvalidText, UnknownRecipient, NameTaken for a rename, NotAllowed,
//    NotConnected.
//
// Threads: the engine's loop 0 is the core loop, where every session's state lives; commands
// are posted to it. A host's joiners are spread over all loops (CoreOptions::threads).

#include <chatport/chat/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace chatport::chat {

struct CoreOptions {
  std::size_t threads = 0;  ///< engine threads; 0: one per core
  /// Where this installation keeps its key and the hosts it has met (KeyStore); empty: the
  /// platform's data folder.
  std::string dataDir;
  /// Host: what deriving the room key from a password costs (Argon2id): memory and passes.
  /// Joiners use the host's values (up to 1 GiB, 10 passes).
  std::uint32_t passwordMemoryKiB = 64 * 1024;
  std::uint32_t passwordIterations = 3;
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds heartbeatInterval{5000};
  /// A peer silent this long is dropped (host) or considered gone (joiner).
  std::chrono::milliseconds heartbeatTimeout{30000};
  /// A connection that has not completed the handshake by then is closed.
  std::chrono::milliseconds handshakeTimeout{10000};
  std::size_t maxClients = 1000;
  /// Host: connections that have not said hello yet, in all and from one address. They are
  /// counted apart from maxClients; when a new connection would go over, the oldest of them
  /// (from that address, or of all) is dropped, so silent sockets cannot lock joiners out.
  std::size_t maxPendingHandshakes = 256;
  std::size_t maxPendingHandshakesPerAddress = 32;
  std::size_t maxQueuedBytesPerClient = std::size_t{4} << 20;
  /// Host: the latest chat and private messages kept, about this many bytes of them (at most
  /// half of maxQueuedBytesPerClient), for joiners that resume after losing their link: they
  /// get what they missed. 0 keeps none.
  std::size_t resumeHistoryBytes = std::size_t{1} << 20;
  /// Keep the chat on disk (HistoryStore, in dataDir): a host its room's messages, so that
  /// the room goes on after a restart; a joiner what it saw and sent, shown again when it
  /// comes back. Ignored where this build keeps no history (HistoryStore::available()).
  bool keepHistory = true;
  /// Host: a newcomer is sent the room's latest this many chat messages, marked as history
  /// (proto::History); a joiner coming back, what was said since the last one it has, up to
  /// historyForReturning (and how many more there were). The host keeps at least that many
  /// in memory, within historyBytes; 0 sends none.
  std::size_t historyForNewcomers = 100;
  std::size_t historyForReturning = 1000;
  std::size_t historyBytes = std::size_t{1} << 20;
  /// Host: the largest offer (a file, or a folder's files together) the room carries.
  std::uint64_t maxFileBytes = std::uint64_t{4} << 30;
  /// Host: transfers running at once (one per recipient that accepted), in the whole room and
  /// from one sender. An offer past them, or an accept, is refused with TransferBusy; the host
  /// holds at most proto::kFileWindow bytes of each, whatever the peers' speeds.
  std::size_t maxTransfers = 64;
  std::size_t maxTransfersPerSender = 16;
  /// Host: offers one member may have waiting for answers at once.
  std::size_t maxOffersPerSender = 32;
  /// Host: a recipient whose link was lost in the middle of a transfer (its program killed,
  /// its computer asleep) may come back this long after, in a new session, and go on from
  /// where its data ends; its copy holds its place among maxTransfers meanwhile.
  std::chrono::milliseconds transferResumeWindow{15 * 60 * 1000};
  /// Joiner: reconnect after losing the host (not after a kick or a refusal).
  bool autoReconnect = true;
  std::chrono::milliseconds reconnectInitialDelay{500};
  std::chrono::milliseconds reconnectMaxDelay{15000};
  /// Per-client message rate (chat, private and rename): a burst of this many, refilled at
  /// ratePerSecond. A message over the rate is refused with RateLimited; a client that has
  /// more than rateBurst messages refused without pausing long enough to refill is dropped.
  double ratePerSecond = 20;
  double rateBurst = 40;
  /// How often a StatsEvent is reported while in a chat; 0: never. A host also looks at its
  /// memory then, returning what a surge left free to the system once its queues are quiet.
  std::chrono::milliseconds statsInterval{1000};
  /// Events the front end has not taken yet are kept up to about this many bytes. Past it the
  /// oldest messages and join/leave notices give way to one SkippedEvent, so a front end that
  /// stalls (a stopped terminal, say) never makes the core's memory grow without end.
  std::size_t maxPendingEventBytes = std::size_t{32} << 20;
};

/// options as a front end starting a session in role should run them. A joiner serves one
/// socket: unless threads says otherwise, its core runs one loop thread, on which its session
/// and its connection both live, so no frame crosses between threads on its way. A host keeps
/// one loop per core for its joiners.
CoreOptions optionsFor(Role role, CoreOptions options);

/// Asks the C library to keep one heap for the whole process rather than one per thread that
/// allocates (glibc's malloc arenas; elsewhere it does nothing). Call it first in main(), before
/// any thread starts. The core's records and frames come from its own pools, so the threads'
/// heaps hold little but what a surge (a join storm) leaves free between live blocks; one heap
/// keeps a host of 10,000 idle joiners about 1 MiB smaller, at no measurable cost under load
/// (docs/PERFORMANCE.md).
void useOneHeap() noexcept;

class ChatCore {
 public:
  /// Starts the engine threads. Throws std::system_error if no network backend can run.
  /// Any thread.
  explicit ChatCore(CoreOptions options = {});
  /// Leaves cleanly (a host tells its joiners; waits at most a few seconds for that), then
  /// stops the engine. Any thread except the core's own (never from the wake callback).
  ~ChatCore();
  ChatCore(const ChatCore&) = delete;
  ChatCore& operator=(const ChatCore&) = delete;

  /// Thread-safe, never blocks on the network.
  void submit(Command command);

  /// Thread-safe. Moves up to max pending events, oldest first, to the end of out; returns how
  /// many were moved.
  std::size_t drainEvents(std::vector<Event>& out, std::size_t max = SIZE_MAX);

  /// Set before the first submit(). Runs on a core thread; see the file comment. Thread-safe.
  void setWakeCallback(std::function<void()> wake);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chatport::chat
