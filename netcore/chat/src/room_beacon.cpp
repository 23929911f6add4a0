#include "room_beacon.h"

#include <chrono>
#include <utility>

namespace chatport::chat {

std::shared_ptr<RoomBeacon> RoomBeacon::start(net::Engine& engine, net::Loop& timerLoop,
                                              const DiscoveryOptions& options, const beacon::RoomInfo& room,
                                              std::shared_ptr<spdlog::logger> log) {
  timerLoop.assertInLoopThread();
  BeaconAnnouncer::Limits limits;
  limits.interval = options.interval;
  const auto now = BeaconAnnouncer::Clock::now();
  auto self = std::make_shared<RoomBeacon>(
      timerLoop, BeaconAnnouncer(BeaconAnnouncer::newInstanceId(), room, now, limits), log);
  std::weak_ptr<RoomBeacon> weak = self;
  std::string problem;
  // The room's own port too: a joiner probing a remembered room reaches this host alone there.
  self->sockets_ = DiscoverySockets::open(
      engine, options, room.tcpPorts,
      [weak](const net::Endpoint& from, std::span<const std::byte> payload, net::DatagramSocket& socket) {
        if (auto beacon = weak.lock()) beacon->onDatagram(from, payload, socket);
      },
      log, problem);
  if (!self->sockets_) {
    log->warn("this room is not announced on the network: {}", problem);
    return nullptr;
  }
  std::string names;
  for (const auto& name : self->sockets_->interfaceNames()) names += (names.empty() ? "" : ", ") + name;
  log->info("announcing the room on UDP port {} ({})", options.port, names);
  self->announceIfDue();
  return self;
}

RoomBeacon::RoomBeacon(net::Loop& timerLoop, BeaconAnnouncer announcer, std::shared_ptr<spdlog::logger> log)
    : loop_(timerLoop), log_(std::move(log)), announcer_(std::move(announcer)) {}

RoomBeacon::~RoomBeacon() {
  if (sockets_) sockets_->close();
}

void RoomBeacon::update(const beacon::RoomInfo& room) {
  loop_.assertInLoopThread();
  if (stopped_) return;
  {
    std::lock_guard lock(mutex_);
    if (auto error = announcer_.setRoomState(room, BeaconAnnouncer::Clock::now()); error != beacon::BeaconError::None)
      log_->warn("the room's announcement was not updated: {}", beacon::beaconErrorName(error));
  }
  schedule();
}

void RoomBeacon::stop() {
  loop_.assertInLoopThread();
  if (stopped_) return;
  stopped_ = true;
  loop_.cancelTimer(timer_);
  sockets_->close();
}

void RoomBeacon::onDatagram(const net::Endpoint& from, std::span<const std::byte> payload,
                            net::DatagramSocket& socket) {
  std::optional<net::SharedBytes> answer;
  {
    std::lock_guard lock(mutex_);
    answer = announcer_.onQuery(from, payload, BeaconAnnouncer::Clock::now());
  }
  // The answer leaves by the socket the query came to: the asker sees it come from there.
  if (answer) socket.sendTo(from, **answer);
}

void RoomBeacon::announceIfDue() {
  net::SharedBytes datagram;
  {
    std::lock_guard lock(mutex_);
    datagram = announcer_.announceIfDue(BeaconAnnouncer::Clock::now());
  }
  if (datagram) sockets_->sendEverywhere(datagram);
  schedule();
}

void RoomBeacon::schedule() {
  if (stopped_) return;
  BeaconAnnouncer::Clock::time_point due;
  {
    std::lock_guard lock(mutex_);
    due = announcer_.nextAnnouncementDue();
  }
  loop_.cancelTimer(timer_);
  const auto delay = std::max(BeaconAnnouncer::Clock::duration::zero(), due - BeaconAnnouncer::Clock::now());
  std::weak_ptr<RoomBeacon> weak = weak_from_this();
  timer_ = loop_.runAfter(delay, [weak] {
    if (auto self = weak.lock()) self->announceIfDue();
  });
}

}  // namespace chatport::chat
