#pragma once
// Resolves host names on a thread of its own: the system resolver blocks, and neither an engine
// loop nor a front end's thread may block. Started on first use.

#include <chatport/net/endpoint.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace chatport::chat {

class NameResolver {
 public:
  using Done = std::function<void(std::vector<net::Endpoint> endpoints, std::error_code ec)>;

  NameResolver() = default;
  /// Stops; see stop().
  ~NameResolver();
  NameResolver(const NameResolver&) = delete;
  NameResolver& operator=(const NameResolver&) = delete;

  /// Thread-safe. Resolves host on the resolver thread; done runs there (it should post its
  /// result to where it is wanted). Requests are answered in order.
  void resolve(std::string host, std::uint16_t port, Done done);
  /// Thread-safe, idempotent. Drops unanswered requests and joins the thread, which may take as
  /// long as the lookup in progress.
  void stop();

 private:
  struct Request {
    std::string host;
    std::uint16_t port;
    Done done;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> requests_;  // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::thread thread_;            // started under mutex_
};

}  // namespace chatport::chat
