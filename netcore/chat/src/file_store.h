#pragma once
// Files on disk for file and folder transfers (Qt-free, no sockets): what offering a path sends,
// the sender's reads at any offset, and the receiver's writes under a temporary name, renamed
// once the hash of everything matches. Internal to the chat core; the host and joiner sessions
// drive it. Paths in OfferedFile are UTF-8 and '/'-separated on every platform.

#include "native_file.h"

#include <chatport/chat/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chatport::chat::files {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<std::byte, kHashSize>;
std::string toHex(const Hash& hash);  // lower-case

/// SHA-256 (libgcrypt GCRY_MD_SHA256, with the CPU's SHA instructions where it has them) over a
/// stream of bytes. Movable, not copyable.
/// One thread at a time. A moved-from Hasher may only be assigned to or destroyed.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(Hasher&& other) noexcept;
  Hasher& operator=(Hasher&& other) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(std::span<const std::byte> data);
  /// The hash of everything given so far; the Hasher then starts again from nothing.
  Hash finish();

 private:
  void* handle_ = nullptr;  // a gcry_md_hd_t
};

/// Limits of one offer (the protocol carries the whole list in one message).
inline constexpr std::size_t kMaxOfferFiles = 1000;
inline constexpr std::size_t kMaxPathBytes = 1024;

/// Thread-safe. A path that came from the network, made safe to create under a folder on Windows
/// and Linux: '/'-separated parts; '\\' and the characters Windows forbids (<>:"|?* and controls
/// < 0x20) become '_'; parts "." and ".." become "_" and "__"; empty parts (leading '/', "a//b")
/// are dropped; trailing dots and spaces of a part are removed (a part left empty becomes "_");
/// Windows device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension like
/// "con.txt", any case) get a leading '_'; a part over 255 bytes is cut at a UTF-8 boundary
/// keeping its extension. nullopt: empty after that, over kMaxPathBytes, or not valid UTF-8.
std::optional<std::string> safeRelativePath(std::string_view path);

/// What offering a path sends.
struct Listing {
  std::filesystem::path base;      // the folder the files' paths are relative to
  std::vector<OfferedFile> files;  // a single file: {name}; a folder: "folder/sub/name", sorted
  bool folder = false;
  std::uint64_t total = 0;  // sum of sizes
};

/// Thread-safe. Lists a file, or a folder's regular files (recursively; symbolic links are not
/// followed and not offered; empty folders are not sent). Each path is safeRelativePath-clean as
/// listed (a name that would change is refused with an error naming it). error: a message a
/// person can act on ("/x/y: no such file or folder", "the folder has more than 1000 files: send
/// it as an archive").
std::optional<Listing> list(const std::filesystem::path& path, std::string& error);

/// Sender side: random access to the concatenation of a Listing's files.
class OfferReader {
 public:
  explicit OfferReader(Listing listing);
  /// Reads up to out.size() bytes at offset (0 <= offset <= total) into out; returns how many
  /// (0 only at the end), or nullopt with error set if a file is gone, unreadable, or no longer
  /// the size listed. May be called from one thread at a time; keeps at most one file open.
  std::optional<std::size_t> read(std::uint64_t offset, std::span<std::byte> out, std::string& error);
  /// The SHA-256 of all the files' contents in order (reads them all). nullopt + error as
  /// read.
  std::optional<Hash> hashAll(std::string& error);
  const Listing& listing() const noexcept;

 private:
  /// Makes file index the open one (closing any other), checking its size against the listing.
  bool openFile(std::size_t index, std::string& error);

  Listing listing_;
  std::vector<std::uint64_t> starts_;  // starts_[i]: offset of files[i] in the concatenation
  NativeFile file_;
  std::size_t openIndex_ = 0;  // which file file_ is, when open
};

/// Receiver side: writes an offer's files into a folder under a temporary name, then gives them
/// their names once the hash matches. One thread at a time.
class OfferWriter {
 public:
  /// files: as offered (each path passed through safeRelativePath here again; duplicates after
  /// that, compared case-insensitively, are an error). The final name is the offer's first path
  /// part in directory (created if missing): a single file "name.ext", or a folder. A taken name
  /// gets " (2)", " (3)"... before the extension ("report (2).pdf", "Photos (2)"), unless
  /// overwrite (single files only: a folder is never merged into an existing one). Data goes to
  /// a temporary entry next to it ("name.ext.chatport-part", or the folder
  /// "Photos.chatport-part/"), created now (zero-length files too, as the writing reaches them).
  /// A temporary name already in use (another transfer of the same name, or one cut short)
  /// counts as taken; a name too long to take " (n)" and the temporary suffix within 255 bytes
  /// is shortened, its extension kept. nullptr + error if the folder cannot be written or has less free space
  /// than the offer's size.
  static std::unique_ptr<OfferWriter> open(const std::filesystem::path& directory,
                                           std::vector<OfferedFile> files, bool overwrite,
                                           std::string& error);
  /// Takes up again what an earlier writer of the same offer left in directory (its program
  /// stopped): the temporary entry of name number (number()), its files read back and hashed so
  /// far, writing going on from position(). nullptr + error if it is gone or not what was offered.
  static std::unique_ptr<OfferWriter> resume(const std::filesystem::path& directory,
                                             std::vector<OfferedFile> files, bool overwrite,
                                             unsigned number, std::string& error);
  ~OfferWriter();  // removes the temporary entry unless finish() succeeded
  /// The " (n)" of the name taken (1: the name as offered), for resume().
  unsigned number() const noexcept { return number_; }
  OfferWriter(const OfferWriter&) = delete;
  OfferWriter& operator=(const OfferWriter&) = delete;

  const std::filesystem::path& finalPath() const noexcept;  // where it will be (as chosen at open)
  std::uint64_t position() const noexcept;  // bytes written (and hashed) so far
  std::uint64_t size() const noexcept;
  /// Appends data at position() across the files (never past size(): more is an error). Hashes
  /// as it writes. false + error (disk full, permission...) and the writer is unusable.
  bool write(std::span<const std::byte> data, std::string& error);
  enum class Finish { Done, HashMismatch, Failed };
  /// Needs position() == size(). Done: the hash matched, the temporary entry was renamed to
  /// finalPath() (if that name was taken meanwhile and not overwrite, the next free one:
  /// finalPath() then says which). HashMismatch / Failed: everything written is removed; error
  /// says why.
  Finish finish(const Hash& expected, std::string& error);
  /// Gives up: removes the temporary entry.
  void discard();

 private:
  enum Claim { Created, Taken, Failed };
  /// The offer's files made safe and checked (see open()); sets folder and name.
  static bool check(std::vector<OfferedFile>& files, bool& folder, std::string& name, std::string& error);
  OfferWriter(std::vector<OfferedFile> files, bool folder, bool overwrite);
  /// Creates the temporary entry for the offer's name with " (n)" added (n > 1), if that name
  /// and its temporary one are free.
  Claim tryCreate(unsigned n, std::string& error);
  /// Where files_[index] is written.
  std::filesystem::path pathOnDisk(std::size_t index) const;
  /// Closes each file written whole and creates the zero-length ones that follow it.
  bool settle(std::string& error);
  /// Fails the writer: error set to what/the path, everything removed.
  bool fail(std::string& error, const std::string& message);

  std::vector<OfferedFile> files_;  // their paths made safe; the first part is the offer's name
  bool folder_ = false;
  bool overwrite_ = false;
  std::filesystem::path directory_;
  std::string name_;  // the offer's name as received (made safe), before any " (n)"
  unsigned number_ = 1;  // the " (n)" of finalPath_
  std::filesystem::path finalPath_;
  std::filesystem::path temporaryPath_;
  bool temporaryExists_ = false;  // false once renamed or removed: the writer has ended
  std::uint64_t size_ = 0;
  std::uint64_t position_ = 0;
  std::size_t current_ = 0;        // the file being written
  std::uint64_t currentDone_ = 0;  // bytes of it written
  std::uint64_t writingBack_ = 0;  // of those, the ones on their way to the disk
  NativeFile file_;
  Hasher hasher_;
};

}  // namespace chatport::chat::files
