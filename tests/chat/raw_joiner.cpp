#include "raw_joiner.h"

namespace chatport::chat::test {

bool RawJoiner::connect(std::uint16_t port) { return socket_.connect(net::Endpoint::loopbackV4(port)); }

bool RawJoiner::handshake(std::uint16_t port, const std::string& name,
                          std::optional<proto::Token> resumeToken) {
  if (!connect(port)) return false;
  proto::Hello hello;
  hello.name = name;
  hello.resumeToken = resumeToken;
  if (!send(proto::toFrame(hello))) return false;
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

std::optional<proto::HostMessage> RawJoiner::next() {
  std::byte buffer[16384];
  while (ready_.empty() && !ended_) {
    const long n = socket_.receive(buffer);
    if (n <= 0) {
      ended_ = true;
      break;
    }
    const auto error = decoder_.feed(std::span(buffer, static_cast<std::size_t>(n)), [&](auto payload) {
      proto::HostMessage m;
      if (proto::parse(payload, m) == proto::ParseError::None) ready_.push_back(std::move(m));
    });
    if (error != net::FrameError::None) ended_ = true;
  }
  if (ready_.empty()) return std::nullopt;
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
