#include "presence_control.h"

#include "client_list_delegate.h"
#include "idle_watcher.h"
#include "settings.h"

#include <QActionGroup>
#include <QMenu>
#include <QPainter>
#include <QPalette>
#include <QToolButton>

namespace chatport::ui {
namespace {

constexpr int kAwayChoices[] = {5, 10, 30, 0};  // minutes; 0: never

QIcon markIcon(chat::Presence presence, const QColor& ring) {
  return ClientListDelegate::paintedIcon([&](QPainter& painter, int size) {
    ClientListDelegate::paintPresence(&painter, QRect(1, 1, size - 2, size - 2), presence, ring);
  });
}

}  // namespace

PresenceControl::PresenceControl(Settings* settings, QWidget* parent)
    : QObject(parent), settings_(settings), idle_(new IdleWatcher(this)), menu_(new QMenu(tr("S&tatus"), parent)),
      button_(new QToolButton(parent)) {
  menu_->setObjectName(QStringLiteral("statusMenu"));
  auto* group = new QActionGroup(this);
  const QColor ring = parent->palette().color(QPalette::Window);
  const std::pair<chat::Presence, QString> choices[] = {
      {chat::Presence::Available, tr("&Available")},
      {chat::Presence::Away, tr("A&way")},
      {chat::Presence::Busy, tr("&Busy: no notifications")},
  };
  for (const auto& [presence, label] : choices) {
    QAction* action = menu_->addAction(markIcon(presence, ring), label);
    action->setCheckable(true);
    action->setObjectName(QStringLiteral("presence") + QString::number(static_cast<int>(presence)));
    group->addAction(action);
    connect(action, &QAction::triggered, this, [this, p = presence] { choose(p); });
    actions_[static_cast<int>(presence)] = action;
  }
  actions_[0]->setChecked(true);

  menu_->addSeparator();
  QMenu* after = menu_->addMenu(tr("Away after &idle time"));
  after->setObjectName(QStringLiteral("awayAfterMenu"));
  auto* afterGroup = new QActionGroup(this);
  const int minutes = settings_ ? settings_->awayAfterMinutes() : 10;
  for (int m : kAwayChoices) {
    QAction* action = after->addAction(m ? tr("%n minute(s) without input", nullptr, m) : tr("Never"));
    action->setCheckable(true);
    action->setChecked(m == minutes);
    action->setData(m);
    afterGroup->addAction(action);
    connect(action, &QAction::triggered, this, [this, m] { setAwayAfter(m); });
  }

  button_->setObjectName(QStringLiteral("presenceButton"));
  button_->setAutoRaise(true);
  button_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  button_->setPopupMode(QToolButton::InstantPopup);
  button_->setMenu(menu_);
  button_->setToolTip(tr("Your status, as everyone sees it"));
  setConfirmed(chat::Presence::Available);

  idle_->setTimeout(std::chrono::minutes(minutes));
  connect(idle_, &IdleWatcher::becameIdle, this, [this] {
    if (chosen_ != chat::Presence::Available) return;  // the person's own choice stands
    autoAway_ = true;
    ask(chat::Presence::Away);
  });
  connect(idle_, &IdleWatcher::becameActive, this, [this] {
    if (!std::exchange(autoAway_, false)) return;
    ask(chosen_);
  });
}

PresenceControl::~PresenceControl() = default;

QString PresenceControl::text(chat::Presence presence) {
  switch (presence) {
    case chat::Presence::Available: return tr("Available");
    case chat::Presence::Away: return tr("Away");
    case chat::Presence::Busy: return tr("Busy");
  }
  return {};
}

void PresenceControl::choose(chat::Presence presence) {
  chosen_ = presence;
  autoAway_ = false;
  ask(presence);
}

void PresenceControl::ask(chat::Presence presence) {
  actions_[static_cast<int>(presence)]->setChecked(true);
  Q_EMIT presenceChosen(presence);
}

void PresenceControl::setConfirmed(chat::Presence presence) {
  shown_ = presence;
  actions_[static_cast<int>(presence)]->setChecked(true);
  button_->setIcon(markIcon(presence, button_->palette().color(QPalette::Window)));
  button_->setText(text(presence));
  button_->setAccessibleName(tr("Your status: %1").arg(text(presence)));
}

void PresenceControl::setAwayAfter(int minutes) {
  if (settings_) settings_->setAwayAfterMinutes(minutes);
  idle_->setTimeout(std::chrono::minutes(minutes));
}

}  // namespace chatport::ui
