#pragma once
// The Linux io_uring backend: a true completion port, no readiness translation.
//
// What it uses, each probed when the ring is created and replaced when the kernel lacks it:
//  - accept:  multishot accept (5.19); otherwise 16 single accepts kept armed, each re-armed.
//  - receive: multishot recv into a provided-buffer ring (6.0); with the ring but without
//             multishot recv (5.19), single recvs picking ring buffers; without the ring, single
//             recvs into a buffer owned by each stream.
//  - send:    one sendmsg at a time per stream, continued after short writes.
//  - connect: IORING_OP_CONNECT, with a POLLOUT wait for kernels that report EINPROGRESS.
//  - datagrams: one IORING_OP_RECVMSG kept armed per socket into its own buffer (MSG_TRUNC
//             tells a cut datagram by its full length), one IORING_OP_SENDMSG at a time.
//  - wake:    a read on an eventfd kept armed in the ring.
// The ring needs kernel 5.6 (IORING_OP_RECV/READ and opcode probing); on anything older, or
// where io_uring is forbidden (seccomp in containers: EPERM/ENOSYS), makeUringBackend() fails
// and the factory moves on to epoll. CHATPORT_URING_DISABLE (a list of "bufring",
// "multishot-accept", "multishot-recv") turns features off, to test the fallbacks here.
//
// Every submission carries a pointer to an operation record inside a per-socket state object,
// never the fd. That object stays allocated, and its fd open, until the last completion of its
// last operation has been seen, so a completion can neither reach freed memory nor a socket that
// reused the fd number.

#include "backend/backend.h"

#include <memory>
#include <system_error>

namespace chatport::net::detail {

/// The io_uring backend (class UringBackend, name "uring"), or nullptr with ec set when
/// io_uring cannot be set up here, so that the caller can fall back to epoll.
std::unique_ptr<Backend> makeUringBackend(std::error_code& ec);

}  // namespace chatport::net::detail
