// The accept-error policy every backend follows (src/backend/backend.h), for the codes this
// platform's system reports: one connection's failure is skipped, a shortage is waited out,
// anything else ends the listener.

#include "backend/backend.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#ifdef _WIN32
#include <winsock2.h>
#include <windows.h>
#endif

namespace chatport::net::detail {
namespace {

struct Case {
  int code;
  const char* name;
  AcceptErrorAction expected;
};

std::string actionName(AcceptErrorAction a) {
  switch (a) {
    case AcceptErrorAction::Skip: return "Skip";
    case AcceptErrorAction::BackOff: return "BackOff";
    case AcceptErrorAction::Fatal: return "Fatal";
  }
  return "?";
}

void expectAll(std::initializer_list<Case> cases) {
  for (const Case& c : cases)
    EXPECT_EQ(actionName(classifyAcceptError(socketError(c.code))), actionName(c.expected))
        << c.name << " (" << c.code << ")";
}

#define CASE(code, action) Case{code, #code, AcceptErrorAction::action}

#ifdef _WIN32
TEST(AcceptPolicy, SortsTheCodesWindowsReports) {
  expectAll({
      // One incoming connection failed before it was taken.
      CASE(WSAECONNRESET, Skip), CASE(ERROR_NETNAME_DELETED, Skip), CASE(WSAECONNABORTED, Skip),
      CASE(ERROR_CONNECTION_ABORTED, Skip), CASE(WSAENETRESET, Skip), CASE(WSAETIMEDOUT, Skip),
      CASE(ERROR_SEM_TIMEOUT, Skip), CASE(WSAENETUNREACH, Skip), CASE(WSAEHOSTUNREACH, Skip),
      CASE(WSAENOTCONN, Skip), CASE(WSAEHOSTDOWN, Skip), CASE(WSAEINTR, Skip),
      // Out of sockets or memory.
      CASE(WSAEMFILE, BackOff), CASE(WSAENOBUFS, BackOff), CASE(ERROR_TOO_MANY_OPEN_FILES, BackOff),
      CASE(ERROR_NOT_ENOUGH_MEMORY, BackOff), CASE(ERROR_OUTOFMEMORY, BackOff),
      CASE(ERROR_NO_SYSTEM_RESOURCES, BackOff), CASE(ERROR_NONPAGED_SYSTEM_RESOURCES, BackOff),
      CASE(ERROR_COMMITMENT_LIMIT, BackOff),
      // The listening socket is gone, or never was one.
      CASE(WSAENOTSOCK, Fatal), CASE(WSAEINVAL, Fatal), CASE(WSAEBADF, Fatal),
      CASE(ERROR_INVALID_HANDLE, Fatal), CASE(WSAEOPNOTSUPP, Fatal),
      CASE(ERROR_OPERATION_ABORTED, Fatal), CASE(WSANOTINITIALISED, Fatal),
      CASE(WSAEAFNOSUPPORT, Fatal), CASE(WSAEFAULT, Fatal), CASE(ERROR_INVALID_PARAMETER, Fatal),
  });
}
#else
TEST(AcceptPolicy, SortsTheCodesPosixReports) {
  expectAll({
      // One incoming connection failed before it was taken, or Linux passed on a network error
      // of the new socket; a firewall rule refused it; the call was interrupted.
      CASE(ECONNABORTED, Skip), CASE(ECONNRESET, Skip), CASE(EPROTO, Skip), CASE(ENOPROTOOPT, Skip),
      CASE(EHOSTUNREACH, Skip), CASE(ENETUNREACH, Skip), CASE(ENETDOWN, Skip), CASE(ETIMEDOUT, Skip),
      CASE(EOPNOTSUPP, Skip), CASE(EPERM, Skip), CASE(EINTR, Skip), CASE(EAGAIN, Skip),
#ifdef __linux__
      CASE(EHOSTDOWN, Skip), CASE(ENONET, Skip),
#endif
      // Out of descriptors or memory.
      CASE(EMFILE, BackOff), CASE(ENFILE, BackOff), CASE(ENOBUFS, BackOff), CASE(ENOMEM, BackOff),
      // The listening socket is gone, shut down or never was one.
      CASE(EBADF, Fatal), CASE(EINVAL, Fatal), CASE(ENOTSOCK, Fatal), CASE(EFAULT, Fatal),
      CASE(ECANCELED, Fatal),
  });
}
#endif

TEST(AcceptPolicy, AnUnknownCodeEndsTheListenerRatherThanSpinOrHide) {
  EXPECT_EQ(classifyAcceptError(std::error_code(98765, std::generic_category())),
            AcceptErrorAction::Fatal);
  EXPECT_EQ(classifyAcceptError(std::error_code(98765, std::system_category())),
            AcceptErrorAction::Fatal);
}

TEST(AcceptPolicy, BacksOffBrieflyButNotForNothing) {
  EXPECT_GE(kAcceptBackOff.count(), 10) << "a shorter pause is close to a busy loop";
  EXPECT_LE(kAcceptBackOff.count(), 1000) << "connections wait in the backlog meanwhile";
}

}  // namespace
}  // namespace chatport::net::detail
