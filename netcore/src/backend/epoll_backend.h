#pragma once
// The Linux fallback backend: epoll readiness turned into completions.
//
// Sockets are registered once, edge-triggered, for input and output. A receive reads until the
// socket is drained (or a fairness budget is spent, in which case it continues next turn); a
// send writes at once and waits for output readiness only after a short write. Datagram
// sockets are registered the same way: recvmsg until drained (64 per turn), sendto at once.

#include "backend/backend.h"

#include <memory>
#include <vector>

namespace chatport::net::detail {

std::unique_ptr<Backend> makeEpollBackend(std::error_code& ec);

}  // namespace chatport::net::detail
