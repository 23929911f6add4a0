#include "raw_joiner.h"

#include <chatport/noise/handshake_state.h>
#include <chatport/noise/password.h>

namespace chatport::chat::test {

net::Bytes frameOf(std::initializer_list<int> payload) {
  net::Bytes p;
  for (int v : payload) p.push_back(std::byte(v));
  return frameOf(p);
}

net::Bytes frameOf(std::span<const std::byte> payload) {
  net::Bytes out;
  net::appendFrame(out, payload);
  return out;
}

RawJoiner::RawJoiner() : keys_(noise::KeyPair::generate()) {}

RawJoiner::RawJoiner(const noise::KeyPair& keys) : keys_(keys) {}

bool RawJoiner::connect(std::uint16_t port) { return socket_.connect(net::Endpoint::loopbackV4(port)); }

std::optional<net::Bytes> RawJoiner::secureHandshake(std::span<const std::byte> hello, const std::string& password) {
  noise::HandshakeState hs;
  noise::HandshakeConfig config;
  config.protocol = password.empty() ? noise::kXX : noise::kXXpsk3;
  config.role = noise::Role::Initiator;
  config.prologue = secure::prologue();
  config.localStatic = keys_;
  config.pskLater = !password.empty();
  std::vector<std::byte> message, payload;
  if (hs.initialize(config) || hs.writeMessage({}, message)) return std::nullopt;
  if (!sendRaw(*secure::helloFrame(!password.empty(), message))) return std::nullopt;
  auto reply = nextFrame();
  if (!reply || reply->empty() || (*reply)[0] != std::byte(secure::Envelope::Handshake)) {
    if (reply) frames_.push_front(std::move(*reply));  // a refusal, read by next()
    return std::nullopt;
  }
  if (hs.readMessage(std::span(*reply).subspan(1), payload)) return std::nullopt;
  hostKey_ = hs.remoteStatic();
  if (!password.empty()) {
    const auto host = secure::decodeHostHandshake(payload);
    noise::Psk psk;
    if (!host || noise::derivePsk(password, *hostKey_, host->passwordCost, psk) || hs.setPsk(psk))
      return std::nullopt;
  }
  if (hs.writeMessage(hello, message) || hs.split(send_, receive_)) return std::nullopt;
  return *secure::handshakeFrame(message);
}

bool RawJoiner::handshake(std::uint16_t port, const std::string& name, std::optional<proto::Token> resumeToken) {
  if (!connect(port)) return false;
  proto::Hello hello;
  hello.name = name;
  hello.resumeToken = resumeToken;
  auto last = secureHandshake(proto::toPayload(hello));
  if (!last || !sendRaw(*last)) return false;
  while (auto m = next()) {
    if (auto* w = std::get_if<proto::Welcome>(&*m)) {
      id_ = w->you;
      token_ = w->token;
      return true;
    }
    if (std::holds_alternative<proto::Refuse>(*m)) return false;
  }
  return false;
}

net::Bytes RawJoiner::seal(const net::SharedBytes& frame) {
  net::Bytes out;
  secure::seal(send_, std::span<const std::byte>(*frame).subspan(net::kFrameHeaderSize), out);
  return out;
}

std::optional<net::Bytes> RawJoiner::nextFrame() {
  std::byte buffer[16384];
  while (frames_.empty() && !ended_) {
    const long n = socket_.receive(buffer);
    if (n <= 0) {
      ended_ = true;
      break;
    }
    const auto error = decoder_.feed(std::span(buffer, static_cast<std::size_t>(n)), [&](auto payload) {
      frames_.emplace_back(payload.begin(), payload.end());
    });
    if (error != net::FrameError::None) ended_ = true;
  }
  if (frames_.empty()) return std::nullopt;
  auto f = std::move(frames_.front());
  frames_.pop_front();
  return f;
}

std::optional<proto::HostMessage> RawJoiner::next() {
  while (ready_.empty()) {
    auto frame = nextFrame();
    if (!frame || frame->empty()) return std::nullopt;
    net::Bytes plaintext;
    const auto type = secure::Envelope((*frame)[0]);
    if (type == secure::Envelope::Sealed) {
      if (secure::open(receive_, *frame, plaintext)) return std::nullopt;
    } else if (type == secure::Envelope::RoomSealed) {
      if (room_.open(*frame, plaintext)) return std::nullopt;
    } else {
      plaintext = std::move(*frame);  // in clear: a refusal before the channel
    }
    proto::HostMessage m;
    if (proto::parse(plaintext, m) != proto::ParseError::None) continue;
    if (auto* key = std::get_if<proto::RoomKey>(&m)) {
      room_.setKey(key->epoch, key->key);
      roomKeys_.push_back(*key);
    }
    ready_.push_back(std::move(m));
  }
  auto m = std::move(ready_.front());
  ready_.pop_front();
  return m;
}

std::vector<proto::HostMessage> RawJoiner::readUntilClosed() {
  std::vector<proto::HostMessage> out;
  while (auto m = next()) {
    const bool last = std::holds_alternative<proto::Refuse>(*m) || std::holds_alternative<proto::Closing>(*m);
    out.push_back(std::move(*m));
    if (last) {
      socket_.close();
      break;
    }
  }
  return out;
}

}  // namespace chatport::chat::test
