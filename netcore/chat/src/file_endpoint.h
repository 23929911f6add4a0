#pragma once
// One side's files: what this person offers (reading and sending its streams within their
// windows) and what is offered to it (writing, acknowledging, checking the hash). A joiner's
// talks to the host over its link; the host's own talks to the room's FileRelay directly. Lives
// on the core loop; the disk work runs on two threads of its own (one lists and hashes what is
// offered, one reads and writes transfers), so a slow disk never stalls the network, and a
// large offer being hashed never holds up a transfer.

#include <chatport/chat/protocol.h>
#include <chatport/chat/types.h>
#include <chatport/net/loop.h>

#include "task_thread.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::chat {

namespace files {
class OfferReader;
class OfferWriter;
}  // namespace files

class FileEndpoint : public std::enable_shared_from_this<FileEndpoint> {
 public:
  struct Hooks {
    /// Sends one file message toward the host; bulk: file data (and what must follow it), which
    /// goes behind chat.
    std::function<void(proto::ClientMessage&& message, bool bulk)> send;
    std::function<void(Event event)> emit;
    std::function<std::string(ClientId id)> nameOf;
    /// This side's id in the room now (an offer taken up after a restart is from it). Empty:
    /// this side never takes offers up (no records).
    std::function<ClientId()> self;
    /// Where this side notes what it is receiving and what it offers (one file a transfer), so
    /// that a program stopped in the middle takes them up again when it comes back to the room
    /// (resumeRecorded). Empty: nowhere.
    std::filesystem::path records;
  };

  FileEndpoint(net::Loop& loop, Hooks hooks, std::shared_ptr<spdlog::logger> log);
  ~FileEndpoint();

  /// Core loop only, from here on.
  void offer(const SendFileCommand& command);
  void accept(const AcceptFileCommand& command);
  void decline(const DeclineFileCommand& command);
  void cancel(const CancelFileCommand& command);
  void pause(const PauseFileCommand& command);

  /// Handles a file message from the host; false if message is not one.
  bool onMessage(proto::HostMessage& message);

  /// The link to the host dropped: everything pauses.
  void linkDown();
  /// Welcomed again: resumed, the same session goes on (recipients accept again from where
  /// their data ends; senders wait for the host to ask). A new session: this side's offers
  /// and the offers it had not accepted have ended; copies it was receiving go on, as above.
  void linkUp(bool resumed);
  /// The session is over: every transfer that has not ended fails with SessionEnded.
  void end();
  /// Takes up the transfers noted in Hooks::records by an earlier run of this program (it
  /// stopped in the middle of them), each shown again: one it was receiving is accepted from
  /// where its data ends; one it offered is listed and hashed again and, unchanged, reclaimed
  /// from the host (changed or gone, it is cancelled for its recipients).
  void resumeRecorded();

 private:
  /// Bytes per second over the last seconds, for FileProgressEvent.
  struct Meter {
    std::uint64_t lastBytes = 0;
    std::chrono::steady_clock::time_point lastTime{};
    double rate = 0;
    bool changed = true;  // a progress event is due
    void sample(std::uint64_t bytes, std::chrono::steady_clock::time_point now);
  };
  struct OutStream {
    std::uint64_t position = 0;  // the next offset to read
    std::uint64_t acked = 0;
    std::uint32_t run = 0;       // bumped by each Start: reads of an earlier run are dropped
    std::size_t reading = 0;     // chunks being read
    bool started = false;        // the host asked for it (Start) in this run
    bool paused = false;         // this copy, by this person (Outgoing::paused: every copy)
    bool peerAway = false;
    bool endSent = false;
    Meter meter;
  };
  struct Outgoing {
    std::uint32_t tag = 0;
    TransferId id = 0;  // 0 until the host numbered it
    ClientId to = kNoClient;
    std::string path;          // as the person gave it
    std::shared_ptr<files::OfferReader> reader;
    std::uint64_t total = 0;
    proto::FileHash hash{};
    bool paused = false;  // every copy, by this person (new ones too)
    bool claimed = true;  // the host knows this program sends it (an offer taken up from its
                          // record is not, until Reclaim)
    std::map<ClientId, OutStream> streams;  // by recipient
  };
  enum class InState { Offered, Opening, Running, Checking };
  struct Incoming {
    ClientId from = kNoClient;
    std::string fromName;
    std::vector<OfferedFile> files;
    std::uint64_t total = 0;
    InState state = InState::Offered;
    std::shared_ptr<files::OfferWriter> writer;  // used on the disk thread
    std::uint64_t expected = 0;  // the end of what was handed to the writer
    std::uint64_t written = 0;   // on disk
    std::uint64_t acked = 0;     // the last Ack sent
    bool paused = false;         // by this person
    bool peerAway = false;
    Meter meter;
  };

  /// Listed and hashed: offered to the room.
  void ready(std::uint32_t tag, std::shared_ptr<files::OfferReader> reader, const proto::FileHash& hash);
  void onOffered(proto::Offered&& offered);
  void onRefused(const proto::OfferRefused& refused);
  void onStart(const proto::Start& start);
  void onAcked(const proto::Acked& acked);
  void onData(proto::Data&& data);
  void onDataEnd(const proto::DataEnd& end);
  void onEnded(const proto::TransferEnded& ended);
  void onPaused(const proto::TransferPaused& paused);

  /// Reads and sends stream recipient of transfer id as far as its window allows.
  void pump(TransferId id, ClientId recipient);
  void written(TransferId id, std::size_t bytes, bool ok, std::string error);
  /// Acknowledges what came in, up to kDiskAhead past what is on disk (again if again).
  void acknowledge(TransferId id, Incoming& in, bool again = false);
  /// Ends an incoming transfer here: removes what was written, reports failure.
  void failIncoming(TransferId id, TransferFailure why, std::string detail, bool tellHost);
  void failOutgoing(TransferId id, ClientId peer, TransferFailure why, std::string detail);
  /// The record of transfer id (this side's offer: outgoing), and forgetting it (on the disk
  /// thread, in order).
  std::filesystem::path recordOf(TransferId id, bool outgoing) const;
  void forgetRecord(TransferId id, bool outgoing);
  /// Notes this side's offer, numbered by the host, so that a restart takes it up again.
  void noteOffer(const Outgoing& out);
  /// Tells the host that this program sends out (Reclaim), once the link is up.
  void claim(Outgoing& out);
  /// Takes up an offer noted by an earlier run (offer: as its record says, not yet numbered
  /// here), once its files are listed and hashed again and found unchanged.
  void retakeOffer(Outgoing&& offer, std::vector<OfferedFile>&& files);
  void progress(TransferId id, const Incoming& in);
  void progress(TransferId id, const Outgoing& out, ClientId peer, const OutStream& s);
  void scheduleProgress();
  Outgoing* outgoing(TransferId id);
  void forgetOutgoing(TransferId id);

  net::Loop& loop_;
  Hooks hooks_;
  std::shared_ptr<spdlog::logger> log_;
  std::uint32_t nextTag_ = 1;
  std::map<std::uint32_t, Outgoing> offers_;     // by tag: this side's offers
  std::map<TransferId, std::uint32_t> tags_;  // the numbered ones' tags
  std::map<TransferId, Incoming> incoming_;
  bool linkUp_ = true;
  net::TimerId progressTimer_ = 0;
  TaskThread disk_;
  TaskThread hasher_;
};

}  // namespace chatport::chat
