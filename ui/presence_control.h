#pragma once
// This person's presence, as the window offers it: the Status menu (available, away, busy, and
// after how long without input to show as away), a button in the status bar that shows it and
// opens the menu, and the automatic away: after the idle time the person is away, and available
// again when they come back, unless they chose away or busy themselves. It asks for a presence
// (presenceChosen, for the core); what it shows is what the room confirmed (setConfirmed).
// UI thread only.

#include <chatport/chat/types.h>

#include <QObject>

class QAction;
class QMenu;
class QToolButton;
class QWidget;

namespace chatport::ui {

class IdleWatcher;
class Settings;

class PresenceControl : public QObject {
  Q_OBJECT

 public:
  /// settings (may be null) keeps the idle time.
  PresenceControl(Settings* settings, QWidget* parent);
  ~PresenceControl() override;

  QMenu* menu() const { return menu_; }
  QToolButton* button() const { return button_; }
  IdleWatcher* idleWatcher() const { return idle_; }
  /// As the room last confirmed it.
  chat::Presence shown() const { return shown_; }
  /// The room says this person is now presence.
  void setConfirmed(chat::Presence presence);
  /// The person's own choice, as if taken from the menu.
  void choose(chat::Presence presence);

  static QString text(chat::Presence presence);

 Q_SIGNALS:
  void presenceChosen(chat::Presence presence);

 private:
  void ask(chat::Presence presence);
  void setAwayAfter(int minutes);

  Settings* settings_;
  IdleWatcher* idle_;
  QMenu* menu_;
  QToolButton* button_;
  QAction* actions_[3] = {};  // by chat::Presence
  chat::Presence chosen_ = chat::Presence::Available;  // by the person (never the automatic away)
  chat::Presence shown_ = chat::Presence::Available;
  bool autoAway_ = false;  // away because idle: back on the next input
};

}  // namespace chatport::ui
