#pragma once
// How NetworkInterface::likelyVirtual is told, the same words on every system.

#include <string_view>

namespace chatport::net::detail {

/// True for the names and descriptions virtual machines, containers and bridges give their
/// adapters (see NetworkInterface::likelyVirtual).
bool looksVirtual(std::string_view name, std::string_view description) noexcept;

}  // namespace chatport::net::detail
