// The room's index of names taken: a name is found under its key and no other, also when keys
// share a hash, and a member's leaving or renaming frees exactly its own entry.

#include "name_index.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

namespace chatport::chat {
namespace {

// Every key collides: the index must still tell them apart by the members' real keys.
struct OneHash {
  std::size_t operator()(std::string_view) const noexcept { return 42; }
};

template <typename Index>
class Room {
 public:
  void join(ClientId id, std::string key) {
    index.add(key, id);
    keys[id] = std::move(key);
  }
  void leave(ClientId id) {
    index.remove(keys.at(id), id);
    keys.erase(id);
  }
  void rename(ClientId id, std::string key) {
    index.remove(keys.at(id), id);
    index.add(key, id);
    keys[id] = std::move(key);
  }
  ClientId holder(std::string_view key) const {
    return index.find(key, [this](ClientId id) { return keys.at(id); });
  }

  Index index;
  std::map<ClientId, std::string> keys;
};

template <typename Index>
void expectNamesFollowTheRoom() {
  Room<Index> room;
  room.join(1, "ann");
  room.join(2, "bob");
  room.join(3, "zoë");
  EXPECT_EQ(room.holder("ann"), 1u);
  EXPECT_EQ(room.holder("bob"), 2u);
  EXPECT_EQ(room.holder("zoë"), 3u);
  EXPECT_EQ(room.holder("cat"), kNoClient);

  room.leave(2);
  EXPECT_EQ(room.holder("bob"), kNoClient);
  EXPECT_EQ(room.holder("ann"), 1u);
  EXPECT_EQ(room.holder("zoë"), 3u);

  room.rename(1, "bob");  // the name bob left is free again; ann's is then free
  EXPECT_EQ(room.holder("bob"), 1u);
  EXPECT_EQ(room.holder("ann"), kNoClient);
  room.join(4, "ann");
  EXPECT_EQ(room.holder("ann"), 4u);
  EXPECT_EQ(room.holder("bob"), 1u);
}

TEST(NameIndex, ANameIsFoundUnderItsKeyUntilItsHolderLeavesOrTakesAnother) {
  expectNamesFollowTheRoom<NameIndex<>>();
}

TEST(NameIndex, KeysThatShareAHashAreStillToldApart) {
  expectNamesFollowTheRoom<NameIndex<OneHash>>();
}

}  // namespace
}  // namespace chatport::chat
