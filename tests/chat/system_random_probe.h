#pragma once
// Linux test builds only: this test program's own getrandom(2), which forwards to the system
// call and remembers what it returned, so a test can tell whether a secret came from the
// system's generator. The program's definition takes precedence over the C library's.

#include <cstddef>
#include <span>

namespace chatport::chat::test {

/// True where the probe is built in (Linux); elsewhere nothing is recorded.
bool systemRandomProbeAvailable();
/// True if bytes were, in one piece, returned by a getrandom call since the program started.
bool cameFromSystemRandom(std::span<const std::byte> bytes);

}  // namespace chatport::chat::test
