#include "event_queue.h"

#include <limits>
#include <optional>
#include <set>
#include <tuple>

namespace chatport::chat {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

}  // namespace

EventQueue::EventQueue(std::size_t maxBytes) : maxBytes_(maxBytes), shedAt_(maxBytes) {}

void EventQueue::setWake(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::size_t EventQueue::costOf(const Event& event) {
  const std::size_t text = std::visit(
      [](const auto& e) -> std::size_t {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ConnectedEvent>)
          return e.name.size() + e.address.size() + e.hostFingerprint.size() + e.historyRoom.size();
        if constexpr (std::is_same_v<E, ClientListEvent>) {
          std::size_t n = e.clients.size() * sizeof(Participant);
          for (const auto& p : e.clients) n += p.name.size();
          return n;
        }
        if constexpr (std::is_same_v<E, JoinedEvent> || std::is_same_v<E, LeftEvent>) return e.who.name.size();
        if constexpr (std::is_same_v<E, RenamedEvent>) return e.oldName.size() + e.newName.size();
        if constexpr (std::is_same_v<E, MessageEvent>) return e.fromName.size() + e.text.size();
        if constexpr (std::is_same_v<E, PrivateMessageEvent>)
          return e.fromName.size() + e.toName.size() + e.text.size();
        if constexpr (std::is_same_v<E, ErrorEvent> || std::is_same_v<E, DisconnectedEvent> ||
                      std::is_same_v<E, FileFailedEvent>)
          return e.detail.size();
        if constexpr (std::is_same_v<E, FileOfferEvent>) {
          std::size_t n = e.fromName.size() + e.name.size() + e.files.size() * sizeof(OfferedFile);
          for (const auto& f : e.files) n += f.path.size();
          return n;
        }
        if constexpr (std::is_same_v<E, FileDoneEvent>) return e.path.size() + e.hash.size();
        return 0;
      },
      event);
  return sizeof(Event) + text;
}

void EventQueue::push(Event event) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    bytes_ += costOf(event);
    events_.push_back(std::move(event));
    if (bytes_ > shedAt_) shed();
    if (armed_ && wake_) {
      armed_ = false;
      wake = wake_;  // called outside the lock: it may drain at once, on this thread
    }
  }
  if (wake) wake();
}

void EventQueue::shed() {
  // Lets go of the oldest messages, of join/leave notices that a later client list covers, and
  // of lists and figures that a newer one replaces, until a quarter of the bound is free; one
  // SkippedEvent stands where they were. The session's course (connected, errors, disconnected,
  // reconnecting, renames) is always kept, as is the newest list, so that who is here, as the
  // front end shows it, stays true.
  std::size_t newestList = kNone;
  std::size_t newestStats = kNone;
  for (std::size_t i = events_.size(); i-- > 0 && (newestList == kNone || newestStats == kNone);) {
    if (newestList == kNone && std::holds_alternative<ClientListEvent>(events_[i])) newestList = i;
    if (newestStats == kNone && std::holds_alternative<StatsEvent>(events_[i])) newestStats = i;
  }
  // A transfer's progress that a later one of the same copy replaces.
  std::vector<bool> replaced(events_.size());
  std::set<std::tuple<TransferId, ClientId, bool>> later;
  for (std::size_t i = events_.size(); i-- > 0;)
    if (const auto* p = std::get_if<FileProgressEvent>(&events_[i]))
      replaced[i] = !later.emplace(p->id, p->peer, p->outgoing).second;
  const std::size_t target = maxBytes_ - maxBytes_ / 4;
  SkippedEvent skipped;
  std::optional<std::size_t> gap;  // where the first event let go stood, in kept
  std::deque<Event> kept;
  for (std::size_t i = 0; i < events_.size(); ++i) {
    Event& e = events_[i];
    bool drop = false;
    if (bytes_ > target) {
      if (std::holds_alternative<MessageEvent>(e) || std::holds_alternative<PrivateMessageEvent>(e)) {
        drop = true;
        ++skipped.messages;
      } else if ((std::holds_alternative<JoinedEvent>(e) || std::holds_alternative<LeftEvent>(e)) &&
                 newestList != kNone && i < newestList) {
        drop = true;  // the list that follows has it
        ++skipped.notices;
      } else {
        drop = (std::holds_alternative<ClientListEvent>(e) && i != newestList) ||
               (std::holds_alternative<StatsEvent>(e) && i != newestStats) || replaced[i];
      }
    }
    if (drop) {
      bytes_ -= costOf(e);
      if (!gap) gap = kept.size();
    } else {
      kept.push_back(std::move(e));
    }
  }
  if (skipped.messages > 0 || skipped.notices > 0) {
    // Right after an earlier gap: one event tells of both.
    auto* earlier = *gap > 0 ? std::get_if<SkippedEvent>(&kept[*gap - 1]) : nullptr;
    if (earlier) {
      earlier->messages += skipped.messages;
      earlier->notices += skipped.notices;
    } else {
      kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(*gap), skipped);
      bytes_ += costOf(skipped);
    }
  }
  events_ = std::move(kept);
  // What may not be let go could fill the bound by itself: then wait for another quarter
  // before looking again, so that each push does not walk the whole queue.
  shedAt_ = std::max(maxBytes_, bytes_ + maxBytes_ / 4);
}

std::size_t EventQueue::drain(std::vector<Event>& out, std::size_t max) {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(max, events_.size());
  for (std::size_t i = 0; i < n; ++i) {
    bytes_ -= costOf(events_.front());
    out.push_back(std::move(events_.front()));
    events_.pop_front();
  }
  if (events_.empty()) armed_ = true;
  shedAt_ = std::max(maxBytes_, std::min(shedAt_, bytes_ + maxBytes_ / 4));
  return n;
}

std::size_t EventQueue::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

std::size_t EventQueue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace chatport::chat
