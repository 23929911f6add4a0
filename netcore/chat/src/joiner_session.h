#pragma once
// Joiner mode: one connection to a host, the local copy of the client list, heartbeats, and
// reconnecting with backoff after the host is lost. Its state lives on the core loop; the
// connection may live on another loop and posts what it receives here.

#include <chatport/chat/history.h>
#include <chatport/chat/protocol.h>
#include <chatport/chat/types.h>
#include <chatport/net/engine.h>

#include "chat_session.h"
#include "client_list_publisher.h"
#include "file_endpoint.h"
#include "native_file.h"
#include "secure_wire.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace chatport::chat {

class JoinerSession final : public ChatSession, public std::enable_shared_from_this<JoinerSession> {
 public:
  explicit JoinerSession(SessionContext context);
  ~JoinerSession() override;

  /// Core loop only. Starts connecting; reports ConnectedEvent once welcomed, or ErrorEvent +
  /// DisconnectedEvent and ends.
  void start(const JoinCommand& command);

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

 private:
  enum class State { Connecting, Handshaking, Connected, Waiting, Ended };
  using Endpoints = std::shared_ptr<const std::vector<net::Endpoint>>;

  void attempt();
  void connectTo(Endpoints endpoints, std::size_t index, std::error_code lastError);
  void onConnected(std::uint64_t generation, Endpoints endpoints, std::size_t index,
                   std::error_code ec, std::shared_ptr<net::Connection> connection);
  /// A frame from the host, as received: the envelope of protocol version 3.
  void onFrame(std::uint64_t generation, const net::Bytes& payload);
  /// Noise message 2: checks the host's key against the pinned one, then sends message 3.
  void onHandshakeReply(std::span<const std::byte> message);
  void onReceived(proto::ParseError error, proto::HostMessage&& message);
  /// Sends one message of protocol.h, sealed under the link's keys.
  void sendToHost(const net::Bytes& payload);
  /// File data: sent (and sealed) only while the connection's queue is short, so that chat
  /// goes ahead of it (secure::kBulkLowWater).
  void sendBulkToHost(net::Bytes payload);
  void feedBulk();
  void startFiles();
  void onClosed(std::uint64_t generation, std::error_code reason);

  void onWelcome(proto::Welcome&& welcome);
  void onRosterPart(proto::RosterPart&& part);
  void welcomed();
  /// The room's messages this installation kept from before, as history events.
  void showKeptHistory();
  /// Keeps message in the history store, in this room (its room is set here; nothing without
  /// a store).
  void keep(StoredMessage message);
  void onMessage(proto::HostMessage&& message);

  /// The attempt in progress (connect or handshake) failed.
  void attemptFailed(ErrorCode code, std::string detail, bool retriable);
  /// The established session was lost; reconnects if allowed.
  void lost(ErrorCode code, std::string detail, bool mayReconnect);
  /// Ends for good: the one event that says why.
  void end(DisconnectedEvent ended);
  void scheduleReconnect();
  void dropConnection();
  void heartbeatTick();
  void scheduleStats();
  void finishLeave();
  bool sendable(std::string_view text);
  std::string nameOf(ClientId id) const;
  std::vector<Participant> roster() const;
  void emit(Event event);

  SessionContext ctx_;
  // Held while this session notes its transfers in the data folder, so that no other program
  // using the folder in the same room takes them up (or writes into the same partial files).
  files::NativeFile recordsLock_;
  // This side's files; from the first Welcome on.
  std::shared_ptr<FileEndpoint> files_;
  std::deque<net::Bytes> bulk_;  // file data waiting for the connection's queue to shorten
  std::shared_ptr<ClientListPublisher> publisher_;
  std::mt19937 random_;

  // Core loop only.
  JoinCommand target_;
  std::string name_;
  Presence presence_ = Presence::Available;  // how this person wants to be seen; told to every host it reaches
  Picture picture_;          // this person's picture, likewise
  bool pictureDue_ = false;  // picture_ is not yet the one the host has for this session
  State state_ = State::Connecting;
  std::uint64_t generation_ = 0;  // bumped whenever a connection or attempt is abandoned
  std::shared_ptr<net::Connection> connection_;
  net::Endpoint remote_;
  std::optional<proto::Token> token_;
  std::uint64_t lastSeq_ = 0;         // of the last chat message of this room received
  std::uint64_t lastPrivateSeq_ = 0;  // pseq of the last private message received in it
  std::optional<std::uint64_t> replayThrough_;  // resumed: the Welcome's roomSeq, until the replay ends
  bool everWelcomed_ = false;
  bool shownKept_ = false;   // the room's history kept here has been shown (once a session)
  std::string historyRoom_;  // this room's key in the history store, once the host's key is known
  int attempt_ = 0;
  ClientId self_ = kNoClient;
  std::map<ClientId, Participant> roster_;
  std::optional<proto::Welcome> pendingWelcome_;  // waiting for the rest of its client list
  net::Clock::time_point lastHeard_;
  net::Clock::time_point lastSent_;
  std::chrono::milliseconds heartbeatEvery_{0};
  net::TimerId handshakeTimer_ = 0;
  net::TimerId heartbeatTimer_ = 0;
  net::TimerId reconnectTimer_ = 0;
  net::TimerId statsTimer_ = 0;
  net::TimerId leaveTimer_ = 0;
  std::function<void()> leaveDone_;
  std::uint64_t messagesIn_ = 0;
  std::uint64_t messagesOut_ = 0;
  // The secure channel of the current connection.
  const noise::KeyPair* identity_ = nullptr;
  noise::HandshakeState handshake_;
  noise::CipherState sendCipher_;
  noise::CipherState receiveCipher_;
  bool channelOpen_ = false;
  secure::RoomOpener roomKey_;
  noise::PublicKey hostKey_{};
  std::string hostFingerprint_;
  bool firstContact_ = false;  // the host's key was pinned on this session's first contact
  // The host's key, checked and to be pinned once the host welcomes us.
  struct PendingPin {
    std::string keyId;
    noise::PublicKey key;
    bool firstContact;
  };
  std::optional<PendingPin> pendingPin_;
  // The room key derived from the password, and the host key it was salted with: derived once
  // per host key, not once per reconnect.
  std::optional<noise::PublicKey> pskSalt_;
  noise::Psk psk_;
};

}  // namespace chatport::chat
