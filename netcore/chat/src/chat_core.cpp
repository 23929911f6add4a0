#include <chatport/chat/chat_core.h>

#include <chatport/chat/history.h>
#include <chatport/chat/protocol.h>
#include <chatport/log.h>
#include <chatport/net/engine.h>
#include <chatport/noise/cipher_state.h>

#include "event_queue.h"
#include "file_endpoint.h"
#include "host_session.h"
#include "joiner_session.h"
#include "key_store.h"
#include "name_resolver.h"

#include <future>

namespace chatport::chat {
namespace {

// How long the destructor waits for a clean goodbye before stopping the engine regardless.
constexpr std::chrono::seconds kShutdownWait{3};

net::EngineOptions engineOptions(const CoreOptions& options) {
  net::EngineOptions e;
  e.threads = options.threads;
  e.connection.maxQueuedBytes = options.maxQueuedBytesPerClient;
  // Nothing legitimate is larger; a bigger announced frame is closed before it is buffered.
  e.connection.maxFrameSize = proto::kMaxPayload;
  // Every link seals and opens on its loop thread: one cipher handle per thread, not per link.
  e.onThreadStart = noise::keepThreadCipher;
  e.onThreadEnd = noise::releaseThreadCipher;
  return e;
}

}  // namespace

CoreOptions optionsFor(Role role, CoreOptions options) {
  if (role == Role::Joiner && options.threads == 0) options.threads = 1;
  return options;
}

class ChatCore::Impl {
 public:
  explicit Impl(CoreOptions options)
      : options_(options),
        log_(logging::get("chat")),
        events_(options.maxPendingEventBytes),
        engine_(std::make_unique<net::Engine>(engineOptions(options))),
        coreLoop_(engine_->loop(0)) {}

  ~Impl() {
    // Leave cleanly: a host tells its joiners, a joiner says goodbye; then stop.
    auto left = std::make_shared<std::promise<void>>();
    auto future = left->get_future();
    coreLoop_.post([this, left] {
      if (auto session = std::exchange(session_, nullptr)) leave(std::move(session));
      // Also waits for a leave the front end asked for just before: its goodbyes may still
      // be on their way.
      if (leavesInProgress_ == 0)
        left->set_value();
      else
        whenLeavesDone_ = [left] { left->set_value(); };
    });
    if (future.wait_for(kShutdownWait) != std::future_status::ready)
      log_->warn("leaving the chat took too long; closing anyway");
    engine_->stop();
    history_.reset();
    resolver_.stop();
    // Sessions and connections still referenced by the loops' leftovers go with the engine.
    engine_.reset();
  }

  void submit(Command command) {
    coreLoop_.post([this, command = std::move(command)]() mutable { handle(std::move(command)); });
  }

  EventQueue& events() { return events_; }

 private:
  // Core loop only.
  void handle(Command&& command) {
    std::visit(
        [&](auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, HostCommand>) {
            if (busy()) return;
            openHistory();
            auto host = std::make_shared<HostSession>(context());
            session_ = host;
            host->start(c);
          } else if constexpr (std::is_same_v<C, JoinCommand>) {
            if (busy()) return;
            openHistory();
            auto joiner = std::make_shared<JoinerSession>(context());
            session_ = joiner;
            joiner->start(c);
          } else if constexpr (std::is_same_v<C, LeaveCommand>) {
            if (auto session = std::exchange(session_, nullptr)) leave(std::move(session));
          } else if constexpr (std::is_same_v<C, SetPresenceCommand>) {
            presence_ = c.presence;  // also for the sessions after this one
            if (session_) session_->setPresence(c.presence);
          } else if constexpr (std::is_same_v<C, SetPictureCommand>) {
            if (!isPicture(c.picture)) {
              events_.push(ErrorEvent{ErrorCode::InvalidPicture,
                                      "a picture is a PNG or JPEG of at most " +
                                          std::to_string(kMaxPictureBytes / 1024) + " KiB"});
              return;
            }
            picture_ = std::move(c.picture);  // also for the sessions after this one
            if (session_) session_->setPicture(picture_);
          } else if (!session_) {
            events_.push(ErrorEvent{ErrorCode::NotConnected, "not in a chat"});
          } else if constexpr (std::is_same_v<C, SendCommand>) {
            session_->say(std::move(c.text));
          } else if constexpr (std::is_same_v<C, PrivateCommand>) {
            session_->whisper(c.to, std::move(c.text));
          } else if constexpr (std::is_same_v<C, RenameCommand>) {
            session_->rename(std::move(c.name));
          } else if constexpr (std::is_same_v<C, KickCommand>) {
            session_->kick(c.who, c.ban);
          } else if constexpr (std::is_same_v<C, ExemptCommand>) {
            session_->exempt(c.who, c.exempt);
          } else if constexpr (std::is_same_v<C, UnbanCommand>) {
            session_->unban(c.fingerprint);
          } else if (FileEndpoint* files = session_->files(); !files) {
            events_.push(ErrorEvent{ErrorCode::NotConnected, "not in a chat yet"});
          } else if constexpr (std::is_same_v<C, SendFileCommand>) {
            files->offer(c);
          } else if constexpr (std::is_same_v<C, AcceptFileCommand>) {
            files->accept(c);
          } else if constexpr (std::is_same_v<C, DeclineFileCommand>) {
            files->decline(c);
          } else if constexpr (std::is_same_v<C, CancelFileCommand>) {
            files->cancel(c);
          } else if constexpr (std::is_same_v<C, PauseFileCommand>) {
            files->pause(c);
          }
        },
        command);
  }

  void leave(std::shared_ptr<ChatSession> session) {
    ++leavesInProgress_;
    session->leave([this] {
      if (--leavesInProgress_ == 0)
        if (auto done = std::exchange(whenLeavesDone_, nullptr)) done();
    });
  }

  // Once, before the first session: a store that cannot be opened is said once, and the chat
  // goes on without it.
  void openHistory() {
    if (historyTried_ || !options_.keepHistory || !HistoryStore::available()) return;
    historyTried_ = true;
    std::string problem;
    history_ = HistoryStore::open(options_.dataDir, problem);
    if (!history_) {
      log_->warn("no history is kept: {}", problem);
      events_.push(ErrorEvent{ErrorCode::HistoryUnavailable, problem});
    }
  }

  bool busy() {
    if (!session_) return false;
    events_.push(ErrorEvent{ErrorCode::NotAllowed, "already in a chat: leave it first"});
    return true;
  }

  // For the session about to be created: its end releases it only while it is still the
  // current one. Sessions are told apart by generation, not address: a later session may be
  // allocated where an earlier one was.
  SessionContext context() {
    return SessionContext{*engine_, coreLoop_, events_, options_, resolver_, keys_, history_.get(), log_,
                          [this, generation = ++generation_](ChatSession*) {
                            // Forgotten now, so that a command the front end sends on seeing
                            // the DisconnectedEvent finds the core idle; destroyed next turn,
                            // since the session is inside its own call.
                            if (generation != generation_ || !session_) return;
                            coreLoop_.post([keep = std::move(session_)] {});
                          },
                          presence_,
                          picture_};
  }

  const CoreOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  EventQueue events_;
  NameResolver resolver_;
  KeyStore keys_{options_.dataDir};
  std::unique_ptr<net::Engine> engine_;
  net::Loop& coreLoop_;
  // Opened on the core loop before the first session; closed (everything written) once the
  // engine's threads have stopped, before the engine itself goes: the writer posts to it.
  std::unique_ptr<HistoryStore> history_;
  bool historyTried_ = false;
  // Core loop only.
  std::shared_ptr<ChatSession> session_;
  std::uint64_t generation_ = 0;  // of the newest session created
  Presence presence_ = Presence::Available;
  Picture picture_;
  std::size_t leavesInProgress_ = 0;
  std::function<void()> whenLeavesDone_;
};

ChatCore::ChatCore(CoreOptions options) : impl_(std::make_unique<Impl>(options)) {}

ChatCore::~ChatCore() = default;

void ChatCore::submit(Command command) { impl_->submit(std::move(command)); }

std::size_t ChatCore::drainEvents(std::vector<Event>& out, std::size_t max) {
  return impl_->events().drain(out, max);
}

void ChatCore::setWakeCallback(std::function<void()> wake) { impl_->events().setWake(std::move(wake)); }

}  // namespace chatport::chat
