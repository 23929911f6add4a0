// The lists a loop keeps its connections in (and a room shard its links): what is taken out is
// what was asked for, everything else stays, and the list holds its items alive meanwhile.

#include <chatport/net/slot_list.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace chatport::net {
namespace {

class Item {
 public:
  explicit Item(int v) : value(v) {}
  const int value;

 private:
  friend class SlotList<Item>;
  std::uint32_t listSlot_ = SlotList<Item>::kNone;
};

std::vector<int> valuesOf(const SlotList<Item>& list) {
  std::vector<int> values;
  for (const auto& item : list.snapshot()) values.push_back(item->value);
  std::sort(values.begin(), values.end());
  return values;
}

TEST(SlotList, TakesOutTheItemAskedForAndKeepsEveryOther) {
  SlotList<Item> list;
  std::vector<std::shared_ptr<Item>> items;
  for (int i = 0; i < 5; ++i) {
    items.push_back(std::make_shared<Item>(i));
    list.add(items.back());
  }
  // The first, a middle one and the last: each place is refilled from the end.
  for (int gone : {0, 2, 4}) {
    const auto taken = list.remove(*items[static_cast<std::size_t>(gone)]);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->value, gone);
  }
  EXPECT_EQ(valuesOf(list), (std::vector<int>{1, 3}));
  EXPECT_EQ(list.size(), 2u);

  // Taking out what is not there changes nothing, and hands back nothing.
  EXPECT_FALSE(list.remove(*items[2]));
  EXPECT_EQ(valuesOf(list), (std::vector<int>{1, 3}));

  // A removed item can come back.
  list.add(items[2]);
  EXPECT_EQ(valuesOf(list), (std::vector<int>{1, 2, 3}));
  for (int left : {3, 1, 2}) ASSERT_TRUE(list.remove(*items[static_cast<std::size_t>(left)]));
  EXPECT_TRUE(list.empty());
}

TEST(SlotList, AnItemOfAnotherListIsNotTakenFromThisOne) {
  SlotList<Item> first;
  SlotList<Item> second;
  const auto a = std::make_shared<Item>(1);
  const auto b = std::make_shared<Item>(2);
  first.add(a);
  second.add(b);  // the same index as a in first
  EXPECT_FALSE(second.remove(*a));
  EXPECT_EQ(valuesOf(second), (std::vector<int>{2}));
  EXPECT_EQ(valuesOf(first), (std::vector<int>{1}));
}

TEST(SlotList, HoldsItsItemsAliveUntilTheyAreTakenOut) {
  SlotList<Item> list;
  std::weak_ptr<Item> watched;
  {
    auto item = std::make_shared<Item>(7);
    watched = item;
    list.add(std::move(item));
  }
  ASSERT_FALSE(watched.expired());
  // A crowd comes and goes around it.
  std::vector<std::shared_ptr<Item>> crowd;
  for (int i = 0; i < 1000; ++i) {
    crowd.push_back(std::make_shared<Item>(100 + i));
    list.add(crowd.back());
  }
  for (auto& item : crowd) ASSERT_TRUE(list.remove(*item));
  ASSERT_EQ(valuesOf(list), (std::vector<int>{7}));
  auto last = list.remove(*watched.lock());
  ASSERT_TRUE(last);
  last.reset();
  EXPECT_TRUE(watched.expired());
}

}  // namespace
}  // namespace chatport::net
