// What the file store costs a transfer: writing a received offer (write + hash, then the check
// and the rename) and reading an offer to send (hashAll, then reads at increasing offsets), in
// the block sizes a transfer might use.
//
//   file_store_bench [--mib N] [--block KIB] [--dir DIR]
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

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t mib = 1024;
  std::size_t blockKiB = 256;
  fs::path dir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--mib") && i + 1 < argc) mib = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--block") && i + 1 < argc) blockKiB = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: file_store_bench [--mib N] [--block KIB] [--dir DIR]\n");
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
  if (ownDir) fs::remove_all(dir);
  return 0;
}
