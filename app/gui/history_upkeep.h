#pragma once
// At start: the history's limits as set (Settings: history/days, history/mib) applied to the
// store in the data folder, so messages older or beyond them are gone before any window shows
// them. UI thread, before the first window.

#include <string>

namespace chatport::ui {
class Settings;
}  // namespace chatport::ui

namespace chatport::app {

/// Deletes what the limits no longer keep. Does nothing where no limit is set or this build
/// keeps no history; a store that cannot be opened is logged and left alone (the chat goes on).
void applyHistoryLimits(const ui::Settings& settings, const std::string& dataDir);

}  // namespace chatport::app
