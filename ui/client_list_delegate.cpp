#include "client_list_delegate.h"

#include "client_list_model.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace chatport::ui {
namespace {

constexpr int kGap = 5;

std::vector<NameBadge::Kind> kindsOf(const QModelIndex& index) {
  std::vector<NameBadge::Kind> kinds;
  if (index.data(ClientListModel::IsHostRole).toBool()) kinds.push_back(NameBadge::Kind::Host);
  if (index.data(ClientListModel::IsSelfRole).toBool()) kinds.push_back(NameBadge::Kind::You);
  return kinds;
}

}  // namespace

ClientListDelegate::ClientListDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

std::vector<ClientListDelegate::Badge> ClientListDelegate::badges(const QStyleOptionViewItem& option,
                                                                  const QModelIndex& index,
                                                                  QString* shownName) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  const std::vector<NameBadge::Kind> kinds = kindsOf(index);
  int badgesWidth = 0;
  for (NameBadge::Kind kind : kinds) badgesWidth += kGap + NameBadge::size(kind, opt.font).width();

  // The name gets what the badges leave; the badges follow the name as drawn.
  const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
  const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
  const QFontMetrics metrics(opt.font);
  const QString name = metrics.elidedText(index.data(ClientListModel::NameRole).toString(), Qt::ElideRight,
                                          std::max(0, textRect.width() - 2 * margin - badgesWidth));
  if (shownName) *shownName = name;
  const bool rtl = opt.direction == Qt::RightToLeft;
  int x = metrics.horizontalAdvance(name) + margin;
  std::vector<Badge> out;
  for (NameBadge::Kind kind : kinds) {
    const QSize size = NameBadge::size(kind, opt.font);
    x += kGap;
    QRect r(QPoint(0, textRect.center().y() - size.height() / 2 + 1), size);
    r.moveLeft(rtl ? textRect.right() - x - size.width() + 1 : textRect.left() + x);
    out.push_back({kind, r});
    x += size.width();
  }
  return out;
}

void ClientListDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                               const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  QString name;
  const std::vector<Badge> shown = badges(option, index, &name);
  opt.text = name;
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
  for (const Badge& badge : shown) NameBadge::paint(painter, badge.rect, badge.kind, opt.font, opt.palette);

  // The presence, on the colour dot's corner: told apart by shape as well as by colour.
  const QRect mark = presenceMark(option, index);
  if (mark.isEmpty()) return;
  paintPresence(painter, mark, static_cast<chat::Presence>(index.data(ClientListModel::PresenceRole).toInt()),
                opt.palette.color(QPalette::Base));
}

void ClientListDelegate::paintPresence(QPainter* painter, const QRect& mark, chat::Presence presence,
                                       const QColor& ring) {
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(QPen(ring, std::max(1.0, mark.width() / 6.0)));
  painter->setBrush(presenceColor(presence));
  painter->drawEllipse(mark);
  painter->setPen(Qt::NoPen);
  painter->setBrush(ring);
  const QRectF inner = QRectF(mark).adjusted(mark.width() * 0.22, mark.height() * 0.22, -mark.width() * 0.22,
                                             -mark.height() * 0.22);
  if (presence == chat::Presence::Away)  // a crescent: the dot with a bite out of its top left
    painter->drawEllipse(inner.translated(-inner.width() * 0.35, -inner.height() * 0.35));
  else if (presence == chat::Presence::Busy)  // a bar across
    painter->drawRect(QRectF(inner.left(), inner.center().y() - inner.height() * 0.14, inner.width(),
                             inner.height() * 0.28));
  painter->restore();
}

QIcon ClientListDelegate::paintedIcon(const std::function<void(QPainter&, int)>& paint) {
  QIcon icon;
  for (int size : {12, 16, 24, 32}) {
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    paint(painter, size);
    painter.end();
    icon.addPixmap(pixmap);
  }
  return icon;
}

QColor ClientListDelegate::presenceColor(chat::Presence presence) {
  switch (presence) {
    case chat::Presence::Available: return QColor(0x2E, 0x9E, 0x44);
    case chat::Presence::Away: return QColor(0xE0, 0x9B, 0x00);
    case chat::Presence::Busy: return QColor(0xD0, 0x34, 0x2C);
  }
  return {};
}

QRect ClientListDelegate::presenceMark(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  if (!(opt.features & QStyleOptionViewItem::HasDecoration)) return {};
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  const QRect icon = style->subElementRect(QStyle::SE_ItemViewItemDecoration, &opt, widget);
  const int side = std::max(6, icon.width() * 3 / 5);
  return QRect(icon.right() - side + 2, icon.bottom() - side + 2, side, side);
}

QSize ClientListDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QSize size = QStyledItemDelegate::sizeHint(option, index);
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  for (NameBadge::Kind kind : kindsOf(index)) {
    const QSize badge = NameBadge::size(kind, opt.font);
    size.rwidth() += kGap + badge.width();
    size.setHeight(std::max(size.height(), badge.height() + 2));
  }
  return size;
}

bool ClientListDelegate::helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) {
  if (event && event->type() == QEvent::ToolTip && index.isValid()) {
    for (const Badge& badge : badges(option, index)) {
      if (badge.rect.contains(event->pos())) {
        QToolTip::showText(event->globalPos(), NameBadge::toolTip(badge.kind), view, badge.rect);
        return true;
      }
    }
  }
  return QStyledItemDelegate::helpEvent(event, view, option, index);
}

}  // namespace chatport::ui
