#include "beacon_announcer.h"

#include <chatport/net/secure_random.h>
#include <chatport/noise/key_pair.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <type_traits>
#include <utility>

namespace chatport::chat {
namespace {

// A host announces its KeyPair::publicKey() as it is.
static_assert(std::is_same_v<beacon::HostKey, noise::PublicKey>);

std::uint64_t seedFrom(const beacon::InstanceId& instance) {
  std::uint64_t seed = 0;
  static_assert(sizeof seed == std::tuple_size_v<beacon::InstanceId>);
  std::memcpy(&seed, instance.data(), sizeof seed);
  return seed;
}

net::SharedBytes encoded(const beacon::Announce& announce) {
  return std::make_shared<const net::Bytes>(beacon::encode(announce));
}

}  // namespace

beacon::InstanceId BeaconAnnouncer::newInstanceId() {
  beacon::InstanceId id;
  net::fillSecureRandom(id);
  return id;
}

BeaconAnnouncer::BeaconAnnouncer(beacon::InstanceId instance, beacon::RoomInfo room,
                                 Clock::time_point now, Limits limits)
    : limits_(limits),
      announce_{instance, 0, std::move(room)},
      datagram_(encoded(announce_)),
      due_(now),
      jitterState_(seedFrom(instance)),
      global_(limits.answersPerSecond, limits.answerBurst, now) {
  assert(beacon::validate(announce_.room) == beacon::BeaconError::None);
}

beacon::BeaconError BeaconAnnouncer::setRoomState(const beacon::RoomInfo& room, Clock::time_point now) {
  if (const auto error = beacon::validate(room); error != beacon::BeaconError::None) return error;
  if (room == announce_.room) return beacon::BeaconError::None;
  announce_.room = room;
  ++announce_.changeCounter;
  datagram_ = encoded(announce_);
  const Clock::time_point soonest = lastSent_ ? std::max(now, *lastSent_ + limits_.minGap) : now;
  due_ = std::min(due_, soonest);
  return beacon::BeaconError::None;
}

net::SharedBytes BeaconAnnouncer::announceIfDue(Clock::time_point now) {
  if (now < due_) return nullptr;
  lastSent_ = now;
  due_ = now + nextInterval();
  return datagram_;
}

BeaconAnnouncer::Clock::duration BeaconAnnouncer::nextInterval() {
  // splitmix64 (Steele, Lea, Flood 2014)
  std::uint64_t z = (jitterState_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  const double unit = static_cast<double>(z >> 11) / static_cast<double>(1ull << 53);  // [0, 1)
  const double factor = 1.0 + limits_.jitter * (2.0 * unit - 1.0);
  return std::chrono::duration_cast<Clock::duration>(limits_.interval * factor);
}

std::optional<net::SharedBytes> BeaconAnnouncer::onQuery(const net::Endpoint& from,
                                                         std::span<const std::byte> datagram,
                                                         Clock::time_point now) {
  beacon::Datagram message;
  if (beacon::parse(datagram, message) != beacon::BeaconError::None) {
    ++counters_.malformed;
    return std::nullopt;
  }
  const auto* query = std::get_if<beacon::Query>(&message);
  if (!query) return std::nullopt;
  // Never more bytes back than came in (a valid query always has room: kMaxAnnounceSize).
  if (datagram_->size() > query->size) return std::nullopt;
  if (!sourceMayAsk(AddressKey::of(from), now)) {
    ++counters_.sourceLimited;
    return std::nullopt;
  }
  if (!global_.take(now)) {
    ++counters_.globalLimited;
    return std::nullopt;
  }
  ++counters_.answered;
  return datagram_;
}

bool BeaconAnnouncer::sourceMayAsk(const AddressKey& source, Clock::time_point now) {
  auto found = byAddress_.find(source);
  if (found != byAddress_.end()) {
    sources_.splice(sources_.begin(), sources_, found->second);
  } else {
    if (!sources_.empty() && sources_.size() >= limits_.maxSources) {
      byAddress_.erase(sources_.back().address);
      sources_.pop_back();
    }
    sources_.push_front(
        Source{source, TokenBucket(limits_.answersPerSourcePerSecond, limits_.answerBurstPerSource, now)});
    found = byAddress_.emplace(source, sources_.begin()).first;
  }
  return found->second->bucket.take(now);
}

}  // namespace chatport::chat
