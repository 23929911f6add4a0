// Giving back what a surge left free: the once-per-surge rule on every platform, with an
// allocator the test controls; glibc's trim, measured, where it runs.

#include "free_memory.h"
#include "resident_memory.h"

#include <chatport/chat/chat_core.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chatport::chat {
namespace {

// An allocator the test sets: how much it holds free, how often it was asked to release, and
// (where the test says) how much is in use.
std::size_t fakeFree = 0;
int fakeReleases = 0;
std::size_t fakeInUse = 0;
constexpr FreeMemoryReleaser::Allocator kFakeAllocator{[] { return fakeFree; }, [] { ++fakeReleases; }};
constexpr FreeMemoryReleaser::Allocator kFakeAllocatorInUse{
    kFakeAllocator.freeBytes, kFakeAllocator.release, [] { return fakeInUse; }};
constexpr std::size_t kMiB = 1 << 20;

class FreeMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    fakeFree = 0;
    fakeReleases = 0;
    fakeInUse = 0;
  }
};

TEST_F(FreeMemory, ReleasesOncePerSurgeMeasuredFromTheLowestFreeTotalSinceTheLast) {
  FreeMemoryReleaser releaser(16 * kMiB, kFakeAllocator);
  fakeFree = 10 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "10 MiB free: less than the 16 MiB asked for";
  fakeFree = 20 * kMiB;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "20 MiB free";
  EXPECT_EQ(fakeReleases, 1);
  EXPECT_FALSE(releaser.releaseIfGrown()) << "the same 20 MiB (released pages still count as free)";
  for (int i = 1; i < FreeMemoryReleaser::kTailCalls; ++i)
    EXPECT_FALSE(releaser.releaseIfGrown()) << "nothing freed since, through the surge's tail";
  fakeFree = 5 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "the program took memory back";
  fakeFree = 20 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "15 MiB more than the lowest point: not yet";
  fakeFree = 21 * kMiB;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "16 MiB more than the lowest point since the release";
  EXPECT_EQ(fakeReleases, 2);
  fakeFree = 36 * kMiB;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "15 MiB more than at the last release, right after it: its tail";
  fakeFree = 50 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "14 MiB more than at the tail's release: a surge has one tail";
  EXPECT_EQ(fakeReleases, 3);
}

TEST_F(FreeMemory, ASurgesRestFreedSecondsAfterItsReleaseGoesBackOnceWhenWorthAnEighth) {
  FreeMemoryReleaser releaser(8 * kMiB, kFakeAllocatorInUse);
  EXPECT_FALSE(releaser.releaseIfGrown()) << "a first look";
  fakeFree = 20 * kMiB;  // a storm's frames, freed
  fakeInUse = 10 * kMiB;  // its joiners' records
  EXPECT_FALSE(releaser.releaseIfGrown()) << "a surge, still moving";
  EXPECT_TRUE(releaser.releaseIfGrown()) << "settled";
  fakeFree += 512 * 1024;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "half a MiB more free: less than an eighth of the mark";
  fakeFree += 512 * 1024;
  fakeInUse -= 1 * kMiB;  // the storm's spares, given up seconds later
  EXPECT_FALSE(releaser.releaseIfGrown()) << "an eighth of the mark, but the heap is moving";
  EXPECT_TRUE(releaser.releaseIfGrown()) << "an eighth of the mark, settled: the surge's tail";
  fakeFree += 2 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "a surge has one tail";
  EXPECT_EQ(fakeReleases, 2);

  // A surge whose tail comes too late has none.
  fakeFree += 8 * kMiB;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "a new surge";
  for (int i = 0; i < FreeMemoryReleaser::kTailCalls; ++i) EXPECT_FALSE(releaser.releaseIfGrown());
  fakeFree += 1 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "an eighth of the mark, but too late";
  fakeFree += 7 * kMiB;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "a surge again";
  fakeFree -= 4 * kMiB;  // a heartbeat's frames, queued to every joiner
  EXPECT_FALSE(releaser.releaseIfGrown());
  fakeFree += 5 * kMiB;  // sent, and the surge's rest freed
  EXPECT_TRUE(releaser.releaseIfGrown()) << "its tail, through the dip";
  EXPECT_EQ(fakeReleases, 5);
}

TEST_F(FreeMemory, ReleasesOnceTheBytesInUseHaveMovedAndSettled) {
  // A slow storm of joins: the free total hardly grows, but the records it leaves (the joiners'
  // links) show in the bytes in use; the release waits until they stop moving.
  fakeFree = 3 * kMiB;
  fakeInUse = 1 * kMiB;
  FreeMemoryReleaser releaser(2 * kMiB, kFakeAllocatorInUse);
  EXPECT_FALSE(releaser.releaseIfGrown()) << "3 MiB free, but nothing seen before: not yet settled";
  EXPECT_TRUE(releaser.releaseIfGrown()) << "3 MiB free, and settled";
  fakeFree = 4 * kMiB;
  fakeInUse = 2 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "1 MiB more free and 1 MiB more in use: no surge";
  fakeInUse = 10 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "9 MiB more in use: a surge, still going";
  fakeInUse = 25 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "still going";
  fakeInUse = 25 * kMiB + 100 * 1024;
  EXPECT_TRUE(releaser.releaseIfGrown()) << "the surge is over: 100 KiB more since the last look";
  EXPECT_EQ(fakeReleases, 2);
  EXPECT_FALSE(releaser.releaseIfGrown()) << "nothing has moved since";
  fakeInUse = 24 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "1 MiB less in use: no surge";
  fakeInUse = 20 * kMiB;
  EXPECT_FALSE(releaser.releaseIfGrown()) << "5 MiB less in use: a crowd is leaving";
  EXPECT_TRUE(releaser.releaseIfGrown()) << "and has left";
  EXPECT_EQ(fakeReleases, 3);
}

TEST_F(FreeMemory, WithoutAWayToReleaseItDoesNothing) {
  // As with other C libraries and the sanitizers' allocators.
  EXPECT_FALSE(FreeMemoryReleaser(0, FreeMemoryReleaser::Allocator{}).releaseIfGrown());
  fakeFree = 100 * kMiB;
  EXPECT_FALSE(FreeMemoryReleaser(0, {kFakeAllocator.freeBytes, nullptr}).releaseIfGrown());
}

// glibc's own allocator (the sanitizers bring theirs).
#if defined(__linux__) && defined(__GLIBC__) && !defined(CHATPORT_SANITIZED)

long residentKiB() { return static_cast<long>(chatport::test::residentBytes() / 1024); }

TEST_F(FreeMemory, WhatASurgeLeftFreeBetweenLiveBlocksGoesBackToTheSystem) {
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
  EXPECT_FALSE(releaser.releaseIfGrown()) << "a first look: the heap may still be moving";
  ASSERT_TRUE(releaser.releaseIfGrown()) << "the same heap a moment later: settled";
  const long after = residentKiB();
  EXPECT_LT(after, before - 50 * 1024)
      << "about 90 MiB were freed and should no longer be resident: " << before << " KiB before, "
      << after << " KiB after";
  EXPECT_FALSE(releaser.releaseIfGrown()) << "nothing freed since: no second release";
  EXPECT_EQ(kept.size(), 375u);
}

// How many heaps glibc's allocator keeps: the heaps malloc_info reports.
int heapCount() {
  char* text = nullptr;
  std::size_t size = 0;
  FILE* out = ::open_memstream(&text, &size);
  ::malloc_info(0, out);
  std::fclose(out);
  const std::string report(text, size);
  std::free(text);
  int count = 0;
  for (auto at = report.find("<heap nr="); at != std::string::npos; at = report.find("<heap nr=", at + 1))
    ++count;
  return count;
}

TEST(OneHeap, ThreadsStartedAfterwardsAllocateFromTheProcesssOneHeap) {
  useOneHeap();
  const int before = heapCount();  // 1 in a process of its own; more after other tests' threads
  // Four threads allocate at once, each keeping its block until all have theirs; glibc would
  // otherwise give each a heap of its own.
  constexpr int kThreads = 4;
  std::vector<void*> blocks(kThreads);
  std::latch allocated(kThreads);
  std::latch counted(1);
  std::vector<std::jthread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      blocks[i] = std::malloc(1000);
      allocated.count_down();
      counted.wait();
    });
  allocated.wait();
  EXPECT_EQ(heapCount(), before) << "four threads allocating at once: no new heap";
  counted.count_down();
  threads.clear();
  for (void* block : blocks) std::free(block);
}

#endif

}  // namespace
}  // namespace chatport::chat
