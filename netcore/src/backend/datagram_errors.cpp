// Which errors on a datagram socket leave it working (backend.h: isTransientDatagramError).

#include "backend/backend.h"

#ifdef _WIN32
#include <winsock2.h>
#endif

namespace chatport::net::detail {

bool isTransientDatagramError(std::error_code ec) noexcept {
  using std::errc;
#ifdef _WIN32
  if (ec.category() == std::system_category() &&
      (ec.value() == WSAEHOSTDOWN || ec.value() == WSAEMSGSIZE))
    return true;
#endif
  // An ICMP report about an earlier datagram, a destination that cannot be reached now, a
  // firewall's refusal, a datagram too large, a moment's shortage: one datagram is lost, the
  // socket works on.
  return ec == errc::connection_refused || ec == errc::connection_reset ||
         ec == errc::network_reset || ec == errc::host_unreachable ||
         ec == errc::network_unreachable || ec == errc::network_down ||
         ec == errc::address_not_available || ec == errc::permission_denied ||
         ec == errc::operation_not_permitted || ec == errc::message_size ||
         ec == errc::no_buffer_space || ec == errc::not_enough_memory ||
         ec == errc::interrupted || ec == errc::operation_would_block ||
         ec == errc::resource_unavailable_try_again || ec == errc::timed_out;
}

}  // namespace chatport::net::detail
