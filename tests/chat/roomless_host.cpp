#include "roomless_host.h"

#include <chatport/log.h>

#include "handshake_budget.h"
#include "host_security.h"

#include <gtest/gtest.h>

namespace chatport::chat::test {
namespace {

using namespace std::chrono_literals;

// Longer than any test, so that only the test's instructions close a link.
constexpr auto kNever = std::chrono::hours(1);
// How long a joiner waits for a frame before the test gives up on it.
constexpr auto kReceiveTimeout = 10s;

}  // namespace

RoomlessHost::RoomlessHost(std::size_t loops) {
  options_.handshakeTimeout = kNever;
  options_.heartbeatInterval = kNever;
  options_.heartbeatTimeout = kNever;

  net::EngineOptions engineOptions;
  engineOptions.threads = loops;
  engine_ = std::make_unique<net::Engine>(engineOptions);
  for (std::size_t i = 0; i < loops; ++i)
    shards_.push_back(std::make_shared<LoopShard>(engine_->loop(i), options_));

  auto context = std::make_shared<const LinkContext>(LinkContext{
      std::weak_ptr<HostSession>(), roomLoop(),
      std::make_shared<HandshakeBudget>(options_.maxPendingHandshakes, options_.maxPendingHandshakesPerAddress),
      std::make_shared<HostSecurity>(noise::KeyPair::generate()), logging::get("chat")});
  for (auto& shard : shards_) shard->setLinkContext(context);
  std::error_code ec;
  listener_ = engine_->listen(
      net::Endpoint::loopbackV4(0),
      [this](std::shared_ptr<net::Connection> c) {
        auto& shard = shards_[c->loop().index()];
        auto link = std::make_shared<ClientLink>(std::move(c), shard);
        shard->attach(link);
        link->start();
        links_.with([&](auto& links) { links[link->peer()] = link; });
      },
      ec);
  EXPECT_FALSE(ec) << ec.message();
}

RoomlessHost::~RoomlessHost() {
  if (listener_) listener_->close();
  engine_->stop();
}

RoomlessHost::Joiner& RoomlessHost::connect() {
  Joiner& joiner = joiners_.emplace_back();
  if (!listener_ || !joiner.socket.connect(listener_->localEndpoint().port())) {
    ADD_FAILURE() << "cannot connect";
    return joiner;
  }
  joiner.socket.socket().setReceiveTimeout(kReceiveTimeout);
  const std::string peer = joiner.socket.socket().localEndpoint().toString();
  if (!links_.waitFor([&](auto& links) { return links.count(peer) > 0; }))
    ADD_FAILURE() << "the host did not accept " << peer;
  joiner.link = links_.with([&](auto& links) { return links[peer]; });
  return joiner;
}

RoomlessHost::Joiner& RoomlessHost::joinerThatSaidHello(const std::string& name) {
  Joiner& joiner = connect();
  const auto last = joiner.socket.secureHandshake(
      proto::toPayload(proto::Hello{proto::kProtocolVersion, name, 0, std::nullopt}));
  if (!last || !joiner.socket.sendRaw(*last)) {
    ADD_FAILURE() << name << ": the secure handshake failed";
    return joiner;
  }
  // The link has read the hello once it knows the joiner's key (it then waits for the room).
  const auto deadline = std::chrono::steady_clock::now() + chatport::test::kDeadline;
  for (bool read = false; !read;) {
    runOn(engine_->loop(joiner.link->loopIndex()),
          [&] { read = joiner.link->peerKey() == joiner.socket.keys().publicKey(); });
    if (!read && std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << name << ": its link never read the hello";
      break;
    }
  }
  return joiner;
}

RoomlessHost::Joiner& RoomlessHost::silentJoiner() { return connect(); }

void RoomlessHost::runOn(net::Loop& loop, std::function<void()> fn) {
  auto done = std::make_shared<chatport::test::Guarded<bool>>();
  loop.post([done, fn = std::move(fn)] {
    fn();
    done->with([](bool& d) { d = true; });
  });
  ASSERT_TRUE(done->waitFor([](bool d) { return d; })) << "loop " << loop.index() << " did not run the task";
}

void RoomlessHost::apply(std::size_t loop, std::vector<ShardItem> items) {
  runOn(engine_->loop(loop), [shard = shards_[loop], items = std::move(items)]() mutable { shard->apply(items); });
}

std::vector<std::string> RoomlessHost::readUntilClosed(Joiner& joiner) {
  std::vector<std::string> out;
  while (const auto message = joiner.socket.next()) {
    out.push_back(describe(*message));
    // Last words: the joiner ends its side, as a joiner does; the host then closes the
    // connection at once, and anything it sent after them would still be read here.
    if (std::holds_alternative<proto::Closing>(*message) || std::holds_alternative<proto::Refuse>(*message))
      joiner.socket.socket().shutdownWrite();
  }
  return out;
}

std::string RoomlessHost::describe(const proto::HostMessage& message) {
  return std::visit(
      [](const auto& m) -> std::string {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, proto::Welcome>) return "welcome";
        if constexpr (std::is_same_v<M, proto::RosterPart>) return "roster part";
        if constexpr (std::is_same_v<M, proto::ChatMessage>) return m.text;
        if constexpr (std::is_same_v<M, proto::PrivateMessage>) return "private: " + m.text;
        if constexpr (std::is_same_v<M, proto::Closing>) return "closing: " + m.detail;
        if constexpr (std::is_same_v<M, proto::Refuse>) return "refuse: " + m.detail;
        if constexpr (std::is_same_v<M, proto::ErrorReply>) return "error: " + m.detail;
        if constexpr (std::is_same_v<M, proto::Heartbeat>) return "heartbeat";
        return "another message";
      },
      message);
}

}  // namespace chatport::chat::test
