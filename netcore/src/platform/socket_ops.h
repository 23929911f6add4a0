#pragma once
// The few socket calls the engine needs, with one spelling on POSIX and Winsock.
// Errors come back as std::error_code comparable with std::errc on both.

#include <chatport/net/datagram_socket.h>
#include <chatport/net/endpoint.h>

#include <cstdint>
#include <system_error>

namespace chatport::net::detail {

/// An int file descriptor on POSIX, a SOCKET on Windows.
using NativeSocket = std::intptr_t;
inline constexpr NativeSocket kInvalidSocket = -1;

/// Once per process on Windows (WSAStartup); nothing elsewhere. Thread-safe.
void initSockets();

/// The calling thread's last socket error (errno or WSAGetLastError()) as a portable code.
std::error_code lastSocketError();
/// A native error number (errno or a WSA/Win32 code) as a portable code: the common network
/// failures compare equal to std::errc on every platform.
std::error_code socketError(int nativeCode);

/// A TCP socket, close-on-exec; non-blocking on POSIX; overlapped on Windows.
NativeSocket openTcpSocket(int family, std::error_code& ec);
/// Binds (with SO_REUSEADDR on POSIX, SO_EXCLUSIVEADDRUSE on Windows) and listens.
NativeSocket openListener(const Endpoint& local, int backlog, std::error_code& ec);
/// A UDP socket bound to local, with options applied; non-blocking on POSIX, overlapped on
/// Windows. IPv6 sockets are IPv6 only (IPV6_V6ONLY), so an IPv4 socket may share the port.
/// Asks for the arrival interface of each datagram where the system can tell it, and on
/// Windows turns off the ICMP reports that would fail the next receive (SIO_UDP_CONNRESET).
NativeSocket openDatagramSocket(const Endpoint& local, const DatagramOptions& options,
                                std::error_code& ec);
/// Joins a multicast group on the interface with that index (0: the system's choice).
std::error_code joinMulticastGroup(NativeSocket s, const Endpoint& group, unsigned interfaceIndex);
/// The interface that multicasts of family are sent from.
std::error_code setMulticastInterface(NativeSocket s, int family, unsigned interfaceIndex);
void closeSocket(NativeSocket s) noexcept;
std::error_code setNonBlocking(NativeSocket s);
std::error_code setNoDelay(NativeSocket s);
/// The pending error of a socket (SO_ERROR), e.g. after a non-blocking connect.
std::error_code pendingError(NativeSocket s);
Endpoint localEndpoint(NativeSocket s, std::error_code& ec);
Endpoint peerEndpoint(NativeSocket s, std::error_code& ec);

}  // namespace chatport::net::detail
