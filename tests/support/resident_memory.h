#pragma once
// How much memory a process holds resident, for tests and benchmarks (Linux: /proc).

#include <cstddef>
#include <fstream>
#include <string>

namespace chatport::test {

/// VmRSS of process pid (0: this process) in bytes; 0 where it cannot be read.
inline std::size_t residentBytes(long pid = 0) {
  std::ifstream status(pid ? "/proc/" + std::to_string(pid) + "/status" : std::string("/proc/self/status"));
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

}  // namespace chatport::test
