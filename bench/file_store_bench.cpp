// What the file store costs a transfer: writing a received offer (write + hash, then the check
// and the rename) and reading an offer to send (hashAll, then reads at increasing offsets), in
// the block sizes a transfer might use; and writing a received folder of many small files.
//
//   file_store_bench [--mib N] [--block KIB] [--files N] [--file-kib KIB] [--dir DIR]
//
// DIR (default: a new folder under the system's temporary folder, removed after) must be on the
// disk to measure. The figures include the page cache: a file just written is read back from
// memory, as a sender's recent file often is.

#include "file_store.h"

#include <gcrypt.h>

#include <chatport/net/secure_random.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace chatport::chat::files;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void report(const char* what, std::uint64_t bytes, double seconds) {
  std::printf("%-34s %8.0f MB/s  (%.2f s)\n", what, static_cast<double>(bytes) / seconds / 1e6, seconds);
}

/// Receives a folder of count files of fileKiB each into dir, as a transfer writes it (a block
/// of up to 64 KiB at a time), and reports files a second. False with a message on error.
bool writeFolder(const fs::path& dir, std::size_t count, std::size_t fileKiB) {
  std::vector<chatport::chat::OfferedFile> files;
  for (std::size_t i = 0; i < count; ++i) files.push_back({"Photos/" + std::to_string(100000 + i) + ".jpg", fileKiB << 10});
  std::vector<std::byte> content(fileKiB << 10);
  chatport::net::fillSecureRandom(content);
  Hasher hasher;
  for (std::size_t i = 0; i < count; ++i) hasher.update(content);
  const Hash expected = hasher.finish();

  std::string error;
  const auto start = Clock::now();
  auto writer = OfferWriter::open(dir, files, false, error);
  bool ok = writer != nullptr;
  for (std::size_t i = 0; ok && i < count; ++i)
    for (std::size_t at = 0; ok && at < content.size(); at += 64 << 10)
      ok = writer->write(std::span(content).subspan(at, std::min<std::size_t>(64 << 10, content.size() - at)), error);
  ok = ok && writer->finish(expected, error) == OfferWriter::Finish::Done;
  if (!ok) {
    std::fprintf(stderr, "file_store_bench: %s\n", error.c_str());
    return false;
  }
  const double seconds = secondsSince(start);
  std::printf("OfferWriter: a folder of %zu files of %zu KiB: %8.0f files/s  (%.2f s)\n", count, fileKiB,
              static_cast<double>(count) / seconds, seconds);
  fs::remove_all(writer->finalPath());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t mib = 1024;
  std::size_t blockKiB = 256;
  std::size_t folderFiles = 1000;
  std::size_t fileKiB = 16;
  fs::path dir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--mib") && i + 1 < argc) mib = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--block") && i + 1 < argc) blockKiB = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--files") && i + 1 < argc) folderFiles = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--file-kib") && i + 1 < argc) fileKiB = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: file_store_bench [--mib N] [--block KIB] [--files N] [--file-kib KIB] [--dir DIR]\n");
      return 2;
    }
  }
  const bool ownDir = dir.empty();
  if (ownDir) {
    Hash random{};
    chatport::net::fillSecureRandom(random);
    dir = fs::temp_directory_path() / ("file-store-bench-" + toHex(random).substr(0, 16));
  }
  fs::create_directories(dir);

  const std::uint64_t total = mib << 20;
  std::vector<std::byte> block(blockKiB << 10);
  chatport::net::fillSecureRandom(block);
  std::printf("%llu MiB in blocks of %zu KiB, in %s\n", static_cast<unsigned long long>(mib), blockKiB,
              dir.string().c_str());

  // The hash alone, for comparison, and the one files had before protocol 7 (BLAKE2b-256).
  auto start = Clock::now();
  Hasher hasher;
  for (std::uint64_t done = 0; done < total; done += block.size()) hasher.update(block);
  const Hash expected = hasher.finish();
  report("SHA-256 alone (Hasher)", total, secondsSince(start));
  gcry_md_hd_t blake2b = nullptr;
  if (gcry_md_open(&blake2b, GCRY_MD_BLAKE2B_256, 0) == 0) {
    start = Clock::now();
    for (std::uint64_t done = 0; done < total; done += block.size()) gcry_md_write(blake2b, block.data(), block.size());
    gcry_md_final(blake2b);
    report("BLAKE2b-256 alone", total, secondsSince(start));
    gcry_md_close(blake2b);
  }

  std::string error;
  start = Clock::now();
  auto writer = OfferWriter::open(dir, {{"bench.bin", total}}, true, error);
  if (!writer) {
    std::fprintf(stderr, "file_store_bench: %s\n", error.c_str());
    return 1;
  }
  for (std::uint64_t done = 0; done < total; done += block.size()) {
    if (!writer->write(block, error)) {
      std::fprintf(stderr, "file_store_bench: %s\n", error.c_str());
      return 1;
    }
  }
  if (writer->finish(expected, error) != OfferWriter::Finish::Done) {
    std::fprintf(stderr, "file_store_bench: %s\n", error.c_str());
    return 1;
  }
  report("OfferWriter: write, hash, rename", total, secondsSince(start));

  auto listing = list(writer->finalPath(), error);
  if (!listing) {
    std::fprintf(stderr, "file_store_bench: %s\n", error.c_str());
    return 1;
  }
  OfferReader reader(*listing);
  start = Clock::now();
  const auto hash = reader.hashAll(error);
  report("OfferReader: hashAll", total, secondsSince(start));
  if (hash != expected) std::fprintf(stderr, "file_store_bench: the hash differs\n");

  start = Clock::now();
  for (std::uint64_t done = 0; done < total;) {
    const auto got = reader.read(done, block, error);
    if (!got || *got == 0) break;
    done += *got;
  }
  report("OfferReader: read", total, secondsSince(start));

  fs::remove(writer->finalPath());
  const bool folderOk = folderFiles == 0 || writeFolder(dir, folderFiles, fileKiB);
  if (ownDir) fs::remove_all(dir);
  return folderOk ? 0 : 1;
}
