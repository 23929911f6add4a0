// Writes the seed corpus (corpus/<harness>/<name>): a valid example of every message, and for
// the frame decoder a few streams of them cut in different ways. The files are committed; run
// this again when the protocol changes (docs/FUZZING.md):
//   build/fuzz/fuzz/fuzz_corpus_writer fuzz/corpus

#include "beacon.h"

#include <chatport/chat/protocol.h>
#include <chatport/net/frame.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace net = chatport::net;
namespace proto = chatport::chat::proto;
namespace beacon = chatport::chat::beacon;

proto::Token someToken() {
  proto::Token t{};
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = std::byte(i * 17 + 3);
  return t;
}

void write(const fs::path& file, const net::Bytes& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

// A frame decoder input (see frame_decoder_fuzzer.cpp): maximum, chunk sizes, stream.
net::Bytes decoderInput(std::uint8_t maxPayload, std::initializer_list<std::uint8_t> chunks,
                        std::initializer_list<net::SharedBytes> frames) {
  net::Bytes out{std::byte{maxPayload}, std::byte(chunks.size())};
  for (std::uint8_t n : chunks) out.push_back(std::byte{n});
  for (const auto& frame : frames) out.insert(out.end(), frame->begin(), frame->end());
  return out;
}

// A picture as the protocol sees one: a PNG's signature and a little after it.
const chatport::chat::Picture kPicture{std::byte{0x89}, std::byte{'P'}, std::byte{'N'}, std::byte{'G'},
                                       std::byte{'\r'}, std::byte{'\n'}, std::byte{0x1A}, std::byte{'\n'},
                                       std::byte{0}, std::byte{0}, std::byte{0}, std::byte{13}};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  const std::string world = "你好, мир! 🎉 ñ";

  const fs::path client = root / "client_message";
  write(client / "hello", proto::toPayload(proto::Hello{proto::kProtocolVersion, "ann", 0, std::nullopt}));
  write(client / "hello_resume",
        proto::toPayload(proto::Hello{proto::kProtocolVersion, "李小龍", 41, someToken(), 7}));
  write(client / "say", proto::toPayload(proto::Say{world}));
  write(client / "whisper", proto::toPayload(proto::Whisper{3, "hi"}));
  write(client / "rename", proto::toPayload(proto::Rename{"Zoë"}));
  write(client / "kick", proto::toPayload(proto::Kick{7}));
  write(client / "bye", proto::toPayload(proto::Bye{}));
  write(client / "heartbeat", proto::toPayload(proto::Heartbeat{}));
  write(client / "offer", proto::toPayload(proto::Offer{1, 0, {{"Photos/a.jpg", 1000}, {"Photos/旅行/b.txt", 0}}}));
  write(client / "accept", proto::toPayload(proto::Accept{1, 65536}));
  write(client / "decline", proto::toPayload(proto::Decline{1}));
  write(client / "cancel", proto::toPayload(proto::CancelTransfer{1, 2}));
  write(client / "chunk", proto::toPayload(proto::Chunk{1, 2, 0, net::Bytes(64, std::byte{0x5A})}));
  write(client / "ack", proto::toPayload(proto::Ack{1, 64}));
  write(client / "chunks_end", proto::toPayload(proto::ChunksEnd{1, 2, proto::FileHash{std::byte{7}}}));
  write(client / "reclaim", proto::toPayload(proto::Reclaim{1}));
  write(client / "set_presence", proto::toPayload(proto::SetPresence{chatport::chat::Presence::Busy}));
  write(client / "set_picture", proto::toPayload(proto::SetPicture{kPicture}));
  write(client / "received", proto::toPayload(proto::Received{1, {chatport::chat::TransferFailure::HashMismatch}, "hash"}));

  const fs::path host = root / "host_message";
  const proto::Welcome welcome{3, someToken(), "host ☕", 12, 5000, 3,
                               {{1, "host ☕", true}, {2, "ann", false}, {3, "ben", false}}};
  write(host / "welcome", proto::toPayload(welcome));
  write(host / "welcome_roster_follows",
        proto::toPayload(proto::Welcome{4, someToken(), "h", 0, 5000, 300, {}}));
  write(host / "refuse", proto::toPayload(proto::Refuse{proto::Code::NameTaken, "taken: ann"}));
  write(host / "roster_part",
        proto::toPayload(proto::RosterPart{{{9, "x", false}, {10, "Ÿ", false}}}));
  write(host / "message", proto::toPayload(proto::ChatMessage{2, 99, 1'700'000'000'123, world}));
  write(host / "private", proto::toPayload(proto::PrivateMessage{2, 3, 7, -5, "psst"}));
  write(host / "joined", proto::toPayload(proto::Joined{{{5, "bob", false}, {6, "李小龍", false}}}));
  write(host / "left", proto::toPayload(proto::Left{5, chatport::chat::LeaveReason::TooSlow}));
  write(host / "renamed", proto::toPayload(proto::Renamed{5, "rob"}));
  write(host / "offered", proto::toPayload(proto::Offered{1, 0, 2, 0, 1'700'000'000'123, {{"report.pdf", 5ull << 32}}}));
  write(host / "offer_refused",
        proto::toPayload(proto::OfferRefused{1, {chatport::chat::TransferFailure::TooLarge}, "large"}));
  write(host / "start", proto::toPayload(proto::Start{1, 3, 0}));
  write(host / "data", proto::toPayload(proto::Data{1, 0, net::Bytes(64, std::byte{0xA5})}));
  write(host / "acked", proto::toPayload(proto::Acked{1, 3, 64}));
  write(host / "data_end", proto::toPayload(proto::DataEnd{1, proto::FileHash{std::byte{7}}}));
  write(host / "transfer_ended", proto::toPayload(proto::TransferEnded{1, 3, {}, {}}));
  write(host / "transfer_paused", proto::toPayload(proto::TransferPaused{1, 3, true}));
  write(host / "limits", proto::toPayload(proto::Limits{20'000, 40}));
  write(host / "presence_changed", proto::toPayload(proto::PresenceChanged{3, chatport::chat::Presence::Away}));
  write(host / "picture_changed", proto::toPayload(proto::PictureChanged{3, kPicture}));
  write(host / "history", proto::toPayload(proto::History{3, {{7, 1'700'000'000'123, "ann", world}}}));
  write(host / "error", proto::toPayload(proto::ErrorReply{proto::Code::RateLimited, "slow down"}));
  write(host / "closing", proto::toPayload(proto::Closing{proto::Code::Kicked, ""}));
  write(host / "heartbeat", proto::toPayload(proto::Heartbeat{}));

  const fs::path frames = root / "frame_decoder";
  const auto hello = proto::toFrame(proto::Hello{proto::kProtocolVersion, "ann", 0, std::nullopt});
  const auto say = proto::toFrame(proto::Say{world});
  const auto heartbeat = proto::toFrame(proto::Heartbeat{});
  const auto welcomeFrame = proto::toFrame(welcome);
  write(frames / "one_read", decoderInput(255, {255}, {hello, say, heartbeat}));
  write(frames / "split_headers", decoderInput(255, {1, 5, 2}, {welcomeFrame, heartbeat, say}));
  write(frames / "byte_by_byte", decoderInput(255, {}, {hello, heartbeat}));
  write(frames / "empty_reads", decoderInput(255, {0, 3, 0, 7}, {say, heartbeat, heartbeat}));
  write(frames / "empty_payload", decoderInput(255, {4}, {net::encodeFrame({}), heartbeat}));
  write(frames / "too_large", decoderInput(16, {3, 9}, {heartbeat, say, hello}));
  // The same errors in a header that arrives in two reads.
  write(frames / "too_large_split_header", decoderInput(16, {7, 60}, {heartbeat, say, heartbeat}));
  {
    net::Bytes badMagic = decoderInput(255, {6}, {heartbeat, hello});
    badMagic[2 + 1 + heartbeat->size()] = std::byte{0xCA};  // the second frame's magic byte
    write(frames / "bad_magic", badMagic);
    net::Bytes split = decoderInput(255, {7, 60}, {heartbeat, hello, heartbeat});
    split[2 + 2 + heartbeat->size()] = std::byte{0xCA};
    write(frames / "bad_magic_split_header", split);
  }
  {
    net::Bytes unfinished = decoderInput(255, {2, 11}, {say, hello});
    unfinished.resize(unfinished.size() - 3);  // the stream ends inside the last frame
    write(frames / "unfinished", unfinished);
  }

  const fs::path beacons = root / "beacon";
  beacon::Announce announce;
  for (std::size_t i = 0; i < announce.instance.size(); ++i) announce.instance[i] = std::byte(i * 29 + 1);
  for (std::size_t i = 0; i < announce.room.hostKey.size(); ++i) announce.room.hostKey[i] = std::byte(i * 7 + 5);
  announce.changeCounter = 3;
  announce.room = {proto::kProtocolVersion, false, announce.room.hostKey, 4, {5150}, "", "ann"};
  write(beacons / "announce", beacon::encode(announce));
  announce.room = {proto::kProtocolVersion, true, announce.room.hostKey, 70000, {5150, 5152, 6000}, "Café ☕", "李小龍"};
  write(beacons / "announce_named", beacon::encode(announce));
  {
    net::Bytes later = beacon::encode(announce);  // a later version's appended field
    later[4] = std::byte{2};
    later.insert(later.end(), {std::byte{0x01}, std::byte{0x02}});
    write(beacons / "announce_version_2", later);
  }
  write(beacons / "query", beacon::encode(beacon::Query{}));
  write(beacons / "query_large", beacon::encode(beacon::Query{1000}));
  return 0;
}
