#include "file_endpoint.h"

#include "data_file.h"
#include "file_store.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chatport::chat {
namespace {

using SteadyClock = std::chrono::steady_clock;
using data_file::pathOf;
using data_file::utf8Of;

// How often a running transfer's progress is told, at most.
constexpr std::chrono::milliseconds kProgressEvery{250};
// Chunks of one stream read ahead of sending: enough to keep a fast disk busy.
constexpr std::size_t kReadAhead = 4;
// What a recipient acknowledges before its disk thread has written it: the window's round trip
// then leaves the disk (and the hash) out, and no more than this waits for the disk.
constexpr std::uint64_t kDiskAhead = 8 * 1024 * 1024;
// Offers to this side kept waiting for an answer: more are declined at once.
constexpr std::size_t kMaxIncoming = 4096;
// A recipient acknowledges once this much more has come in (or the end): a quarter of the
// window, so the sender always has three quarters of it in flight.
constexpr std::uint64_t kAckEvery = proto::kFileWindow / 4;

ErrorCode refusalCode(const proto::Outcome& outcome) {
  switch (outcome.failure.value_or(TransferFailure::ProtocolError)) {
    case TransferFailure::TooLarge: return ErrorCode::FileTooLarge;
    case TransferFailure::Busy: return ErrorCode::TransferBusy;
    case TransferFailure::PeerLeft: return ErrorCode::UnknownRecipient;
    default: return ErrorCode::ProtocolError;
  }
}

std::string hex(const proto::FileHash& hash) { return files::toHex(hash); }

/// The event for an offer of files: its name and size from them.
FileOfferEvent offerEvent(TransferId id, std::vector<OfferedFile> files) {
  FileOfferEvent e;
  e.id = id;
  for (const auto& f : files) e.size += f.size;
  const std::string& first = files.front().path;
  e.name = first.substr(0, first.find('/'));
  e.folder = files.size() > 1 || first.find('/') != std::string::npos;
  e.files = std::move(files);
  return e;
}

// Records of transfers under way (FileEndpoint::Hooks::records), one file each: lines of a
// word and its values, strings as hex (paths may hold anything but '/' and NUL). What this side
// receives is "<id>.transfer", what it offers "<id>.offer".
constexpr std::string_view kIncomingHeader = "chatport-transfer 1";
constexpr std::string_view kOfferHeader = "chatport-offer 1";
constexpr std::string_view kIncomingSuffix = ".transfer";
constexpr std::string_view kOfferSuffix = ".offer";

std::string hexOf(std::string_view s) { return data_file::toHex(std::as_bytes(std::span(s.data(), s.size()))); }

std::optional<std::string> textOf(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc{} || end != hex.data() + i + 2) return std::nullopt;
    out += static_cast<char>(v);
  }
  return out;
}

std::string fileLines(const std::vector<OfferedFile>& files) {
  std::string out;
  for (const auto& f : files) out += "file " + std::to_string(f.size) + " " + hexOf(f.path) + "\n";
  return out;
}

/// Reads a record's lines after its header, handing each one's word and first two values to
/// line (false: the record is damaged). False if the header is not header or a line was bad.
template <typename Line>
bool readRecord(std::istream& in, std::string_view header, std::vector<OfferedFile>& files, Line&& line) {
  std::string text;
  if (!std::getline(in, text) || text != header) return false;
  while (std::getline(in, text)) {
    std::istringstream words(text);
    std::string word, a, b;
    words >> word >> a >> b;
    if (word == "file") {
      auto path = textOf(b);
      if (!path) return false;
      files.push_back({*path, std::strtoull(a.c_str(), nullptr, 10)});
    } else if (!line(word, a)) {
      return false;
    }
  }
  return !files.empty();
}

/// A transfer being received.
struct Record {
  TransferId id = 0;
  std::string fromName;
  std::string directory;
  bool overwrite = false;
  unsigned number = 1;
  std::vector<OfferedFile> files;
};

std::string recordText(const Record& r) {
  return std::string(kIncomingHeader) + "\nfrom " + hexOf(r.fromName) + "\ndirectory " + hexOf(r.directory) +
         "\noverwrite " + (r.overwrite ? "1" : "0") + "\nnumber " + std::to_string(r.number) + "\n" +
         fileLines(r.files);
}

std::optional<Record> parseRecord(TransferId id, std::istream& in) {
  Record r;
  r.id = id;
  const bool whole = readRecord(in, kIncomingHeader, r.files, [&](const std::string& word, const std::string& a) {
    if (word == "from") {
      r.fromName = textOf(a).value_or("");
    } else if (word == "directory") {
      auto d = textOf(a);
      if (!d) return false;
      r.directory = *d;
    } else if (word == "overwrite") {
      r.overwrite = a == "1";
    } else if (word == "number") {
      r.number = static_cast<unsigned>(std::strtoul(a.c_str(), nullptr, 10));
    }
    return true;
  });
  if (!whole || r.directory.empty()) return std::nullopt;
  return r;
}

/// An offer of this side's: enough to find its files again and tell whether they changed.
struct OfferRecord {
  TransferId id = 0;
  std::string path;  // absolute
  ClientId to = kNoClient;
  proto::FileHash hash{};
  std::vector<OfferedFile> files;
};

std::string offerRecordText(const OfferRecord& r) {
  return std::string(kOfferHeader) + "\npath " + hexOf(r.path) + "\nto " + std::to_string(r.to) + "\nhash " +
         hex(r.hash) + "\n" + fileLines(r.files);
}

std::optional<OfferRecord> parseOfferRecord(TransferId id, std::istream& in) {
  OfferRecord r;
  r.id = id;
  bool hashRead = false;
  const bool whole = readRecord(in, kOfferHeader, r.files, [&](const std::string& word, const std::string& a) {
    if (word == "path") {
      auto p = textOf(a);
      if (!p) return false;
      r.path = *p;
    } else if (word == "to") {
      r.to = static_cast<ClientId>(std::strtoul(a.c_str(), nullptr, 10));
    } else if (word == "hash") {
      hashRead = data_file::fromHex(a, r.hash);
      return hashRead;
    }
    return true;
  });
  if (!whole || !hashRead || r.path.empty()) return std::nullopt;
  return r;
}

/// Writes a record (on the disk thread); a failure costs only the taking up after a restart.
void writeRecord(const std::filesystem::path& path, const std::string& text, spdlog::logger& log,
                 TransferId id) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (std::string problem; !data_file::replaceFile(path, text, problem))
    log.warn("transfer {} will not be taken up after a restart: {}", id, problem);
}

void removeRecord(const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

void FileEndpoint::Meter::sample(std::uint64_t bytes, SteadyClock::time_point now) {
  if (lastTime == SteadyClock::time_point{}) {
    lastBytes = bytes;
    lastTime = now;
    return;
  }
  const double seconds = std::chrono::duration<double>(now - lastTime).count();
  if (seconds < 0.2) return;
  const double current = static_cast<double>(bytes - std::min(bytes, lastBytes)) / seconds;
  rate = rate == 0 ? current : 0.6 * rate + 0.4 * current;  // over the last second or two
  lastBytes = bytes;
  lastTime = now;
}

FileEndpoint::FileEndpoint(net::Loop& loop, Hooks hooks, std::shared_ptr<spdlog::logger> log)
    : loop_(loop), hooks_(std::move(hooks)), log_(std::move(log)) {}

FileEndpoint::~FileEndpoint() {
  if (progressTimer_) loop_.cancelTimer(progressTimer_);
}

FileEndpoint::Outgoing* FileEndpoint::outgoing(TransferId id) {
  auto tag = tags_.find(id);
  if (tag == tags_.end()) return nullptr;
  auto it = offers_.find(tag->second);
  return it == offers_.end() ? nullptr : &it->second;
}

void FileEndpoint::forgetOutgoing(TransferId id) {
  auto tag = tags_.find(id);
  if (tag == tags_.end()) return;
  offers_.erase(tag->second);
  tags_.erase(tag);
  forgetRecord(id, true);
}

// ---- offering ------------------------------------------------------------------------------

void FileEndpoint::offer(const SendFileCommand& command) {
  const std::uint32_t tag = nextTag_++;
  Outgoing& out = offers_[tag];
  out.tag = tag;
  out.to = command.to;
  out.path = command.path;
  // Listed and hashed before it is offered, off the loop: what every recipient checks is
  // known before anyone accepts, and a file changed after that arrives as a hash mismatch.
  hasher_.post([weak = weak_from_this(), &loop = loop_, tag, path = command.path] {
    std::string error;
    std::shared_ptr<files::OfferReader> reader;
    std::optional<proto::FileHash> hash;
    if (auto listing = files::list(pathOf(path), error)) {
      reader = std::make_shared<files::OfferReader>(std::move(*listing));
      hash = reader->hashAll(error);
    }
    loop.post([weak, tag, reader = std::move(reader), hash, error = std::move(error)]() mutable {
      auto self = weak.lock();
      if (!self) return;
      if (!hash) {
        self->offers_.erase(tag);
        self->hooks_.emit(ErrorEvent{ErrorCode::FileUnreadable, error});
        return;
      }
      self->ready(tag, std::move(reader), *hash);
    });
  });
}

void FileEndpoint::ready(std::uint32_t tag, std::shared_ptr<files::OfferReader> reader,
                         const proto::FileHash& hash) {
  auto it = offers_.find(tag);
  if (it == offers_.end()) return;
  const auto& listing = reader->listing();
  std::size_t listBytes = 0;
  for (const auto& f : listing.files) listBytes += proto::offerListBytes(f);
  if (listBytes > proto::kMaxOfferListBytes) {
    offers_.erase(it);
    hooks_.emit(ErrorEvent{ErrorCode::FileUnreadable,
                           "the folder's list of files is too long to offer at once: send it as an archive"});
    return;
  }
  if (!linkUp_) {
    offers_.erase(it);
    hooks_.emit(ErrorEvent{ErrorCode::NotConnected, "not connected to the room: offer it again once back"});
    return;
  }
  Outgoing& out = it->second;
  out.reader = std::move(reader);
  out.total = listing.total;
  out.hash = hash;
  hooks_.send(proto::Offer{tag, out.to, out.reader->listing().files}, false);
}

void FileEndpoint::onOffered(proto::Offered&& offered) {
  FileOfferEvent e = offerEvent(offered.transfer, offered.files);
  e.from = offered.from;
  e.fromName = hooks_.nameOf(offered.from);
  e.to = offered.to;
  e.time = TimePoint(std::chrono::milliseconds(offered.timeMs));
  if (offered.tag != 0) {
    auto it = offers_.find(offered.tag);
    if (it == offers_.end() || it->second.id != 0) return;
    Outgoing& out = it->second;
    out.id = offered.transfer;
    tags_[out.id] = out.tag;
    noteOffer(out);
    e.outgoing = true;
    hooks_.emit(std::move(e));
    return;
  }
  if (incoming_.size() >= kMaxIncoming || incoming_.contains(offered.transfer)) {
    hooks_.send(proto::Decline{offered.transfer}, false);
    return;
  }
  Incoming& in = incoming_[offered.transfer];
  in.from = offered.from;
  in.fromName = e.fromName;
  in.total = e.size;
  in.files = std::move(offered.files);
  hooks_.emit(std::move(e));
}

void FileEndpoint::onRefused(const proto::OfferRefused& refused) {
  auto it = offers_.find(refused.tag);
  if (it == offers_.end() || it->second.id != 0) return;
  offers_.erase(it);
  hooks_.emit(ErrorEvent{refusalCode(refused.outcome), refused.detail});
}

// ---- sending -------------------------------------------------------------------------------

void FileEndpoint::onStart(const proto::Start& start) {
  Outgoing* out = outgoing(start.transfer);
  if (!out) return;
  if (start.offset > out->total) return;
  OutStream& s = out->streams[start.receiver];
  ++s.run;
  s.position = s.acked = start.offset;
  s.reading = 0;
  s.started = true;
  s.peerAway = false;
  s.endSent = false;
  s.meter.changed = true;
  progress(start.transfer, *out, start.receiver, s);
  scheduleProgress();
  pump(start.transfer, start.receiver);
}

void FileEndpoint::pump(TransferId id, ClientId recipient) {
  Outgoing* out = outgoing(id);
  if (!out || !out->reader || out->paused || !linkUp_) return;
  auto it = out->streams.find(recipient);
  if (it == out->streams.end()) return;
  OutStream& s = it->second;
  if (!s.started || s.paused || s.peerAway) return;
  while (s.position < out->total && s.reading < kReadAhead && s.position - s.acked < proto::kFileWindow) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(
        {proto::kFileChunk, out->total - s.position, proto::kFileWindow - (s.position - s.acked)}));
    const std::uint64_t offset = s.position;
    s.position += n;
    ++s.reading;
    disk_.post([weak = weak_from_this(), &loop = loop_, reader = out->reader, id, recipient,
                run = s.run, offset, n] {
      net::Bytes data(n);
      std::string error;
      const auto got = reader->read(offset, data, error);
      if (got && *got != n) error = "a file is shorter than when it was offered";
      const bool ok = got && *got == n;
      loop.post([weak, id, recipient, run, offset, ok, data = std::move(data),
                 error = std::move(error)]() mutable {
        auto self = weak.lock();
        if (!self) return;
        Outgoing* o = self->outgoing(id);
        if (!o) return;
        auto stream = o->streams.find(recipient);
        if (stream == o->streams.end() || stream->second.run != run) return;  // restarted meanwhile
        if (!ok) {
          self->failOutgoing(id, kNoClient, TransferFailure::ReadFailed, error);
          return;
        }
        --stream->second.reading;
        self->hooks_.send(proto::Chunk{id, recipient, offset, std::move(data)}, true);
        self->pump(id, recipient);
      });
    });
  }
  if (s.position == out->total && s.reading == 0 && !s.endSent) {
    s.endSent = true;
    hooks_.send(proto::ChunksEnd{id, recipient, out->hash}, true);  // behind the last chunk
  }
}

void FileEndpoint::onAcked(const proto::Acked& acked) {
  Outgoing* out = outgoing(acked.transfer);
  if (!out) return;
  auto it = out->streams.find(acked.receiver);
  if (it == out->streams.end() || acked.offset <= it->second.acked || acked.offset > it->second.position)
    return;
  it->second.acked = acked.offset;
  it->second.meter.changed = true;
  pump(acked.transfer, acked.receiver);
}

void FileEndpoint::failOutgoing(TransferId id, ClientId peer, TransferFailure why,
                                std::string detail) {
  Outgoing* out = outgoing(id);
  if (!out) return;
  hooks_.send(proto::CancelTransfer{id, peer}, false);
  if (peer == kNoClient) {
    hooks_.emit(FileFailedEvent{id, true, kNoClient, why, std::move(detail)});
    forgetOutgoing(id);  // the host's word that it is over changes nothing now
  } else {
    out->streams.erase(peer);
    hooks_.emit(FileFailedEvent{id, true, peer, why, std::move(detail)});
  }
}

// ---- receiving -----------------------------------------------------------------------------

void FileEndpoint::accept(const AcceptFileCommand& command) {
  auto it = incoming_.find(command.id);
  if (it == incoming_.end() || it->second.state != InState::Offered) {
    hooks_.emit(ErrorEvent{ErrorCode::UnknownTransfer, "no offer waits with that number"});
    return;
  }
  it->second.state = InState::Opening;
  Record record{command.id, it->second.fromName, command.directory, command.overwrite, 1, it->second.files};
  disk_.post([weak = weak_from_this(), &loop = loop_, log = log_, id = command.id, record = std::move(record),
              path = recordOf(command.id, false)]() mutable {
    std::string error;
    std::shared_ptr<files::OfferWriter> writer =
        files::OfferWriter::open(pathOf(record.directory), record.files, record.overwrite, error);
    if (writer && !path.empty()) {
      // Noted, so that this program stopped in the middle takes it up again next time.
      record.number = writer->number();
      writeRecord(path, recordText(record), *log, id);
    }
    loop.post([weak, id, writer = std::move(writer), error = std::move(error)]() mutable {
      auto self = weak.lock();
      if (!self) return;
      auto found = self->incoming_.find(id);
      if (found == self->incoming_.end()) return;  // ended meanwhile; the writer removes its part
      if (!writer) {
        self->failIncoming(id, TransferFailure::WriteFailed, std::move(error), true);
        return;
      }
      Incoming& in = found->second;
      in.writer = std::move(writer);
      in.state = InState::Running;
      in.meter.changed = true;
      self->hooks_.send(proto::Accept{id, 0}, false);
      self->progress(id, in);
      self->scheduleProgress();
    });
  });
}

void FileEndpoint::decline(const DeclineFileCommand& command) {
  auto it = incoming_.find(command.id);
  if (it == incoming_.end() || it->second.state != InState::Offered) {
    hooks_.emit(ErrorEvent{ErrorCode::UnknownTransfer, "no offer waits with that number"});
    return;
  }
  incoming_.erase(it);
  hooks_.send(proto::Decline{command.id}, false);
  hooks_.emit(FileFailedEvent{command.id, false, kNoClient, TransferFailure::Declined, {}});
}

void FileEndpoint::onData(proto::Data&& data) {
  auto it = incoming_.find(data.transfer);
  if (it == incoming_.end() || it->second.state != InState::Running) return;
  Incoming& in = it->second;
  const std::uint64_t end = data.offset + data.data.size();
  if (end <= in.expected) {  // a restarted stream's overlap: had it, and says so
    acknowledge(data.transfer, in, true);
    return;
  }
  if (data.offset > in.expected || end > in.total) {
    // A gap (something was lost on the way): ask again from where the data ends.
    hooks_.send(proto::Accept{data.transfer, in.expected}, false);
    return;
  }
  net::Bytes bytes = std::move(data.data);
  if (data.offset < in.expected)
    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(in.expected - data.offset));
  in.expected = end;
  disk_.post([weak = weak_from_this(), &loop = loop_, writer = in.writer, id = data.transfer,
              bytes = std::move(bytes)] {
    std::string error;
    const bool ok = writer->write(bytes, error);
    loop.post([weak, id, n = bytes.size(), ok, error = std::move(error)]() mutable {
      if (auto self = weak.lock()) self->written(id, n, ok, std::move(error));
    });
  });
  acknowledge(data.transfer, in);
}

void FileEndpoint::acknowledge(TransferId id, Incoming& in, bool again) {
  if (in.paused || !linkUp_) return;
  const std::uint64_t upTo = std::min(in.expected, in.written + kDiskAhead);
  if ((upTo > in.acked && (upTo - in.acked >= kAckEvery || upTo == in.total)) || (again && upTo > 0)) {
    in.acked = std::max(in.acked, upTo);
    hooks_.send(proto::Ack{id, upTo}, false);
  }
}

void FileEndpoint::written(TransferId id, std::size_t bytes, bool ok, std::string error) {
  auto it = incoming_.find(id);
  if (it == incoming_.end()) return;
  if (!ok) {
    failIncoming(id, TransferFailure::WriteFailed, std::move(error), true);
    return;
  }
  Incoming& in = it->second;
  in.written += bytes;
  in.meter.changed = true;
  acknowledge(id, in);
}

void FileEndpoint::onDataEnd(const proto::DataEnd& end) {
  auto it = incoming_.find(end.transfer);
  if (it == incoming_.end() || it->second.state != InState::Running) return;
  Incoming& in = it->second;
  if (in.expected != in.total) {
    hooks_.send(proto::Accept{end.transfer, in.expected}, false);
    return;
  }
  in.state = InState::Checking;
  in.meter.changed = true;
  progress(end.transfer, in);
  // Behind the writes already posted: the disk thread runs its tasks in order.
  disk_.post([weak = weak_from_this(), &loop = loop_, writer = in.writer, id = end.transfer,
              hash = end.hash, size = in.total] {
    std::string error;
    const auto result = writer->finish(hash, error);
    const std::string path = utf8Of(writer->finalPath());
    loop.post([weak, id, result, path, hash, size, error = std::move(error)]() mutable {
      auto self = weak.lock();
      if (!self || !self->incoming_.contains(id)) return;
      using Finish = files::OfferWriter::Finish;
      if (result == Finish::Done) {
        const ClientId from = self->incoming_.at(id).from;
        self->incoming_.erase(id);
        self->forgetRecord(id, false);
        self->hooks_.send(proto::Received{id, {}, {}}, false);
        self->hooks_.emit(FileDoneEvent{id, false, from, path, size, hex(hash)});
        return;
      }
      self->failIncoming(id, result == Finish::HashMismatch ? TransferFailure::HashMismatch
                                                            : TransferFailure::WriteFailed,
                         std::move(error), true);
    });
  });
}

void FileEndpoint::failIncoming(TransferId id, TransferFailure why, std::string detail,
                                bool tellHost) {
  auto it = incoming_.find(id);
  if (it == incoming_.end()) return;
  const ClientId from = it->second.from;
  if (auto writer = std::move(it->second.writer))
    disk_.post([writer] { writer->discard(); });  // behind its writes
  incoming_.erase(it);
  forgetRecord(id, false);
  if (tellHost) hooks_.send(proto::Received{id, {why}, detail}, false);
  hooks_.emit(FileFailedEvent{id, false, from, why, std::move(detail)});
}

std::filesystem::path FileEndpoint::recordOf(TransferId id, bool outgoing) const {
  if (hooks_.records.empty()) return {};
  return hooks_.records / (std::to_string(id) + std::string(outgoing ? kOfferSuffix : kIncomingSuffix));
}

void FileEndpoint::forgetRecord(TransferId id, bool outgoing) {
  if (hooks_.records.empty()) return;
  disk_.post([path = recordOf(id, outgoing)] { removeRecord(path); });
}

void FileEndpoint::noteOffer(const Outgoing& out) {
  if (hooks_.records.empty() || !out.reader) return;
  // Absolute: a program started again elsewhere finds the files all the same.
  std::error_code ec;
  auto absolute = std::filesystem::absolute(pathOf(out.path), ec);
  OfferRecord record{out.id, ec ? out.path : utf8Of(absolute), out.to, out.hash, out.reader->listing().files};
  disk_.post([log = log_, path = recordOf(out.id, true), text = offerRecordText(record), id = out.id] {
    writeRecord(path, text, *log, id);
  });
}

void FileEndpoint::claim(Outgoing& out) {
  if (!linkUp_) return;  // linkUp claims it
  out.claimed = true;
  hooks_.send(proto::Reclaim{out.id}, false);
}

void FileEndpoint::retakeOffer(Outgoing&& offer, std::vector<OfferedFile>&& files) {
  // Listed and hashed again: files changed while the program was away are not sent.
  hasher_.post([weak = weak_from_this(), &loop = loop_, offer = std::move(offer), files = std::move(files)]() mutable {
    std::string error;
    std::shared_ptr<files::OfferReader> reader;
    if (auto listing = files::list(pathOf(offer.path), error)) {
      reader = std::make_shared<files::OfferReader>(std::move(*listing));
      const auto hash = reader->hashAll(error);
      if (!hash || *hash != offer.hash || reader->listing().files != files) {
        if (hash) error = offer.path + " changed since it was offered: offer it again";
        reader.reset();
      }
    }
    loop.post([weak, offer = std::move(offer), files = std::move(files), reader = std::move(reader),
               error = std::move(error)]() mutable {
      auto self = weak.lock();
      if (!self || self->tags_.contains(offer.id)) return;
      offer.tag = self->nextTag_++;
      FileOfferEvent e = offerEvent(offer.id, std::move(files));
      e.outgoing = true;
      e.resumed = true;
      e.from = self->hooks_.self ? self->hooks_.self() : kNoClient;
      e.fromName = self->hooks_.nameOf(e.from);
      e.to = offer.to;
      e.time = std::chrono::system_clock::now();
      offer.total = e.size;
      const TransferId id = offer.id;
      self->tags_[id] = offer.tag;
      Outgoing& out = self->offers_[offer.tag] = std::move(offer);
      self->hooks_.emit(std::move(e));
      self->claim(out);  // the host gives it back (its recipients go on) or says it ended
      if (reader)
        out.reader = std::move(reader);
      else
        self->failOutgoing(id, kNoClient, TransferFailure::ReadFailed, std::move(error));
    });
  });
}

void FileEndpoint::resumeRecorded() {
  if (hooks_.records.empty()) return;
  disk_.post([weak = weak_from_this(), &loop = loop_, folder = hooks_.records] {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      const auto name = entry.path().filename().string();
      TransferId id = 0;
      const auto [end, parsed] = std::from_chars(name.data(), name.data() + name.size(), id);
      if (parsed != std::errc{}) continue;
      const std::string_view suffix(end);
      if (suffix == kOfferSuffix) {
        std::ifstream file(entry.path(), std::ios::binary);
        std::optional<OfferRecord> record = parseOfferRecord(id, file);
        file.close();
        if (!record) {
          removeRecord(entry.path());
          continue;
        }
        Outgoing out;
        out.id = record->id;
        out.to = record->to;
        out.path = std::move(record->path);
        out.hash = record->hash;
        out.claimed = false;
        loop.post([weak, out = std::move(out), files = std::move(record->files)]() mutable {
          if (auto self = weak.lock()) self->retakeOffer(std::move(out), std::move(files));
        });
        continue;
      }
      if (suffix != kIncomingSuffix) continue;
      std::ifstream file(entry.path(), std::ios::binary);
      std::optional<Record> record = parseRecord(id, file);
      file.close();
      std::string error;
      std::shared_ptr<files::OfferWriter> writer;
      if (record)
        writer = files::OfferWriter::resume(pathOf(record->directory), record->files, record->overwrite,
                                            record->number, error);
      if (!writer) {
        removeRecord(entry.path());
        continue;
      }
      loop.post([weak, record = std::move(*record), writer = std::move(writer)]() mutable {
        auto self = weak.lock();
        if (!self || self->incoming_.contains(record.id)) return;
        Incoming& in = self->incoming_[record.id];
        in.fromName = record.fromName;
        in.files = record.files;
        in.state = InState::Running;
        in.expected = in.written = writer->position();
        in.writer = std::move(writer);
        FileOfferEvent e = offerEvent(record.id, std::move(record.files));
        in.total = e.size;
        e.fromName = record.fromName;
        e.time = std::chrono::system_clock::now();
        e.resumed = true;
        self->hooks_.emit(std::move(e));
        self->hooks_.send(proto::Accept{record.id, in.expected}, false);
        self->progress(record.id, in);
        self->scheduleProgress();
      });
    }
  });
}

// ---- either side ---------------------------------------------------------------------------

void FileEndpoint::cancel(const CancelFileCommand& command) {
  if (incoming_.contains(command.id)) {
    const bool offered = incoming_.at(command.id).state == InState::Offered;
    failIncoming(command.id, TransferFailure::Cancelled, {}, false);
    if (offered) hooks_.send(proto::Decline{command.id}, false);
    else hooks_.send(proto::CancelTransfer{command.id, kNoClient}, false);
    return;
  }
  if (!outgoing(command.id)) {
    hooks_.emit(ErrorEvent{ErrorCode::UnknownTransfer, "no transfer with that number"});
    return;
  }
  failOutgoing(command.id, command.peer, TransferFailure::Cancelled, {});
}

void FileEndpoint::pause(const PauseFileCommand& command) {
  if (auto it = incoming_.find(command.id); it != incoming_.end()) {
    Incoming& in = it->second;
    if (in.paused == command.paused) return;
    in.paused = command.paused;
    in.meter.changed = true;
    // Without acknowledgements the sender stops at its window; with one it goes on.
    if (in.state == InState::Running) acknowledge(command.id, in, true);
    progress(command.id, in);
    return;
  }
  Outgoing* out = outgoing(command.id);
  if (!out) {
    hooks_.emit(ErrorEvent{ErrorCode::UnknownTransfer, "no transfer with that number"});
    return;
  }
  std::vector<ClientId> changed;  // the copies whose state this changes
  if (command.peer == kNoClient) {  // every copy, and any that starts later
    out->paused = command.paused;
    for (auto& [r, s] : out->streams) {
      s.paused = false;
      changed.push_back(r);
    }
  } else {
    auto one = out->streams.find(command.peer);
    if (one == out->streams.end()) {
      hooks_.emit(ErrorEvent{ErrorCode::UnknownTransfer, "that person is not receiving this transfer"});
      return;
    }
    if (out->paused && !command.paused) {  // resuming one copy of a paused offer: only that one
      out->paused = false;
      for (auto& [r, s] : out->streams) s.paused = true;
    }
    one->second.paused = command.paused;
    changed.push_back(command.peer);
  }
  for (ClientId r : changed) {
    OutStream& s = out->streams.at(r);
    s.meter.changed = true;
    progress(command.id, *out, r, s);
  }
  if (!command.paused)
    for (ClientId r : changed) pump(command.id, r);
}

void FileEndpoint::onEnded(const proto::TransferEnded& ended) {
  if (incoming_.contains(ended.transfer)) {
    failIncoming(ended.transfer, ended.outcome.failure.value_or(TransferFailure::ProtocolError),
                 ended.detail.empty() ? "the sender ended it" : ended.detail, false);
    return;
  }
  Outgoing* out = outgoing(ended.transfer);
  if (!out) return;
  if (ended.peer == kNoClient) {  // nobody will ask for it again
    if (ended.outcome.failure)  // it ended while this side was away
      hooks_.emit(FileFailedEvent{ended.transfer, true, kNoClient, *ended.outcome.failure, ended.detail});
    forgetOutgoing(ended.transfer);
    return;
  }
  out->streams.erase(ended.peer);
  if (!ended.outcome.failure) {
    hooks_.emit(FileDoneEvent{ended.transfer, true, ended.peer, out->path, out->total,
                              hex(out->hash)});
  } else {
    hooks_.emit(FileFailedEvent{ended.transfer, true, ended.peer, *ended.outcome.failure, ended.detail});
  }
}

void FileEndpoint::onPaused(const proto::TransferPaused& paused) {
  if (auto it = incoming_.find(paused.transfer); it != incoming_.end()) {
    Incoming& in = it->second;
    in.peerAway = paused.paused;
    in.meter.changed = true;
    // Back: from where the data ends (what was on its way when the link dropped is lost).
    if (!paused.paused && in.state == InState::Running)
      hooks_.send(proto::Accept{paused.transfer, in.expected}, false);
    progress(paused.transfer, in);
    return;
  }
  Outgoing* out = outgoing(paused.transfer);
  if (!out) return;
  auto it = out->streams.find(paused.peer);
  if (it == out->streams.end()) return;
  // Away: stop; back: wait for the recipient's new Start.
  it->second.peerAway = paused.paused;
  it->second.started = false;
  ++it->second.run;
  it->second.meter.changed = true;
  progress(paused.transfer, *out, paused.peer, it->second);
}

bool FileEndpoint::onMessage(proto::HostMessage& message) {
  return std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, proto::Offered>) onOffered(std::move(m));
        else if constexpr (std::is_same_v<M, proto::OfferRefused>) onRefused(m);
        else if constexpr (std::is_same_v<M, proto::Start>) onStart(m);
        else if constexpr (std::is_same_v<M, proto::Data>) onData(std::move(m));
        else if constexpr (std::is_same_v<M, proto::Acked>) onAcked(m);
        else if constexpr (std::is_same_v<M, proto::DataEnd>) onDataEnd(m);
        else if constexpr (std::is_same_v<M, proto::TransferEnded>) onEnded(m);
        else if constexpr (std::is_same_v<M, proto::TransferPaused>) onPaused(m);
        else return false;
        return true;
      },
      message);
}

void FileEndpoint::linkDown() {
  linkUp_ = false;
  for (auto& [tag, out] : offers_) {
    for (auto& [r, s] : out.streams) {
      s.started = false;  // the host asks again (Start) once the link is back
      ++s.run;
      s.meter.changed = true;
      if (out.id) progress(out.id, out, r, s);
    }
  }
  for (auto& [id, in] : incoming_) {
    in.meter.changed = true;
    progress(id, in);
  }
}

void FileEndpoint::linkUp(bool resumed) {
  linkUp_ = true;
  // A new session: the host knows this side by its key. This side's offers are reclaimed (the
  // host gives them back, or says they ended), as are those taken up from their records while
  // the link was down.
  for (auto& [tag, out] : offers_)
    if (out.id && (!resumed || !out.claimed)) claim(out);
  if (!resumed) {
    // Offers to this side not yet accepted ended with the old session; copies under way go on
    // (below).
    std::vector<TransferId> ended;
    for (const auto& [id, in] : incoming_)
      if (in.state == InState::Offered || in.state == InState::Opening) ended.push_back(id);
    for (auto id : ended) failIncoming(id, TransferFailure::SessionEnded, {}, false);
  }
  // Offers that were on their way when the link dropped were lost with it.
  std::erase_if(offers_, [&](const auto& entry) {
    if (entry.second.id != 0) return false;
    hooks_.emit(ErrorEvent{ErrorCode::ConnectionLost, "the link dropped before the room had the offer of " +
                                                          entry.second.path + ": offer it again"});
    return true;
  });
  for (auto& [id, in] : incoming_) {
    if (in.state == InState::Running && (!in.peerAway || !resumed)) {
      in.peerAway = false;
      hooks_.send(proto::Accept{id, in.expected}, false);
    }
    in.meter.changed = true;
    progress(id, in);
  }
}

void FileEndpoint::end() {
  for (auto& [tag, out] : offers_) {
    if (!out.id) continue;
    hooks_.emit(FileFailedEvent{out.id, true, kNoClient, TransferFailure::SessionEnded, {}});
    forgetRecord(out.id, true);
  }
  offers_.clear();
  tags_.clear();
  std::vector<TransferId> ids;
  for (const auto& [id, in] : incoming_) ids.push_back(id);
  for (auto id : ids) failIncoming(id, TransferFailure::SessionEnded, {}, false);
}

// ---- progress ------------------------------------------------------------------------------

void FileEndpoint::progress(TransferId id, const Incoming& in) {
  FileProgressEvent e;
  e.id = id;
  e.peer = in.from;
  e.state = in.state == InState::Checking          ? TransferState::Checking
            : in.paused || in.peerAway || !linkUp_ ? TransferState::Paused
            : in.state == InState::Running         ? TransferState::Running
                                                   : TransferState::Waiting;
  e.done = in.state == InState::Checking ? in.total : in.written;  // all in; being checked
  e.size = in.total;
  e.bytesPerSecond = e.state == TransferState::Running ? in.meter.rate : 0;
  hooks_.emit(e);
}

void FileEndpoint::progress(TransferId id, const Outgoing& out, ClientId peer, const OutStream& s) {
  FileProgressEvent e;
  e.id = id;
  e.outgoing = true;
  e.peer = peer;
  e.state = out.paused || s.paused || s.peerAway || !linkUp_ ? TransferState::Paused
            : s.started                                       ? TransferState::Running
                                                              : TransferState::Waiting;
  e.done = s.acked;
  e.size = out.total;
  e.bytesPerSecond = e.state == TransferState::Running ? s.meter.rate : 0;
  hooks_.emit(e);
}

void FileEndpoint::scheduleProgress() {
  if (progressTimer_) return;
  progressTimer_ = loop_.runAfter(kProgressEvery, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self) return;
    self->progressTimer_ = 0;
    const auto now = SteadyClock::now();
    bool running = false;
    for (auto& [id, in] : self->incoming_) {
      if (in.state != InState::Running && in.state != InState::Checking) continue;
      running = true;
      in.meter.sample(in.written, now);
      if (std::exchange(in.meter.changed, false)) self->progress(id, in);
    }
    for (auto& [tag, out] : self->offers_) {
      for (auto& [r, s] : out.streams) {
        if (!s.started) continue;
        running = true;
        s.meter.sample(s.acked, now);
        if (std::exchange(s.meter.changed, false)) self->progress(out.id, out, r, s);
      }
    }
    if (running) self->scheduleProgress();
  });
}

}  // namespace chatport::chat
