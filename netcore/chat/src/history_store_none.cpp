// HistoryStore in a build without SQLite (the Windows build: Debian packages no SQLite for
// mingw-w64). Nothing is kept, and whoever asks is told why.

#include <chatport/chat/history.h>

namespace chatport::chat {

HistoryStore::~HistoryStore() = default;

bool HistoryStore::available() noexcept { return false; }

std::string HistoryStore::unavailableReason() {
  return "this Windows build keeps no history: it was built without SQLite (the Linux build "
         "keeps it)";
}

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string&, std::string& error) {
  error = unavailableReason();
  return nullptr;
}

}  // namespace chatport::chat
