#include "platform/virtual_adapter.h"

namespace chatport::net::detail {

bool looksVirtual(std::string_view name, std::string_view description) noexcept {
  for (std::string_view prefix : {"docker", "veth", "virbr", "vboxnet", "vmnet", "br-"})
    if (name.starts_with(prefix)) return true;
  for (std::string_view word : {"Hyper-V", "VirtualBox", "VMware"})
    if (description.find(word) != std::string_view::npos) return true;
  return false;
}

}  // namespace chatport::net::detail
