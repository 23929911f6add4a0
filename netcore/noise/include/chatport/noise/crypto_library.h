#pragma once
// libgcrypt's one-time start, shared with the code beside this library that calls libgcrypt
// itself (the chat core's file hashes): libgcrypt must be initialised once per process, before
// its first use, and only one party should do it.

namespace chatport::noise {

/// Thread-safe. Initialises libgcrypt once per process (if the application has not done it
/// already). False if libgcrypt is older than 1.9 or would not start.
bool cryptoLibraryReady() noexcept;

}  // namespace chatport::noise
