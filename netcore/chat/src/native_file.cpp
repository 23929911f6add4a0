#include "native_file.h"

#include <algorithm>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#endif

namespace chatport::chat::files {
namespace {

// One system call moves at most this much (ReadFile and WriteFile take a 32-bit count; Linux
// moves at most 2 GiB - 4 KiB per call anyway).
constexpr std::size_t kMaxPerCall = std::size_t{1} << 30;

#ifdef _WIN32
// The codes a person may see, as their portable names (libstdc++'s system_category has no
// text for Windows codes before GCC 13).
std::error_code lastError() {
  const DWORD code = ::GetLastError();
  switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return std::make_error_code(std::errc::no_such_file_or_directory);
    case ERROR_ACCESS_DENIED:
    case ERROR_WRITE_PROTECT: return std::make_error_code(std::errc::permission_denied);
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: return std::make_error_code(std::errc::device_or_resource_busy);
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS: return std::make_error_code(std::errc::file_exists);
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: return std::make_error_code(std::errc::no_space_on_device);
    case ERROR_FILENAME_EXCED_RANGE: return std::make_error_code(std::errc::filename_too_long);
    case ERROR_INVALID_NAME: return std::make_error_code(std::errc::invalid_argument);
    default: return {static_cast<int>(code), std::system_category()};
  }
}

HANDLE toHandle(void* handle) { return handle ? static_cast<HANDLE>(handle) : INVALID_HANDLE_VALUE; }

void* openHandle(const std::filesystem::path& path, DWORD access, DWORD share, DWORD disposition,
                 std::error_code& ec) {
  const HANDLE h = ::CreateFileW(path.c_str(), access, share, nullptr, disposition,
                                 FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    ec = lastError();
    return nullptr;
  }
  ec.clear();
  return h;
}
#else
std::error_code lastError() { return {errno, std::generic_category()}; }
#endif

}  // namespace

NativeFile::~NativeFile() { close(); }

#ifdef _WIN32

NativeFile::NativeFile(NativeFile&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

NativeFile& NativeFile::operator=(NativeFile&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

NativeFile NativeFile::openForReading(const std::filesystem::path& path, std::error_code& ec) {
  NativeFile file;
  // Others may go on writing it: the reader notices a change of size.
  file.handle_ = openHandle(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                            OPEN_EXISTING, ec);
  return file;
}

NativeFile NativeFile::createNew(const std::filesystem::path& path, std::error_code& ec, Access) {
  NativeFile file;
  file.handle_ = openHandle(path, GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW, ec);
  return file;
}

NativeFile NativeFile::openToContinue(const std::filesystem::path& path, std::uint64_t keep, std::error_code& ec) {
  NativeFile file;
  file.handle_ = openHandle(path, GENERIC_WRITE, FILE_SHARE_READ, OPEN_EXISTING, ec);
  if (!file.handle_) return file;
  LARGE_INTEGER at{};
  at.QuadPart = static_cast<LONGLONG>(keep);
  if (!::SetFilePointerEx(toHandle(file.handle_), at, nullptr, FILE_BEGIN) || !::SetEndOfFile(toHandle(file.handle_))) {
    ec = lastError();
    file.close();
  }
  return file;
}

NativeFile NativeFile::holdExclusively(const std::filesystem::path& path, std::error_code& ec) {
  NativeFile file;
  file.handle_ = openHandle(path, GENERIC_READ | GENERIC_WRITE, 0, OPEN_ALWAYS, ec);
  return file;
}

bool NativeFile::isOpen() const noexcept { return handle_ != nullptr; }

std::uint64_t NativeFile::size(std::error_code& ec) const {
  LARGE_INTEGER size{};
  if (!::GetFileSizeEx(toHandle(handle_), &size)) {
    ec = lastError();
    return 0;
  }
  ec.clear();
  return static_cast<std::uint64_t>(size.QuadPart);
}

std::size_t NativeFile::readAt(std::uint64_t offset, std::span<std::byte> out, std::error_code& ec) {
  ec.clear();
  std::size_t done = 0;
  while (done < out.size()) {
    // On a handle opened without FILE_FLAG_OVERLAPPED, the OVERLAPPED's offset is where a
    // synchronous read starts (all 64 bits of it).
    OVERLAPPED at{};
    const std::uint64_t from = offset + done;
    at.Offset = static_cast<DWORD>(from & 0xFFFFFFFFu);
    at.OffsetHigh = static_cast<DWORD>(from >> 32);
    DWORD got = 0;
    const DWORD want = static_cast<DWORD>(std::min(out.size() - done, kMaxPerCall));
    if (!::ReadFile(toHandle(handle_), out.data() + done, want, &got, &at)) {
      if (::GetLastError() == ERROR_HANDLE_EOF) break;
      ec = lastError();
      break;
    }
    if (got == 0) break;
    done += got;
  }
  return done;
}

std::error_code NativeFile::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    DWORD put = 0;
    const DWORD want = static_cast<DWORD>(std::min(data.size(), kMaxPerCall));
    if (!::WriteFile(toHandle(handle_), data.data(), want, &put, nullptr)) return lastError();
    data = data.subspan(put);
  }
  return {};
}

void NativeFile::startWriteBack(std::uint64_t, std::uint64_t) noexcept {}

std::error_code NativeFile::sync() {
  return ::FlushFileBuffers(toHandle(handle_)) ? std::error_code{} : lastError();
}

std::error_code syncFolder(const std::filesystem::path&) {
  return {};  // NTFS journals the rename; renameEntry asks MoveFileExW to write it through
}

std::error_code NativeFile::close() {
  if (!handle_) return {};
  const bool closed = ::CloseHandle(toHandle(std::exchange(handle_, nullptr)));
  return closed ? std::error_code{} : lastError();
}

#else

NativeFile::NativeFile(NativeFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

NativeFile& NativeFile::operator=(NativeFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

NativeFile NativeFile::openForReading(const std::filesystem::path& path, std::error_code& ec) {
  NativeFile file;
  // O_NONBLOCK: should a FIFO have taken the file's place, opening it must not wait for a
  // writer (it is refused just below).
  file.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (file.fd_ < 0) {
    ec = lastError();
    return file;
  }
  struct stat st {};
  if (::fstat(file.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ec = S_ISDIR(st.st_mode) ? std::make_error_code(std::errc::is_a_directory)
                             : std::make_error_code(std::errc::invalid_argument);
    file.close();
    return file;
  }
  ::posix_fadvise(file.fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  ec.clear();
  return file;
}

NativeFile NativeFile::openToContinue(const std::filesystem::path& path, std::uint64_t keep, std::error_code& ec) {
  NativeFile file;
  file.fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (file.fd_ < 0) {
    ec = lastError();
    return file;
  }
  if (::ftruncate(file.fd_, static_cast<off_t>(keep)) != 0 || ::lseek(file.fd_, static_cast<off_t>(keep), SEEK_SET) < 0) {
    ec = lastError();
    file.close();
    return file;
  }
  ec.clear();
  return file;
}

NativeFile NativeFile::createNew(const std::filesystem::path& path, std::error_code& ec, Access access) {
  NativeFile file;
  const mode_t mode = access == Access::OwnerOnly ? 0600 : 0666;
  file.fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (file.fd_ < 0)
    ec = lastError();
  else
    ec.clear();
  return file;
}

NativeFile NativeFile::holdExclusively(const std::filesystem::path& path, std::error_code& ec) {
  NativeFile file;
  file.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (file.fd_ < 0) {
    ec = lastError();
    return file;
  }
  while (::flock(file.fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    ec = errno == EWOULDBLOCK ? std::make_error_code(std::errc::device_or_resource_busy) : lastError();
    file.close();
    return file;
  }
  ec.clear();
  return file;
}

bool NativeFile::isOpen() const noexcept { return fd_ >= 0; }

std::uint64_t NativeFile::size(std::error_code& ec) const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    ec = lastError();
    return 0;
  }
  ec.clear();
  return static_cast<std::uint64_t>(st.st_size);
}

std::size_t NativeFile::readAt(std::uint64_t offset, std::span<std::byte> out, std::error_code& ec) {
  ec.clear();
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::pread(fd_, out.data() + done, std::min(out.size() - done, kMaxPerCall),
                                static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      ec = lastError();
      break;
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

std::error_code NativeFile::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    const ssize_t put = ::write(fd_, data.data(), std::min(data.size(), kMaxPerCall));
    if (put < 0) {
      if (errno == EINTR) continue;
      return lastError();
    }
    data = data.subspan(static_cast<std::size_t>(put));
  }
  return {};
}

void NativeFile::startWriteBack(std::uint64_t offset, std::uint64_t length) noexcept {
  (void)::sync_file_range(fd_, static_cast<off_t>(offset), static_cast<off_t>(length), SYNC_FILE_RANGE_WRITE);
}

std::error_code NativeFile::sync() {
  while (::fdatasync(fd_) != 0)
    if (errno != EINTR) return lastError();
  return {};
}

std::error_code syncFolder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return lastError();
  std::error_code ec;
  while (::fsync(fd) != 0) {
    if (errno == EINTR) continue;
    // Some file systems cannot sync a folder (EINVAL): what they keep is theirs to decide.
    if (errno != EINVAL) ec = lastError();
    break;
  }
  ::close(fd);
  return ec;
}

std::error_code NativeFile::close() {
  if (fd_ < 0) return {};
  // Linux closes the descriptor even when close() fails; never retry.
  const bool closed = ::close(std::exchange(fd_, -1)) == 0;
  return closed ? std::error_code{} : lastError();
}

#endif

std::error_code renameEntry(const std::filesystem::path& from, const std::filesystem::path& to, bool replace) {
#ifdef _WIN32
  const DWORD flags = MOVEFILE_WRITE_THROUGH | (replace ? MOVEFILE_REPLACE_EXISTING : 0);
  if (::MoveFileExW(from.c_str(), to.c_str(), flags)) return {};
  return lastError();
#else
  if (replace) return ::rename(from.c_str(), to.c_str()) == 0 ? std::error_code{} : lastError();
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return {};
  if (errno != EINVAL && errno != ENOSYS) return lastError();
  // A file system without RENAME_NOREPLACE: check, then rename (a name taken in between by
  // someone else would be replaced; rename(2) has no other way).
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(to, ec))) return std::make_error_code(std::errc::file_exists);
  return ::rename(from.c_str(), to.c_str()) == 0 ? std::error_code{} : lastError();
#endif
}

}  // namespace chatport::chat::files
