#pragma once
// Linux network namespaces for tests that need a network of their own: a loopback with
// multicast, two "machines" joined by a veth pair, or several plugged into a switch (a Linux
// bridge, which snoops IGMP and MLD as many real switches do). Made with iproute2 (`ip netns add`), so
// the tests that use them need root; create() says why when it cannot, for a GTEST_SKIP.
//
//   std::string whyNot;
//   auto ns = test::NetworkNamespace::create(whyNot);
//   if (!ns) GTEST_SKIP() << whyNot;
//   ns->run([&] { /* sockets opened here live in the namespace */ });

#include <functional>
#include <memory>
#include <string>

namespace chatport::test {

class NetworkNamespace {
 public:
  /// A fresh namespace whose loopback is up and multicast-capable; nullptr with whyNot set
  /// when this system cannot make one (not root, no iproute2, not Linux).
  static std::unique_ptr<NetworkNamespace> create(std::string& whyNot);
  /// Joins a and b with a veth pair, each end given an address with its prefix
  /// ("10.9.0.1/24"), up and multicast-capable, with IPv6 link-local addresses usable at once;
  /// false with whyNot set on failure.
  static bool connect(NetworkNamespace& a, const std::string& addressA, NetworkNamespace& b,
                      const std::string& addressB, std::string& whyNot);
  /// Plugs machine into a switch: a bridge in the namespace sw (made on the first call), and a
  /// veth pair from it to machine, whose end there gets address as connect() does. False with
  /// whyNot set on failure.
  static bool plug(NetworkNamespace& sw, NetworkNamespace& machine, const std::string& address,
                   std::string& whyNot);
  /// Deletes the namespace (and the veth ends in it).
  ~NetworkNamespace();
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// The name of the veth end connect() or plug() put in this namespace (empty before).
  const std::string& vethName() const noexcept { return veth_; }
  /// Runs fn on a thread that has entered the namespace, and waits for it: sockets fn opens
  /// belong to the namespace for their whole life, whichever thread uses them later.
  void run(const std::function<void()>& fn);
  /// Runs a command inside the namespace (`ip netns exec`); its output, ok false on failure.
  std::string exec(const std::string& command, bool& ok);

 private:
  explicit NetworkNamespace(std::string name) : name_(std::move(name)) {}
  /// Brings up end, in this namespace, with address (empty: none).
  bool bringUp(const std::string& end, const std::string& address, std::string& whyNot);
  /// Waits until end, up, has its IPv6 link-local address.
  bool waitForLinkLocal(const std::string& end, std::string& whyNot);

  std::string name_;
  std::string veth_;
  bool hasBridge_ = false;
};

}  // namespace chatport::test
