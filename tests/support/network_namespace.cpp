#include "network_namespace.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <thread>

#ifdef __linux__
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#endif

namespace chatport::test {
namespace {

// Runs a shell command; its output, and ok when it exited with 0.
std::string shell(const std::string& command, bool& ok) {
  ok = false;
  std::string out;
#ifdef __linux__
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  ok = ::pclose(pipe) == 0;
#else
  (void)command;
#endif
  return out;
}

std::string uniqueName(const char* prefix) {
  static std::atomic<int> next{0};
#ifdef __linux__
  const long pid = static_cast<long>(::getpid());
#else
  const long pid = 0;
#endif
  return std::string(prefix) + std::to_string(pid) + "-" + std::to_string(next++);
}

}  // namespace

std::unique_ptr<NetworkNamespace> NetworkNamespace::create(std::string& whyNot) {
#ifndef __linux__
  whyNot = "network namespaces exist on Linux only";
  return nullptr;
#else
  if (::geteuid() != 0) {
    whyNot = "creating a network namespace needs root";
    return nullptr;
  }
  const std::string name = uniqueName("cptest");
  bool ok = false;
  const std::string out = shell("ip netns add " + name, ok);
  if (!ok) {
    whyNot = "`ip netns add` failed: " + out;
    return nullptr;
  }
  std::unique_ptr<NetworkNamespace> ns(new NetworkNamespace(name));
  // Addresses usable at once: no duplicate address detection (nobody else is on these links).
  ns->exec("sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0", ok);
  const std::string up = ns->exec("ip link set lo up multicast on", ok);
  if (!ok) {
    whyNot = "cannot bring the namespace's loopback up: " + up;
    return nullptr;
  }
  return ns;
#endif
}

namespace {

bool runAll(std::initializer_list<std::string> commands, std::string& whyNot) {
  for (const std::string& command : commands) {
    bool ok = false;
    const std::string out = shell(command, ok);
    if (!ok) {
      whyNot = "`" + command + "` failed: " + out;
      return false;
    }
  }
  return true;
}

constexpr const char* kBridge = "cpbr0";

}  // namespace

bool NetworkNamespace::bringUp(const std::string& end, const std::string& address, std::string& whyNot) {
  if (!address.empty() && !runAll({"ip -n " + name_ + " addr add " + address + " brd + dev " + end}, whyNot))
    return false;
  return runAll({"ip -n " + name_ + " link set " + end + " up multicast on"}, whyNot);
}

bool NetworkNamespace::waitForLinkLocal(const std::string& end, std::string& whyNot) {
  // IPv6 link-local addresses come a moment after the link has a carrier, that is once both
  // ends are up (no event tells when): a datagram sent or received before then is lost.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    bool ok = false;
    const std::string out = shell("ip -n " + name_ + " -6 addr show dev " + end + " scope link", ok);
    if (ok && out.find("inet6 fe80") != std::string::npos) return true;
    if (std::chrono::steady_clock::now() > deadline) {
      whyNot = "no IPv6 link-local address on " + end + " after 10 s";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool NetworkNamespace::connect(NetworkNamespace& a, const std::string& addressA,
                               NetworkNamespace& b, const std::string& addressB,
                               std::string& whyNot) {
  // Interface names are at most 15 characters.
  const std::string endA = uniqueName("cpva");
  const std::string endB = uniqueName("cpvb");
  if (!runAll({"ip link add " + endA + " netns " + a.name_ + " type veth peer name " + endB + " netns " + b.name_},
              whyNot) ||
      !a.bringUp(endA, addressA, whyNot) || !b.bringUp(endB, addressB, whyNot) ||
      !a.waitForLinkLocal(endA, whyNot) || !b.waitForLinkLocal(endB, whyNot))
    return false;
  a.veth_ = endA;
  b.veth_ = endB;
  return true;
}

bool NetworkNamespace::plug(NetworkNamespace& sw, NetworkNamespace& machine, const std::string& address,
                            std::string& whyNot) {
  if (!sw.hasBridge_) {
    if (!runAll({"ip -n " + sw.name_ + " link add " + kBridge + " type bridge"}, whyNot) ||
        !sw.bringUp(kBridge, "", whyNot))
      return false;
    sw.hasBridge_ = true;
  }
  const std::string end = uniqueName("cpvm");
  const std::string port = uniqueName("cpvs");
  if (!runAll({"ip link add " + end + " netns " + machine.name_ + " type veth peer name " + port + " netns " +
                   sw.name_,
               "ip -n " + sw.name_ + " link set " + port + " master " + kBridge},
              whyNot) ||
      !sw.bringUp(port, "", whyNot) || !machine.bringUp(end, address, whyNot) ||
      !machine.waitForLinkLocal(end, whyNot))
    return false;
  machine.veth_ = end;
  return true;
}

NetworkNamespace::~NetworkNamespace() {
  bool ok = false;
  shell("ip netns del " + name_, ok);
}

void NetworkNamespace::run(const std::function<void()>& fn) {
#ifdef __linux__
  std::thread inside([&] {
    const std::string path = "/var/run/netns/" + name_;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
      std::fprintf(stderr, "cannot enter network namespace %s\n", name_.c_str());
      if (fd >= 0) ::close(fd);
      std::abort();
    }
    ::close(fd);
    fn();
  });
  inside.join();
#else
  fn();
#endif
}

std::string NetworkNamespace::exec(const std::string& command, bool& ok) {
  return shell("ip netns exec " + name_ + " " + command, ok);
}

}  // namespace chatport::test
