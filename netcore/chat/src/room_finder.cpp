// RoomFinder: RoomDirectory (what was heard) over DiscoverySockets (where), on an engine of
// its own with one loop, so that the directory is only ever touched by that loop's thread.
#include <chatport/chat/discovery.h>

#include "beacon.h"
#include "data_file.h"
#include "discovery_sockets.h"
#include "name_key.h"
#include "room_directory.h"

#include <chatport/log.h>
#include <chatport/net/engine.h>
#include <chatport/noise/key_pair.h>

#include <algorithm>
#include <charconv>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace chatport::chat {
namespace {

using Clock = RoomDirectory::Clock;

constexpr auto kSecondQueryAfter = std::chrono::seconds(1);
constexpr auto kProbeEvery = std::chrono::seconds(3);
constexpr std::size_t kMaxProbeAddresses = 1024;

FoundRoom found(const DiscoveredRoom& room) {
  FoundRoom out;
  out.id = data_file::toHex(room.id.instance) + data_file::toHex(room.id.hostKey);
  out.roomName = room.info.roomName;
  out.hostName = room.info.hostName;
  out.people = room.info.people;
  out.passwordRequired = room.info.passwordRequired;
  out.hostKey = room.id.hostKey;
  out.fingerprint = noise::fingerprint(room.id.hostKey);
  for (const auto& a : room.addresses) out.addresses.push_back(a.addressString());
  out.port = room.addresses.front().port();
  out.protocolVersion = room.info.protocolVersion;
  return out;
}

// "10.0.5.0/24" -> its host addresses (at most kMaxProbeAddresses); an address alone -> itself.
bool probeAddresses(std::string_view text, std::uint16_t port, std::vector<net::Endpoint>& out,
                    std::string& problem) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    auto endpoint = net::Endpoint::parse(text, port);
    if (!endpoint) {
      problem = "'" + std::string(text) + "' is not an address (e.g. 192.168.2.7) or a subnet (192.168.2.0/24)";
      return false;
    }
    out.push_back(*endpoint);
    return true;
  }
  auto base = net::Endpoint::parse(text.substr(0, slash), port);
  unsigned prefix = 0;
  const auto bits = text.substr(slash + 1);
  const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (!base || base->isV6() || ec != std::errc{} || end != bits.data() + bits.size() || prefix > 32) {
    problem = "'" + std::string(text) + "' is not an IPv4 subnet (e.g. 192.168.2.0/24)";
    return false;
  }
  const std::uint64_t count = std::uint64_t{1} << (32 - prefix);
  if (count > kMaxProbeAddresses + 2) {
    problem = "the subnet " + std::string(text) + " is too large to probe: at most /22 (1,024 addresses)";
    return false;
  }
  std::uint32_t first = 0;
  {  // The address as a number, from its text form (no OS headers here).
    std::uint32_t value = 0;
    std::string dotted = base->addressString();
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const auto dot = dotted.find('.', start);
      unsigned part = 0;
      std::from_chars(dotted.data() + start, dotted.data() + (dot == std::string::npos ? dotted.size() : dot), part);
      value = (value << 8) | part;
      start = dot + 1;
    }
    first = count >= 4 ? (value & ~static_cast<std::uint32_t>(count - 1)) : value;
  }
  // Not the network's and the broadcast address of a subnet that has them.
  const std::uint64_t from = count >= 4 ? 1 : 0, to = count >= 4 ? count - 1 : count;
  for (std::uint64_t i = from; i < to; ++i) {
    const std::uint32_t a = first + static_cast<std::uint32_t>(i);
    const std::string dotted = std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
                               std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
    out.push_back(*net::Endpoint::parse(dotted, port));
  }
  return true;
}

}  // namespace

class RoomFinder::Impl : public std::enable_shared_from_this<RoomFinder::Impl> {
 public:
  explicit Impl(DiscoveryOptions options)
      : options_(std::move(options)), engine_(net::EngineOptions{1, net::BackendKind::Auto, {}}),
        log_(logging::get("chat")), directory_(limits(options_)) {}

  std::error_code start(std::string& problem) {
    std::error_code result;
    std::weak_ptr<Impl> weak = weak_from_this();
    runOnLoop([&] {
      sockets_ = DiscoverySockets::open(
          engine_, options_, {},
          [weak](const net::Endpoint& from, std::span<const std::byte> payload, net::DatagramSocket&) {
            if (auto self = weak.lock()) self->onDatagram(from, payload);
          },
          log_, problem);
      if (!sockets_) {
        result = std::make_error_code(std::errc::address_not_available);
        return;
      }
      query();
      loop().runAfter(kSecondQueryAfter, [weak] {
        if (auto self = weak.lock()) self->query();
      });
      tick();
    });
    return result;
  }

  bool probe(std::string_view text, std::string& problem) {
    std::vector<net::Endpoint> targets;
    // The discovery port, and the room's own port, where a host answers alone (several hosts
    // on one machine share the discovery port, and a unicast reaches only one of them).
    std::uint16_t roomPort = kDefaultPort;
    if (auto withPort = net::Endpoint::parse(text, 0); withPort && withPort->port() != 0) roomPort = withPort->port();
    if (!probeAddresses(text, options_.port, targets, problem)) return false;
    std::weak_ptr<Impl> weak = weak_from_this();
    loop().post([weak, targets = std::move(targets), roomPort]() mutable {
      auto self = weak.lock();
      if (!self) return;
      for (auto& t : targets) {
        net::Endpoint shared = t;
        shared.setPort(self->options_.port);
        t.setPort(roomPort);
        for (const auto& e : {shared, t})
          if (self->probes_.size() < 2 * kMaxProbeAddresses) self->probes_.push_back(e);
      }
      self->sendProbes();
    });
    return true;
  }

  void setOnChange(std::function<void()> onChange) {
    std::lock_guard lock(mutex_);
    onChange_ = std::move(onChange);
  }

  std::vector<FoundRoom> rooms() const {
    std::lock_guard lock(mutex_);
    return rooms_;
  }

  void stop() {
    if (stopped_.exchange(true)) return;
    runOnLoop([&] {
      if (sockets_) sockets_->close();
      loop().cancelTimer(tick_);
    });
    engine_.stop();
  }

 private:
  static RoomDirectory::Limits limits(const DiscoveryOptions& options) {
    RoomDirectory::Limits l;
    l.expireAfter = options.forgetAfter;
    return l;
  }

  net::Loop& loop() { return engine_.loop(0); }

  // Runs fn on the loop thread and waits for it.
  template <typename Fn>
  void runOnLoop(Fn&& fn) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    loop().post([&] {
      fn();
      std::lock_guard lock(m);
      done = true;
      cv.notify_one();
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done; });
  }

  void query() {
    sockets_->sendEverywhere(std::make_shared<const net::Bytes>(RoomDirectory::query()));
    sendProbes();
  }

  void sendProbes() {
    if (probes_.empty() || !sockets_) return;
    const auto datagram = std::make_shared<const net::Bytes>(RoomDirectory::query());
    for (const auto& to : probes_) sockets_->sendTo(to, datagram);
    lastProbe_ = Clock::now();
  }

  void tick() {
    const auto now = Clock::now();
    std::vector<RoomDirectory::Change> changes;
    directory_.expire(now, changes);
    publish(changes);
    if (now - lastProbe_ >= kProbeEvery) sendProbes();
    const auto every = std::min<Clock::duration>(std::chrono::milliseconds(500), options_.forgetAfter / 4);
    std::weak_ptr<Impl> weak = weak_from_this();
    tick_ = loop().runAfter(every, [weak] {
      if (auto self = weak.lock()) self->tick();
    });
  }

  void onDatagram(const net::Endpoint& from, std::span<const std::byte> payload) {
    std::vector<RoomDirectory::Change> changes;
    directory_.onDatagram(from, payload, Clock::now(), changes);
    publish(changes);
  }

  void publish(const std::vector<RoomDirectory::Change>& changes) {
    if (changes.empty()) return;
    std::vector<FoundRoom> rooms;
    for (const auto& room : directory_.rooms()) rooms.push_back(found(room));
    std::function<void()> onChange;
    {
      std::lock_guard lock(mutex_);
      rooms_ = std::move(rooms);
      onChange = onChange_;
    }
    if (onChange) onChange();
  }

  const DiscoveryOptions options_;
  net::Engine engine_;
  std::shared_ptr<spdlog::logger> log_;
  std::atomic<bool> stopped_{false};

  // Loop thread only.
  RoomDirectory directory_;
  std::unique_ptr<DiscoverySockets> sockets_;
  std::vector<net::Endpoint> probes_;
  Clock::time_point lastProbe_{};
  net::TimerId tick_ = 0;

  mutable std::mutex mutex_;
  std::vector<FoundRoom> rooms_;      // guarded by mutex_
  std::function<void()> onChange_;    // guarded by mutex_
};

RoomFinder::RoomFinder(DiscoveryOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

RoomFinder::~RoomFinder() { stop(); }

std::error_code RoomFinder::start(std::string& problem) { return impl_->start(problem); }

bool RoomFinder::probe(std::string_view addressOrSubnet, std::string& problem) {
  return impl_->probe(addressOrSubnet, problem);
}

void RoomFinder::setOnChange(std::function<void()> onChange) { impl_->setOnChange(std::move(onChange)); }

std::vector<FoundRoom> RoomFinder::rooms() const { return impl_->rooms(); }

void RoomFinder::stop() { impl_->stop(); }

const FoundRoom* findRoomByName(const std::vector<FoundRoom>& rooms, std::string_view text) {
  const std::string key = nameKey(text);
  for (const auto& room : rooms)
    if ((!room.roomName.empty() && nameKey(room.roomName) == key) || nameKey(room.hostName) == key) return &room;
  return nullptr;
}

}  // namespace chatport::chat
