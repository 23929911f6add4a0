#include "host_security.h"

#include <algorithm>

namespace chatport::chat {

bool PasswordGuard::mayTry(const std::string& source, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = records_.find(source);
  if (it == records_.end()) return true;
  if (now - it->second.windowStart >= std::chrono::minutes(1)) {
    records_.erase(it);
    return true;
  }
  return it->second.failures < kTriesPerMinute;
}

void PasswordGuard::failed(const std::string& source, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (records_.size() >= kMaxSources && !records_.count(source)) {
    auto oldest = std::min_element(records_.begin(), records_.end(), [](const auto& a, const auto& b) {
      return a.second.windowStart < b.second.windowStart;
    });
    records_.erase(oldest);
  }
  Record& r = records_[source];
  if (r.failures == 0 || now - r.windowStart >= std::chrono::minutes(1)) r = Record{now, 0};
  ++r.failures;
}

}  // namespace chatport::chat
