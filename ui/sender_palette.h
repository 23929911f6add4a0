#pragma once
// A colour per person, readable on the window's background. In a session, people get distinct
// colours in order of arrival, and two people present never share one while another is free
// (assign()); someone the session has not placed (a name alone) gets a stable colour from
// their nickname, the same in every window and run. Colours by name: thread-safe; a session's
// assignments: UI thread only.

#include <chatport/chat/types.h>

#include <QColor>
#include <QString>

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace chatport::ui {

class SenderPalette {
 public:
  static constexpr std::size_t kColors = 12;

  /// darkBackground: pick a light variant for dark themes.
  static QColor colorFor(const QString& name, bool darkBackground);
  static bool isDark(const QColor& background) { return background.lightnessF() < 0.5; }

  /// The colour of someone in this session, by id; by name if the session has not placed them.
  QColor colorFor(chat::ClientId id, const QString& name, bool darkBackground) const;
  /// Who is here now, in order of arrival (ids grow with arrival). Newcomers get the colour
  /// fewest people present have, the one given out longest ago among those; those no longer
  /// listed keep theirs for what they said, but it may be given again.
  void setPresent(const std::vector<chat::Participant>& clients);
  void arrived(chat::ClientId id);
  void left(chat::ClientId id);
  /// A new session: its ids name other people.
  void clear();

 private:
  std::map<chat::ClientId, std::size_t> assigned_;
  std::set<chat::ClientId> present_;
  std::array<std::uint64_t, kColors> givenAt_{};  // 0: never given in this session
  std::uint64_t given_ = 0;
};

}  // namespace chatport::ui
