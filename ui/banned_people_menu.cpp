#include "banned_people_menu.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

namespace chatport::ui {

BannedPeopleMenu::BannedPeopleMenu(QWidget* parent) : QMenu(tr("&Banned people"), parent) {
  setObjectName(QStringLiteral("bannedMenu"));
  setToolTipsVisible(true);
  setEnabled(false);  // until someone is
}

QStringList BannedPeopleMenu::setBanned(std::vector<chat::BannedPerson> banned) {
  QStringList lifted;
  for (const auto& was : banned_)
    if (std::find(banned.begin(), banned.end(), was) == banned.end()) lifted << QString::fromStdString(was.name);
  banned_ = std::move(banned);
  clear();
  std::map<std::string, int> named;  // how many are banned under each name
  for (const auto& person : banned_) ++named[person.name];
  for (const auto& person : banned_) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(person.since.time_since_epoch()).count();
    const QString since = QLocale().toString(QDateTime::fromSecsSinceEpoch(seconds).date(), QLocale::ShortFormat);
    // Two people banned under one name are told apart by their keys (the fingerprint's first
    // two groups: 40 bits), not left to the tooltip.
    const bool nameShared = named[person.name] > 1;
    const QString name = QString::fromStdString(person.name);
    const QString label = nameShared ? tr("Let %1 (key %2…) join again (banned %3)")
                                           .arg(name, QString::fromStdString(person.fingerprint.substr(0, 9)), since)
                                     : tr("Let %1 join again (banned %2)").arg(name, since);
    QAction* lift = addAction(label, this, [this, fingerprint = person.fingerprint] { Q_EMIT unbanRequested(fingerprint); });
    lift->setToolTip(tr("Key fingerprint: %1").arg(QString::fromStdString(person.fingerprint)));
  }
  setEnabled(!banned_.empty());
  return lifted;
}

}  // namespace chatport::ui
