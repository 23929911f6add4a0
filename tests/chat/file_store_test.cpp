// The files of a transfer on disk: the hash both sides compute, names from the network made
// safe for Windows and Linux, what offering a path lists, the sender's reads at any offset, and
// the receiver's writes that become the file or folder only once the hash matches. Each test
// works in a folder of its own under the system's temporary folder.

#include "data_file.h"
#include "file_store.h"
#include "native_file.h"
#include "room_rules.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#include <winioctl.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace chatport::chat::files {
namespace {

namespace fs = std::filesystem;
using data_file::pathOf;
using test::TempDir;

std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

void writeFile(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Names in a folder, sorted (what a person would see there).
std::vector<std::string> entriesOf(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(data_file::utf8Of(entry.path().filename()));
  std::sort(names.begin(), names.end());
  return names;
}

Hash hashOf(std::string_view content) {
  Hasher hasher;
  hasher.update(bytes(content));
  return hasher.finish();
}

/// Writes data at offset (making a sparse file where the system can) without any code under test.
void writeAt(const fs::path& path, std::uint64_t offset, std::string_view data) {
#ifdef _WIN32
  const HANDLE h = ::CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE) << "cannot create " << path;
  DWORD ignored = 0;
  // NTFS would otherwise allocate every byte; under Wine the Linux file is sparse anyway.
  ::DeviceIoControl(h, FSCTL_SET_SPARSE, nullptr, 0, nullptr, 0, &ignored, nullptr);
  OVERLAPPED at{};
  at.Offset = static_cast<DWORD>(offset & 0xFFFFFFFFu);
  at.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD put = 0;
  const bool written = ::WriteFile(h, data.data(), static_cast<DWORD>(data.size()), &put, &at);
  ::CloseHandle(h);
  ASSERT_TRUE(written && put == data.size()) << "cannot write " << path;
#else
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << "cannot create " << path;
  const ssize_t put = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
  ::close(fd);
  ASSERT_EQ(put, static_cast<ssize_t>(data.size())) << "cannot write " << path;
#endif
}

// ---- the hash

TEST(FileHash, IsSha256OfKnownInput) {
  // FIPS 180-2's examples: SHA-256 of "" and of "abc".
  EXPECT_EQ(toHex(hashOf("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toHex(hashOf("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(FileHash, IsTheSameInPiecesAndStartsAgainAfterFinish) {
  Hasher hasher;
  hasher.update(bytes("a"));
  hasher.update(bytes(""));
  hasher.update(bytes("bc"));
  EXPECT_EQ(hasher.finish(), hashOf("abc"));
  EXPECT_EQ(hasher.finish(), hashOf("")) << "finish() starts again from nothing";
  Hasher moved(std::move(hasher));
  moved.update(bytes("abc"));
  EXPECT_EQ(moved.finish(), hashOf("abc"));
}

// ---- names from the network

TEST(SafeRelativePath, MakesHostileNamesSafeUnderAFolder) {
  const std::string longStem(300, 'a');
  std::string longAccented;
  for (int i = 0; i < 150; ++i) longAccented += "\xC3\xA9";  // é, two bytes: 300 bytes
  const struct {
    std::string in;
    std::string out;
  } cases[] = {
      {"report.pdf", "report.pdf"},
      {"Photos/2024/beach.jpg", "Photos/2024/beach.jpg"},
      {"../../etc/passwd", "__/__/etc/passwd"},
      {"/abs", "abs"},
      {"/etc/passwd", "etc/passwd"},
      {"C:\\x", "C__x"},
      {"\\\\server\\share\\f", "__server_share_f"},
      {"a/./b", "a/_/b"},
      {"a//b/", "a/b"},
      {"x<y>z:\"|?*", "x_y_z_____"},
      {"tab\there\x01\x1f", "tab_here__"},
      {"name...", "name"},
      {"name. . ", "name"},
      {"...", "_"},
      {"dir./file ", "dir/file"},
      {"con.txt", "_con.txt"},
      {"CON", "_CON"},
      {"a/nul/b", "a/_nul/b"},
      {"Lpt9.log", "_Lpt9.log"},
      {"com1.tar.gz", "_com1.tar.gz"},
      {"aux .txt", "_aux .txt"},
      {"com0", "com0"},
      {"console.txt", "console.txt"},
      {"nul.", "_nul"},
      {"\xE6\x8A\xA5\xE5\x91\x8A.txt", "\xE6\x8A\xA5\xE5\x91\x8A.txt"},  // 报告.txt
      {longStem + ".txt", std::string(251, 'a') + ".txt"},
      {longStem, std::string(255, 'a')},
      // 255 - 4 = 251 bytes would split an é: 250 are kept.
      {"d/" + longAccented + ".pdf", "d/" + longAccented.substr(0, 250) + ".pdf"},
  };
  for (const auto& c : cases) {
    const auto safe = safeRelativePath(c.in);
    ASSERT_TRUE(safe.has_value()) << "refused: " << c.in;
    EXPECT_EQ(*safe, c.out) << "from: " << c.in;
    EXPECT_EQ(safeRelativePath(*safe), safe) << "a safe path is its own safe form: " << *safe;
  }
}

TEST(SafeRelativePath, RefusesEmptyTooLongAndInvalidUtf8) {
  for (std::string_view bad : {"", "/", "//", "a\xff", "\xC0\xAF" "etc", "\xED\xA0\x80", "caf\xC3"})
    EXPECT_FALSE(safeRelativePath(bad).has_value()) << "accepted: " << bad;
  std::string path;
  while (path.size() < kMaxPathBytes) path += std::string(99, 'x') + "/";
  path.resize(kMaxPathBytes);
  if (path.back() == '/') path.back() = 'y';
  EXPECT_TRUE(safeRelativePath(path).has_value()) << "exactly " << kMaxPathBytes << " bytes";
  EXPECT_FALSE(safeRelativePath(path + "z").has_value()) << kMaxPathBytes + 1 << " bytes";
}

// ---- listing what is offered

TEST(FileListing, ListsASingleFile) {
  TempDir dir;
  writeFile(dir.path() / "report.pdf", "hello");
  std::string error;
  const auto listing = list(dir.path() / "report.pdf", error);
  ASSERT_TRUE(listing) << error;
  EXPECT_FALSE(listing->folder);
  EXPECT_EQ(listing->base, dir.path());
  EXPECT_EQ(listing->files, (std::vector<OfferedFile>{{"report.pdf", 5}}));
  EXPECT_EQ(listing->total, 5u);
}

TEST(FileListing, ListsAFoldersFilesSortedWithoutItsEmptyFolders) {
  TempDir dir;
  writeFile(dir.path() / "Photos" / "z.jpg", "zz");
  writeFile(dir.path() / "Photos" / "a.jpg", "aaa");
  writeFile(dir.path() / "Photos" / "sub" / "empty.txt", "");
  writeFile(dir.path() / "Photos" / "sub" / "deeper" / "c.txt", "0123456789");
  fs::create_directories(dir.path() / "Photos" / "nothing-here" / "inside");
  const std::vector<OfferedFile> expected{
      {"Photos/a.jpg", 3}, {"Photos/sub/deeper/c.txt", 10}, {"Photos/sub/empty.txt", 0}, {"Photos/z.jpg", 2}};
  // As typed, and with a trailing separator.
  for (const fs::path& path : {dir.path() / "Photos", dir.path() / "Photos" / ""}) {
    std::string error;
    const auto listing = list(path, error);
    ASSERT_TRUE(listing) << error;
    EXPECT_TRUE(listing->folder);
    EXPECT_EQ(listing->base, dir.path());
    EXPECT_EQ(listing->files, expected);
    EXPECT_EQ(listing->total, 15u);
  }
}

TEST(FileListing, ListsAChineseName) {
  TempDir dir;
  const std::string name = "\xE6\x8A\xA5\xE5\x91\x8A.txt";  // 报告.txt
  writeFile(dir.path() / pathOf(name), "abc");
  std::string error;
  const auto listing = list(dir.path() / pathOf(name), error);
  ASSERT_TRUE(listing) << error;
  EXPECT_EQ(listing->files, (std::vector<OfferedFile>{{name, 3}}));
  OfferReader reader(*listing);
  EXPECT_EQ(reader.hashAll(error), hashOf("abc")) << error;
}

TEST(FileListing, SaysWhenThePathDoesNotExist) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(list(dir.path() / "gone", error));
  EXPECT_EQ(error, data_file::utf8Of(dir.path() / "gone") + ": no such file or folder");
}

TEST(FileListing, RefusesAnEmptyFolderAndOneOfMoreThanTheLimit) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty" / "sub");
  std::string error;
  EXPECT_FALSE(list(dir.path() / "empty", error));
  EXPECT_NE(error.find("has no files"), std::string::npos) << error;

  for (std::size_t i = 0; i <= kMaxOfferFiles; ++i) writeFile(dir.path() / "many" / std::to_string(i), "");
  error.clear();
  EXPECT_FALSE(list(dir.path() / "many", error));
  EXPECT_NE(error.find("the folder has more than 1000 files: send it as an archive"), std::string::npos) << error;
  fs::remove(dir.path() / "many" / "0");
  error.clear();
  const auto listing = list(dir.path() / "many", error);
  ASSERT_TRUE(listing) << "exactly 1000 files: " << error;
  EXPECT_EQ(listing->files.size(), kMaxOfferFiles);
}

#ifndef _WIN32
TEST(FileListing, SkipsSymbolicLinks) {
  TempDir dir;
  writeFile(dir.path() / "Photos" / "a.jpg", "aaa");
  writeFile(dir.path() / "elsewhere" / "secret.txt", "secret");
  fs::create_symlink(dir.path() / "Photos" / "a.jpg", dir.path() / "Photos" / "link.jpg");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "Photos" / "linked-folder");
  std::string error;
  const auto listing = list(dir.path() / "Photos", error);
  ASSERT_TRUE(listing) << error;
  EXPECT_EQ(listing->files, (std::vector<OfferedFile>{{"Photos/a.jpg", 3}}));
}

TEST(FileListing, NamesAFolderItCannotRead) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads folders without permission";
  TempDir dir;
  writeFile(dir.path() / "Photos" / "a.jpg", "aaa");
  writeFile(dir.path() / "Photos" / "private" / "b.jpg", "bbb");
  fs::permissions(dir.path() / "Photos" / "private", fs::perms::none);
  std::string error;
  EXPECT_FALSE(list(dir.path() / "Photos", error));
  EXPECT_EQ(error, data_file::utf8Of(dir.path() / "Photos" / "private") + ": Permission denied");
  fs::permissions(dir.path() / "Photos" / "private", fs::perms::owner_all);
}

TEST(FileListing, RefusesANameWindowsWouldNotTakeAndNamesIt) {
  TempDir dir;
  writeFile(dir.path() / "Photos" / "a.jpg", "aaa");
  writeFile(dir.path() / "Photos" / "sub" / "what?.txt", "x");
  std::string error;
  EXPECT_FALSE(list(dir.path() / "Photos", error));
  EXPECT_NE(error.find(data_file::utf8Of(dir.path() / "Photos" / "sub" / "what?.txt")), std::string::npos) << error;
  EXPECT_NE(error.find("rename it"), std::string::npos) << error;
}
#endif

// ---- the sender's reads

TEST(OfferReader, ReadsAcrossFileBoundariesFromEveryOffset) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> files{
      {"d/a", "ABCDE"}, {"d/b", ""}, {"d/c", "f"}, {"d/d", ""}, {"d/e", "ghijklm"}, {"d/f", ""}};
  Listing listing{dir.path(), {}, true, 0};
  std::string all;
  for (const auto& [path, content] : files) {
    writeFile(dir.path() / pathOf(path), content);
    listing.files.push_back({path, content.size()});
    listing.total += content.size();
    all += content;
  }
  OfferReader reader(listing);
  std::string error;
  for (std::size_t offset = 0; offset <= all.size(); ++offset) {
    for (std::size_t length = 0; length <= all.size() + 2; ++length) {
      std::string out(length, '.');
      const auto got = reader.read(offset, std::as_writable_bytes(std::span(out.data(), out.size())), error);
      ASSERT_TRUE(got) << "at " << offset << ": " << error;
      const std::string expected = all.substr(offset, length);
      EXPECT_EQ(out.substr(0, *got), expected) << "at " << offset << ", " << length << " bytes";
    }
  }
  EXPECT_EQ(reader.hashAll(error), hashOf(all)) << error;
  std::byte one{};
  EXPECT_FALSE(reader.read(all.size() + 1, std::span(&one, 1), error)) << "past the end";
}

TEST(OfferReader, SaysWhenAFileIsGoneOrChangedSize) {
  TempDir dir;
  writeFile(dir.path() / "d" / "a", "12345");
  writeFile(dir.path() / "d" / "b", "678");
  std::string error;
  const auto listing = list(dir.path() / "d", error);
  ASSERT_TRUE(listing) << error;
  std::string out(8, '.');
  auto buffer = std::as_writable_bytes(std::span(out.data(), out.size()));

  OfferReader grown(*listing);
  writeFile(dir.path() / "d" / "b", "6789");
  EXPECT_FALSE(grown.read(0, buffer, error));
  EXPECT_NE(error.find(data_file::utf8Of(dir.path() / "d" / "b") + ": changed since it was offered"), std::string::npos)
      << error;
  EXPECT_FALSE(grown.hashAll(error));

  OfferReader gone(*listing);
  fs::remove(dir.path() / "d" / "a");
  EXPECT_FALSE(gone.read(2, buffer, error));
  EXPECT_EQ(error, data_file::utf8Of(dir.path() / "d" / "a") + ": no such file or folder");
}

TEST(OfferReader, ReadsPastFourGibibytesInAFileAndAcrossTheOffer) {
  TempDir dir;
  constexpr std::uint64_t kFourGiB = std::uint64_t{1} << 32;
  // A sparse file: 4 GiB + 5 of zeros, then a marker.
  writeAt(dir.path() / "big.bin", kFourGiB + 5, "MARK!");
  writeFile(dir.path() / "small.txt", "after");
  Listing listing{dir.path(), {{"big.bin", kFourGiB + 10}, {"small.txt", 5}}, false, kFourGiB + 15};
  OfferReader reader(listing);
  std::string out(12, '.');
  std::string error;
  const auto got = reader.read(kFourGiB + 3, std::as_writable_bytes(std::span(out.data(), out.size())), error);
  ASSERT_TRUE(got) << error;
  EXPECT_EQ(out.substr(0, *got), std::string(2, '\0') + "MARK!after");
}

// ---- the receiver's writes

struct Offer {
  std::vector<OfferedFile> files;
  std::string all;
};

Offer makeOffer(const std::vector<std::pair<std::string, std::string>>& files) {
  Offer offer;
  for (const auto& [path, content] : files) {
    offer.files.push_back({path, content.size()});
    offer.all += content;
  }
  return offer;
}

/// Writes offer.all in pieces of `piece` bytes.
void writeAll(OfferWriter& writer, const Offer& offer, std::size_t piece) {
  std::string error;
  for (std::size_t at = 0; at < offer.all.size(); at += piece)
    ASSERT_TRUE(writer.write(bytes(std::string_view(offer.all).substr(at, piece)), error)) << error;
  EXPECT_EQ(writer.position(), offer.all.size());
}

TEST(DataFile, ReplacesAFileWholeForItsOwnerOnlyAndLeavesNothingElse) {
  // How keys, pinned hosts and recent rooms are kept: written aside, on the disk, then renamed.
  TempDir dir;
  const fs::path path = dir.path() / "identity.key";
  std::string error;
  ASSERT_TRUE(data_file::replaceFile(path, "the first key\n", error)) << error;
  ASSERT_TRUE(data_file::replaceFile(path, "the second key\n", error)) << error;
  EXPECT_EQ(readFile(path), "the second key\n");
  EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{"identity.key"});
#ifndef _WIN32
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
#endif
}

#ifndef _WIN32
TEST(NativeFile, ASecretsFileIsItsOwnersAloneFromTheMomentItExists) {
  // Whatever the umask lets others do, they never get to open a key's file: an open file stays
  // readable to whoever opened it, even after a chmod.
  TempDir dir;
  const mode_t before = ::umask(0);
  std::error_code ec;
  NativeFile secret = NativeFile::createNew(dir.path() / "identity.key.new", ec, NativeFile::Access::OwnerOnly);
  ASSERT_FALSE(ec) << ec.message();
  NativeFile other = NativeFile::createNew(dir.path() / "photo.jpg", ec);
  ::umask(before);
  ASSERT_FALSE(ec) << ec.message();
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "identity.key.new").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir.path() / "photo.jpg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666u) << "a received file is left to the umask";
}
#endif

TEST(DataFile, SaysWhyItCannotWriteAndLeavesNothingBehind) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(data_file::replaceFile(dir.path() / "gone" / "identity.key", "a key\n", error));
  EXPECT_NE(error.find("cannot write " + data_file::utf8Of(dir.path() / "gone" / "identity.key") + "."), std::string::npos)
      << error;
  EXPECT_TRUE(entriesOf(dir.path()).empty());
  EXPECT_FALSE(syncFolder(dir.path()));
#ifndef _WIN32  // Windows writes renames through instead: there is no folder to sync
  EXPECT_TRUE(syncFolder(dir.path() / "gone")) << "a folder that is not there";
#endif
}

TEST(RoomRules, BansAndExemptionsComeBackAsTheyWereSavedAndDamagedLinesAreSaid) {
  TempDir dir;
  std::string problem;
  EXPECT_EQ(loadRoomRules(dir.string(), problem), RoomRules{}) << "no file yet: no rules";
  EXPECT_EQ(problem, "");
  const auto at = [](long long seconds) { return std::chrono::system_clock::time_point(std::chrono::seconds(seconds)); };
  RoomRules rules;
  rules.banned[noise::PublicKey{std::byte{1}}] = {"mallory", at(1'764'547'200)};
  rules.banned[noise::PublicKey{std::byte{2}}] = {"王 小明", at(1'764'550'000)};
  rules.exempt[noise::PublicKey{std::byte{3}}] = {"build bot", at(1'764'560'000)};
  std::string error;
  ASSERT_TRUE(saveRoomRules(dir.string(), rules, error)) << error;
  EXPECT_EQ(loadRoomRules(dir.string(), problem), rules);
  EXPECT_EQ(problem, "");

  std::ofstream(dir.path() / "room_rules", std::ios::app | std::ios::binary)
      << "ban 12zz 1764547200 eve\nkick " << std::string(64, 'a') << " 1764547200 eve\n";
  EXPECT_EQ(loadRoomRules(dir.string(), problem), rules);
  EXPECT_EQ(problem, data_file::utf8Of(dir.path() / "room_rules") + ": 2 damaged lines were skipped");
}

TEST(RoomRules, SaysWhyTheyCannotBeKept) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(saveRoomRules((dir.path() / "gone").string(), RoomRules{}, error));
  EXPECT_NE(error.find("cannot write " + data_file::utf8Of(dir.path() / "gone" / "room_rules") + "."), std::string::npos)
      << error;
}

TEST(OfferWriter, WritesASingleFileUnderATemporaryNameThenRenamesIt) {
  TempDir dir;
  const Offer offer = makeOffer({{"report.pdf", "%PDF-1.7 a report"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path() / "Downloads", offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / "Downloads" / "report.pdf");
  EXPECT_EQ(writer->size(), offer.all.size());
  EXPECT_EQ(entriesOf(dir.path() / "Downloads"), std::vector<std::string>{"report.pdf.chatport-part"});
  writeAll(*writer, offer, 4);
  ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(entriesOf(dir.path() / "Downloads"), std::vector<std::string>{"report.pdf"});
  EXPECT_EQ(readFile(writer->finalPath()), offer.all);
  writer.reset();
  EXPECT_EQ(readFile(dir.path() / "Downloads" / "report.pdf"), offer.all) << "the finished file stays";
}

TEST(OfferWriter, WritesAFolderInOddPiecesAcrossFilesWithZeroLengthOnes) {
  const Offer offer = makeOffer({{"Photos/a.jpg", "AAAAA"},
                                 {"Photos/empty-1", ""},
                                 {"Photos/sub/b.jpg", "BBBBBBB"},
                                 {"Photos/sub/c.jpg", "C"},
                                 {"Photos/sub/deeper/empty-2", ""},
                                 {"Photos/z.txt", "ZZ"},
                                 {"Photos/zz-empty", ""}});
  for (std::size_t piece : {1, 2, 3, 4, 6, 7, 100}) {
    TempDir dir;
    std::string error;
    auto writer = OfferWriter::open(dir.path(), offer.files, false, error);
    ASSERT_TRUE(writer) << error;
    EXPECT_EQ(writer->finalPath(), dir.path() / "Photos");
    EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{"Photos.chatport-part"});
    writeAll(*writer, offer, piece);
    ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
    EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{"Photos"});
    for (const auto& file : offer.files) {
      const fs::path path = dir.path() / pathOf(file.path);
      EXPECT_TRUE(fs::is_regular_file(path)) << file.path << " (pieces of " << piece << ")";
      EXPECT_EQ(fs::file_size(path), file.size) << file.path;
    }
    EXPECT_EQ(readFile(dir.path() / "Photos" / "sub" / "b.jpg"), "BBBBBBB");
    EXPECT_EQ(readFile(dir.path() / "Photos" / "z.txt"), "ZZ");
  }
}

TEST(OfferWriter, CreatesZeroLengthFilesAsTheWritingReachesThem) {
  TempDir dir;
  const Offer offer = makeOffer({{"F/a", "aa"}, {"F/b", ""}, {"F/c", "c"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path(), offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write(bytes("aa"), error)) << error;
  EXPECT_TRUE(fs::exists(dir.path() / "F.chatport-part" / "b"));

  // An offer of nothing but a zero-length file is written by finish().
  const Offer empty = makeOffer({{"empty.txt", ""}});
  auto emptyWriter = OfferWriter::open(dir.path(), empty.files, false, error);
  ASSERT_TRUE(emptyWriter) << error;
  ASSERT_EQ(emptyWriter->finish(hashOf(""), error), OfferWriter::Finish::Done) << error;
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "empty.txt"));
  EXPECT_EQ(fs::file_size(dir.path() / "empty.txt"), 0u);

  // And a folder of nothing but zero-length files.
  const Offer empties = makeOffer({{"E/a", ""}, {"E/sub/b", ""}});
  auto emptiesWriter = OfferWriter::open(dir.path(), empties.files, false, error);
  ASSERT_TRUE(emptiesWriter) << error;
  ASSERT_EQ(emptiesWriter->finish(hashOf(""), error), OfferWriter::Finish::Done) << error;
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "E" / "a"));
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "E" / "sub" / "b"));
}

TEST(OfferWriter, WritesAChineseName) {
  TempDir dir;
  const std::string name = "\xE6\x8A\xA5\xE5\x91\x8A.txt";  // 报告.txt
  const Offer offer = makeOffer({{name, "report"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path(), offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  writeAll(*writer, offer, 100);
  ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / pathOf(name));
  EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{name});
  EXPECT_EQ(readFile(dir.path() / pathOf(name)), "report");
}

TEST(OfferWriter, ChoosesAFreeNameWhenTheNameIsTaken) {
  TempDir dir;
  writeFile(dir.path() / "report.pdf", "first");
  writeFile(dir.path() / "report (2).pdf", "second");
  writeFile(dir.path() / "Photos" / "old.jpg", "old");
  std::string error;

  const Offer file = makeOffer({{"report.pdf", "third"}});
  auto writer = OfferWriter::open(dir.path(), file.files, false, error);
  ASSERT_TRUE(writer) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / "report (3).pdf");
  writeAll(*writer, file, 100);
  ASSERT_EQ(writer->finish(hashOf(file.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(readFile(dir.path() / "report.pdf"), "first");
  EXPECT_EQ(readFile(dir.path() / "report (2).pdf"), "second");
  EXPECT_EQ(readFile(dir.path() / "report (3).pdf"), "third");

  // A folder is never merged into one that is there, even when asked to overwrite.
  const Offer folder = makeOffer({{"Photos/new.jpg", "new"}});
  auto folderWriter = OfferWriter::open(dir.path(), folder.files, true, error);
  ASSERT_TRUE(folderWriter) << error;
  EXPECT_EQ(folderWriter->finalPath(), dir.path() / "Photos (2)");
  writeAll(*folderWriter, folder, 100);
  ASSERT_EQ(folderWriter->finish(hashOf(folder.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(entriesOf(dir.path() / "Photos"), std::vector<std::string>{"old.jpg"});
  EXPECT_EQ(readFile(dir.path() / "Photos (2)" / "new.jpg"), "new");

  // Another transfer of the same name still running: its temporary name is taken too.
  const Offer again = makeOffer({{"notes.txt", "1"}});
  auto one = OfferWriter::open(dir.path(), again.files, false, error);
  auto two = OfferWriter::open(dir.path(), again.files, false, error);
  ASSERT_TRUE(one && two) << error;
  EXPECT_EQ(one->finalPath(), dir.path() / "notes.txt");
  EXPECT_EQ(two->finalPath(), dir.path() / "notes (2).txt");
}

TEST(OfferWriter, ShortensANameTooLongForTheTemporarySuffix) {
  TempDir dir;
  const std::string name = std::string(251, 'a') + ".txt";  // 255 bytes: the most a name can have
  std::string error;
  auto first = OfferWriter::open(dir.path(), {{name, 0}}, false, error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(first->finalPath(), dir.path() / (std::string(237, 'a') + ".txt"));
  auto second = OfferWriter::open(dir.path(), {{name, 0}}, false, error);
  ASSERT_TRUE(second) << error;
  EXPECT_EQ(second->finalPath(), dir.path() / (std::string(233, 'a') + " (2).txt"));
  ASSERT_EQ(second->finish(hashOf(""), error), OfferWriter::Finish::Done) << error;
  EXPECT_TRUE(fs::is_regular_file(second->finalPath()));
}

TEST(OfferWriter, TakesTheNextFreeNameWhenTheNameWasTakenMeanwhile) {
  for (const bool folder : {false, true}) {
    TempDir dir;
    const Offer offer = folder ? makeOffer({{"Photos/a.jpg", "new"}}) : makeOffer({{"report.pdf", "new"}});
    std::string error;
    auto writer = OfferWriter::open(dir.path(), offer.files, false, error);
    ASSERT_TRUE(writer) << error;
    const fs::path chosen = writer->finalPath();
    // Someone else creates the name while the transfer runs (a folder: an empty one).
    if (folder)
      fs::create_directory(chosen);
    else
      writeFile(chosen, "theirs");
    writeAll(*writer, offer, 100);
    ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
    EXPECT_EQ(writer->finalPath(), dir.path() / (folder ? "Photos (2)" : "report (2).pdf"));
    if (folder) {
      EXPECT_TRUE(fs::is_empty(chosen)) << "their folder is left as it was";
      EXPECT_EQ(readFile(writer->finalPath() / "a.jpg"), "new");
    } else {
      EXPECT_EQ(readFile(chosen), "theirs");
      EXPECT_EQ(readFile(writer->finalPath()), "new");
    }
  }
}

TEST(OfferWriter, OverwritesASingleFileWhenAsked) {
  TempDir dir;
  writeFile(dir.path() / "report.pdf", "an old report, longer than the new one");
  const Offer offer = makeOffer({{"report.pdf", "new"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path(), offer.files, true, error);
  ASSERT_TRUE(writer) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / "report.pdf");
  EXPECT_EQ(readFile(dir.path() / "report.pdf"), "an old report, longer than the new one") << "kept until verified";
  writeAll(*writer, offer, 2);
  ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / "report.pdf");
  EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{"report.pdf"});
  EXPECT_EQ(readFile(dir.path() / "report.pdf"), "new");
}

TEST(OfferWriter, AHashMismatchLeavesNothingBehind) {
  const Offer file = makeOffer({{"report.pdf", "contents"}});
  const Offer folder = makeOffer({{"Photos/a.jpg", "aaa"}, {"Photos/sub/b.jpg", "bb"}, {"Photos/z", ""}});
  for (const Offer* offer : {&file, &folder}) {
    TempDir dir;
    std::string error;
    auto writer = OfferWriter::open(dir.path(), offer->files, false, error);
    ASSERT_TRUE(writer) << error;
    writeAll(*writer, *offer, 3);
    EXPECT_EQ(writer->finish(hashOf(offer->all + "x"), error), OfferWriter::Finish::HashMismatch);
    EXPECT_NE(error.find("hash"), std::string::npos) << error;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "neither the temporary entry nor the final one: "
                                          << ::testing::PrintToString(entriesOf(dir.path()));
    EXPECT_FALSE(writer->write(bytes("x"), error)) << "the writer has ended";
  }
}

TEST(OfferWriter, WritesPastFourGibibytesAndChecksTheWholeHash) {
  // A download of 4 GiB + 10 whose first 4 GiB + 5 (zeros) came in before its program stopped:
  // taken up again, the rest written at 64-bit offsets, hashed whole, and kept.
  TempDir dir;
  constexpr std::uint64_t kFourGiB = std::uint64_t{1} << 32;
  writeAt(dir.path() / "big.bin.chatport-part", kFourGiB, std::string(5, '\0'));  // sparse
  std::string error;
  auto writer = OfferWriter::resume(dir.path(), {{"big.bin", kFourGiB + 10}}, false, 1, error);
  ASSERT_TRUE(writer) << error;
  EXPECT_EQ(writer->position(), kFourGiB + 5);
  ASSERT_TRUE(writer->write(bytes("MARK!"), error)) << error;

  Hasher expected;
  const std::vector<std::byte> zeros(std::size_t{1} << 20);
  for (std::uint64_t done = 0; done < kFourGiB; done += zeros.size()) expected.update(zeros);
  expected.update(bytes(std::string(5, '\0')));
  expected.update(bytes("MARK!"));
  ASSERT_EQ(writer->finish(expected.finish(), error), OfferWriter::Finish::Done) << error;

  EXPECT_EQ(fs::file_size(dir.path() / "big.bin"), kFourGiB + 10);
  Listing listing{dir.path(), {{"big.bin", kFourGiB + 10}}, false, kFourGiB + 10};
  OfferReader reader(listing);
  std::string tail(7, '.');
  const auto got = reader.read(kFourGiB + 3, std::as_writable_bytes(std::span(tail.data(), tail.size())), error);
  ASSERT_TRUE(got) << error;
  EXPECT_EQ(tail.substr(0, *got), std::string(2, '\0') + "MARK!");
}

TEST(OfferWriter, DiscardAndTheDestructorRemoveTheTemporaryEntry) {
  TempDir dir;
  const Offer folder = makeOffer({{"Photos/a.jpg", "aaa"}, {"Photos/sub/b.jpg", "bb"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path(), folder.files, false, error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write(bytes("aaab"), error)) << error;
  writer->discard();
  EXPECT_TRUE(fs::is_empty(dir.path())) << ::testing::PrintToString(entriesOf(dir.path()));
  EXPECT_FALSE(writer->write(bytes("b"), error)) << "discarded";

  const Offer file = makeOffer({{"report.pdf", "contents"}});
  writer = OfferWriter::open(dir.path(), file.files, false, error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write(bytes("cont"), error)) << error;
  writer.reset();
  EXPECT_TRUE(fs::is_empty(dir.path())) << ::testing::PrintToString(entriesOf(dir.path()));
}

TEST(OfferWriter, RefusesDataPastTheOfferAndAnEarlyFinish) {
  TempDir dir;
  const Offer offer = makeOffer({{"F/a", "aa"}, {"F/b", "bb"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path(), offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write(bytes("aab"), error)) << error;
  EXPECT_FALSE(writer->write(bytes("bb"), error)) << "5 bytes of 4";
  EXPECT_NE(error.find("more data than offered"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_empty(dir.path()));
  EXPECT_FALSE(writer->write(bytes("b"), error)) << "the writer is unusable";

  writer = OfferWriter::open(dir.path(), offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(writer->write(bytes("aab"), error)) << error;
  EXPECT_EQ(writer->finish(hashOf("aabb"), error), OfferWriter::Finish::Failed);
  EXPECT_NE(error.find("3 of 4 bytes"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OfferWriter, RefusesOffersThatCannotBeWrittenAsOne) {
  TempDir dir;
  const std::vector<std::vector<OfferedFile>> bad{
      {},
      {{"Photos/a.jpg", 1}, {"Photos/A.JPG", 1}},  // one file on Windows
      {{"Photos/a", 1}, {"Photos/a/b", 1}},        // a file where a folder must be
      {{"Photos/a", 1}, {"Other/b", 1}},           // two folders
      {{"a.txt", 1}, {"b.txt", 1}},                // several files, not in a folder
      {{"Photos/x.", 1}, {"Photos/x", 1}},         // the same once made safe
      {{"bad\xff", 1}},
  };
  for (const auto& files : bad) {
    std::string error;
    EXPECT_EQ(OfferWriter::open(dir.path(), files, false, error), nullptr) << ::testing::PrintToString(files.size());
    EXPECT_FALSE(error.empty());
  }
  std::vector<OfferedFile> tooMany;
  for (std::size_t i = 0; i <= kMaxOfferFiles; ++i) tooMany.push_back({"F/" + std::to_string(i), 0});
  std::string error;
  EXPECT_EQ(OfferWriter::open(dir.path(), tooMany, false, error), nullptr);
  EXPECT_TRUE(fs::is_empty(dir.path())) << ::testing::PrintToString(entriesOf(dir.path()));
}

TEST(OfferWriter, KeepsHostileNamesInsideTheFolder) {
  TempDir dir;
  const Offer offer = makeOffer({{"../../escape/evil.txt", "evil"}, {"../../escape/con.txt", "x"}});
  std::string error;
  auto writer = OfferWriter::open(dir.path() / "in", offer.files, false, error);
  ASSERT_TRUE(writer) << error;
  EXPECT_EQ(writer->finalPath(), dir.path() / "in" / "__");
  writeAll(*writer, offer, 3);
  ASSERT_EQ(writer->finish(hashOf(offer.all), error), OfferWriter::Finish::Done) << error;
  EXPECT_EQ(entriesOf(dir.path()), std::vector<std::string>{"in"});
  EXPECT_EQ(readFile(dir.path() / "in" / "__" / "__" / "escape" / "evil.txt"), "evil");
  EXPECT_EQ(readFile(dir.path() / "in" / "__" / "__" / "escape" / "_con.txt"), "x");
}

TEST(OfferWriter, SaysWhenTheFolderCannotBeCreated) {
  TempDir dir;
  writeFile(dir.path() / "a-file", "not a folder");
  std::string error;
  EXPECT_EQ(OfferWriter::open(dir.path() / "a-file" / "Downloads", {{"report.pdf", 1}}, false, error), nullptr);
  EXPECT_NE(error.find("cannot create the folder"), std::string::npos) << error;
}

TEST(OfferWriter, RefusesAnOfferLargerThanTheFreeSpace) {
  TempDir dir;
  std::string error;
  EXPECT_EQ(OfferWriter::open(dir.path(), {{"huge.iso", std::uint64_t{1} << 62}}, false, error), nullptr);
  EXPECT_NE(error.find("not enough free space"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_empty(dir.path())) << ::testing::PrintToString(entriesOf(dir.path()));
}

#ifndef _WIN32
TEST(OfferWriter, SaysWhenTheFolderIsReadOnly) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  TempDir dir;
  const fs::path readOnly = dir.path() / "read-only";
  fs::create_directory(readOnly);
  fs::permissions(readOnly, fs::perms::owner_read | fs::perms::owner_exec);
  std::string error;
  EXPECT_EQ(OfferWriter::open(readOnly / "Downloads", {{"report.pdf", 1}}, false, error), nullptr);
  EXPECT_NE(error.find("cannot create the folder"), std::string::npos) << error;
  error.clear();
  EXPECT_EQ(OfferWriter::open(readOnly, {{"report.pdf", 1}}, false, error), nullptr);
  EXPECT_NE(error.find("Permission denied"), std::string::npos) << error;
  EXPECT_EQ(OfferWriter::open(readOnly, {{"Photos/a.jpg", 1}}, false, error), nullptr);
  EXPECT_NE(error.find("Permission denied"), std::string::npos) << error;
  fs::permissions(readOnly, fs::perms::owner_all);
}
#endif

}  // namespace
}  // namespace chatport::chat::files
