#pragma once
// What ChatCore asks of a running session, host or joiner. Every method runs on the core loop
// (the engine's loop 0), the only thread that touches a session's state.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/types.h>

#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace chatport::net {
class Engine;
class Loop;
}  // namespace chatport::net

namespace chatport::chat {

class EventQueue;
class HistoryStore;
class KeyStore;
class NameResolver;
class ChatSession;
class FileEndpoint;

/// What a session needs from the core that runs it.
struct SessionContext {
  net::Engine& engine;
  net::Loop& coreLoop;
  EventQueue& events;
  const CoreOptions& options;
  NameResolver& resolver;
  KeyStore& keys;
  /// Where the chat is kept on disk (CoreOptions::keepHistory); null: nowhere. Opened by the
  /// core before the session starts, and closed after it has ended.
  HistoryStore* history;
  std::shared_ptr<spdlog::logger> log;
  /// Core loop. The session has ended by itself (refused, kicked, failed to start...) and has
  /// reported it; the core forgets it.
  std::function<void(ChatSession*)> ended;
  /// How this person is as the session starts (SetPresenceCommand, kept by the core).
  Presence presence = Presence::Available;
  /// This person's picture as the session starts (SetPictureCommand, kept by the core).
  Picture picture;
};

class ChatSession {
 public:
  virtual ~ChatSession() = default;
  virtual void say(std::string text) = 0;
  virtual void whisper(ClientId to, std::string text) = 0;
  virtual void rename(std::string name) = 0;
  virtual void kick(ClientId who, bool ban) = 0;
  /// Host: lifts who's rate limit, or puts it back (ExemptCommand).
  virtual void exempt(ClientId who, bool exempt) = 0;
  /// Host: lets the person with this key fingerprint join again (UnbanCommand).
  virtual void unban(const std::string& fingerprint) = 0;
  /// How this person is now, for the room to see (SetPresenceCommand).
  virtual void setPresence(Presence presence) = 0;
  /// This person's picture now, for the room to see (SetPictureCommand; checked by the core).
  virtual void setPicture(const Picture& picture) = 0;
  /// Ends the session on purpose and reports DisconnectedEvent{Left}. done (may be empty) runs
  /// on the core loop once the connections have closed or been given up on.
  virtual void leave(std::function<void()> done) = 0;
  /// This side's files: offers, accepts, transfers (file_endpoint.h). Null before the session
  /// has started or once it has ended.
  virtual FileEndpoint* files() = 0;
};

}  // namespace chatport::chat
