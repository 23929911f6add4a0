#pragma once
// Linux: the interface a received datagram arrived on, from the IP_PKTINFO / IPV6_PKTINFO
// control message that openDatagramSocket() asked for. Shared by the epoll and io_uring backends.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace chatport::net::detail {

/// Room for either control message.
inline constexpr std::size_t kArrivalControlSize =
    CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo));

/// The arrival interface's index, or 0 if msg carries none.
inline unsigned arrivalInterface(msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return static_cast<unsigned>(info.ipi_ifindex);
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return info.ipi6_ifindex;
    }
  }
  return 0;
}

}  // namespace chatport::net::detail
