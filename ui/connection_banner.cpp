#include "connection_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace chatport::ui {

ConnectionBanner::ConnectionBanner(QWidget* parent)
    : QFrame(parent), label_(new QLabel(this)), cancel_(new QPushButton(tr("Cancel"), this)),
      retry_(new QPushButton(tr("Try again"), this)), change_(new QPushButton(tr("Change…"), this)) {
  setObjectName(QStringLiteral("connectionBanner"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  label_->setObjectName(QStringLiteral("bannerText"));
  label_->setWordWrap(true);
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  retry_->setObjectName(QStringLiteral("retryButton"));
  change_->setObjectName(QStringLiteral("changeButton"));
  change_->setToolTip(tr("Choose another nickname, address or port"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 6, 8, 6);
  layout->addWidget(label_, 1);
  layout->addWidget(cancel_);
  layout->addWidget(retry_);
  layout->addWidget(change_);
  connect(cancel_, &QPushButton::clicked, this, &ConnectionBanner::cancelClicked);
  connect(retry_, &QPushButton::clicked, this, &ConnectionBanner::retryClicked);
  connect(change_, &QPushButton::clicked, this, &ConnectionBanner::changeClicked);
  showMessage(Kind::Progress, {});
}

void ConnectionBanner::showMessage(Kind kind, const QString& text, bool canRetry) {
  kind_ = kind;
  label_->setText(text);
  cancel_->setVisible(kind == Kind::Progress);
  retry_->setVisible(kind != Kind::Progress && canRetry);
  change_->setVisible(kind != Kind::Progress);
  QPalette pal = palette();
  const QPalette app = QPalette();
  const QColor base = app.color(QPalette::Window);
  const QColor tint = kind == Kind::Failure ? QColor(0xd9, 0x3a, 0x3a) : app.color(QPalette::Highlight);
  const double t = kind == Kind::Ended ? 0.05 : 0.14;
  pal.setColor(QPalette::Window, QColor::fromRgbF(static_cast<float>(base.redF() * (1 - t) + tint.redF() * t),
                                                  static_cast<float>(base.greenF() * (1 - t) + tint.greenF() * t),
                                                  static_cast<float>(base.blueF() * (1 - t) + tint.blueF() * t)));
  setPalette(pal);
}

QString ConnectionBanner::text() const { return label_->text(); }

}  // namespace chatport::ui
