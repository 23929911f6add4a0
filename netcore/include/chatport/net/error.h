#pragma once
// Errors the engine reports beyond the operating system's own codes.
//
// Backends report operating-system failures as std::error_code values that compare equal to
// std::errc (refused, unreachable, reset, address in use...) on every platform, so callers can
// write `ec == std::errc::connection_refused` without knowing about Winsock or errno.

#include <string>
#include <system_error>

namespace chatport::net {

enum class Error {
  PeerClosed = 1,     ///< The peer closed its side of the connection (end of stream).
  ConnectTimedOut,    ///< No answer from the host before the connect deadline.
  FrameTooLarge,      ///< The peer announced a frame larger than the configured maximum.
  BadFrameHeader,     ///< The bytes received do not start a valid frame.
  SendQueueFull,      ///< The peer is not reading fast enough: its outgoing queue is full.
  ClosedLocally,      ///< This side closed the connection.
  EngineStopped,      ///< The engine shut down while the operation was pending.
  DatagramDropped,    ///< A datagram socket's send queue was full: the datagram was not sent.
};

const std::error_category& netCategory() noexcept;
std::error_code make_error_code(Error e) noexcept;

/// A sentence a person can act on, for logs and for front ends that have no better wording.
std::string describe(std::error_code ec);

}  // namespace chatport::net

template <>
struct std::is_error_code_enum<chatport::net::Error> : std::true_type {};
