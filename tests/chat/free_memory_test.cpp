#include "free_memory.h"
#include "resident_memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace chatport::chat {
namespace {

#if defined(__linux__) && defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)

long residentKiB() { return static_cast<long>(chatport::test::residentBytes() / 1024); }

TEST(FreeMemory, WhatASurgeLeftFreeBetweenLiveBlocksGoesBackToTheSystem) {
  // A surge on another thread (as on a network loop): many short-lived blocks with a few
  // long-lived ones among them, like frames queued between connections' records.
  std::vector<std::unique_ptr<char[]>> kept;
  std::thread surge([&] {
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 24'000; ++i) {
      blocks.emplace_back(new char[4096]);
      std::memset(blocks.back().get(), i, 4096);  // resident, not just reserved
    }
    for (std::size_t i = 0; i < blocks.size(); i += 64) kept.push_back(std::move(blocks[i]));
  });
  surge.join();
  const long before = residentKiB();
  ASSERT_GT(before, 0);

  EXPECT_FALSE(FreeMemoryReleaser(std::size_t{1} << 40).releaseIfGrown())
      << "less freed than asked for: nothing done";
  FreeMemoryReleaser releaser(16 << 20);
  ASSERT_TRUE(releaser.releaseIfGrown());
  const long after = residentKiB();
  EXPECT_LT(after, before - 50 * 1024)
      << "about 90 MiB were freed and should no longer be resident: " << before << " KiB before, "
      << after << " KiB after";
  EXPECT_FALSE(releaser.releaseIfGrown()) << "nothing freed since: no second release";
  EXPECT_EQ(kept.size(), 375u);
}

#else

TEST(FreeMemory, DoesNothingWithoutGlibcsAllocator) {
  EXPECT_FALSE(FreeMemoryReleaser(0).releaseIfGrown()) << "only glibc's allocator can be trimmed";
}

#endif

}  // namespace
}  // namespace chatport::chat
