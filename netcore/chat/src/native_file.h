#pragma once
// One open file, read at any 64-bit offset or written in order, straight through the system's
// calls (pread/write, ReadFile/WriteFile): no stream buffer between a transfer's blocks and the
// disk, and errors as std::error_code (ENOSPC, EACCES...) for the message a person reads.
// Internal to the chat core; used by the file store and by data_file.h.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <system_error>

namespace chatport::chat::files {

/// Not thread-safe: one thread at a time. Move-only; closes itself.
class NativeFile {
 public:
  NativeFile() noexcept = default;
  ~NativeFile();
  NativeFile(NativeFile&& other) noexcept;
  NativeFile& operator=(NativeFile&& other) noexcept;
  NativeFile(const NativeFile&) = delete;
  NativeFile& operator=(const NativeFile&) = delete;

  /// An existing file, for reading. Not open (and ec set) if it cannot be opened.
  static NativeFile openForReading(const std::filesystem::path& path, std::error_code& ec);
  /// Who may open a new file: what the umask allows, or its owner alone from the moment it
  /// exists (for secrets: a later chmod leaves a window in which others could open it).
  enum class Access { Default, OwnerOnly };
  /// A new file, for writing; ec is std::errc::file_exists if the name is taken (never
  /// truncates or follows anything already there). On Windows the folder's ACL decides access.
  static NativeFile createNew(const std::filesystem::path& path, std::error_code& ec,
                              Access access = Access::Default);
  /// An existing file, to write on after its first keep bytes (anything after them is cut).
  static NativeFile openToContinue(const std::filesystem::path& path, std::uint64_t keep, std::error_code& ec);
  /// A file (created if missing, owner-only) that one holder at a time has open through this
  /// call: a lock on what it stands for, which lasts until the file is closed or the program
  /// ends, however it ends (flock; a handle shared with nobody on Windows). ec is
  /// std::errc::device_or_resource_busy while another holder has it.
  static NativeFile holdExclusively(const std::filesystem::path& path, std::error_code& ec);

  bool isOpen() const noexcept;
  std::uint64_t size(std::error_code& ec) const;
  /// Up to out.size() bytes at offset; fewer only at the end of the file (0 past it).
  std::size_t readAt(std::uint64_t offset, std::span<std::byte> out, std::error_code& ec);
  /// All of data after what was written before.
  std::error_code write(std::span<const std::byte> data);
  /// Starts writing length bytes at offset out to the disk, without waiting (Linux's
  /// sync_file_range; nothing on Windows, whose cache writes behind by itself): a large file's
  /// sync() then finds little left to do, and its dirty pages never pile up. A hint: what goes
  /// wrong is for sync() to say.
  void startWriteBack(std::uint64_t offset, std::uint64_t length) noexcept;
  /// Waits until what was written is on the disk (fdatasync, FlushFileBuffers): before a file
  /// is renamed into place, so that a crash leaves the old file or the whole new one, never an
  /// empty one under the new name.
  std::error_code sync();
  /// Closes; reports what the system says then (a network folder may say only now that the
  /// disk was full).
  std::error_code close();

 private:
#ifdef _WIN32
  void* handle_ = nullptr;  // a HANDLE; nullptr when closed
#else
  int fd_ = -1;
#endif
};

/// Waits until the entries of folder (a rename into it) are on the disk; nothing to do on
/// Windows, whose renames renameEntry writes through.
std::error_code syncFolder(const std::filesystem::path& folder);

/// Renames a file or folder. replace: over an existing file (never a folder). Otherwise an
/// existing entry at to is left alone and the answer is std::errc::file_exists (atomically where
/// the system can: renameat2's RENAME_NOREPLACE, MoveFileExW).
std::error_code renameEntry(const std::filesystem::path& from, const std::filesystem::path& to, bool replace);

}  // namespace chatport::chat::files
