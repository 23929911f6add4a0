#include <chatport/net/engine.h>

#include <chatport/log.h>
#include <chatport/net/error.h>
#include <chatport/net/record_pool.h>
#include <chatport/rate_limited_log.h>

#include "backend/backend.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>

#ifdef __linux__
#include <pthread.h>
#endif

namespace chatport::net {
namespace {

constexpr int kListenBacklog = 1024;

std::string_view kindName(BackendKind kind) {
  switch (kind) {
    case BackendKind::Iocp: return "iocp";
    case BackendKind::Uring: return "uring";
    case BackendKind::Epoll: return "epoll";
    case BackendKind::Auto: break;
  }
  return "";
}

#ifdef _WIN32
constexpr std::string_view kPreferred[] = {"iocp"};
#else
constexpr std::string_view kPreferred[] = {"uring", "epoll"};
#endif

// Owns an accepted socket on its way to another loop, so that it is closed if that loop stops
// before adopting it.
struct HandedOverSocket {
  detail::NativeSocket socket;
  explicit HandedOverSocket(detail::NativeSocket s) : socket(s) {}
  ~HandedOverSocket() { detail::closeSocket(socket); }
  detail::NativeSocket release() { return std::exchange(socket, detail::kInvalidSocket); }
};

class ListenerImpl final : public Listener {
 public:
  ListenerImpl(Loop& loop, Endpoint local, Engine::ListenErrorHandler onError,
               std::shared_ptr<spdlog::logger> log)
      : loop_(loop), local_(local), log_(std::move(log)), onError_(std::move(onError)) {}
  ~ListenerImpl() override {
    // Normally closed already (by close() or Engine::stop()); otherwise the backend object
    // must still be released on its own thread.
    if (io_) loop_.post([io = std::shared_ptr<detail::IoListener>(std::move(io_))] { io->close(); });
  }

  Endpoint localEndpoint() const override { return local_; }

  void close() override {
    loop_.dispatch([self = shared_from_this(), this] {
      if (io_) io_->close();
      io_.reset();
      onError_ = nullptr;  // closed first: a failure seen later is not reported
    });
  }

  // Loop thread only.
  void attach(std::unique_ptr<detail::IoListener> io) { io_ = std::move(io); }

  // Loop thread only, from a posted task (never from inside the backend): accepting has ended
  // for good. Closed first, so the port is free by the time the owner hears of it.
  void fail(std::error_code why) {
    if (!io_) return;
    io_->close();
    io_.reset();
    log_->error("no longer accepting connections on {}: {}", local_.toString(), describe(why));
    if (auto onError = std::exchange(onError_, nullptr)) onError(why);
  }

 private:
  Loop& loop_;
  const Endpoint local_;
  const std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<detail::IoListener> io_;  // loop thread only
  Engine::ListenErrorHandler onError_;      // loop thread only
};

// Writes the summaries of repeated warnings that a storm left held back, so that they come
// within a few seconds of its end rather than at the next storm. Loop thread only.
void flushLogSummariesEvery(Loop& loop, Clock::duration period) {
  loop.runAfter(period, [&loop, period] {
    logging::RateLimitedLog::flushAll();
    flushLogSummariesEvery(loop, period);
  });
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(options), log_(logging::get("net")) {
  detail::initSockets();

  // Which backends to try, in order.
  std::vector<std::string_view> candidates;
  std::string requested(kindName(options.backend));
  if (requested.empty()) {
    if (const char* env = std::getenv("CHATPORT_BACKEND"); env && *env) requested = env;
  }
  if (!requested.empty()) candidates.push_back(requested);
  for (auto kind : kPreferred)
    if (kind != requested) candidates.push_back(kind);

  const std::size_t threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  std::error_code lastError;
  for (auto kind : candidates) {
    std::vector<std::unique_ptr<Loop>> loops;
    for (std::size_t i = 0; i < threads; ++i) {
      auto backend = detail::makeBackend(kind, lastError);
      if (!backend) break;
      loops.push_back(std::make_unique<Loop>(i, std::move(backend)));
    }
    if (loops.size() == threads) {
      loops_ = std::move(loops);
      backendName_ = kind;
      break;
    }
    log_->info("the {} backend cannot run here ({}); trying the next one", kind,
               lastError.message());
  }
  if (loops_.empty())
    throw std::system_error(lastError, "no network backend can run on this system");
  if (!requested.empty() && backendName_ != requested)
    log_->warn("backend '{}' was asked for but is not available; using {}", requested, backendName_);
  log_->info("network engine: {} backend, {} thread{}", backendName_, threads,
             threads == 1 ? "" : "s");

  Loop& first = *loops_.front();
  first.post([&first] { flushLogSummariesEvery(first, logging::RateLimitedLog::kDefaultInterval); });
  for (auto& loop : loops_) {
    threads_.emplace_back([l = loop.get(), start = options_.onThreadStart, end = options_.onThreadEnd] {
#ifdef __linux__
      const std::string name = "chatport-net" + std::to_string(l->index());
      pthread_setname_np(pthread_self(), name.c_str());
#endif
      if (start) start();
      l->run();
      if (end) end();
    });
  }
}

Engine::~Engine() { stop(); }

Loop& Engine::nextLoop() noexcept {
  return *loops_[nextLoop_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
}

std::shared_ptr<Listener> Engine::listen(const Endpoint& local, AcceptHandler onAccept,
                                         std::error_code& ec) {
  return listen(local, std::move(onAccept), nullptr, ec);
}

std::shared_ptr<Listener> Engine::listen(const Endpoint& local, AcceptHandler onAccept,
                                         ListenErrorHandler onError, std::error_code& ec) {
  const detail::NativeSocket socket = detail::openListener(local, kListenBacklog, ec);
  if (socket == detail::kInvalidSocket) {
    log_->warn("cannot listen on {}: {}", local.toString(), describe(ec));
    return nullptr;
  }
  Endpoint bound = detail::localEndpoint(socket, ec);
  if (ec) {
    detail::closeSocket(socket);
    return nullptr;
  }
  Loop& acceptLoop = *loops_.front();
  auto listener = std::make_shared<ListenerImpl>(acceptLoop, bound, std::move(onError), log_);
  auto owned = std::make_shared<HandedOverSocket>(socket);
  acceptLoop.dispatch([this, &acceptLoop, listener, owned, onAccept = std::move(onAccept)] {
    auto onAccepted = [this, onAccept](detail::NativeSocket accepted, const Endpoint& peer) {
      detail::setNoDelay(accepted);
      Loop& target = nextLoop();
      target.post([this, &target, onAccept, peer,
                   socket = std::make_shared<HandedOverSocket>(accepted)] {
        auto stream = target.backend().adopt(socket->release());
        // A host keeps one for each joiner: see record_pool.h.
        auto connection = std::allocate_shared<Connection>(PoolAllocator<Connection>(), target,
                                                           std::move(stream), peer, options_.connection);
        target.addConnection(connection);
        log_->debug("accepted connection #{} from {}", connection->id(), peer.toString());
        onAccept(std::move(connection));
      });
    };
    // Weak: the backend's listener, which holds this handler, belongs to the Listener.
    auto onFailed = [&acceptLoop, weak = std::weak_ptr<ListenerImpl>(listener)](std::error_code why) {
      acceptLoop.post([weak, why] {
        if (auto l = weak.lock()) l->fail(why);
      });
    };
    listener->attach(acceptLoop.backend().listen(owned->release(), listener->localEndpoint().family(),
                                                 std::move(onAccepted), std::move(onFailed)));
  });
  {
    std::lock_guard lock(listenersMutex_);
    listeners_.push_back(listener);
  }
  log_->info("listening on {}", bound.toString());
  ec.clear();
  return listener;
}

void Engine::connect(const Endpoint& remote, std::chrono::milliseconds timeout,
                     ConnectHandler onDone) {
  Loop& loop = nextLoop();
  loop.dispatch([this, &loop, remote, timeout, onDone = std::move(onDone)]() mutable {
    std::error_code ec;
    auto stream = loop.backend().createStream(remote.family(), ec);
    if (!stream) {
      onDone(ec, nullptr);
      return;
    }
    // Shared by the connect completion, the deadline and the engine stopping: whichever comes
    // first answers.
    struct Attempt {
      std::unique_ptr<detail::IoStream> stream;
      ConnectHandler onDone;
      TimerId timer = 0;
      TimerId atStop = 0;
      bool finished = false;
    };
    auto attempt = std::make_shared<Attempt>();
    attempt->stream = std::move(stream);
    attempt->onDone = std::move(onDone);
    // Marks the attempt answered and cancels the other two ways it could end; returns the
    // handler to answer with, or null if it was answered already.
    auto finish = [attempt, &loop]() -> ConnectHandler {
      if (std::exchange(attempt->finished, true)) return nullptr;
      loop.cancelTimer(attempt->timer);
      loop.cancelAtStop(attempt->atStop);
      return std::exchange(attempt->onDone, nullptr);
    };
    auto giveUp = [attempt, finish, remote, log = log_](std::error_code why) {
      if (auto done = finish()) {
        attempt->stream->close();
        log->info("connecting to {} failed: {}", remote.toString(), describe(why));
        done(why, nullptr);
      }
    };
    attempt->timer = loop.runAfter(timeout, [giveUp] { giveUp(make_error_code(Error::ConnectTimedOut)); });
    attempt->atStop = loop.runAtStop([giveUp] { giveUp(make_error_code(Error::EngineStopped)); });
    detail::IoStream& io = *attempt->stream;
    io.connect(remote, [this, &loop, attempt, finish, giveUp, remote](std::error_code connectError) {
      if (connectError) {
        giveUp(connectError);
        return;
      }
      auto done = finish();
      if (!done) return;
      detail::setNoDelay(attempt->stream->nativeHandle());
      auto connection = std::make_shared<Connection>(loop, std::move(attempt->stream), remote,
                                                     options_.connection);
      loop.addConnection(connection);
      log_->debug("connection #{} to {} established", connection->id(), remote.toString());
      done({}, std::move(connection));
    });
  });
}

std::shared_ptr<DatagramSocket> Engine::openDatagram(const Endpoint& local,
                                                     const DatagramOptions& options,
                                                     DatagramSocket::Handler onDatagram,
                                                     std::error_code& ec) {
  return openDatagram(local, options, std::move(onDatagram), nullptr, ec);
}

std::shared_ptr<DatagramSocket> Engine::openDatagram(const Endpoint& local,
                                                     const DatagramOptions& options,
                                                     DatagramSocket::Handler onDatagram,
                                                     DatagramSocket::ErrorHandler onError,
                                                     std::error_code& ec) {
  const detail::NativeSocket socket = detail::openDatagramSocket(local, options, ec);
  if (socket == detail::kInvalidSocket) {
    log_->warn("cannot open a datagram socket on {}: {}", local.toString(), describe(ec));
    return nullptr;
  }
  const Endpoint bound = detail::localEndpoint(socket, ec);
  if (ec) {
    detail::closeSocket(socket);
    return nullptr;
  }
  Loop& loop = nextLoop();
  // The backend object is made on the loop thread; until then the socket is only a handle.
  auto owned = std::make_shared<HandedOverSocket>(socket);
  auto datagram = std::make_shared<DatagramSocket>(loop, socket, bound, options);
  loop.dispatch([&loop, datagram, owned, onDatagram = std::move(onDatagram),
                 onError = std::move(onError)]() mutable {
    if (!datagram->isOpen()) return;  // closed before it started: owned closes the socket
    datagram->start(loop.backend().adoptDatagram(owned->release(), datagram->localEndpoint().family()),
                    std::move(onDatagram), std::move(onError));
  });
  {
    std::lock_guard lock(listenersMutex_);
    std::erase_if(datagrams_, [](const auto& weak) { return weak.expired(); });
    datagrams_.push_back(datagram);
  }
  log_->debug("datagram socket open on {}", bound.toString());
  ec.clear();
  return datagram;
}

void Engine::stop() {
  if (stopped_.exchange(true)) return;
  {
    std::lock_guard lock(listenersMutex_);
    for (auto& weak : listeners_)
      if (auto listener = weak.lock()) listener->close();
    listeners_.clear();
    for (auto& weak : datagrams_)
      if (auto datagram = weak.lock()) datagram->close();
    datagrams_.clear();
  }
  for (auto& loop : loops_) {
    loop->post([l = loop.get()] { l->closeAllConnections(make_error_code(Error::EngineStopped)); });
    loop->stop();
  }
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  log_->debug("network engine stopped");
}

}  // namespace chatport::net
