#include "file_relay.h"

#include "file_store.h"

#include <chatport/net/secure_random.h>

#include <algorithm>

namespace chatport::chat {
namespace {

constexpr proto::Outcome failed(TransferFailure why) { return {why}; }


}  // namespace

FileRelay::FileRelay(const CoreOptions& options, Hooks hooks, std::shared_ptr<spdlog::logger> log)
    : options_(options), hooks_(std::move(hooks)), log_(std::move(log)) {
  // Numbers no earlier run of this room used (a recipient may come back after a restart of
  // the host, holding one of them), and small enough to type.
  std::array<std::byte, 4> random{};
  net::fillSecureRandom(random);
  std::uint32_t start = 0;
  for (std::byte b : random) start = start << 8 | std::to_integer<std::uint32_t>(b);
  nextId_ = 1 + (start & 0x3FFFFFFF);
}

void FileRelay::onMessage(ClientId from, proto::ClientMessage&& message) {
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, proto::Offer>) offer(from, std::move(m));
        else if constexpr (std::is_same_v<M, proto::Accept>) accept(from, m);
        else if constexpr (std::is_same_v<M, proto::Decline>) {
          ClientId r = kNoClient;
          if (Transfer* t = find(m.transfer); t && streamOf(m.transfer, *t, from, r))
            endStream(m.transfer, r, failed(TransferFailure::Declined), std::nullopt, {});
        } else if constexpr (std::is_same_v<M, proto::CancelTransfer>) cancel(from, m);
        else if constexpr (std::is_same_v<M, proto::Chunk>) chunk(from, std::move(m));
        else if constexpr (std::is_same_v<M, proto::Ack>) ack(from, m);
        else if constexpr (std::is_same_v<M, proto::ChunksEnd>) chunksEnd(from, m);
        else if constexpr (std::is_same_v<M, proto::Received>) received(from, std::move(m));
        else if constexpr (std::is_same_v<M, proto::Reclaim>) reclaim(from, m);
      },
      message);
}

void FileRelay::offer(ClientId from, proto::Offer&& offer) {
  const auto refuse = [&](TransferFailure why, std::string detail) {
    sendTo(from, proto::OfferRefused{offer.tag, failed(why), std::move(detail)});
  };
  std::uint64_t total = 0;
  for (const auto& file : offer.files) {
    if (files::safeRelativePath(file.path) != file.path) {
      refuse(TransferFailure::ProtocolError, "a file's name is not safe to save: " + file.path);
      return;
    }
    if (file.size > options_.maxFileBytes - std::min(total, options_.maxFileBytes)) {
      refuse(TransferFailure::TooLarge,
             "this room carries files of up to " + std::to_string(options_.maxFileBytes >> 20) + " MiB");
      return;
    }
    total += file.size;
  }
  if (offersBy_[from] >= options_.maxOffersPerSender) {
    refuse(TransferFailure::Busy, "you have " + std::to_string(options_.maxOffersPerSender) +
                                      " offers waiting for answers already");
    return;
  }
  std::vector<ClientId> recipients;
  if (offer.to == kNoClient) {
    recipients = hooks_.present();
    std::erase(recipients, from);
  } else if (offer.to != from && hooks_.isMember(offer.to)) {
    recipients.push_back(offer.to);
  }
  if (recipients.empty()) {
    refuse(TransferFailure::PeerLeft,
           offer.to == kNoClient ? "nobody else is in the room" : "that person is not in the room");
    return;
  }
  const TransferId id = nextId_++;
  Transfer& transfer = transfers_[id];
  transfer.from = transfer.sender = from;
  transfer.total = total;
  ++offersBy_[from];
  proto::Offered offered{id, 0, from, offer.to, hooks_.nowMs(), std::move(offer.files)};
  for (ClientId r : recipients) {
    transfer.streams[r].member = r;
    sendTo(r, proto::HostMessage(offered));
  }
  offered.tag = offer.tag;
  sendTo(from, std::move(offered));
  log_->debug("transfer {}: {} offers {} bytes to {} member(s)", id, from, total, recipients.size());
}

void FileRelay::accept(ClientId from, const proto::Accept& accept) {
  Transfer* t = find(accept.transfer);
  ClientId r = kNoClient;
  if (!t || !streamOf(accept.transfer, *t, from, r)) {
    // Ended while its recipient was away, or never its: say so, or it would wait for ever.
    sendTo(from, proto::TransferEnded{accept.transfer, kNoClient, failed(TransferFailure::CancelledByPeer),
                                      "the offer is no longer there"});
    return;
  }
  if (accept.offset > t->total) {
    endStream(accept.transfer, r, failed(TransferFailure::ProtocolError),
              failed(TransferFailure::ProtocolError), "accepted past the end");
    return;
  }
  run(accept.transfer, r, accept.offset);
}

void FileRelay::cancel(ClientId from, const proto::CancelTransfer& cancel) {
  Transfer* t = find(cancel.transfer);
  if (!t) return;
  if (from == t->sender) {
    std::vector<ClientId> which;
    for (const auto& [r, s] : t->streams)
      if (cancel.peer == kNoClient || cancel.peer == r) which.push_back(r);
    // The sender's own end is told (peer 0) when the last stream goes: forgetIfDone.
    for (ClientId r : which)
      endStream(cancel.transfer, r, std::nullopt, failed(TransferFailure::CancelledByPeer), {});
  } else if (ClientId r = kNoClient; streamOf(cancel.transfer, *t, from, r)) {
    endStream(cancel.transfer, r, failed(TransferFailure::CancelledByPeer), std::nullopt, {});
  }
}

void FileRelay::chunk(ClientId from, proto::Chunk&& chunk) {
  Transfer* t = find(chunk.transfer);
  if (!t || t->sender != from) return;  // ended meanwhile: its chunks were on their way
  auto it = t->streams.find(chunk.receiver);
  if (it == t->streams.end() || it->second.state != StreamState::Running) return;
  Stream& s = it->second;
  // A chunk of an earlier run (the stream restarted since) is stale: content depends only on
  // the offset, so one at the expected offset is as good as any, and earlier ones are dropped.
  // One past it means some were lost on the way (the room's inbox was full): the stream runs
  // again from what the recipient has acknowledged (it keeps what it has of the overlap), asked
  // once per gap.
  if (chunk.offset < s.relayed) return;
  if (chunk.offset > s.relayed) {
    if (s.restartAt != s.acked) {
      s.restartAt = s.acked;
      s.relayed = s.acked;
      sendTo(from, proto::Start{chunk.transfer, chunk.receiver, s.acked});
    }
    return;
  }
  s.restartAt.reset();
  const std::uint64_t end = s.relayed + chunk.data.size();
  if (end > t->total || end - s.acked > proto::kFileWindow) {
    log_->warn("transfer {}: client {} sent past {} (window or size): stream ended", chunk.transfer,
               from, end > t->total ? "the end" : "its window");
    endStream(chunk.transfer, chunk.receiver, failed(TransferFailure::ProtocolError),
              failed(TransferFailure::ProtocolError), "the sender broke the file protocol");
    return;
  }
  s.relayed = end;
  // Gone for now: it accepts again once back.
  if (s.member == kNoClient) return;
  sendTo(s.member, proto::Data{chunk.transfer, chunk.offset, std::move(chunk.data)}, true);
}

void FileRelay::ack(ClientId from, const proto::Ack& ack) {
  Transfer* t = find(ack.transfer);
  ClientId r = kNoClient;
  Stream* stream = t ? streamOf(ack.transfer, *t, from, r) : nullptr;
  if (!stream || stream->state != StreamState::Running) return;
  Stream& s = *stream;
  // Past what this run relayed: the recipient had it from an earlier run.
  const std::uint64_t offset = std::min(ack.offset, s.relayed);
  if (offset <= s.acked) return;
  s.acked = offset;
  sendTo(t->sender, proto::Acked{ack.transfer, r, offset});
}

void FileRelay::chunksEnd(ClientId from, const proto::ChunksEnd& end) {
  Transfer* t = find(end.transfer);
  if (!t || t->sender != from) return;
  auto it = t->streams.find(end.receiver);
  if (it == t->streams.end() || it->second.state != StreamState::Running) return;
  if (it->second.relayed != t->total) {
    endStream(end.transfer, end.receiver, failed(TransferFailure::ProtocolError),
              failed(TransferFailure::ProtocolError), "the sender ended early");
    return;
  }
  it->second.state = StreamState::Checking;
  // Behind the data, in the same lane, so that it arrives after all of it.
  if (it->second.member != kNoClient) sendTo(it->second.member, proto::DataEnd{end.transfer, end.hash}, true);
}

void FileRelay::received(ClientId from, proto::Received&& received) {
  Transfer* t = find(received.transfer);
  ClientId r = kNoClient;
  Stream* s = t ? streamOf(received.transfer, *t, from, r) : nullptr;
  if (!s) return;
  // Arrived only counts once everything was sent; before that it is the recipient giving up.
  proto::Outcome outcome = received.outcome;
  if (!outcome.failure && s->state != StreamState::Checking) outcome = failed(TransferFailure::ProtocolError);
  endStream(received.transfer, r, outcome, std::nullopt, received.detail);
}

FileRelay::Transfer* FileRelay::find(TransferId id) {
  auto it = transfers_.find(id);
  return it == transfers_.end() ? nullptr : &it->second;
}

FileRelay::Stream* FileRelay::streamOf(TransferId id, Transfer& t, ClientId from, ClientId& recipient) {
  // Mostly its own (every Ack asks): found by its id, not by a walk through the room.
  if (auto own = t.streams.find(from); own != t.streams.end() && own->second.member == from) {
    recipient = from;
    return &own->second;
  }
  for (auto& [r, s] : t.streams) {
    if (s.member == from) {
      recipient = r;
      return &s;
    }
  }
  // Back in a new session: known by its key. The sender hears it is back; it asks to go on.
  std::optional<Key> key;
  for (auto& [r, s] : t.streams) {
    if (s.member != kNoClient || !s.returnKey) continue;
    if (!key) key = hooks_.keyOf(from);
    if (*s.returnKey != *key) continue;
    s.member = from;
    s.returnKey.reset();
    recipient = r;
    log_->info("transfer {}: its recipient {} is back as client {}", id, r, from);
    sendTo(t.sender, proto::TransferPaused{id, r, false});
    return &s;
  }
  return nullptr;
}

void FileRelay::endStream(TransferId id, ClientId recipient,
                          std::optional<proto::Outcome> toSender,
                          std::optional<proto::Outcome> toRecipient, const std::string& detail) {
  Transfer* t = find(id);
  if (!t) return;
  auto it = t->streams.find(recipient);
  if (it == t->streams.end()) return;
  const bool wasRunning = it->second.state == StreamState::Running || it->second.state == StreamState::Checking;
  if (wasRunning) {
    --running_;
    if (--runningBy_[t->from] == 0) runningBy_.erase(t->from);
  } else {
    std::erase_if(queued_, [&](const Waiting& w) { return w.id == id && w.recipient == recipient; });
  }
  const ClientId sender = t->sender;
  const ClientId member = it->second.member;
  t->streams.erase(it);
  if (toSender && sender != kNoClient) sendTo(sender, proto::TransferEnded{id, recipient, *toSender, detail});
  if (toRecipient && member != kNoClient) sendTo(member, proto::TransferEnded{id, t->from, *toRecipient, detail});
  forgetIfDone(id);
  if (wasRunning) startQueued();
}

void FileRelay::forgetIfDone(TransferId id) {
  auto it = transfers_.find(id);
  if (it == transfers_.end() || !it->second.streams.empty()) return;
  const ClientId from = it->second.from;
  const ClientId sender = it->second.sender;
  transfers_.erase(it);
  if (--offersBy_[from] == 0) offersBy_.erase(from);
  // The sender may let go of the files: nobody will ask for them again.
  if (sender != kNoClient) sendTo(sender, proto::TransferEnded{id, kNoClient, {}, {}});
}

bool FileRelay::slotFree(ClientId sender) const {
  const auto it = runningBy_.find(sender);
  const std::size_t bySender = it == runningBy_.end() ? 0 : it->second;
  return running_ < options_.maxTransfers && bySender < options_.maxTransfersPerSender;
}

void FileRelay::run(TransferId id, ClientId recipient, std::uint64_t offset) {
  Transfer& t = *find(id);
  Stream& s = t.streams.at(recipient);
  if (s.state == StreamState::Queued) {
    for (auto& w : queued_)
      if (w.id == id && w.recipient == recipient) w.offset = offset;
    return;
  }
  if (s.state == StreamState::Offered) {
    if (!slotFree(t.from)) {
      s.state = StreamState::Queued;
      queued_.push_back({id, recipient, offset});
      sendTo(recipient, proto::TransferPaused{id, t.from, true});
      return;
    }
    ++running_;
    ++runningBy_[t.from];
  }
  s.state = StreamState::Running;
  s.relayed = s.acked = offset;
  // A sender gone for now is asked once back: its recipients accept again then.
  if (t.sender != kNoClient) sendTo(t.sender, proto::Start{id, recipient, offset});
}

void FileRelay::startQueued() {
  for (auto it = queued_.begin(); it != queued_.end();) {
    Transfer* t = find(it->id);
    if (!t || !slotFree(t->from)) {
      ++it;
      continue;
    }
    const Waiting w = *it;
    it = queued_.erase(it);
    Stream& s = t->streams.at(w.recipient);
    s.state = StreamState::Offered;
    run(w.id, w.recipient, w.offset);
    sendTo(w.recipient, proto::TransferPaused{w.id, t->from, false});
  }
}

void FileRelay::sendTo(ClientId to, proto::HostMessage&& message, bool bulk) {
  hooks_.send(to, std::move(message), bulk);
}

void FileRelay::memberResumed(ClientId id) {
  // What was on its way on the old link is lost. Its streams pause and go on at once: a
  // recipient accepts again from where its data ends (the one back does so by itself), and a
  // sender waits for the Start that follows.
  for (auto& [tid, t] : transfers_) {
    for (auto& [r, s] : t.streams) {
      if (s.state != StreamState::Running) continue;
      for (bool paused : {true, false}) {
        if (t.sender == id && s.member != kNoClient) sendTo(s.member, proto::TransferPaused{tid, t.from, paused});
        else if (s.member == id && t.sender != kNoClient) sendTo(t.sender, proto::TransferPaused{tid, r, paused});
      }
    }
  }
}

void FileRelay::memberLeft(ClientId id, std::optional<Key> returnKey) {
  std::vector<std::pair<TransferId, ClientId>> ending;
  for (auto& [tid, t] : transfers_) {
    if (t.sender == id && returnKey) {
      // Its offers wait for it to come back (Reclaim); their copies under way pause.
      t.sender = kNoClient;
      t.returnKey = returnKey;
      t.goneSinceMs = hooks_.nowMs();
      for (auto& [r, s] : t.streams)
        if (s.member != kNoClient && s.state == StreamState::Running)
          sendTo(s.member, proto::TransferPaused{tid, t.from, true});
      continue;
    }
    for (auto& [r, s] : t.streams) {
      if (t.sender == id) {
        ending.emplace_back(tid, r);
      } else if (s.member == id) {
        // A copy under way waits for its recipient to come back; one not begun ends.
        const bool underWay = s.state == StreamState::Running || s.state == StreamState::Checking;
        if (returnKey && underWay) {
          s.member = kNoClient;
          s.returnKey = returnKey;
          s.goneSinceMs = hooks_.nowMs();
          if (t.sender != kNoClient) sendTo(t.sender, proto::TransferPaused{tid, r, true});
        } else {
          ending.emplace_back(tid, r);
        }
      }
    }
  }
  endAll(ending, id);
}

void FileRelay::endAll(const std::vector<std::pair<TransferId, ClientId>>& streams, ClientId gone) {
  for (auto [tid, r] : streams) {
    const Transfer* t = find(tid);
    if (!t) continue;
    const bool senderGone = t->sender == gone;
    endStream(tid, r, senderGone ? std::nullopt : std::optional(failed(TransferFailure::PeerLeft)),
              senderGone ? std::optional(failed(TransferFailure::PeerLeft)) : std::nullopt,
              senderGone ? "the sender left" : "the recipient left");
  }
}

void FileRelay::reclaim(ClientId from, const proto::Reclaim& reclaim) {
  Transfer* t = find(reclaim.transfer);
  if (t && t->sender == from) return;  // never gone (its session was resumed)
  if (!t || t->sender != kNoClient || !t->returnKey || *t->returnKey != hooks_.keyOf(from)) {
    sendTo(from, proto::TransferEnded{reclaim.transfer, kNoClient, failed(TransferFailure::SessionEnded),
                                      "the offer ended while you were away"});
    return;
  }
  t->sender = from;
  t->returnKey.reset();
  log_->info("transfer {}: its sender {} is back as client {}", reclaim.transfer, t->from, from);
  // Its recipients go on from where their data ends (they accept again; Start follows).
  for (auto& [r, s] : t->streams)
    if (s.member != kNoClient && s.state == StreamState::Running)
      sendTo(s.member, proto::TransferPaused{reclaim.transfer, t->from, false});
}

void FileRelay::expireOrphans(std::int64_t nowMs) {
  const std::int64_t window = options_.transferResumeWindow.count();
  std::vector<std::pair<TransferId, ClientId>> ending;
  for (auto& [tid, t] : transfers_) {
    const bool senderGone = t.sender == kNoClient && nowMs - t.goneSinceMs >= window;
    for (auto& [r, s] : t.streams)
      if (senderGone || (s.returnKey && nowMs - s.goneSinceMs >= window)) ending.emplace_back(tid, r);
  }
  for (auto [tid, r] : ending) {
    const Transfer* t = find(tid);
    if (!t) continue;
    if (t->sender == kNoClient)
      endStream(tid, r, std::nullopt, failed(TransferFailure::PeerLeft), "the sender did not come back");
    else
      endStream(tid, r, failed(TransferFailure::PeerLeft), std::nullopt, "the recipient did not come back");
  }
}

}  // namespace chatport::chat
