// Datagram sockets, proved the same way on every backend (run once per backend, like
// engine_test.cpp: engine.uring.Datagram*, engine.epoll.Datagram*, engine.iocp.Datagram*).

#include <chatport/net/datagram_socket.h>
#include <chatport/net/engine.h>
#include <chatport/net/error.h>

#include "log_capture.h"
#include "network_namespace.h"
#include "raw_socket.h"
#include "wait.h"

#include <gtest/gtest.h>

#ifdef __linux__
#include <net/if.h>
#endif

#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chatport::net {
namespace {

using test::Guarded;
using test::LogCapture;
using test::NetworkNamespace;
using test::RawSocket;
using namespace std::chrono_literals;

const bool kLogsRouted = test::routeLogsToCaptures({"net"});

struct Received {
  std::vector<std::string> payloads;
  std::vector<Endpoint> senders;
  std::vector<unsigned> interfaces;
};

class DatagramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* backend = std::getenv("CHATPORT_BACKEND");
    ASSERT_TRUE(backend && *backend) << "run through CTest, which sets CHATPORT_BACKEND";
    EngineOptions options;
    options.threads = 2;
    engine_ = std::make_unique<Engine>(options);
    ASSERT_EQ(engine_->backendName(), backend) << "the requested backend did not start";
  }

  // A socket on local whose datagrams are recorded into received.
  std::shared_ptr<DatagramSocket> open(const Endpoint& local, Guarded<Received>& received,
                                       const DatagramOptions& options = {}) {
    std::error_code ec;
    auto socket = engine_->openDatagram(
        local, options,
        [&received](DatagramSocket&, const Datagram& d) {
          received.with([&](Received& r) {
            r.payloads.emplace_back(asText(d.payload));
            r.senders.push_back(d.from);
            r.interfaces.push_back(d.interfaceIndex);
          });
        },
        ec);
    EXPECT_FALSE(ec) << "cannot open a datagram socket on " << local.toString() << ": "
                     << ec.message();
    return socket;
  }

  template <typename T>
  T& keep() {
    auto object = std::make_shared<T>();
    kept_.push_back(object);
    return *object;
  }

  std::vector<std::shared_ptr<void>> kept_;
  std::unique_ptr<Engine> engine_;  // declared last: stopped first
};

// Runs on the loop's thread once everything posted to it before has run.
void drain(Loop& loop) {
  auto done = std::make_shared<Guarded<bool>>();
  loop.post([done] { done->with([](bool& d) { d = true; }); });
  ASSERT_TRUE(done->waitFor([](bool d) { return d; })) << "the loop did not run posted work";
}

void exchangeBetweenTwoSockets(Guarded<Received>& atA, Guarded<Received>& atB,
                               std::shared_ptr<DatagramSocket> a, std::shared_ptr<DatagramSocket> b,
                               const Endpoint& loopback) {
  ASSERT_TRUE(a && b);
  Endpoint toB = loopback;
  toB.setPort(b->localEndpoint().port());
  Endpoint toA = loopback;
  toA.setPort(a->localEndpoint().port());
  auto sent = std::make_shared<Guarded<std::vector<std::error_code>>>();
  a->sendTo(toB, asBytes("hello B"), [sent](std::error_code ec) {
    sent->with([&](auto& v) { v.push_back(ec); });
  });
  ASSERT_TRUE(atB.waitFor([](const Received& r) { return !r.payloads.empty(); }))
      << "B received nothing from A";
  b->sendTo(toA, asBytes("hello A"));
  ASSERT_TRUE(atA.waitFor([](const Received& r) { return !r.payloads.empty(); }))
      << "A received nothing from B";
  ASSERT_TRUE(sent->waitFor([](auto& v) { return !v.empty(); })) << "A's send was never answered";
  sent->with([](auto& v) { EXPECT_FALSE(v[0]) << v[0].message(); });
  atB.with([&](Received& r) {
    EXPECT_EQ(r.payloads[0], "hello B");
    EXPECT_EQ(r.senders[0].port(), a->localEndpoint().port());
    EXPECT_EQ(r.senders[0].addressString(), loopback.addressString());
#ifdef __linux__
    EXPECT_NE(r.interfaces[0], 0u) << "Linux tells which interface a datagram came in on";
#endif
  });
  atA.with([](Received& r) { EXPECT_EQ(r.payloads[0], "hello A"); });
  EXPECT_EQ(a->stats().sent, 1u);
  EXPECT_EQ(b->stats().received, 1u);
}

TEST_F(DatagramTest, DatagramTwoSocketsExchangeDatagramsOverIPv4Loopback) {
  auto& atA = keep<Guarded<Received>>();
  auto& atB = keep<Guarded<Received>>();
  auto a = open(Endpoint::loopbackV4(0), atA);
  auto b = open(Endpoint::loopbackV4(0), atB);
  exchangeBetweenTwoSockets(atA, atB, a, b, Endpoint::loopbackV4(0));
}

TEST_F(DatagramTest, DatagramTwoSocketsExchangeDatagramsOverIPv6Loopback) {
  auto& atA = keep<Guarded<Received>>();
  auto& atB = keep<Guarded<Received>>();
  std::error_code ec;
  auto probe = engine_->openDatagram(Endpoint::loopbackV6(0), {}, nullptr, ec);
  if (!probe) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  probe->close();
  auto a = open(Endpoint::loopbackV6(0), atA);
  auto b = open(Endpoint::loopbackV6(0), atB);
  exchangeBetweenTwoSockets(atA, atB, a, b, Endpoint::loopbackV6(0));
}

TEST_F(DatagramTest, DatagramBroadcastReachesEverySocketSharingThePort) {
  DatagramOptions options;
  options.reuseAddress = true;
  options.broadcast = true;
  auto& first = keep<Guarded<Received>>();
  auto& second = keep<Guarded<Received>>();
  auto one = open(Endpoint::anyV4(0), first, options);
  ASSERT_TRUE(one);
  const std::uint16_t port = one->localEndpoint().port();
  auto two = open(Endpoint::anyV4(port), second, options);
  ASSERT_TRUE(two) << "a second socket could not share the port";
  // 127.255.255.255: the loopback network's broadcast address, delivered on this machine only.
  auto sender = open(Endpoint::anyV4(0), keep<Guarded<Received>>(), options);
  ASSERT_TRUE(sender);
  sender->sendTo(Endpoint::parse("127.255.255.255", port).value(), asBytes("beacon"));
  for (auto* received : {&first, &second}) {
    ASSERT_TRUE(received->waitFor([](const Received& r) { return !r.payloads.empty(); }))
        << "a socket sharing the port missed the broadcast";
    received->with([](Received& r) { EXPECT_EQ(r.payloads[0], "beacon"); });
  }
}

TEST_F(DatagramTest, DatagramBroadcastNeedsTheBroadcastOption) {
  auto& received = keep<Guarded<Received>>();
  auto sender = open(Endpoint::anyV4(0), received);  // broadcast off
  ASSERT_TRUE(sender);
  auto answer = std::make_shared<Guarded<std::vector<std::error_code>>>();
  sender->sendTo(Endpoint::parse("127.255.255.255", 9).value(), asBytes("x"),
                 [answer](std::error_code ec) { answer->with([&](auto& v) { v.push_back(ec); }); });
  ASSERT_TRUE(answer->waitFor([](auto& v) { return !v.empty(); }));
  answer->with([](auto& v) { EXPECT_EQ(v[0], std::errc::permission_denied) << v[0].message(); });
  // The refusal concerned that datagram: the socket still works.
  EXPECT_TRUE(sender->isOpen());
  Endpoint self = Endpoint::loopbackV4(sender->localEndpoint().port());
  sender->sendTo(self, asBytes("still here"));
  ASSERT_TRUE(received.waitFor([](const Received& r) { return !r.payloads.empty(); }));
}

#ifdef __linux__
// Two "machines": network namespaces joined by a veth pair. A sender in one, two sockets
// sharing a port in the other.
struct TwoMachines {
  std::unique_ptr<NetworkNamespace> sender;
  std::unique_ptr<NetworkNamespace> receiver;
};

std::optional<TwoMachines> makeTwoMachines(std::string& whyNot) {
  TwoMachines m;
  m.sender = NetworkNamespace::create(whyNot);
  if (!m.sender) return std::nullopt;
  m.receiver = NetworkNamespace::create(whyNot);
  if (!m.receiver) return std::nullopt;
  if (!NetworkNamespace::connect(*m.sender, "10.9.0.1/24", *m.receiver, "10.9.0.2/24", whyNot))
    return std::nullopt;
  return m;
}
#endif

// The same datagram, sent to a broadcast or multicast address, reaches both sockets.
void sendToTwoSocketsOnAnotherMachine(Engine& engine, bool v6) {
#ifndef __linux__
  (void)engine;
  (void)v6;
  GTEST_SKIP() << "broadcast and multicast are tested between Linux network namespaces only";
#else
  std::string whyNot;
  auto machines = makeTwoMachines(whyNot);
  if (!machines) GTEST_SKIP() << "skipped: " << whyNot;
  const Endpoint any = v6 ? Endpoint::anyV6(0) : Endpoint::anyV4(0);
  DatagramOptions options;
  options.reuseAddress = true;
  options.broadcast = !v6;
  auto first = std::make_shared<Guarded<Received>>();
  auto second = std::make_shared<Guarded<Received>>();
  auto record = [](std::shared_ptr<Guarded<Received>> into) {
    return [into](DatagramSocket&, const Datagram& d) {
      into->with([&](Received& r) {
        r.payloads.emplace_back(asText(d.payload));
        r.senders.push_back(d.from);
        r.interfaces.push_back(d.interfaceIndex);
      });
    };
  };
  std::shared_ptr<DatagramSocket> one, two, sender;
  unsigned receiverLink = 0;
  const Endpoint group = Endpoint::parse("ff02::5150", 0).value();
  machines->receiver->run([&] {
    receiverLink = ::if_nametoindex(machines->receiver->vethName().c_str());
    std::error_code ec;
    one = engine.openDatagram(any, options, record(first), ec);
    ASSERT_TRUE(one) << ec.message();
    Endpoint shared = any;
    shared.setPort(one->localEndpoint().port());
    two = engine.openDatagram(shared, options, record(second), ec);
    ASSERT_TRUE(two) << "a second socket could not share the port: " << ec.message();
    if (v6) {
      ASSERT_FALSE(one->joinGroup(group, receiverLink));
      ASSERT_FALSE(two->joinGroup(group, receiverLink));
    }
  });
  machines->sender->run([&] {
    std::error_code ec;
    sender = engine.openDatagram(any, options, nullptr, ec);
    ASSERT_TRUE(sender) << ec.message();
    if (v6) {
      ASSERT_FALSE(sender->setMulticastInterface(::if_nametoindex(machines->sender->vethName().c_str())));
    }
  });
  ASSERT_TRUE(one && two && sender);
  Endpoint to = v6 ? group : Endpoint::parse("10.9.0.255", 0).value();
  to.setPort(one->localEndpoint().port());
  auto answer = std::make_shared<Guarded<std::vector<std::error_code>>>();
  sender->sendTo(to, asBytes("who is there"),
                 [answer](std::error_code ec) { answer->with([&](auto& v) { v.push_back(ec); }); });
  ASSERT_TRUE(answer->waitFor([](auto& v) { return !v.empty(); }));
  answer->with([](auto& v) { ASSERT_FALSE(v[0]) << "sending failed: " << v[0].message(); });
  for (auto& received : {first, second}) {
    ASSERT_TRUE(received->waitFor([](const Received& r) { return !r.payloads.empty(); }))
        << "a socket sharing the port missed the datagram";
    received->with([&](Received& r) {
      EXPECT_EQ(r.payloads[0], "who is there");
      EXPECT_EQ(r.interfaces[0], receiverLink) << "the arrival interface is the veth end";
      if (!v6) {
        EXPECT_EQ(r.senders[0].addressString(), "10.9.0.1");
      }
    });
  }
  one->close();
  two->close();
  sender->close();
#endif
}

TEST_F(DatagramTest, DatagramIPv4BroadcastReachesEverySocketSharingThePortOnTheLink) {
  sendToTwoSocketsOnAnotherMachine(*engine_, false);
}

TEST_F(DatagramTest, DatagramIPv6MulticastReachesEverySocketInTheGroupOnTheLink) {
  sendToTwoSocketsOnAnotherMachine(*engine_, true);
}

TEST_F(DatagramTest, DatagramLargerThanTheLimitIsDroppedAndCountedNotCut) {
  auto& received = keep<Guarded<Received>>();
  auto socket = open(Endpoint::loopbackV4(0), received);
  ASSERT_TRUE(socket);
  // Several in a row: the ones already waiting when the next receive starts complete at once
  // (IOCP: WSAEMSGSIZE from the call, and a completion through the port as well).
  const std::string big(kMaxDatagramSize + 1, 'x');
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(RawSocket::sendDatagram(socket->localEndpoint(), asBytes(big)));
  ASSERT_TRUE(RawSocket::sendDatagram(socket->localEndpoint(), asBytes("small")));
  const std::string largest(kMaxDatagramSize, 'y');
  ASSERT_TRUE(RawSocket::sendDatagram(socket->localEndpoint(), asBytes(largest)));
  ASSERT_TRUE(received.waitFor([](const Received& r) { return r.payloads.size() >= 2; }));
  received.with([&](Received& r) {
    ASSERT_EQ(r.payloads.size(), 2u) << "the oversize datagram was delivered";
    EXPECT_EQ(r.payloads[0], "small");
    EXPECT_EQ(r.payloads[1], largest);
  });
  EXPECT_EQ(socket->stats().truncated, 5u);
  EXPECT_TRUE(socket->isOpen());
}

TEST_F(DatagramTest, DatagramToAClosedPortDoesNotEndTheSocket) {
  auto& received = keep<Guarded<Received>>();
  auto socket = open(Endpoint::loopbackV4(0), received);
  ASSERT_TRUE(socket);
  // A port nobody listens on: the system answers with ICMP port unreachable.
  Endpoint closedPort;
  {
    std::error_code ec;
    auto gone = engine_->openDatagram(Endpoint::loopbackV4(0), {}, nullptr, ec);
    ASSERT_TRUE(gone);
    closedPort = gone->localEndpoint();
    gone->close();
    drain(gone->loop());
  }
  auto answers = std::make_shared<Guarded<int>>();
  for (int i = 0; i < 3; ++i)
    socket->sendTo(closedPort, asBytes("anyone?"), [answers](std::error_code) {
      answers->with([](int& n) { ++n; });
    });
  ASSERT_TRUE(answers->waitFor([](int n) { return n == 3; }));
  // The reports have come back by now (loopback); the socket must still receive.
  ASSERT_TRUE(RawSocket::sendDatagram(socket->localEndpoint(), asBytes("still there")));
  ASSERT_TRUE(received.waitFor([](const Received& r) { return !r.payloads.empty(); }))
      << "the socket stopped receiving after an ICMP port unreachable";
  received.with([](Received& r) { EXPECT_EQ(r.payloads[0], "still there"); });
  EXPECT_TRUE(socket->isOpen());
}

TEST_F(DatagramTest, DatagramBurstBeyondTheQueueBoundIsDroppedNotQueued) {
  LogCapture logs;
  DatagramOptions options;
  options.maxQueuedDatagrams = 8;
  auto& received = keep<Guarded<Received>>();
  auto target = open(Endpoint::loopbackV4(0), received);
  auto sender = open(Endpoint::loopbackV4(0), keep<Guarded<Received>>(), options);
  ASSERT_TRUE(target && sender);
  struct Answers {
    int ok = 0;
    int dropped = 0;
    int other = 0;
  };
  auto answers = std::make_shared<Guarded<Answers>>();
  constexpr int kBurst = 1000;
  // All from one turn of the loop: nothing can be sent until the turn ends.
  sender->loop().post([&, answers] {
    for (int i = 0; i < kBurst; ++i)
      sender->sendTo(target->localEndpoint(), asBytes("burst"), [answers](std::error_code ec) {
        answers->with([&](Answers& a) {
          if (!ec) ++a.ok;
          else if (ec == Error::DatagramDropped) ++a.dropped;
          else ++a.other;
        });
      });
  });
  ASSERT_TRUE(answers->waitFor([](const Answers& a) { return a.ok + a.dropped + a.other == kBurst; }));
  answers->with([](Answers& a) {
    EXPECT_EQ(a.ok, 8);
    EXPECT_EQ(a.dropped, kBurst - 8);
    EXPECT_EQ(a.other, 0);
  });
  EXPECT_EQ(sender->stats().dropped, static_cast<std::uint64_t>(kBurst - 8));
  EXPECT_LE(logs.count("send queue is full", spdlog::level::warn), 2u)
      << "one warning, then a summary: " << logs.dump();
  EXPECT_GE(logs.count("send queue is full", spdlog::level::warn), 1u);
  ASSERT_TRUE(received.waitFor([](const Received& r) { return r.payloads.size() >= 8; }));
}

TEST_F(DatagramTest, DatagramCloseWithAReceivePendingRunsNoHandlerAfterwards) {
  struct State {
    bool closed = false;
    int afterClose = 0;
    int received = 0;
  };
  auto& state = keep<Guarded<State>>();
  std::error_code ec;
  auto socket = engine_->openDatagram(
      Endpoint::loopbackV4(0), {},
      [&state](DatagramSocket& self, const Datagram&) {
        bool closeNow = false;
        state.with([&](State& s) {
          if (s.closed) ++s.afterClose;
          closeNow = ++s.received == 3;
        });
        if (closeNow) {
          // From inside the handler: the datagrams already waiting must not be delivered.
          self.close();
          state.with([](State& s) { s.closed = true; });
        }
      },
      ec);
  ASSERT_TRUE(socket) << ec.message();
  const Endpoint to = socket->localEndpoint();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(RawSocket::sendDatagram(to, asBytes("ping")));
  ASSERT_TRUE(state.waitFor([](const State& s) { return s.closed; }));
  for (int i = 0; i < 20; ++i) RawSocket::sendDatagram(to, asBytes("ping"));
  drain(socket->loop());
  drain(socket->loop());
  state.with([](State& s) {
    EXPECT_EQ(s.afterClose, 0) << "a handler ran after close()";
    EXPECT_EQ(s.received, 3);
  });
  EXPECT_FALSE(socket->isOpen());
}

TEST_F(DatagramTest, DatagramSocketClosedFromAnotherThreadOrDroppedFreesEverything) {
  // Each socket is left with a receive pending (and a send, for some); ASan proves nothing is
  // leaked or used after it is freed, whichever way the socket goes.
  for (int i = 0; i < 50; ++i) {
    auto& received = keep<Guarded<Received>>();
    auto socket = open(Endpoint::loopbackV4(0), received);
    ASSERT_TRUE(socket);
    if (i % 2) socket->sendTo(Endpoint::loopbackV4(9), asBytes("in flight"));
    if (i % 3 == 0)
      socket->close();
    else
      socket.reset();  // the last reference: closed by its destructor
  }
  for (std::size_t i = 0; i < engine_->loopCount(); ++i) drain(engine_->loop(i));
}

TEST_F(DatagramTest, DatagramOpenOnAPortInUseSaysSo) {
  auto& received = keep<Guarded<Received>>();
  auto first = open(Endpoint::loopbackV4(0), received);
  ASSERT_TRUE(first);
  std::error_code ec;
  auto second = engine_->openDatagram(first->localEndpoint(), {}, nullptr, ec);
  EXPECT_FALSE(second);
  EXPECT_EQ(ec, std::errc::address_in_use) << ec.message();
}

}  // namespace
}  // namespace chatport::net
