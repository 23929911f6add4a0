// A room as its people see it: who is here, every message in one order with its exact bytes,
// joins, leaves, renames, kicks, private messages, and the refusals a joiner can meet.

#include "raw_joiner.h"
#include "raw_socket.h"
#include "test_participant.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>

#ifndef _WIN32
#include <unistd.h>
#endif

namespace chatport::chat::test {
namespace {

// A host on 127.0.0.1 and a free port.
std::unique_ptr<TestParticipant> startHost(const std::string& name, CoreOptions options = hostOptions()) {
  auto host = std::make_unique<TestParticipant>(options);
  host->host(name);
  EXPECT_TRUE(host->waitConnected()) << host->describe();
  return host;
}

std::vector<std::string> names(const std::vector<Participant>& list) {
  std::vector<std::string> out;
  for (const auto& p : list) out.push_back(p.name);
  return out;
}

TEST(ChatRoom, FiftyJoinersSeeTheSameListAndEveryMessageInOneOrder) {
  auto host = startHost("host 主");
  const auto port = host->port();
  constexpr int kJoiners = 50;
  std::vector<std::unique_ptr<TestParticipant>> joiners;
  for (int i = 0; i < kJoiners; ++i) {
    joiners.push_back(std::make_unique<TestParticipant>());
    joiners.back()->join("joiner-" + std::to_string(i) + (i % 2 ? "-李" : "-🙂"), port);
  }
  for (auto& j : joiners) ASSERT_TRUE(j->waitConnected()) << j->describe();

  // Everyone ends up with the same list of 51, in the same order.
  std::vector<TestParticipant*> everyone{host.get()};
  for (auto& j : joiners) everyone.push_back(j.get());
  for (auto* p : everyone)
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.clients.size() == kJoiners + 1; })) << p->describe();
  const auto expected = host->with([](Seen& s) { return s.clients; });
  EXPECT_EQ(expected.front().name, "host 主");
  EXPECT_TRUE(expected.front().isHost);
  for (auto* p : everyone) p->with([&](Seen& s) { EXPECT_EQ(s.clients, expected); });

  // Everyone speaks twice, all at once; every message reaches everyone in one order.
  constexpr int kEach = 2;
  for (int round = 0; round < kEach; ++round)
    for (std::size_t i = 0; i < everyone.size(); ++i)
      everyone[i]->say("msg " + std::to_string(round) + " from " + std::to_string(i) +
                       ": 你好世界 こんにちは 안녕 🎉👩‍💻 \xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88");
  const std::size_t total = everyone.size() * kEach;
  for (auto* p : everyone)
    ASSERT_TRUE(p->waitFor([&](Seen& s) { return s.messages.size() >= total; }))
        << p->describe();

  const auto reference = host->with([](Seen& s) { return s.messages; });
  ASSERT_EQ(reference.size(), total);
  for (std::size_t k = 0; k < total; ++k) EXPECT_EQ(reference[k].seq, k + 1) << "seq without gaps";
  std::set<std::string> texts;
  for (const auto& m : reference) texts.insert(m.text);
  EXPECT_EQ(texts.size(), total) << "no message lost or duplicated";
  for (std::size_t i = 0; i < everyone.size(); ++i) {
    everyone[i]->with([&](Seen& s) {
      ASSERT_EQ(s.messages.size(), total);
      for (std::size_t k = 0; k < total; ++k) {
        const auto& got = s.messages[k];
        ASSERT_EQ(got.seq, reference[k].seq) << "participant " << i;
        ASSERT_EQ(got.from, reference[k].from) << "participant " << i << ", message " << k;
        ASSERT_EQ(got.fromName, reference[k].fromName);
        ASSERT_EQ(got.time, reference[k].time) << "stamped once, by the host";
        ASSERT_EQ(got.text, reference[k].text) << "exact bytes";
      }
    });
  }
  // A message is stamped with its real sender: participant i's texts come from i's id.
  for (const auto& m : reference) {
    const auto from = std::stoul(m.text.substr(m.text.find("from ") + 5));
    EXPECT_EQ(m.from, everyone[from]->id()) << m.text;
  }
}

TEST(ChatRoom, ARoomLargeEnoughToPaceItsFlushesDeliversEveryLineInOrder) {
  // From 100 members a room flushes at most once a gap (Fanout::setRoomSize): the first of a
  // quick run of lines goes out at once, the rest wait for the gap's timer and go together.
  // Everyone gets all of them, in the order said, and the host's own window too.
  auto host = startHost("host");
  constexpr int kJoiners = 120;
  constexpr int kLines = 30;
  std::vector<std::unique_ptr<RawJoiner>> joiners;
  for (int i = 0; i < kJoiners; ++i) {
    joiners.push_back(std::make_unique<RawJoiner>());
    ASSERT_TRUE(joiners.back()->handshake(host->port(), "member-" + std::to_string(i))) << i;
    joiners.back()->socket().setReceiveTimeout(std::chrono::seconds(20));
  }
  ASSERT_TRUE(host->waitFor([](Seen& s) { return s.clients.size() == kJoiners + 1; })) << host->describe();
  for (int line = 1; line <= kLines; ++line)
    ASSERT_TRUE(joiners[0]->send(proto::toFrame(proto::Say{"line " + std::to_string(line)})));

  for (int i = 0; i < kJoiners; ++i) {
    int heard = 0;
    while (heard < kLines) {
      auto m = joiners[i]->next();
      ASSERT_TRUE(m.has_value()) << "member-" << i << " heard " << heard << " lines, then nothing";
      if (const auto* c = std::get_if<proto::ChatMessage>(&*m)) {
        ASSERT_EQ(c->text, "line " + std::to_string(++heard)) << "member-" << i;
      }
    }
  }
  ASSERT_TRUE(host->waitFor([](Seen& s) { return s.messages.size() == kLines; })) << host->describe();
  host->with([](Seen& s) {
    for (int line = 1; line <= kLines; ++line) EXPECT_EQ(s.messages[line - 1].text, "line " + std::to_string(line));
  });
}

TEST(ChatRoom, ACrowdJoiningTogetherIsNewsOnceEachAndKnownBeforeItSpeaks) {
  // The host announces joins a tick at a time, so newcomers of one tick hear of themselves and
  // of each other both in their Welcome and in the Joined that follows; and a newcomer may
  // speak, in public or in private, before that Joined has gone out.
  auto host = startHost("host");
  const auto port = host->port();
  constexpr int kJoiners = 30;
  std::vector<std::unique_ptr<TestParticipant>> joiners;
  for (int i = 0; i < kJoiners; ++i) {
    joiners.push_back(std::make_unique<TestParticipant>());
    joiners.back()->join("crowd-" + std::to_string(i), port);
  }
  ASSERT_TRUE(joiners[0]->waitConnected()) << joiners[0]->describe();
  const ClientId first = joiners[0]->id();
  for (int i = 0; i < kJoiners; ++i) {
    ASSERT_TRUE(joiners[i]->waitConnected()) << joiners[i]->describe();
    if (i > 0) joiners[i]->submit(PrivateCommand{first, "psst from " + std::to_string(i)});
    joiners[i]->say("hello from " + std::to_string(i));
  }
  std::vector<TestParticipant*> everyone{host.get()};
  for (auto& j : joiners) everyone.push_back(j.get());
  for (auto* p : everyone)
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.clients.size() == kJoiners + 1; })) << p->describe();
  // The last hello was said once everyone was in: everyone hears it.
  const std::string last = "hello from " + std::to_string(kJoiners - 1);
  for (auto* p : everyone)
    ASSERT_TRUE(p->waitFor([&](Seen& s) {
      return std::any_of(s.messages.begin(), s.messages.end(), [&](const MessageEvent& m) { return m.text == last; });
    })) << p->describe();
  ASSERT_TRUE(joiners[0]->waitFor([](Seen& s) { return s.privates.size() >= kJoiners - 1u; })) << joiners[0]->describe();

  const auto expected = host->with([](Seen& s) { return s.clients; });
  for (auto* p : everyone) {
    const ClientId self = p->id();
    p->with([&](Seen& s) {
      EXPECT_EQ(s.clients, expected);
      // Walk what this one saw, in order: who it knew at each point.
      std::set<ClientId> known;
      std::set<ClientId> announced;
      for (const auto& e : s.all) {
        if (const auto* list = std::get_if<ClientListEvent>(&e)) {
          for (const auto& c : list->clients) known.insert(c.id);
        } else if (const auto* joined = std::get_if<JoinedEvent>(&e)) {
          EXPECT_NE(joined->who.id, self) << "told of its own join";
          EXPECT_TRUE(announced.insert(joined->who.id).second) << joined->who.name << " announced twice";
          known.insert(joined->who.id);
        } else if (const auto* m = std::get_if<MessageEvent>(&e); m && !m->history) {
          EXPECT_TRUE(known.count(m->from)) << m->text << " came before its sender was known";
          EXPECT_FALSE(m->fromName.empty()) << m->text;
        } else if (const auto* pm = std::get_if<PrivateMessageEvent>(&e)) {
          EXPECT_TRUE(known.count(pm->from)) << pm->text << " came before its sender was known";
          EXPECT_FALSE(pm->fromName.empty()) << pm->text;
        }
      }
    });
  }
}

TEST(ChatRoom, AJoinerRunsOneLoopAndAHostOnePerCoreUnlessTold) {
  CoreOptions any;
  EXPECT_EQ(optionsFor(Role::Joiner, any).threads, 1u) << "a joiner serves one socket";
  EXPECT_EQ(optionsFor(Role::Host, any).threads, 0u) << "a host: one loop per core";
  any.threads = 3;
  EXPECT_EQ(optionsFor(Role::Joiner, any).threads, 3u) << "what the caller asked for stands";
  // And a joiner on one loop chats as any other.
  auto host = startHost("host");
  TestParticipant one(optionsFor(Role::Joiner, testOptions()));
  one.join("one", host->port());
  ASSERT_TRUE(one.waitConnected()) << one.describe();
  one.say("on one loop");
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.messages.empty() && s.messages.back().text == "on one loop"; }));
}

TEST(ChatRoom, JoinRenameLeaveAndKickAreSeenByEveryone) {
  auto host = startHost("host");
  TestParticipant ann, bob, cat;
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
  bob.join("bob", host->port());
  ASSERT_TRUE(bob.waitConnected());
  cat.join("cat", host->port());
  ASSERT_TRUE(cat.waitConnected());
  std::vector<TestParticipant*> all{host.get(), &ann, &bob, &cat};
  for (auto* p : all)
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.clients.size() == 4; })) << p->describe();
  // Ann was there first and saw the others arrive.
  ann.with([](Seen& s) {
    ASSERT_EQ(s.joined.size(), 2u);
    EXPECT_EQ(s.joined[0].who.name, "bob");
    EXPECT_EQ(s.joined[1].who.name, "cat");
  });

  bob.submit(RenameCommand{"robert"});
  for (auto* p : all)
    ASSERT_TRUE(p->waitFor([](Seen& s) { return !s.renamed.empty() && s.isIn("robert"); })) << p->describe();
  const ClientId bobId = bob.id();
  for (auto* p : all)
    p->with([&](Seen& s) {
      EXPECT_EQ(s.renamed[0].id, bobId);
      EXPECT_EQ(s.renamed[0].oldName, "bob");
      EXPECT_EQ(s.renamed[0].newName, "robert");
    });

  cat.submit(LeaveCommand{});
  ASSERT_TRUE(cat.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  cat.with([](Seen& s) {
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::Left);
    EXPECT_FALSE(s.disconnected[0].willReconnect);
  });
  for (auto* p : {host.get(), &ann, &bob})
    ASSERT_TRUE(p->waitFor([](Seen& s) { return !s.left.empty() && !s.isIn("cat"); })) << p->describe();
  for (auto* p : {host.get(), &ann, &bob})
    p->with([](Seen& s) {
      EXPECT_EQ(s.left[0].who.name, "cat");
      EXPECT_EQ(s.left[0].reason, LeaveReason::Quit);
    });

  host->submit(KickCommand{ann.id()});
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  ann.with([](Seen& s) {
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::Kicked);
    EXPECT_FALSE(s.disconnected[0].willReconnect) << "a kicked joiner does not come back by itself";
  });
  for (auto* p : {host.get(), &bob})
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.left.size() == 2 && s.clients.size() == 2; })) << p->describe();
  bob.with([](Seen& s) {
    EXPECT_EQ(s.left[1].who.name, "ann");
    EXPECT_EQ(s.left[1].reason, LeaveReason::Kicked);
    EXPECT_EQ(names(s.clients), (std::vector<std::string>{"host", "robert"}));
  });

  // Only the host may kick.
  bob.submit(KickCommand{1});
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return s.hasError(ErrorCode::NotAllowed); }));
}

Presence presenceIn(const Seen& s, std::string_view name) {
  for (const auto& p : s.clients)
    if (p.name == name) return p.presence;
  ADD_FAILURE() << name << " is not in the list";
  return Presence::Available;
}

TEST(ChatRoom, EveryoneSeesWhoIsAwayOrBusyNewcomersAndLaterSessionsToo) {
  auto host = startHost("host");
  TestParticipant ann, bob;
  ann.join("ann", host->port());
  bob.join("bob", host->port());
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(bob.waitConnected());
  std::vector<TestParticipant*> all{host.get(), &ann, &bob};
  for (auto* p : all) ASSERT_TRUE(p->waitFor([](Seen& s) { return s.clients.size() == 3; })) << p->describe();

  ann.submit(SetPresenceCommand{Presence::Away});
  host->submit(SetPresenceCommand{Presence::Busy});
  const ClientId annId = ann.id();
  for (auto* p : all) {
    ASSERT_TRUE(p->waitFor([](Seen& s) {
      return presenceIn(s, "ann") == Presence::Away && presenceIn(s, "host") == Presence::Busy;
    })) << p->describe();
    p->with([&](Seen& s) {
      std::vector<Presence> annSaid;
      for (const auto& e : s.all)
        if (const auto* c = std::get_if<PresenceEvent>(&e); c && c->id == annId) annSaid.push_back(c->presence);
      EXPECT_EQ(annSaid, std::vector<Presence>{Presence::Away}) << "told once, as an event too";
      EXPECT_EQ(presenceIn(s, "bob"), Presence::Available);
    });
  }

  // A newcomer's list says it from the start.
  TestParticipant cat;
  cat.join("cat", host->port());
  ASSERT_TRUE(cat.waitFor([](Seen& s) { return s.clients.size() == 4; })) << cat.describe();
  cat.with([](Seen& s) {
    EXPECT_EQ(presenceIn(s, "ann"), Presence::Away);
    EXPECT_EQ(presenceIn(s, "host"), Presence::Busy);
  });

  // Ann leaves and joins again: a new session, and she is still away for everyone.
  ann.submit(LeaveCommand{});
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.isIn("ann"); })) << bob.describe();
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  for (auto* p : {host.get(), &bob, &cat, &ann})
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.isIn("ann") && presenceIn(s, "ann") == Presence::Away; }))
        << p->describe();
  // And back.
  ann.submit(SetPresenceCommand{Presence::Available});
  for (auto* p : {host.get(), &bob, &cat})
    ASSERT_TRUE(p->waitFor([](Seen& s) { return s.isIn("ann") && presenceIn(s, "ann") == Presence::Available; }))
        << p->describe();
}

// The last picture s was told of for id; nullopt if none was.
std::optional<Picture> pictureSaid(const Seen& s, ClientId id) {
  std::optional<Picture> last;
  for (const auto& e : s.all)
    if (const auto* p = std::get_if<PictureEvent>(&e); p && p->id == id) last = p->picture;
  return last;
}

// A JPEG's signature then tag: what the core checks of a picture (the window decodes it).
Picture picture(int tag) { return {std::byte{0xFF}, std::byte{0xD8}, std::byte{0xFF}, std::byte(tag)}; }

TEST(ChatRoom, EveryoneSeesEachPersonsPictureNewcomersAndLaterSessionsToo) {
  auto host = startHost("host");
  TestParticipant ann, bob;
  ann.submit(SetPictureCommand{picture(1)});  // before joining: it goes with her
  ann.join("ann", host->port());
  bob.join("bob", host->port());
  ASSERT_TRUE(ann.waitConnected());
  ASSERT_TRUE(bob.waitConnected());
  const ClientId annId = ann.id();
  const ClientId hostId = host->id();
  std::vector<TestParticipant*> all{host.get(), &ann, &bob};
  for (auto* p : all)
    ASSERT_TRUE(p->waitFor([&](Seen& s) { return s.clients.size() == 3 && pictureSaid(s, annId) == picture(1); }))
        << p->describe();

  host->submit(SetPictureCommand{picture(2)});
  for (auto* p : all)
    ASSERT_TRUE(p->waitFor([&](Seen& s) { return pictureSaid(s, hostId) == picture(2); })) << p->describe();

  // A newcomer is given everyone's who has one, and nobody else's.
  TestParticipant cat;
  cat.join("cat", host->port());
  ASSERT_TRUE(cat.waitFor([&](Seen& s) {
    return s.clients.size() == 4 && pictureSaid(s, annId) == picture(1) && pictureSaid(s, hostId) == picture(2);
  })) << cat.describe();
  cat.with([&](Seen& s) { EXPECT_EQ(pictureSaid(s, bob.id()), std::nullopt); });

  // Removed: everyone is told.
  ann.submit(SetPictureCommand{});
  for (auto* p : {host.get(), &ann, &bob, &cat})
    ASSERT_TRUE(p->waitFor([&](Seen& s) { return pictureSaid(s, annId) == Picture{}; })) << p->describe();

  // A new one, then a new session: the core keeps it, and the room sees it on her new id.
  ann.submit(SetPictureCommand{picture(3)});
  ASSERT_TRUE(bob.waitFor([&](Seen& s) { return pictureSaid(s, annId) == picture(3); })) << bob.describe();
  ann.submit(LeaveCommand{});
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.isIn("ann"); })) << bob.describe();
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected(2)) << ann.describe();
  const ClientId again = ann.id();
  ASSERT_NE(again, annId);
  for (auto* p : {host.get(), &bob, &cat, &ann})
    ASSERT_TRUE(p->waitFor([&](Seen& s) { return pictureSaid(s, again) == picture(3); })) << p->describe();

  // What is not a picture is refused here, and nobody hears of it.
  ann.submit(SetPictureCommand{Picture(10, std::byte{'G'})});
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.hasError(ErrorCode::InvalidPicture); })) << ann.describe();
  ann.say("after");
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.messages.empty() && s.messages.back().text == "after"; }));
  bob.with([&](Seen& s) { EXPECT_EQ(pictureSaid(s, again), picture(3)); });
}

TEST(ChatRoom, TakenNameIsRefusedWhateverItsCase) {
  auto host = startHost("Ann");
  TestParticipant same;
  same.join("ann", host->port());
  ASSERT_TRUE(same.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  same.with([](Seen& s) {
    EXPECT_TRUE(s.endedWith(ErrorCode::NameTaken)) << s.describe();
    EXPECT_FALSE(s.disconnected[0].willReconnect);
    EXPECT_TRUE(s.connected.empty());
  });

  TestParticipant bob, bob2;
  bob.join("bob", host->port());
  ASSERT_TRUE(bob.waitConnected());
  bob2.join("bob", host->port());
  ASSERT_TRUE(bob2.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_TRUE(bob2.with([](Seen& s) { return s.endedWith(ErrorCode::NameTaken); })) << bob2.describe();

  // Renaming onto a taken name is refused too, and changes nothing.
  bob.submit(RenameCommand{"ANN"});
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return s.hasError(ErrorCode::NameTaken); })) << bob.describe();
  host->with([](Seen& s) { EXPECT_TRUE(s.renamed.empty()); });
  EXPECT_EQ(host->with([](Seen& s) { return s.joined.size(); }), 1u) << "only one bob got in";
}

TEST(ChatRoom, PrivateMessagesReachOnlyTheirRecipientAndSender) {
  auto host = startHost("host");
  TestParticipant ann, bob, cat;
  for (auto [p, n] : std::initializer_list<std::pair<TestParticipant*, const char*>>{{&ann, "ann"}, {&bob, "bob"}, {&cat, "cat"}}) {
    p->join(n, host->port());
    ASSERT_TRUE(p->waitConnected());
  }
  ann.submit(PrivateCommand{bob.id(), "psst, bob 🤫"});
  host->submit(PrivateCommand{cat.id(), "hello cat"});
  ASSERT_TRUE(bob.waitFor([](Seen& s) { return !s.privates.empty(); }));
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.privates.empty(); })) << "the sender sees it delivered";
  ASSERT_TRUE(cat.waitFor([](Seen& s) { return !s.privates.empty(); }));
  bob.with([&](Seen& s) {
    EXPECT_EQ(s.privates[0].from, ann.id());
    EXPECT_EQ(s.privates[0].fromName, "ann");
    EXPECT_EQ(s.privates[0].toName, "bob");
    EXPECT_EQ(s.privates[0].text, "psst, bob 🤫");
  });
  cat.with([](Seen& s) {
    ASSERT_EQ(s.privates.size(), 1u);
    EXPECT_EQ(s.privates[0].fromName, "host");
    EXPECT_EQ(s.privates[0].text, "hello cat");
  });
  // Nobody else saw them: a public message sent afterwards is the first thing cat gets after
  // the host's, and the host saw only its own.
  ann.say("public");
  ASSERT_TRUE(cat.waitFor([](Seen& s) { return !s.messages.empty(); }));
  cat.with([](Seen& s) { EXPECT_EQ(s.privates.size(), 1u); });
  host->with([](Seen& s) { EXPECT_EQ(s.privates.size(), 1u); });

  ann.submit(PrivateCommand{999, "to nobody"});
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return s.hasError(ErrorCode::UnknownRecipient); }));
}

TEST(ChatRoom, InvalidInputIsRefusedLocallyAndNotSent) {
  auto host = startHost("host");
  TestParticipant ann;
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected());
  ann.say(std::string(kMaxMessageBytes + 1, 'x'));
  ann.say("bad \xFF utf-8");
  ann.submit(RenameCommand{"tab\tname"});
  ann.say("fine");
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.messages.empty(); }));
  ann.with([](Seen& s) {
    EXPECT_TRUE(s.hasError(ErrorCode::MessageTooLong));
    EXPECT_TRUE(s.hasError(ErrorCode::InvalidText));
    EXPECT_TRUE(s.hasError(ErrorCode::InvalidName));
  });
  host->with([](Seen& s) {
    ASSERT_EQ(s.messages.size(), 1u);
    EXPECT_EQ(s.messages[0].text, "fine");
  });

  TestParticipant badName;
  badName.join("", host->port());
  ASSERT_TRUE(badName.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(badName.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::InvalidName);

  TestParticipant idle;
  idle.say("nobody to talk to");
  ASSERT_TRUE(idle.waitFor([](Seen& s) { return s.hasError(ErrorCode::NotConnected); }));
}

TEST(ChatRoom, RoomFullIsRefused) {
  CoreOptions options = hostOptions();
  options.maxClients = 2;
  auto host = startHost("host", options);
  TestParticipant a, b, c;
  a.join("a", host->port());
  b.join("b", host->port());
  ASSERT_TRUE(a.waitConnected());
  ASSERT_TRUE(b.waitConnected());
  c.join("c", host->port());
  ASSERT_TRUE(c.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  c.with([](Seen& s) {
    EXPECT_TRUE(s.endedWith(ErrorCode::RoomFull)) << s.describe();
  });
}

TEST(ChatRoom, HostOnAPortInUseReportsItAndEnds) {
  auto first = startHost("first");
  TestParticipant second(hostOptions());
  second.host("second", first->port());
  ASSERT_TRUE(second.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  second.with([](Seen& s) {
    EXPECT_TRUE(s.errors.empty()) << "one failure, one event: " << s.describe();
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::PortInUse);
    EXPECT_FALSE(s.disconnected[0].willReconnect);
    EXPECT_TRUE(s.connected.empty());
  });
  // The core is idle again: it can host elsewhere.
  second.host("second", 0);
  ASSERT_TRUE(second.waitConnected()) << second.describe();

  TestParticipant third(hostOptions());
  third.host("third", 0, "203.0.113.7");  // not an address of this machine
  ASSERT_TRUE(third.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(third.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::BindFailed);
}

TEST(ChatRoom, JoinFailuresAreDistinct) {
  net::Endpoint closed;
  {
    chatport::test::RawSocket probe;  // a port that was just free
    ASSERT_TRUE(probe.listenLoopback(1));
    closed = probe.localEndpoint();
  }
  TestParticipant refused;
  refused.join("ann", closed.port());
  ASSERT_TRUE(refused.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  refused.with([](Seen& s) {
    EXPECT_TRUE(s.endedWith(ErrorCode::ConnectionRefused)) << s.describe();
    EXPECT_EQ(s.all.size(), 1u) << "one failure, one event: " << s.describe();
    EXPECT_FALSE(s.disconnected[0].willReconnect) << "a first join that fails does not retry";
  });

  // A listener that never accepts and whose queue is full: connection requests go unanswered.
  chatport::test::RawSocket silent;
  ASSERT_TRUE(silent.listenLoopback(0));
  std::vector<chatport::test::RawSocket> fillers(8);
  for (auto& f : fillers) ASSERT_TRUE(f.connectNoWait(silent.localEndpoint()));
  CoreOptions quick = testOptions();
  quick.connectTimeout = 300ms;
  TestParticipant timedOut(quick);
  timedOut.join("ann", silent.localEndpoint().port());
  ASSERT_TRUE(timedOut.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  timedOut.with([](Seen& s) { EXPECT_EQ(s.disconnected[0].reason, ErrorCode::ConnectTimedOut) << s.describe(); });

  TestParticipant noAddress;
  noAddress.join("ann", 5150, "");
  ASSERT_TRUE(noAddress.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  EXPECT_EQ(noAddress.with([](Seen& s) { return s.disconnected[0].reason; }), ErrorCode::HostUnreachable);
}

#ifndef _WIN32
TEST(ChatRoom, JoinsByHostNameResolvedOffTheLoops) {
  char name[256] = {};
  ASSERT_EQ(::gethostname(name, sizeof name - 1), 0);
  std::error_code ec;
  const auto found = net::Endpoint::resolve(name, 1, ec);
  bool v4 = false;
  for (const auto& e : found) v4 |= !e.isV6();
  if (ec || !v4) GTEST_SKIP() << "this machine's name (" << name << ") does not resolve to IPv4 here";

  TestParticipant host(hostOptions());
  host.host("host", 0, "0.0.0.0");
  ASSERT_TRUE(host.waitConnected());
  TestParticipant ann;
  ann.join("ann", host.port(), name);
  ASSERT_TRUE(ann.waitConnected()) << ann.describe();
}
#endif

TEST(ChatRoom, HostEndingTheChatEndsEveryJoinerWithoutRetrying) {
  auto host = startHost("host");
  TestParticipant ann;
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected());
  host->submit(LeaveCommand{});
  ASSERT_TRUE(ann.waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  ann.with([](Seen& s) {
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::HostClosed);
    EXPECT_FALSE(s.disconnected[0].willReconnect);
    EXPECT_TRUE(s.reconnecting.empty());
  });
  ASSERT_TRUE(host->waitFor([](Seen& s) { return !s.disconnected.empty(); }));
  host->with([](Seen& s) {
    ASSERT_EQ(s.disconnected.size(), 1u);
    EXPECT_EQ(s.disconnected[0].reason, ErrorCode::Left);
  });
}

TEST(ChatRoom, HostReportsStatistics) {
  CoreOptions options = hostOptions();
  options.statsInterval = 50ms;
  auto host = startHost("host", options);
  TestParticipant ann;
  ann.join("ann", host->port());
  ASSERT_TRUE(ann.waitConnected());
  ann.say("one");
  ann.say("two");
  // A message counts in when the room reads it and out once it goes to the others, which waits
  // until the room's history holds it: a report may come between the two.
  ASSERT_TRUE(host->waitFor([](Seen& s) {
    return !s.stats.empty() && s.stats.back().messagesIn == 2 && s.stats.back().messagesOut == 2;
  })) << host->describe();
  host->with([](Seen& s) { EXPECT_EQ(s.stats.back().clients, 2u); });
}

}  // namespace
}  // namespace chatport::chat::test
