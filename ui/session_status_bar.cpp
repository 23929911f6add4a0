#include "session_status_bar.h"

#include "event_text.h"

#include <QLabel>

namespace chatport::ui {

SessionStatusBar::SessionStatusBar(QWidget* parent)
    : QStatusBar(parent), role_(new QLabel(this)), endpoint_(new QLabel(this)),
      state_(new QLabel(this)), count_(new QLabel(this)) {
  setObjectName(QStringLiteral("sessionStatusBar"));
  role_->setObjectName(QStringLiteral("roleLabel"));
  endpoint_->setObjectName(QStringLiteral("endpointLabel"));
  state_->setObjectName(QStringLiteral("stateLabel"));
  count_->setObjectName(QStringLiteral("countLabel"));
  endpoint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  endpoint_->setToolTip(tr("Address and port of the chat"));
  addWidget(role_);
  addWidget(endpoint_);
  addWidget(state_, 1);
  addPermanentWidget(count_);
  setState(ConnectionState::Idle);
  setConnectedCount(0);
}

void SessionStatusBar::setRole(chat::Role role) { role_->setText(EventText::role(role)); }

void SessionStatusBar::setEndpoint(const QString& address, quint16 port) {
  endpoint_->setText(EventText::endpoint(address, port));
}

void SessionStatusBar::setState(ConnectionState state, int secondsLeft) {
  state_->setText(EventText::state(state, secondsLeft));
}

void SessionStatusBar::setConnectedCount(int count) {
  count_->setText(tr("%n connected", nullptr, count));
}

QString SessionStatusBar::roleText() const { return role_->text(); }
QString SessionStatusBar::endpointText() const { return endpoint_->text(); }
QString SessionStatusBar::stateText() const { return state_->text(); }
QString SessionStatusBar::countText() const { return count_->text(); }

}  // namespace chatport::ui
