#include "name_resolver.h"

namespace chatport::chat {

NameResolver::~NameResolver() { stop(); }

void NameResolver::resolve(std::string host, std::uint16_t port, Done done) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  requests_.push_back({std::move(host), port, std::move(done)});
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  wake_.notify_one();
}

void NameResolver::stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    requests_.clear();
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void NameResolver::run() {
  for (;;) {
    Request request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !requests_.empty(); });
      if (stopping_) return;
      request = std::move(requests_.front());
      requests_.pop_front();
    }
    std::error_code ec;
    auto endpoints = net::Endpoint::resolve(request.host, request.port, ec);
    request.done(std::move(endpoints), ec);
  }
}

}  // namespace chatport::chat
