#pragma once
// A host's room beacon on the network: BeaconAnnouncer (when and what) over DiscoverySockets
// (where). Announces on its timer loop, answers queries on whichever loop heard them.
#include "beacon.h"
#include "beacon_announcer.h"
#include "discovery_sockets.h"

#include <chatport/chat/discovery.h>
#include <chatport/net/engine.h>
#include <chatport/net/loop.h>

#include <memory>
#include <mutex>

#include <spdlog/logger.h>

namespace chatport::chat {

class RoomBeacon : public std::enable_shared_from_this<RoomBeacon> {
 public:
  /// Starts announcing room on timerLoop's thread (call it there). Null, with the reason
  /// logged, when discovery cannot work here: the room is still joined by address.
  static std::shared_ptr<RoomBeacon> start(net::Engine& engine, net::Loop& timerLoop, const DiscoveryOptions& options,
                                           const beacon::RoomInfo& room, std::shared_ptr<spdlog::logger> log);
  ~RoomBeacon();

  /// Timer loop only. The room changed: announced soon (at most four times a second).
  void update(const beacon::RoomInfo& room);
  /// Timer loop only; idempotent. No datagram goes out after it.
  void stop();

  RoomBeacon(net::Loop& timerLoop, BeaconAnnouncer announcer, std::shared_ptr<spdlog::logger> log);

 private:
  void onDatagram(const net::Endpoint& from, std::span<const std::byte> payload, net::DatagramSocket& socket);
  void schedule();
  void announceIfDue();

  net::Loop& loop_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<DiscoverySockets> sockets_;
  std::mutex mutex_;            // the announcer: queries come on any loop
  BeaconAnnouncer announcer_;   // guarded by mutex_
  net::TimerId timer_ = 0;      // timer loop only
  bool stopped_ = false;        // timer loop only
};

}  // namespace chatport::chat
