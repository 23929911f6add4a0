#include <chatport/net/record_pool.h>

#include <gtest/gtest.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace chatport::net {
namespace {

TEST(BlockPool, HandsOutDistinctAlignedBlocksThatHoldWhatIsWritten) {
  BlockPool pool(40, 16);
  EXPECT_EQ(pool.blockSize(), 48u);  // rounded up to the alignment
  std::vector<std::byte*> blocks;
  for (std::size_t i = 0; i < 3 * pool.blocksPerSlab(); ++i) {
    auto* b = static_cast<std::byte*>(pool.allocate());
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(b) % 16, 0u);
    std::memset(b, static_cast<int>(i & 0xff), pool.blockSize());
    blocks.push_back(b);
  }
  EXPECT_EQ(pool.slabs(), 3u);
  std::set<std::byte*> distinct(blocks.begin(), blocks.end());
  EXPECT_EQ(distinct.size(), blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto expected = static_cast<std::byte>(i & 0xff);
    ASSERT_TRUE(std::all_of(blocks[i], blocks[i] + pool.blockSize(), [&](std::byte v) { return v == expected; }))
        << "block " << i << " was overwritten";
  }
  for (auto* b : blocks) pool.deallocate(b);
}

TEST(BlockPool, ReusesAGivenBackBlockBeforeTakingNewMemory) {
  BlockPool pool(64, 8);
  void* a = pool.allocate();
  void* b = pool.allocate();
  pool.deallocate(a);
  EXPECT_EQ(pool.allocate(), a);
  pool.deallocate(a);
  pool.deallocate(b);
  EXPECT_EQ(pool.slabs(), 1u);  // the only slab with room is kept
}

TEST(BlockPool, GivesBackEverySlabACrowdLeavesEmptyButOne) {
  BlockPool pool(312, 8);
  std::vector<void*> crowd;
  for (std::size_t i = 0; i < 10 * pool.blocksPerSlab() + 1; ++i) crowd.push_back(pool.allocate());
  EXPECT_EQ(pool.slabs(), 11u);
  // One stays in each of the first two slabs; everyone else leaves, in no particular order.
  std::vector<void*> stay{crowd[0], crowd[pool.blocksPerSlab()]};
  std::erase(crowd, stay[0]);
  std::erase(crowd, stay[1]);
  for (std::size_t i = 0; i < crowd.size(); i += 2) pool.deallocate(crowd[i]);
  for (std::size_t i = 1; i < crowd.size(); i += 2) pool.deallocate(crowd[i]);
  EXPECT_EQ(pool.slabs(), 2u);
  // The next ones fill those slabs' holes before any new slab is made.
  for (std::size_t i = 0; i < 2 * pool.blocksPerSlab() - 2; ++i) stay.push_back(pool.allocate());
  EXPECT_EQ(pool.slabs(), 2u);
  for (void* p : stay) pool.deallocate(p);
  EXPECT_EQ(pool.slabs(), 1u);
}

#if defined(__GLIBC__) && !defined(CHATPORT_SANITIZED)
TEST(BlockPool, TakesItsSlabsFromTheSystemNotTheHeap) {
  // A slab from the heap, aligned to its size, leaves free gaps around it that a storm's
  // short-lived blocks fill; from the system it leaves the heap as it was.
  const auto fromMalloc = [] {
    const struct mallinfo2 m = ::mallinfo2();
    return m.uordblks + m.hblkhd;  // in its heaps, and mapped for large blocks
  };
  BlockPool pool(312, 8);
  std::vector<void*> crowd;
  crowd.reserve(4 * pool.blocksPerSlab());
  const std::size_t before = fromMalloc();
  for (std::size_t i = 0; i < 4 * pool.blocksPerSlab(); ++i) crowd.push_back(pool.allocate());
  const std::size_t grown = fromMalloc() - before;
  EXPECT_EQ(pool.slabs(), 4u);
  EXPECT_LT(grown, BlockPool::kSlabBytes) << "four slabs made, not one slab's worth taken from the heap";
  for (void* p : crowd) pool.deallocate(p);
}
#endif

TEST(BlockPool, ABlockMadeOnOneThreadMayBeFreedOnAnother) {
  BlockPool pool(24, 8);
  constexpr int kPerThread = 20000;
  std::vector<std::uintptr_t*> made[2];
  std::thread makers[2];
  for (int t = 0; t < 2; ++t) {
    makers[t] = std::thread([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto* p = static_cast<std::uintptr_t*>(pool.allocate());
        p[0] = static_cast<std::uintptr_t>(t);
        p[1] = static_cast<std::uintptr_t>(i);
        made[t].push_back(p);
        // Some go back at once, on this thread, while the other thread allocates too.
        if (i % 3 == 0) {
          pool.deallocate(made[t].back());
          made[t].pop_back();
        }
      }
    });
  }
  for (auto& m : makers) m.join();
  // Each is freed by the thread that did not make it, after checking that nothing else wrote it.
  std::thread freers[2];
  for (int t = 0; t < 2; ++t) {
    freers[t] = std::thread([&, t] {
      for (auto* p : made[1 - t]) {
        EXPECT_EQ(p[0], static_cast<std::uintptr_t>(1 - t));
        pool.deallocate(p);
      }
    });
  }
  for (auto& f : freers) f.join();
  EXPECT_EQ(pool.slabs(), 1u);
}

struct Counted {
  static inline int alive = 0;
  explicit Counted(int v) : value(v) { ++alive; }
  ~Counted() { --alive; }
  int value;
  char payload[100] = {};
};

TEST(PoolAllocator, MakesSharedObjectsAndMapNodesFromThePool) {
  {
    auto a = std::allocate_shared<Counted>(PoolAllocator<Counted>(), 7);
    std::weak_ptr<Counted> weak = a;
    EXPECT_EQ(a->value, 7);
    EXPECT_EQ(Counted::alive, 1);
    a.reset();
    EXPECT_EQ(Counted::alive, 0);  // destroyed with the last owner, the block kept for the weak one
    EXPECT_TRUE(weak.expired());
  }
  std::map<int, Counted, std::less<int>, PoolAllocator<std::pair<const int, Counted>>> byId;
  for (int i = 0; i < 1000; ++i) byId.emplace(i, i * 2);
  EXPECT_EQ(Counted::alive, 1000);
  for (int i = 0; i < 1000; i += 2) byId.erase(i);
  ASSERT_EQ(byId.size(), 500u);
  for (const auto& [id, c] : byId) ASSERT_EQ(c.value, id * 2);
  byId.clear();
  EXPECT_EQ(Counted::alive, 0);
}

// A record made with new, as a backend's streams are. Its size (488 bytes) is its own, so
// that the pool it draws from is used by nothing else in this test program.
struct Record : PooledNew<Record> {
  virtual ~Record() = default;
  std::uint64_t words[60] = {};
};
struct Extended final : Record {  // larger: a block of the record's pool would not hold it
  std::uint64_t more[4] = {1, 2, 3, 4};
};

TEST(PooledNew, ARecordMadeWithNewComesFromItsPoolAndADerivedOneFromTheHeap) {
  BlockPool& pool = blockPool<sizeof(Record), alignof(Record)>();
  ASSERT_EQ(pool.slabs(), 0u);
  std::vector<std::unique_ptr<Record>> records;
  for (std::size_t i = 0; i < 2 * pool.blocksPerSlab(); ++i) records.push_back(std::make_unique<Record>());
  EXPECT_EQ(pool.slabs(), 2u) << "two slabs' worth";
  records.push_back(std::make_unique<Extended>());
  EXPECT_EQ(pool.slabs(), 2u) << "a derived record is another size: no third slab";
  records.clear();  // deleted through the base, each to where it came from
  EXPECT_EQ(pool.slabs(), 1u);
}

}  // namespace
}  // namespace chatport::net
