#pragma once
// The host's side of the room beacon (beacon.h), without sockets: it says when to announce the
// room and what, and whether to answer a query. The caller sends and receives the datagrams
// and gives it the time; the same inputs always give the same outputs.
//
// Announcements: one at once, then every interval (3 s) give or take a jitter (10 %), and one
// soon after each change of the room, but never two within minGap (250 ms), so a room whose
// people come and go quickly still sends at most 4 a second.
//
// Queries: answered with the announcement, to the sender alone, if it fits in the query (so an
// answer never amplifies), if the sender's address has a token left in its bucket (4 at once,
// 1 a second) and the host has one left in its own (40 at once, 20 a second). The buckets of at
// most maxSources addresses are kept, the least recently heard forgotten first: a flood of
// queries from forged addresses costs the host at most the global rate in answers and a fixed
// amount of memory.
//
// Not thread-safe: one owner thread (the engine thread that owns the discovery socket).

#include "address_key.h"
#include "beacon.h"
#include "token_bucket.h"

#include <chatport/net/buffer.h>
#include <chatport/net/endpoint.h>

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <span>

namespace chatport::chat {

class BeaconAnnouncer {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    Clock::duration interval = std::chrono::seconds(3);
    double jitter = 0.1;  ///< each interval is drawn from interval * [1 - jitter, 1 + jitter]
    Clock::duration minGap = std::chrono::milliseconds(250);
    double answersPerSourcePerSecond = 1;
    double answerBurstPerSource = 4;
    double answersPerSecond = 20;
    double answerBurst = 40;
    std::size_t maxSources = 256;
  };

  /// What the host did with the queries it was given, for logs and tests.
  struct Counters {
    std::uint64_t answered = 0;
    std::uint64_t malformed = 0;       ///< not a beacon, or a broken one
    std::uint64_t sourceLimited = 0;   ///< the sender's address had no token left
    std::uint64_t globalLimited = 0;   ///< the host had no token left
  };

  /// Thread-safe. A new random instance id (net::fillSecureRandom): one per hosting.
  static beacon::InstanceId newInstanceId();

  /// room must pass beacon::validate (asserted). The first announcement is due at now.
  BeaconAnnouncer(beacon::InstanceId instance, beacon::RoomInfo room, Clock::time_point now,
                  Limits limits);
  BeaconAnnouncer(beacon::InstanceId instance, beacon::RoomInfo room, Clock::time_point now)
      : BeaconAnnouncer(instance, std::move(room), now, Limits{}) {}

  /// The room changed (people came or went, the name changed...): the change counter goes up
  /// and an announcement becomes due within minGap. An unchanged room changes nothing. A room
  /// beacon::validate refuses is not taken: the error comes back and the old one stays.
  beacon::BeaconError setRoomState(const beacon::RoomInfo& room, Clock::time_point now);

  /// The announcement as it stands, and its datagram.
  const beacon::Announce& announcement() const noexcept { return announce_; }
  const net::SharedBytes& announcementDatagram() const noexcept { return datagram_; }

  /// When the next announcement is due: the caller's timer.
  Clock::time_point nextAnnouncementDue() const noexcept { return due_; }
  /// If an announcement is due at now: its datagram, for every interface and group; the next
  /// one is scheduled. Otherwise nullptr.
  net::SharedBytes announceIfDue(Clock::time_point now);

  /// A datagram that came to the discovery socket from `from`. If it is a query to answer: the
  /// datagram to send back to `from` alone. Announcements (other hosts') are ignored.
  std::optional<net::SharedBytes> onQuery(const net::Endpoint& from, std::span<const std::byte> datagram,
                                          Clock::time_point now);

  const Counters& counters() const noexcept { return counters_; }
  /// Senders whose buckets are kept (at most Limits::maxSources).
  std::size_t trackedSources() const noexcept { return sources_.size(); }

 private:
  Clock::duration nextInterval();
  bool sourceMayAsk(const AddressKey& source, Clock::time_point now);

  struct Source {
    AddressKey address;
    TokenBucket bucket;
  };

  Limits limits_;
  beacon::Announce announce_;
  net::SharedBytes datagram_;
  Clock::time_point due_;
  std::optional<Clock::time_point> lastSent_;
  std::uint64_t jitterState_;  // splitmix64: spreads hosts apart, need not be unpredictable
  TokenBucket global_;
  std::list<Source> sources_;  // most recently heard first
  std::map<AddressKey, std::list<Source>::iterator> byAddress_;
  Counters counters_;
};

}  // namespace chatport::chat
