// The accept-error policy every backend follows (written down in backend.h).

#include "backend/backend.h"

#include <chatport/log.h>
#include <chatport/net/error.h>

#include <cerrno>
#include <string>

#ifdef _WIN32
#include <winsock2.h>
#include <windows.h>
#endif

namespace chatport::net::detail {

AcceptErrorAction classifyAcceptError(std::error_code ec) noexcept {
  using std::errc;
#ifdef _WIN32
  // Win32 codes that socketError() has no portable name for. First: the C++ library maps some
  // of them to errno values of its own choosing (the resource shortages to EAGAIN).
  if (ec.category() == std::system_category()) {
    switch (ec.value()) {
      case ERROR_NO_SYSTEM_RESOURCES:
      case ERROR_NONPAGED_SYSTEM_RESOURCES:
      case ERROR_PAGED_SYSTEM_RESOURCES:
      case ERROR_COMMITMENT_LIMIT:
        return AcceptErrorAction::BackOff;
      case WSAEHOSTDOWN:
        return AcceptErrorAction::Skip;
      default:
        break;
    }
  }
#endif
  // Short of descriptors or memory: there will be room again.
  if (ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
      ec == errc::no_buffer_space || ec == errc::not_enough_memory)
    return AcceptErrorAction::BackOff;
  // One incoming connection failed before it was taken, or Linux passed on a network error of
  // the new socket (accept(2) asks to treat those like EAGAIN), or a firewall rule refused it;
  // or the call was interrupted. The listener itself is fine.
  if (ec == errc::connection_aborted || ec == errc::connection_reset ||
      ec == errc::protocol_error || ec == errc::no_protocol_option ||
      ec == errc::host_unreachable || ec == errc::network_unreachable ||
      ec == errc::network_down || ec == errc::network_reset || ec == errc::timed_out ||
      ec == errc::operation_not_supported || ec == errc::operation_not_permitted ||
      ec == errc::not_connected ||  // Wine: a connection reset while still in the backlog
      ec == errc::interrupted || ec == errc::operation_would_block ||
      ec == errc::resource_unavailable_try_again)
    return AcceptErrorAction::Skip;
#ifdef __linux__
  if (ec.category() == std::generic_category() && (ec.value() == EHOSTDOWN || ec.value() == ENONET))
    return AcceptErrorAction::Skip;
#endif
  // The socket was shut down or closed under us, is not listening, is not a socket, or the
  // system cancelled its accepts: trying again would fail the same way.
  return AcceptErrorAction::Fatal;
}

AcceptErrorLog::AcceptErrorLog()
    : skipped_(logging::get("net"), spdlog::level::debug,
               "an incoming connection failed before it was accepted"),
      shortage_(logging::get("net"), spdlog::level::warn, "accepting a connection failed") {}

void AcceptErrorLog::note(AcceptErrorAction action, std::error_code ec) {
  if (action == AcceptErrorAction::Skip &&
      (ec == std::errc::interrupted || ec == std::errc::operation_would_block ||
       ec == std::errc::resource_unavailable_try_again))
    return;
  if (action == AcceptErrorAction::BackOff) {
    if (shortage_.enabled())
      shortage_.log(describe(ec) + "; trying again every " +
                    std::to_string(kAcceptBackOff.count()) + " ms");
  } else if (skipped_.enabled()) {
    skipped_.log(describe(ec));
  }
}

}  // namespace chatport::net::detail
