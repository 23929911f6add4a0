#include "backend/backend.h"

#ifdef _WIN32
#include "backend/iocp_backend.h"
#else
#include "backend/epoll_backend.h"
#ifdef CHATPORT_HAVE_URING
#include "backend/uring_backend.h"
#endif
#endif

namespace chatport::net::detail {

std::unique_ptr<Backend> makeBackend(std::string_view kind, std::error_code& ec) {
#ifdef _WIN32
  if (kind == "iocp") return makeIocpBackend(ec);
#else
#ifdef CHATPORT_HAVE_URING
  if (kind == "uring") return makeUringBackend(ec);
#endif
  if (kind == "epoll") return makeEpollBackend(ec);
#endif
  ec = std::make_error_code(std::errc::function_not_supported);
  return nullptr;
}

}  // namespace chatport::net::detail
