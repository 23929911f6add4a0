#include "history_upkeep.h"

#include "settings.h"

#include <chatport/chat/history.h>
#include <chatport/log.h>

namespace chatport::app {

void applyHistoryLimits(const ui::Settings& settings, const std::string& dataDir) {
  const chat::HistoryLimits limits = settings.historyLimits();
  if ((limits.keepDays == 0 && limits.maxBytes == 0) || !chat::HistoryStore::available()) return;
  std::string error;
  const auto store = chat::HistoryStore::open(dataDir, error);
  if (!store) {
    logging::get("app")->warn("history limits not applied: {}", error);
    return;
  }
  store->applyLimits(limits);
}

}  // namespace chatport::app
