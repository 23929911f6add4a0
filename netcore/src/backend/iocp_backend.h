#pragma once
// The Windows backend: one I/O completion port per Backend (so per loop thread).
//
// Kept free of <windows.h> so that the backend factory can include it without the Win32
// macros; everything Windows-specific lives in iocp_backend.cpp.

#include "backend/backend.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include <spdlog/logger.h>

namespace chatport::net::detail {

namespace iocp {
struct Op;
struct StreamState;
struct ListenerState;
struct DatagramState;
struct Extensions;
}  // namespace iocp

class IocpBackend final : public Backend {
 public:
  ~IocpBackend() override;
  IocpBackend(const IocpBackend&) = delete;
  IocpBackend& operator=(const IocpBackend&) = delete;

  std::string_view name() const noexcept override { return "iocp"; }
  void poll(int timeoutMs) override;
  void wake() override;
  std::unique_ptr<IoListener> listen(NativeSocket socket, int family, AcceptHandler onAccept,
                                     ListenErrorHandler onError) override;
  std::unique_ptr<IoStream> adopt(NativeSocket socket) override;
  std::unique_ptr<IoStream> createStream(int family, std::error_code& ec) override;
  std::unique_ptr<IoDatagram> adoptDatagram(NativeSocket socket, int family) override;

  /// Operations issued whose completion packet has not been taken from the port yet.
  std::size_t pendingOperations() const noexcept { return pendingOps_; }

 private:
  friend std::unique_ptr<Backend> makeIocpBackend(std::error_code& ec);
  friend struct iocp::StreamState;
  friend struct iocp::ListenerState;
  friend struct iocp::DatagramState;

  explicit IocpBackend(void* port);

  // Port plumbing shared by streams and listeners (loop thread only).
  /// Attaches socket to the port; returns 0 or the Win32/Winsock error.
  int associate(NativeSocket socket);
  /// Counts an operation about to be issued; call before the Winsock call that starts it.
  void operationStarted() noexcept { ++pendingOps_; }
  /// Undoes operationStarted() for a call that failed without queuing a completion.
  void operationNotStarted() noexcept { --pendingOps_; }
  /// Queues op's completion with a Winsock error (0: success) that happened synchronously, so
  /// that its handler runs from poll() like every other one, never from inside the caller.
  void postSynthetic(iocp::Op& op, int wsaError);
  const iocp::Extensions* extensions(NativeSocket socket, int family);
  void dispatch(iocp::Op& op, bool synthetic, std::uintptr_t status, unsigned long bytes);
  void retryStarvedAccepts();

  void* port_;  // HANDLE
  std::shared_ptr<spdlog::logger> log_;
  AcceptErrorLog acceptLog_;
  logging::RateLimitedLog unadoptable_;  // a crowd of accepted sockets can fail so at once
  std::atomic<bool> wakePending_{false};
  std::size_t pendingOps_ = 0;
  std::unique_ptr<iocp::Extensions> extV4_;
  std::unique_ptr<iocp::Extensions> extV6_;
  std::vector<std::byte> readBuffer_;  // one per loop: received bytes live only during a call
  // Open objects, so the destructor can close what the loop left open.
  std::unordered_set<iocp::StreamState*> streams_;
  std::unordered_set<iocp::ListenerState*> listeners_;
  std::unordered_set<iocp::DatagramState*> datagrams_;
  // Listeners with an accept slot backing off (the accept-error policy in backend.h): retried
  // from poll() after kAcceptBackOff, so a listener neither spins on a shortage nor stops.
  std::unordered_set<iocp::ListenerState*> starved_;
  unsigned long long lastStarvedRetry_ = 0;  // GetTickCount64()
};

/// Creates a completion port and the backend around it; nullptr with ec set on failure.
std::unique_ptr<Backend> makeIocpBackend(std::error_code& ec);

}  // namespace chatport::net::detail
