#include "file_store.h"

#include "data_file.h"
#include "name_rules.h"
#include "utf8.h"

#include <chatport/noise/crypto_library.h>

#include <gcrypt.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace chatport::chat::files {
namespace fs = std::filesystem;
using data_file::pathOf;
using data_file::utf8Of;

namespace {

// Linux's NAME_MAX and NTFS's 255 UTF-16 units (a UTF-8 byte never stands for more than one).
constexpr std::size_t kMaxPartBytes = 255;
// Beyond this, what follows the last dot is not an extension worth keeping whole.
constexpr std::size_t kMaxExtensionBytes = 32;
constexpr std::string_view kPartSuffix = ".chatport-part";
// " (2)" ... " (9999)": past that the folder is full of copies of one name.
constexpr unsigned kMaxCopies = 9999;
constexpr std::size_t kReadBlock = std::size_t{1} << 20;
// A received file is started on its way to the disk each time this much more of it is written:
// its sync() before the rename then waits for the last few MiB, not for the whole file.
constexpr std::uint64_t kWriteBackEvery = 8 << 20;

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// What follows the last dot (not a leading one), if it is short enough to be an extension.
std::size_t extensionStart(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || name.size() - dot > kMaxExtensionBytes) return name.size();
  return dot;
}

void trimTrailingDotsAndSpaces(std::string& part) {
  while (!part.empty() && (part.back() == '.' || part.back() == ' ')) part.pop_back();
  if (part.empty()) part = "_";
}

/// name cut to limit bytes at a UTF-8 boundary, its extension kept.
std::string cutName(std::string_view name, std::size_t limit) {
  if (name.size() <= limit) return std::string(name);
  const std::size_t ext = extensionStart(name);
  const std::string_view extension = name.substr(ext);
  std::size_t keep = limit - extension.size();
  while (keep > 0 && isContinuationByte(name[keep])) --keep;
  std::string cut(name.substr(0, keep));
  if (extension.empty()) trimTrailingDotsAndSpaces(cut);
  return cut.append(extension);
}

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

/// Windows opens a device, not a file, for these names, with or without an extension (and
/// with spaces before the dot).
bool isDeviceName(std::string_view part) {
  std::string_view stem = part.substr(0, part.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  for (std::string_view device : {"con", "prn", "aux", "nul"})
    if (equalsIgnoringAsciiCase(stem, device)) return true;
  for (std::string_view device : {"com", "lpt"}) {
    if (stem.size() < 4 || !equalsIgnoringAsciiCase(stem.substr(0, 3), device)) continue;
    const std::string_view number = stem.substr(3);
    // COM1-9 and LPT1-9, and (Windows counts them as digits) the superscripts 1, 2 and 3.
    if (number.size() == 1 && number[0] >= '1' && number[0] <= '9') return true;
    if (number == "\xC2\xB9" || number == "\xC2\xB2" || number == "\xC2\xB3") return true;
  }
  return false;
}

std::string safePart(std::string_view raw) {
  std::string part(raw);
  for (char& c : part) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || std::strchr("\\<>:\"|?*", c)) c = '_';
  }
  if (part == ".") return "_";
  if (part == "..") return "__";
  part = cutName(part, kMaxPartBytes);
  trimTrailingDotsAndSpaces(part);
  if (isDeviceName(part)) part = cutName("_" + part, kMaxPartBytes);
  return part;
}

/// The offer's name with " (n)" before its extension (n > 1; a folder's name has none), short
/// enough to take kPartSuffix too.
std::string numberedName(std::string_view name, unsigned n, bool folder) {
  const std::size_t ext = folder ? name.size() : extensionStart(name);
  const std::string suffix = n > 1 ? " (" + std::to_string(n) + ")" : "";
  const std::size_t limit = kMaxPartBytes - kPartSuffix.size() - suffix.size();
  std::string stem = cutName(name.substr(0, ext), limit - (name.size() - ext));
  return stem + suffix + std::string(name.substr(ext));
}

/// base with a '/'-separated UTF-8 path under it, in the system's separators (so that a message
/// shows one kind).
fs::path under(const fs::path& base, std::string_view relative) {
  return (base / pathOf(relative)).make_preferred();
}

std::string genericUtf8(const fs::path& path) {
  const std::u8string s = path.generic_u8string();
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

std::string describe(const fs::path& path, const std::error_code& ec) {
  if (ec == std::errc::no_such_file_or_directory) return utf8Of(path) + ": no such file or folder";
  return utf8Of(path) + ": " + ec.message();
}

/// The path with each '/'-separated part case-folded: two paths one system could confuse.
std::string foldedPath(std::string_view path) {
  std::string folded;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    folded += detail::foldName(path.substr(start, slash - start));
    if (slash == std::string_view::npos) return folded;
    folded += '/';
    start = slash + 1;
  }
}

}  // namespace

std::string toHex(const Hash& hash) { return data_file::toHex(hash); }

// ---- Hasher

Hasher::Hasher() {
  gcry_md_hd_t handle = nullptr;
  // libgcrypt 1.9 or later is what the build links; without it nothing can be checked, and a
  // hash that silently came out as zeros would let anything through.
  if (!noise::cryptoLibraryReady() || gcry_md_open(&handle, GCRY_MD_SHA256, 0) != 0)
    throw std::runtime_error("libgcrypt cannot compute SHA-256");
  handle_ = handle;
}

Hasher::~Hasher() {
  if (handle_) gcry_md_close(static_cast<gcry_md_hd_t>(handle_));
}

Hasher::Hasher(Hasher&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

Hasher& Hasher::operator=(Hasher&& other) noexcept {
  if (this != &other) {
    if (handle_) gcry_md_close(static_cast<gcry_md_hd_t>(handle_));
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

void Hasher::update(std::span<const std::byte> data) {
  gcry_md_write(static_cast<gcry_md_hd_t>(handle_), data.data(), data.size());
}

Hash Hasher::finish() {
  const auto handle = static_cast<gcry_md_hd_t>(handle_);
  Hash hash{};
  std::memcpy(hash.data(), gcry_md_read(handle, GCRY_MD_SHA256), hash.size());
  gcry_md_reset(handle);
  return hash;
}

// ---- names

std::optional<std::string> safeRelativePath(std::string_view path) {
  if (!detail::isValidUtf8(path)) return std::nullopt;
  std::string safe;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) {
      if (!safe.empty()) safe += '/';
      safe += safePart(path.substr(start, slash - start));
      if (safe.size() > kMaxPathBytes) return std::nullopt;
    }
    start = slash + 1;
  }
  if (safe.empty()) return std::nullopt;
  return safe;
}

// ---- listing

std::optional<Listing> list(const fs::path& path, std::string& error) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  if (ec) {
    error = describe(path, ec);
    return std::nullopt;
  }
  if (!absolute.has_filename()) absolute = absolute.parent_path();  // "/x/y/"
  const fs::file_status status = fs::status(absolute, ec);
  if (ec || !fs::exists(status)) {
    error = describe(absolute, ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
    return std::nullopt;
  }
  const std::string name = utf8Of(absolute.filename());
  auto refuseName = [&](const fs::path& file) {
    error = utf8Of(file) +
            ": this name cannot be sent as it is (a character or name that Windows or Linux refuses, or "
            "too long): rename it";
    return std::nullopt;
  };
  if (name.empty() || safeRelativePath(name) != name) return refuseName(absolute);

  Listing listing;
  listing.base = absolute.parent_path();
  if (fs::is_regular_file(status)) {
    const std::uint64_t size = fs::file_size(absolute, ec);
    if (ec) {
      error = describe(absolute, ec);
      return std::nullopt;
    }
    listing.files.push_back({name, size});
    listing.total = size;
    return listing;
  }
  if (!fs::is_directory(status)) {
    error = utf8Of(absolute) + ": not a file or folder (only files and folders can be sent)";
    return std::nullopt;
  }

  listing.folder = true;
  // Symbolic links to folders are not followed (the iterator's default), nor offered.
  fs::recursive_directory_iterator it(absolute, fs::directory_options::none, ec);
  fs::path last = absolute;  // an error while stepping on is most likely entering this one
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    last = entry.path();
    const fs::file_status entryStatus = entry.symlink_status(ec);
    if (ec) break;
    if (!fs::is_regular_file(entryStatus)) continue;  // folders (walked), links, devices, pipes
    if (listing.files.size() == kMaxOfferFiles) {
      error = utf8Of(absolute) + ": the folder has more than " + std::to_string(kMaxOfferFiles) +
              " files: send it as an archive";
      return std::nullopt;
    }
    const std::string relative = name + "/" + genericUtf8(entry.path().lexically_relative(absolute));
    if (safeRelativePath(relative) != relative) return refuseName(entry.path());
    const std::uint64_t size = entry.file_size(ec);
    if (ec) {
      error = describe(entry.path(), ec);
      return std::nullopt;
    }
    listing.files.push_back({relative, size});
    listing.total += size;
  }
  if (ec) {
    error = describe(last, ec);
    return std::nullopt;
  }
  if (listing.files.empty()) {
    error = utf8Of(absolute) + ": the folder has no files to send";
    return std::nullopt;
  }
  std::sort(listing.files.begin(), listing.files.end(),
            [](const OfferedFile& a, const OfferedFile& b) { return a.path < b.path; });
  return listing;
}

// ---- reading

OfferReader::OfferReader(Listing listing) : listing_(std::move(listing)) {
  starts_.reserve(listing_.files.size());
  std::uint64_t offset = 0;
  for (const OfferedFile& file : listing_.files) {
    starts_.push_back(offset);
    offset += file.size;
  }
}

const Listing& OfferReader::listing() const noexcept { return listing_; }

bool OfferReader::openFile(std::size_t index, std::string& error) {
  if (file_.isOpen() && openIndex_ == index) return true;
  file_.close();
  const fs::path path = under(listing_.base, listing_.files[index].path);
  std::error_code ec;
  NativeFile file = NativeFile::openForReading(path, ec);
  const std::uint64_t size = ec ? 0 : file.size(ec);
  if (ec) {
    error = describe(path, ec);
    return false;
  }
  if (size != listing_.files[index].size) {
    error = utf8Of(path) + ": changed since it was offered (" + std::to_string(size) + " bytes, not " +
            std::to_string(listing_.files[index].size) + ")";
    return false;
  }
  file_ = std::move(file);
  openIndex_ = index;
  return true;
}

std::optional<std::size_t> OfferReader::read(std::uint64_t offset, std::span<std::byte> out, std::string& error) {
  if (offset > listing_.total) {
    error = "read at " + std::to_string(offset) + ", past the end of the offer (" + std::to_string(listing_.total) +
            " bytes)";
    return std::nullopt;
  }
  std::size_t done = 0;
  while (done < out.size() && offset + done < listing_.total) {
    const std::uint64_t at = offset + done;
    // The last file starting at or before at: zero-length files before it share its start.
    const std::size_t index =
        static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), at) - starts_.begin()) - 1;
    if (!openFile(index, error)) return std::nullopt;
    const std::uint64_t within = at - starts_[index];
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size() - done, listing_.files[index].size - within));
    std::error_code ec;
    const std::size_t got = file_.readAt(within, out.subspan(done, want), ec);
    if (ec || got < want) {
      const fs::path path = under(listing_.base, listing_.files[index].path);
      error = ec ? describe(path, ec) : utf8Of(path) + ": changed since it was offered (now shorter)";
      file_.close();
      return std::nullopt;
    }
    done += got;
  }
  return done;
}

std::optional<Hash> OfferReader::hashAll(std::string& error) {
  Hasher hasher;
  std::vector<std::byte> block(static_cast<std::size_t>(std::min<std::uint64_t>(kReadBlock, listing_.total)));
  for (std::uint64_t offset = 0; offset < listing_.total;) {
    const auto got = read(offset, block, error);
    if (!got) return std::nullopt;
    hasher.update(std::span(block).first(*got));
    offset += *got;
  }
  // Every file is opened once, so that a zero-length one that has gone is noticed too.
  for (std::size_t i = 0; i < listing_.files.size(); ++i)
    if (listing_.files[i].size == 0 && !openFile(i, error)) return std::nullopt;
  return hasher.finish();
}

// ---- writing

OfferWriter::OfferWriter(std::vector<OfferedFile> files, bool folder, bool overwrite)
    : files_(std::move(files)), folder_(folder), overwrite_(overwrite && !folder) {
  for (const OfferedFile& file : files_) size_ += file.size;
}

OfferWriter::~OfferWriter() { discard(); }

const fs::path& OfferWriter::finalPath() const noexcept { return finalPath_; }
std::uint64_t OfferWriter::position() const noexcept { return position_; }
std::uint64_t OfferWriter::size() const noexcept { return size_; }

bool OfferWriter::check(std::vector<OfferedFile>& files, bool& folder, std::string& name, std::string& error) {
  if (files.empty() || files.size() > kMaxOfferFiles) {
    error = "an offer holds 1 to " + std::to_string(kMaxOfferFiles) + " files, not " + std::to_string(files.size());
    return false;
  }
  std::uint64_t total = 0;
  std::set<std::string> folded;
  for (OfferedFile& file : files) {
    auto safe = safeRelativePath(file.path);
    if (!safe) {
      error = "the offer has a name that cannot be used (not UTF-8, or too long)";
      return false;
    }
    file.path = std::move(*safe);
    if (!folded.insert(foldedPath(file.path)).second) {
      error = "the offer names " + file.path + " twice";
      return false;
    }
    if (file.size > UINT64_MAX - total) {
      error = "the offer's sizes add up to more than a disk can hold";
      return false;
    }
    total += file.size;
  }
  // One file by itself, or a folder's: every path under the same first part, no file where
  // another's folder is.
  const std::string& first = files.front().path;
  folder = files.size() > 1 || first.find('/') != std::string::npos;
  name = first.substr(0, first.find('/'));
  for (const OfferedFile& file : files) {
    if (folder && (file.path.size() <= name.size() || file.path.compare(0, name.size() + 1, name + "/") != 0)) {
      error = "the offer's files are not all in one folder";
      return false;
    }
    const std::string key = foldedPath(file.path);
    for (std::size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
      if (folded.count(key.substr(0, slash))) {
        error = "the offer has " + file.path + " under a file";
        return false;
      }
    }
  }

  return true;
}

std::unique_ptr<OfferWriter> OfferWriter::open(const fs::path& directory, std::vector<OfferedFile> files,
                                               bool overwrite, std::string& error) {
  bool folder = false;
  std::string name;
  if (!check(files, folder, name, error)) return nullptr;
  std::uint64_t total = 0;
  for (const OfferedFile& file : files) total += file.size;
  std::unique_ptr<OfferWriter> writer(new OfferWriter(std::move(files), folder, overwrite));
  writer->directory_ = directory;
  writer->name_ = name;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) {
    error = utf8Of(directory) + ": cannot create the folder: " + ec.message();
    return nullptr;
  }
  // Refused now rather than when the disk fills: the same question the person would ask.
  const fs::space_info space = fs::space(directory, ec);
  if (!ec && space.available < total) {
    error = utf8Of(directory) + ": not enough free space (" + std::to_string(total) + " bytes needed, " +
            std::to_string(space.available) + " free)";
    return nullptr;
  }
  for (unsigned n = 1; n <= kMaxCopies; ++n) {
    switch (writer->tryCreate(n, error)) {
      case Created: return writer;
      case Taken: continue;
      case Failed: return nullptr;
    }
  }
  error = utf8Of(directory) + ": every name for " + name + " is taken";
  return nullptr;
}

std::unique_ptr<OfferWriter> OfferWriter::resume(const fs::path& directory, std::vector<OfferedFile> files,
                                                 bool overwrite, unsigned number, std::string& error) {
  bool folder = false;
  std::string name;
  if (!check(files, folder, name, error)) return nullptr;
  if (number < 1 || number > kMaxCopies) {
    error = "not a name this transfer could have taken";
    return nullptr;
  }
  std::unique_ptr<OfferWriter> writer(new OfferWriter(std::move(files), folder, overwrite));
  OfferWriter& w = *writer;
  w.directory_ = directory;
  w.name_ = name;
  w.number_ = number;
  const std::string numbered = numberedName(name, number, folder);
  w.finalPath_ = directory / pathOf(numbered);
  w.temporaryPath_ = directory / pathOf(numbered + std::string(kPartSuffix));
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(w.temporaryPath_, ec);
  if (folder ? !fs::is_directory(status) : !fs::is_regular_file(status)) {
    error = utf8Of(w.temporaryPath_) + ": what was received before is gone";
    return nullptr;
  }
  w.temporaryExists_ = true;  // from here on a failure removes it
  // Whole files first, then the one that was being written: the data goes on from its end.
  for (w.current_ = 0; w.current_ < w.files_.size(); ++w.current_) {
    const fs::path path = w.pathOnDisk(w.current_);
    const std::uint64_t want = w.files_[w.current_].size;
    const fs::file_status fileStatus = fs::symlink_status(path, ec);
    if (!fs::exists(fileStatus)) break;
    if (!fs::is_regular_file(fileStatus)) {
      w.fail(error, utf8Of(path) + ": not a file");
      return nullptr;
    }
    const std::uint64_t have = std::min<std::uint64_t>(fs::file_size(path, ec), want);
    if (ec) {
      w.fail(error, describe(path, ec));
      return nullptr;
    }
    if (have < want || (want == 0 && w.current_ + 1 == w.files_.size())) {
      w.file_ = NativeFile::openToContinue(path, have, ec);
      if (ec) {
        w.fail(error, describe(path, ec));
        return nullptr;
      }
      w.currentDone_ = have;
      w.position_ += have;
      break;
    }
    w.position_ += want;
  }
  // What is on disk goes into the hash again, in order.
  std::vector<std::byte> block(1 << 20);
  std::uint64_t hashed = 0;
  for (std::size_t i = 0; i < w.files_.size() && hashed < w.position_; ++i) {
    NativeFile in = NativeFile::openForReading(w.pathOnDisk(i), ec);
    const std::uint64_t take = std::min(w.files_[i].size, w.position_ - hashed);
    for (std::uint64_t at = 0; !ec && at < take;) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), take - at));
      const std::size_t got = in.readAt(at, std::span(block).first(want), ec);
      if (!ec && got != want) ec = std::make_error_code(std::errc::io_error);
      if (ec) break;
      w.hasher_.update(std::span(block).first(got));
      at += got;
    }
    if (ec) {
      w.fail(error, describe(w.pathOnDisk(i), ec));
      return nullptr;
    }
    hashed += take;
  }
  if (!w.settle(error)) return nullptr;
  return writer;
}

OfferWriter::Claim OfferWriter::tryCreate(unsigned n, std::string& error) {
  const std::string name = numberedName(name_, n, folder_);
  const fs::path finalPath = directory_ / pathOf(name);
  const fs::path temporaryPath = directory_ / pathOf(name + std::string(kPartSuffix));
  std::error_code ec;
  const fs::file_status existing = fs::symlink_status(finalPath, ec);
  // Overwriting replaces a file, never a folder (nor what a link points to).
  if (fs::exists(existing) && !(overwrite_ && fs::is_regular_file(existing))) return Taken;
  if (folder_) {
    // A file of that name is an error (file_exists), a folder is not.
    if (!fs::create_directory(temporaryPath, ec) && !ec) return Taken;
  } else {
    file_ = NativeFile::createNew(temporaryPath, ec);
  }
  if (ec == std::errc::file_exists) return Taken;
  if (ec) {
    error = describe(temporaryPath, ec);
    return Failed;
  }
  number_ = n;
  finalPath_ = finalPath;
  temporaryPath_ = temporaryPath;
  temporaryExists_ = true;
  return Created;
}

fs::path OfferWriter::pathOnDisk(std::size_t index) const {
  if (!folder_) return temporaryPath_;
  return under(temporaryPath_, std::string_view(files_[index].path).substr(name_.size() + 1));
}

bool OfferWriter::settle(std::string& error) {
  while (current_ < files_.size()) {
    if (!file_.isOpen()) {
      const fs::path path = pathOnDisk(current_);
      std::error_code ec;
      fs::create_directories(path.parent_path(), ec);
      if (!ec) file_ = NativeFile::createNew(path, ec);
      if (ec) return fail(error, describe(path, ec));
    }
    if (currentDone_ < files_[current_].size) return true;
    // On the disk before finish() renames it into place: a crash never leaves a received file
    // under its name with its bytes lost.
    if (auto ec = file_.sync()) return fail(error, describe(pathOnDisk(current_), ec));
    if (auto ec = file_.close()) return fail(error, describe(pathOnDisk(current_), ec));
    ++current_;
    currentDone_ = writingBack_ = 0;
  }
  return true;
}

bool OfferWriter::write(std::span<const std::byte> data, std::string& error) {
  if (!temporaryExists_) {
    error = "the transfer has ended";
    return false;
  }
  if (data.size() > size_ - position_)
    return fail(error, "more data than offered (" + std::to_string(size_) + " bytes)");
  while (!data.empty()) {
    if (!settle(error)) return false;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), files_[current_].size - currentDone_));
    if (auto ec = file_.write(data.first(n))) return fail(error, describe(pathOnDisk(current_), ec));
    hasher_.update(data.first(n));
    position_ += n;
    currentDone_ += n;
    if (currentDone_ - writingBack_ >= kWriteBackEvery) {
      file_.startWriteBack(writingBack_, currentDone_ - writingBack_);
      writingBack_ = currentDone_;
    }
    data = data.subspan(n);
  }
  return settle(error);
}

OfferWriter::Finish OfferWriter::finish(const Hash& expected, std::string& error) {
  if (!temporaryExists_) {
    error = "the transfer has ended";
    return Finish::Failed;
  }
  if (position_ != size_) {
    fail(error, "only " + std::to_string(position_) + " of " + std::to_string(size_) + " bytes arrived");
    return Finish::Failed;
  }
  if (!settle(error)) return Finish::Failed;  // the zero-length files at the end
  if (hasher_.finish() != expected) {
    fail(error, "what arrived does not match what was sent (the hash differs); nothing was kept");
    return Finish::HashMismatch;
  }
  for (unsigned n = number_; n <= kMaxCopies; ++n) {
    const fs::path finalPath = directory_ / pathOf(numberedName(name_, n, folder_));
    const std::error_code ec = renameEntry(temporaryPath_, finalPath, overwrite_);
    if (!ec) {
      finalPath_ = finalPath;
      temporaryExists_ = false;
      (void)syncFolder(directory_);  // the new name on the disk too, where the folder can say so
      return Finish::Done;
    }
    // Someone took the name since open(): the next free one.
    if (ec != std::errc::file_exists || overwrite_) {
      fail(error, utf8Of(temporaryPath_) + ": cannot rename to " + utf8Of(finalPath) + ": " + ec.message());
      return Finish::Failed;
    }
  }
  fail(error, utf8Of(directory_) + ": every name for " + name_ + " is taken");
  return Finish::Failed;
}

bool OfferWriter::fail(std::string& error, const std::string& message) {
  error = message;
  discard();
  return false;
}

void OfferWriter::discard() {
  file_.close();
  if (!temporaryExists_) return;
  std::error_code ec;
  fs::remove_all(temporaryPath_, ec);
  temporaryExists_ = false;
}

}  // namespace chatport::chat::files
