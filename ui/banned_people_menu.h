#pragma once
// The host's Chat > Banned people: one entry for each person banned from the room (the last
// BansEvent), which lifts their ban when chosen (unbanRequested, for the core). Disabled while
// nobody is banned. UI thread only.

#include <chatport/chat/types.h>

#include <QMenu>
#include <QStringList>

#include <vector>

namespace chatport::ui {

class BannedPeopleMenu : public QMenu {
  Q_OBJECT

 public:
  explicit BannedPeopleMenu(QWidget* parent = nullptr);

  /// The room's bans are now these; returns the names of those no longer banned.
  QStringList setBanned(std::vector<chat::BannedPerson> banned);

 Q_SIGNALS:
  void unbanRequested(const std::string& fingerprint);

 private:
  std::vector<chat::BannedPerson> banned_;
};

}  // namespace chatport::ui
