#pragma once
// What a backend's stream reports to its owner.

#include <span>
#include <system_error>

namespace chatport::net::detail {

/// The owner of a stream (a Connection) as the stream sees it: one pointer in each of a host's
/// thousands of streams, where two std::function handlers took 64 bytes. Called on the loop
/// thread, never inside the call that started the operation, and never once the stream is
/// closed.
class StreamEvents {
 public:
  /// Each chunk received, in order, ec clear (data is valid only during the call); then once
  /// an error when receiving ends (Error::PeerClosed at the end of the stream).
  virtual void onReceived(std::error_code ec, std::span<const std::byte> data) = 0;
  /// The send in progress is done: every byte went out, or ec says why not.
  virtual void onSent(std::error_code ec) = 0;

 protected:
  StreamEvents() = default;
  StreamEvents(const StreamEvents&) = default;
  StreamEvents& operator=(const StreamEvents&) = default;
  ~StreamEvents() = default;
};

}  // namespace chatport::net::detail
