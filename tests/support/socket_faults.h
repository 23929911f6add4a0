#pragma once
// Failures a test causes in this process's own sockets, behind the back of the code that owns
// them, the way a failing system would.

#include <cstdint>

namespace chatport::test {

/// Breaks this process's listening socket on port so that it can no longer accept: on Linux it
/// is shut down (its accepts fail with EINVAL); on Windows its pending AcceptEx calls are
/// cancelled (they complete with ERROR_OPERATION_ABORTED although nobody closed it). The
/// socket itself stays open: closing it is its owner's job. False if none was found.
bool breakListeningSocket(std::uint16_t port);

/// True while this process has a socket open that is bound to port and has no peer: a
/// listener, or what is left of one that was broken but not closed.
bool listenerSocketOpen(std::uint16_t port);

}  // namespace chatport::test
