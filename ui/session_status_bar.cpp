#include "session_status_bar.h"

#include "event_text.h"

#include <QLabel>
#include <QPainter>
#include <QPainterPath>

namespace chatport::ui {
namespace {

/// A closed padlock in color, size pixels square (device-independent), for a screen of dpr.
QPixmap padlock(int size, qreal dpr, const QColor& color) {
  QPixmap pixmap(QSize(size, size) * dpr);
  pixmap.setDevicePixelRatio(dpr);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const qreal s = size;
  // The shackle: an arch over the body.
  QPen pen(color, s * 0.13, Qt::SolidLine, Qt::FlatCap);
  p.setPen(pen);
  QPainterPath shackle;
  const QRectF arch(s * 0.28, s * 0.10, s * 0.44, s * 0.46);
  shackle.moveTo(arch.left(), s * 0.48);
  shackle.lineTo(arch.left(), arch.center().y());
  shackle.arcTo(arch, 180, -180);
  shackle.lineTo(arch.right(), s * 0.48);
  p.drawPath(shackle);
  // The body, with a keyhole.
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  const QRectF body(s * 0.16, s * 0.44, s * 0.68, s * 0.48);
  p.drawRoundedRect(body, s * 0.08, s * 0.08);
  p.setCompositionMode(QPainter::CompositionMode_Clear);
  p.drawEllipse(QPointF(body.center().x(), body.top() + body.height() * 0.42), s * 0.07, s * 0.07);
  return pixmap;
}

}  // namespace

SessionStatusBar::SessionStatusBar(QWidget* parent)
    : QStatusBar(parent), role_(new QLabel(this)), endpoint_(new QLabel(this)),
      state_(new QLabel(this)), lock_(new QLabel(this)), fingerprint_(new QLabel(this)), count_(new QLabel(this)) {
  setObjectName(QStringLiteral("sessionStatusBar"));
  role_->setObjectName(QStringLiteral("roleLabel"));
  endpoint_->setObjectName(QStringLiteral("endpointLabel"));
  state_->setObjectName(QStringLiteral("stateLabel"));
  count_->setObjectName(QStringLiteral("countLabel"));
  lock_->setObjectName(QStringLiteral("lockLabel"));
  fingerprint_->setObjectName(QStringLiteral("fingerprintLabel"));
  endpoint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  endpoint_->setToolTip(tr("Address and port of the chat"));
  fingerprint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  addWidget(role_);
  addWidget(endpoint_);
  addWidget(state_, 1);
  addPermanentWidget(lock_);
  addPermanentWidget(fingerprint_);
  addPermanentWidget(count_);
  setState(ConnectionState::Idle);
  setConnectedCount(0);
  clearSecurity();
}

void SessionStatusBar::setSecurity(const QString& fingerprint, bool ownKey, bool passwordProtected) {
  lock_->setPixmap(padlock(fontMetrics().height(), devicePixelRatioF(), palette().color(QPalette::WindowText)));
  QString lockTip = tr("Encrypted: what is said in this chat can be read only by those in it.");
  if (passwordProtected) lockTip += u'\n' + tr("The room has a password.");
  lock_->setToolTip(lockTip);
  lock_->setAccessibleName(lockTip);
  if (ownKey) {
    fingerprint_->setText(tr("Your key's fingerprint: %1").arg(fingerprint));
    fingerprint_->setToolTip(tr("This host's key fingerprint. Joiners see the host's fingerprint when "
                                "they join: if theirs is this one, they reached you and nobody is in "
                                "between. Read it out to them."));
  } else {
    fingerprint_->setText(tr("Host's key fingerprint: %1").arg(fingerprint));
    fingerprint_->setToolTip(tr("The host's key fingerprint. Ask the host which fingerprint their ChatPort "
                                "shows: if it is this one, nobody is in between."));
  }
  lock_->show();
  fingerprint_->show();
}

void SessionStatusBar::clearSecurity() {
  lock_->hide();
  fingerprint_->hide();
  fingerprint_->clear();
}

QString SessionStatusBar::fingerprintText() const { return fingerprint_->isHidden() ? QString() : fingerprint_->text(); }

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
