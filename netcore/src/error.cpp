#include <chatport/net/error.h>

#include <string>

namespace chatport::net {
namespace {

class NetCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "chatport.net"; }
  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
      case Error::PeerClosed: return "the other side closed the connection";
      case Error::ConnectTimedOut: return "the host did not answer in time";
      case Error::FrameTooLarge: return "the peer sent a message larger than allowed";
      case Error::BadFrameHeader: return "the peer sent data that is not ChatPort's protocol";
      case Error::SendQueueFull: return "the peer is not reading fast enough";
      case Error::ClosedLocally: return "the connection was closed by this side";
      case Error::EngineStopped: return "the network engine shut down";
      case Error::DatagramDropped:
        return "a datagram was dropped: more were waiting to be sent than the socket allows";
    }
    return "unknown network error";
  }
};

}  // namespace

const std::error_category& netCategory() noexcept {
  static const NetCategory category;
  return category;
}

std::error_code make_error_code(Error e) noexcept { return {static_cast<int>(e), netCategory()}; }

std::string describe(std::error_code ec) {
  if (!ec) return "no error";
  if (ec == std::errc::connection_refused)
    return "connection refused: nothing is listening on that address and port";
  if (ec == std::errc::network_unreachable || ec == std::errc::host_unreachable)
    return "host unreachable: check the address and that both machines are on the same network";
  if (ec == std::errc::address_in_use)
    return "the port is already in use: close the other program or choose another port";
  if (ec == std::errc::address_not_available)
    return "that address does not belong to this machine";
  if (ec == std::errc::connection_reset) return "the connection was reset by the other side";
  if (ec == std::errc::timed_out) return "the connection timed out";
  if (ec == std::errc::connection_aborted) return "the connection was aborted by this machine";
  if (ec == std::errc::operation_canceled) return "the operation was cancelled";
  if (ec == std::errc::too_many_files_open || ec == std::errc::too_many_files_open_in_system)
    return "too many connections are open on this machine";
  if (ec == std::errc::no_buffer_space || ec == std::errc::not_enough_memory)
    return "this machine is out of memory for network buffers";
  if (ec == std::errc::permission_denied)
    return "permission denied: ports below 1024 need administrator rights";
  if (ec == std::errc::broken_pipe || ec == std::errc::not_connected)
    return "the other side closed the connection while this side was sending";
  if (ec == std::errc::network_down) return "the network is down: check this machine's connection";
  if (ec == std::errc::network_reset) return "the network dropped the connection";
  if (ec == std::errc::address_family_not_supported || ec == std::errc::protocol_not_supported)
    return "this machine does not support that kind of address (IPv6 may be turned off)";
  if (ec == std::errc::message_size) return "a message was too large for the network";
  // Some C libraries (Windows') have no words for POSIX codes: say at least which one it was.
  std::string words = ec.message();
  if (words.empty() || words.rfind("Unknown error", 0) == 0)
    words = "unexpected network error (" + std::string(ec.category().name()) + " " +
            std::to_string(ec.value()) + ")";
  return words;
}

}  // namespace chatport::net
