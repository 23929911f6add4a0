#include "chat_log_delegate.h"

#include "avatar.h"
#include "chat_log_model.h"
#include "event_text.h"
#include "name_badge.h"
#include "picture_book.h"
#include "sender_palette.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QFileIconProvider>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QRegularExpression>
#include <QTextLayout>
#include <QToolTip>

#include <algorithm>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;

constexpr int kHPad = 6;
constexpr int kVPad = 3;
constexpr int kAccent = 3;
constexpr int kGap = 8;

QColor blend(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                          static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                          static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor mutedText(const QPalette& p) { return blend(p.color(QPalette::Text), p.color(QPalette::Base), 0.45); }
QColor privateAccent(bool dark) { return dark ? QColor(0xc3, 0x9b, 0xf0) : QColor(0x7b, 0x3f, 0xb8); }
QColor errorText(bool dark) { return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x1c, 0x1c); }

QFont smallFont(const QFont& base) {
  QFont f = base;
  if (base.pointSizeF() > 0) f.setPointSizeF(base.pointSizeF() * 0.85);
  else if (base.pixelSize() > 0) f.setPixelSize(std::max(8, base.pixelSize() * 85 / 100));
  return f;
}

QTextCharFormat colored(const QColor& color) {
  QTextCharFormat f;
  f.setForeground(color);
  return f;
}

// pattern with %1 and %2 replaced by a and b (in whichever order a translation puts them);
// endA and endB: where each ends in the result.
QString fillIn(const QString& pattern, const QString& a, const QString& b, qsizetype& endA, qsizetype& endB) {
  QString out;
  for (qsizetype i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == u'%' && i + 1 < pattern.size() && (pattern[i + 1] == u'1' || pattern[i + 1] == u'2')) {
      const bool first = pattern[i + 1] == u'1';
      out += first ? a : b;
      (first ? endA : endB) = out.size();
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

QString buttonText(LogEntry::FileAction action) {
  switch (action) {
    case LogEntry::Accept: return ChatLogDelegate::tr("Accept…");
    case LogEntry::Decline: return ChatLogDelegate::tr("Decline");
    case LogEntry::Cancel: return ChatLogDelegate::tr("Cancel");
    case LogEntry::Open: return ChatLogDelegate::tr("Open");
    case LogEntry::ShowInFolder: return ChatLogDelegate::tr("Show in folder");
    case LogEntry::NoFileAction: break;
  }
  return {};
}

}  // namespace

struct ChatLogDelegate::RowLayout {
  QRect unreadLine;  // "New messages" above the row
  QRect dayLine;     // the date above the row
  QRect content;     // the row below those lines: what is selected and tinted
  QRect avatar;      // a group's first message
  QString time;      // at the left; empty for messages (their time is in the header)
  QPointF timePos;  // baseline start
  QFont timeFont;
  std::unique_ptr<QTextLayout> text;
  int bodyOffset = 0;  // where the entry's text starts in the layout's text
  QList<Link> links;
  QRect hostBadge;  // where the host's badge is drawn, if a name in the row is the host's
  int height = 0;
  // A File row's card under its line.
  struct Button {
    LogEntry::FileAction action = LogEntry::NoFileAction;
    QRect rect;
    QString text;
  };
  QRect card;
  QRect icon;  // the file's icon, or its thumbnail
  bool thumbnail = false;
  QFont titleFont;
  QString title;
  QPointF titlePos;  // baseline start
  QString detail;
  QPointF detailPos;
  QList<Button> buttons;
};

ChatLogDelegate::ChatLogDelegate(QObject* parent) : QStyledItemDelegate(parent) {}
ChatLogDelegate::~ChatLogDelegate() = default;

QList<ChatLogDelegate::Link> ChatLogDelegate::findLinks(const QString& text) {
  QList<Link> links;
  if (!text.contains(u"://"_s) && !text.contains(u"www."_s, Qt::CaseInsensitive)) return links;
  // Full-width punctuation ends a link: Chinese text runs on without spaces.
  static const QRegularExpression re(u"\\b(?:(?:https?|ftp)://|www\\.)[^\\s<>\"。，、；：！？（）【】《》「」『』]+"_s,
                                     QRegularExpression::CaseInsensitiveOption);
  for (auto it = re.globalMatch(text); it.hasNext();) {
    const auto m = it.next();
    QString found = m.captured();
    // Sentence punctuation after a link is not part of it; a closing bracket is, when the
    // link opened one (Wikipedia-style URLs).
    while (!found.isEmpty()) {
      const QChar last = found.back();
      if (u".,;:!?'\"。，！？"_s.contains(last) ||
          (last == u')' && found.count(u'(') < found.count(u')')) ||
          (last == u']' && found.count(u'[') < found.count(u']'))) {
        found.chop(1);
      } else {
        break;
      }
    }
    if (found.size() <= 7) continue;
    QUrl url(found.startsWith(u"www."_s, Qt::CaseInsensitive) ? u"http://"_s + found : found,
             QUrl::TolerantMode);
    if (!url.isValid()) continue;
    links.append(Link{static_cast<int>(m.capturedStart()), static_cast<int>(found.size()), url});
  }
  return links;
}

QColor ChatLogDelegate::colorOf(chat::ClientId id, const QString& name, bool dark) const {
  return palette_ ? palette_->colorFor(id, name, dark) : SenderPalette::colorFor(name, dark);
}

int ChatLogDelegate::rowWidth(const QStyleOptionViewItem& option) {
  // QTreeView asks for a row's height without a width; the row spans the viewport.
  if (const auto* view = qobject_cast<const QAbstractItemView*>(option.widget))
    return view->viewport()->width();
  return option.rect.width() > 0 ? option.rect.width() : 400;
}

ChatLogDelegate::RowLayout ChatLogDelegate::layoutRow(const QStyleOptionViewItem& option,
                                                      const QModelIndex& index, QPoint topLeft,
                                                      int width, bool selected) const {
  const auto* model = qobject_cast<const ChatLogModel*>(index.model());
  RowLayout row;
  if (!model) return row;
  const LogEntry& e = model->entry(index.row());
  const QPalette& pal = option.palette;
  const bool dark = SenderPalette::isDark(pal.color(QPalette::Base));

  row.timeFont = smallFont(option.font);
  const QFontMetrics timeMetrics(row.timeFont);
  const QFontMetrics metrics(option.font);
  const QLocale locale;

  // The lines above the row, each across the whole width.
  int top = topLeft.y();
  const int lineHeight = timeMetrics.height() + 2 * kVPad;
  if (model->unreadMarkerRow() == index.row()) {
    row.unreadLine = QRect(topLeft.x(), top, width, lineHeight);
    top += lineHeight;
  }
  if (e.startsDay) {
    row.dayLine = QRect(topLeft.x(), top + kVPad, width, lineHeight);
    top += lineHeight + kVPad;
  }

  // A message opens a group unless it continues the one before; the unread line above it opens
  // one too, so the first unread message says who wrote it.
  const bool message = e.kind == LogEntry::Kind::Message;
  const bool head = message && (!model->continuesGroup(index.row()) || !row.unreadLine.isNull());
  const int topPad = head ? kVPad + 2 : message ? 1 : kVPad;
  const int bottomPad = message ? 1 : kVPad;

  // The gutter holds the avatar of a group's first message and the time of other rows.
  const QString latest = locale.toString(QTime(23, 59), QLocale::ShortFormat);
  const int avatarSide = std::max(20, 2 * metrics.height() - 4);
  const int gutter = std::max(avatarSide, timeMetrics.horizontalAdvance(latest) + kGap / 2);
  const int timeX = topLeft.x() + kHPad + kAccent + kGap / 2;
  const int textX = timeX + gutter + kGap;
  const int textWidth = std::max(40, topLeft.x() + width - kHPad - textX);
  const QString time = locale.toString(QDateTime::fromMSecsSinceEpoch(e.timeMs).time(), QLocale::ShortFormat);
  if (!message) row.time = time;

  QString full;
  QList<QTextLayout::FormatRange> formats;
  auto addFormat = [&](int start, int length, const QTextCharFormat& f) {
    formats.append(QTextLayout::FormatRange{start, length, f});
  };
  QString body = e.text;
  body.replace(u'\n', QChar::LineSeparator);
  // The host's badge goes after their name, in room kept by a no-break space widened to its
  // size (so it wraps with the name); it is painted there, not written: a name is only text.
  qsizetype badgeAt = -1;

  switch (e.kind) {
    case LogEntry::Kind::File:
    case LogEntry::Kind::Message: {
      if (message && !head) break;  // the group's first message said who and when
      full = e.sender;
      if (e.senderIsHost) {
        badgeAt = full.size();
        full += QChar(QChar::Nbsp);
      }
      full += u"  "_s;
      QTextCharFormat name = selected ? QTextCharFormat() : colored(colorOf(e.senderId, e.sender, dark));
      name.setFontWeight(QFont::Bold);
      addFormat(0, static_cast<int>(e.sender.size()), name);
      if (message) {
        // The header: name and time on a line of their own, the text under them.
        QTextCharFormat timeFormat = selected ? QTextCharFormat() : colored(mutedText(pal));
        timeFormat.setFont(row.timeFont);
        addFormat(static_cast<int>(full.size()), static_cast<int>(time.size()), timeFormat);
        full += time;
        full += QChar(QChar::LineSeparator);
        row.avatar = QRect(timeX, top + topPad, avatarSide, avatarSide);
      }
      break;
    }
    case LogEntry::Kind::Private: {
      // One of the two is this window's user ("you"); the other may be the host.
      const bool fromHost = !e.own && e.senderIsHost;
      const bool toHost = e.own && e.recipientIsHost;
      QString from = e.own ? tr("you") : e.sender;
      QString to = e.own ? e.recipient : tr("you");
      if (fromHost) from += QChar(QChar::Nbsp);
      if (toHost) to += QChar(QChar::Nbsp);
      qsizetype fromEnd = 0;
      qsizetype toEnd = 0;
      const QString names = fillIn(tr("%1 → %2"), from, to, fromEnd, toEnd);
      if (fromHost) badgeAt = fromEnd - 1;
      if (toHost) badgeAt = toEnd - 1;
      const QString tag = tr("(private)");
      full = names + u' ' + tag + u"  "_s;
      QTextCharFormat nameFormat =
          selected ? QTextCharFormat()
                   : colored(e.own ? colorOf(e.recipientId, e.recipient, dark) : colorOf(e.senderId, e.sender, dark));
      nameFormat.setFontWeight(QFont::Bold);
      addFormat(0, static_cast<int>(names.size()), nameFormat);
      QTextCharFormat tagFormat = selected ? QTextCharFormat() : colored(privateAccent(dark));
      tagFormat.setFontItalic(true);
      addFormat(static_cast<int>(names.size()) + 1, static_cast<int>(tag.size()), tagFormat);
      break;
    }
    case LogEntry::Kind::System: {
      QTextCharFormat f = selected ? QTextCharFormat() : colored(mutedText(pal));
      f.setFontItalic(true);
      addFormat(0, static_cast<int>(body.size()), f);
      break;
    }
    case LogEntry::Kind::Error: {
      full = u"⚠ "_s;
      QTextCharFormat f = selected ? QTextCharFormat() : colored(errorText(dark));
      f.setFontWeight(QFont::DemiBold);
      addFormat(0, static_cast<int>(full.size() + body.size()), f);
      break;
    }
  }
  const QSize badgeSize = NameBadge::size(NameBadge::Kind::Host, option.font);
  if (badgeAt >= 0) {
    QTextCharFormat gap;
    gap.setFontLetterSpacingType(QFont::AbsoluteSpacing);
    gap.setFontLetterSpacing(badgeSize.width() + kGap - QFontMetricsF(option.font).horizontalAdvance(QChar(QChar::Nbsp)));
    addFormat(static_cast<int>(badgeAt), 1, gap);
  }
  row.bodyOffset = static_cast<int>(full.size());
  full += body;
  row.links = findLinks(e.text);
  for (const Link& link : std::as_const(row.links)) {
    QTextCharFormat f;
    if (!selected) f.setForeground(pal.color(QPalette::Link));
    f.setFontUnderline(true);
    addFormat(row.bodyOffset + link.start, link.length, f);
  }

  row.text = std::make_unique<QTextLayout>(full, option.font);
  QTextOption textOption;
  textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  textOption.setTextDirection(option.direction);
  row.text->setTextOption(textOption);
  row.text->setFormats(formats);
  row.text->setCacheEnabled(true);
  const int textTop = top + topPad;
  qreal y = 0;
  row.text->beginLayout();
  for (QTextLine line = row.text->createLine(); line.isValid(); line = row.text->createLine()) {
    line.setLineWidth(textWidth);
    line.setPosition(QPointF(textX, textTop + y));
    y += line.height();
  }
  row.text->endLayout();
  if (badgeAt >= 0) {
    const QTextLine line = row.text->lineForTextPosition(static_cast<int>(badgeAt));
    if (line.isValid()) {
      const int at = static_cast<int>(badgeAt);
      const qreal middle = (line.cursorToX(at) + line.cursorToX(at + 1)) / 2;
      row.hostBadge = QRect(QPoint(qRound(middle - badgeSize.width() / 2.0),
                                   qRound(line.y() + (line.height() - badgeSize.height()) / 2)),
                            badgeSize);
    }
  }

  qreal firstAscent = QFontMetricsF(option.font).ascent();
  if (row.text->lineCount() > 0) firstAscent = row.text->lineAt(0).ascent();
  row.timePos = QPointF(timeX, textTop + firstAscent);
  const int contentHeight = std::max({static_cast<int>(std::ceil(y)), row.avatar.height(),
                                      row.time.isEmpty() ? 0 : timeMetrics.height()});
  row.height = top - topLeft.y() + topPad + contentHeight + bottomPad;
  if (e.kind == LogEntry::Kind::File)
    layoutCard(row, e, option, QPoint(textX, textTop + static_cast<int>(std::ceil(y)) + kVPad), textWidth);
  row.content = QRect(topLeft.x(), top, width, topLeft.y() + row.height - top);
  return row;
}

void ChatLogDelegate::layoutCard(RowLayout& row, const LogEntry& e, const QStyleOptionViewItem& option, QPoint at,
                                 int width) {
  constexpr int kPad = 6;
  const QFontMetrics metrics(option.font);
  row.titleFont = option.font;
  row.titleFont.setWeight(QFont::DemiBold);
  const QFontMetrics titleMetrics(row.titleFont);
  const QFont detailFont = smallFont(option.font);
  const QFontMetrics detailMetrics(detailFont);

  row.thumbnail = !e.thumbnail.isNull();
  const int iconSide = std::max(32, metrics.height() * 2);
  const QSize iconSize = row.thumbnail ? e.thumbnail.deviceIndependentSize().toSize() : QSize(iconSide, iconSide);
  row.icon = QRect(at + QPoint(kPad, kPad), iconSize);
  const int infoX = row.icon.right() + 1 + kGap;
  const int infoWidth = std::max(40, at.x() + width - kPad - infoX);
  int y = at.y() + kPad;
  row.title = titleMetrics.elidedText(e.fileName, Qt::ElideMiddle, infoWidth);
  row.titlePos = QPointF(infoX, y + titleMetrics.ascent());
  y += titleMetrics.height();
  row.detail = e.fileStatus.isEmpty() ? EventText::size(e.fileSize)
                                      : tr("%1 · %2").arg(EventText::size(e.fileSize), e.fileStatus);
  row.detail = detailMetrics.elidedText(row.detail, Qt::ElideRight, infoWidth);
  row.detailPos = QPointF(infoX, y + detailMetrics.ascent());
  y += detailMetrics.height();

  const QStyle* style = option.widget ? option.widget->style() : QApplication::style();
  int x = infoX;
  for (const auto action :
       {LogEntry::Accept, LogEntry::Decline, LogEntry::Cancel, LogEntry::Open, LogEntry::ShowInFolder}) {
    if (!(e.fileActions & action)) continue;
    if (row.buttons.isEmpty()) y += kGap / 2;
    QStyleOptionButton button;
    button.fontMetrics = metrics;
    button.text = buttonText(action);
    const QSize content(metrics.horizontalAdvance(button.text), metrics.height());
    const QSize size = style->sizeFromContents(QStyle::CT_PushButton, &button, content, option.widget)
                           .expandedTo(QSize(0, metrics.height() + 8));
    row.buttons.append(RowLayout::Button{action, QRect(QPoint(x, y), size), button.text});
    x += size.width() + kGap / 2;
  }
  if (!row.buttons.isEmpty()) y += row.buttons.front().rect.height();
  const int bottom = std::max(y, row.icon.bottom() + 1) + kPad;
  const int right = std::max({row.icon.right() + 1 + kPad, x, infoX + titleMetrics.horizontalAdvance(row.title),
                              infoX + detailMetrics.horizontalAdvance(row.detail)}) + kPad;
  row.card = QRect(at, QPoint(std::min(right, at.x() + width) - 1, bottom - 1));
  row.height += row.card.height() + kVPad;
}

QSize ChatLogDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  constexpr qsizetype kMaxCached = 250'000;
  const int width = rowWidth(option);
  if (width != heightsWidth_ || option.font != heightsFont_ || heights_.size() > kMaxCached) {
    heights_.clear();
    heightsWidth_ = width;
    heightsFont_ = option.font;
  }
  const auto* model = qobject_cast<const ChatLogModel*>(index.model());
  if (!model) return {width, 0};
  // Measured each time: a file offer, which changes in place (buttons go, a thumbnail comes);
  // the row under the unread line, which goes; the first row, which opens a group once the
  // rows before it have gone as old.
  const bool changes = model->entry(index.row()).kind == LogEntry::Kind::File ||
                       model->unreadMarkerRow() == index.row() || index.row() == 0;
  const quint64 serial = model->serial(index.row());
  if (!changes)
    if (auto it = heights_.constFind(serial); it != heights_.constEnd()) return {width, *it};
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, QPoint(0, 0), width, false);
  if (!changes) heights_.insert(serial, row.height);
  return {width, row.height};
}

void ChatLogDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
  const auto* model = qobject_cast<const ChatLogModel*>(index.model());
  if (!model) return;
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  opt.text.clear();
  opt.features &= ~QStyleOptionViewItem::HasDisplay;
  const LogEntry& e = model->entry(index.row());
  const bool selected = opt.state.testFlag(QStyle::State_Selected);
  const bool dark = SenderPalette::isDark(opt.palette.color(QPalette::Base));
  const RowLayout layout = layoutRow(opt, index, opt.rect.topLeft(), opt.rect.width(), selected);

  painter->save();
  paintLines(painter, layout, e, opt);
  // The message itself, below the lines: only it is selected and tinted.
  opt.rect = layout.content;
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

  const QRect r = opt.rect;
  // A group's bar runs unbroken from its first message to its last.
  const int row = index.row();
  const bool joinsAbove = model->continuesGroup(row) && row != model->unreadMarkerRow();
  const bool joinsBelow = row + 1 < model->rowCount() && model->continuesGroup(row + 1) &&
                          row + 1 != model->unreadMarkerRow();
  const QRect accent = QRect(r.left() + kHPad / 2, r.top(), kAccent, r.height()).adjusted(0, joinsAbove ? 0 : 1, 0, joinsBelow ? 0 : -1);
  if (!selected) {
    QColor tint;
    if (e.kind == LogEntry::Kind::Error) tint = errorText(dark);
    else if (e.kind == LogEntry::Kind::Private) tint = privateAccent(dark);
    else if (e.own) tint = opt.palette.color(QPalette::Highlight);
    if (tint.isValid()) {
      QColor fill = tint;
      fill.setAlphaF(dark ? 0.16f : 0.09f);
      painter->fillRect(r, fill);
    }
  }
  if (e.own || e.kind == LogEntry::Kind::Private) {
    const QColor bar = e.kind == LogEntry::Kind::Private ? privateAccent(dark)
                                                         : opt.palette.color(QPalette::Highlight);
    painter->fillRect(accent, selected ? opt.palette.color(QPalette::HighlightedText) : bar);
  }

  if (!layout.avatar.isNull()) {
    const QPixmap picture = pictures_ && e.senderId != chat::kNoClient
                                ? pictures_->round(e.senderId, layout.avatar.width(), painter->device()->devicePixelRatioF())
                                : QPixmap();
    if (!picture.isNull())
      painter->drawPixmap(layout.avatar.topLeft(), picture);
    else
      Avatar::paint(painter, layout.avatar, colorOf(e.senderId, e.sender, dark), Avatar::initials(e.sender), opt.font);
  }
  const QColor text = selected ? opt.palette.color(QPalette::HighlightedText)
                               : opt.palette.color(QPalette::Text);
  if (!layout.time.isEmpty()) {
    painter->setFont(layout.timeFont);
    painter->setPen(selected ? text : mutedText(opt.palette));
    painter->drawText(layout.timePos, layout.time);
  }
  // The past is there to read, quieter than the live conversation.
  painter->setPen(e.history && !selected ? mutedText(opt.palette) : text);
  layout.text->draw(painter, QPointF(0, 0));
  if (!layout.hostBadge.isNull())
    NameBadge::paint(painter, layout.hostBadge, NameBadge::Kind::Host, opt.font, opt.palette);
  if (e.kind == LogEntry::Kind::File) paintCard(painter, layout, e, opt, selected);
  painter->restore();
}

QString ChatLogDelegate::dayText(QDate day, QDate today) {
  if (day == today) return tr("Today");
  if (day == today.addDays(-1)) return tr("Yesterday");
  return QLocale().toString(day, QLocale::LongFormat);
}

QString ChatLogDelegate::unreadText() { return tr("New messages"); }

void ChatLogDelegate::paintLines(QPainter* painter, const RowLayout& row, const LogEntry& e,
                                 const QStyleOptionViewItem& option) {
  const QPalette& pal = option.palette;
  const bool dark = SenderPalette::isDark(pal.color(QPalette::Base));
  // A rule across the line with words on it (in the middle, or at its end).
  const auto paintLine = [&](const QRect& line, const QString& words, const QColor& color, Qt::Alignment align) {
    QFont font = smallFont(option.font);
    font.setWeight(QFont::DemiBold);
    const QFontMetrics metrics(font);
    const int inner = line.width() - 2 * (kHPad + kAccent);
    const QString shown = metrics.elidedText(words, Qt::ElideRight, std::max(0, inner - 4 * kGap));
    const int wordsWidth = metrics.horizontalAdvance(shown);
    const int left = line.left() + kHPad + kAccent;
    const int right = line.right() - kHPad;
    const bool atRight = align == Qt::AlignRight;
    const int wordsX = atRight ? right - wordsWidth : line.center().x() - wordsWidth / 2;
    const int y = line.center().y();
    QColor rule = color;
    rule.setAlphaF(atRight ? 0.8f : 0.35f);
    painter->setPen(QPen(rule, 1));
    painter->drawLine(left, y, wordsX - kGap, y);
    if (!atRight) painter->drawLine(wordsX + wordsWidth + kGap, y, right, y);
    painter->setFont(font);
    painter->setPen(color);
    painter->drawText(QRect(wordsX, line.top(), wordsWidth, line.height()), Qt::AlignCenter, shown);
  };
  if (!row.unreadLine.isNull()) paintLine(row.unreadLine, unreadText(), errorText(dark), Qt::AlignRight);
  if (!row.dayLine.isNull())
    paintLine(row.dayLine, dayText(QDateTime::fromMSecsSinceEpoch(e.timeMs).date(), QDate::currentDate()),
              mutedText(pal), Qt::AlignCenter);
}

void ChatLogDelegate::paintCard(QPainter* painter, const RowLayout& row, const LogEntry& e,
                                const QStyleOptionViewItem& option, bool selected) {
  const QPalette& pal = option.palette;
  const QWidget* widget = option.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  painter->setRenderHint(QPainter::Antialiasing);
  QColor border = selected ? pal.color(QPalette::HighlightedText) : mutedText(pal);
  border.setAlphaF(0.5f);
  painter->setPen(border);
  QColor fill = pal.color(QPalette::Base);
  painter->setBrush(selected ? Qt::NoBrush : QBrush(blend(fill, pal.color(QPalette::AlternateBase), 0.6)));
  painter->drawRoundedRect(QRectF(row.card).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
  painter->setRenderHint(QPainter::Antialiasing, false);
  if (row.thumbnail) {
    painter->drawImage(row.icon, e.thumbnail);
  } else {
    static const QFileIconProvider icons;
    const QIcon icon = icons.icon(e.folder ? QFileIconProvider::Folder : QFileIconProvider::File);
    icon.paint(painter, row.icon);
  }
  const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
  painter->setPen(text);
  painter->setFont(row.titleFont);
  painter->drawText(row.titlePos, row.title);
  painter->setFont(smallFont(option.font));
  painter->setPen(selected ? text : mutedText(pal));
  painter->drawText(row.detailPos, row.detail);
  painter->setFont(option.font);
  for (const RowLayout::Button& b : row.buttons) {
    QStyleOptionButton button;
    if (widget) button.initFrom(widget);
    button.state = QStyle::State_Enabled | QStyle::State_Raised;
    button.palette = pal;
    button.fontMetrics = QFontMetrics(option.font);
    button.rect = b.rect;
    button.text = b.text;
    style->drawControl(QStyle::CE_PushButton, &button, painter, widget);
  }
}

bool ChatLogDelegate::helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                                const QModelIndex& index) {
  if (event && event->type() == QEvent::ToolTip && index.isValid()) {
    const QRect badge = hostBadgeRect(option, index);
    if (badge.contains(event->pos())) {
      QToolTip::showText(event->globalPos(), NameBadge::toolTip(NameBadge::Kind::Host), view, badge);
      return true;
    }
  }
  return QStyledItemDelegate::helpEvent(event, view, option, index);
}

QRect ChatLogDelegate::hostBadgeRect(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  return layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false).hostBadge;
}

LogEntry::FileAction ChatLogDelegate::fileActionAt(const QStyleOptionViewItem& option, const QModelIndex& index,
                                                  QPoint pos) const {
  const bool file = index.data(ChatLogModel::KindRole).toInt() == static_cast<int>(LogEntry::Kind::File);
  if (!file || !option.rect.contains(pos)) return LogEntry::NoFileAction;
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false);
  for (const RowLayout::Button& b : row.buttons)
    if (b.rect.contains(pos)) return b.action;
  const auto* model = qobject_cast<const ChatLogModel*>(index.model());
  if (row.thumbnail && row.icon.contains(pos) && model && (model->entry(index.row()).fileActions & LogEntry::Open))
    return LogEntry::Open;
  return LogEntry::NoFileAction;
}

QRect ChatLogDelegate::fileActionRect(const QStyleOptionViewItem& option, const QModelIndex& index,
                                      LogEntry::FileAction action) const {
  if (index.data(ChatLogModel::KindRole).toInt() != static_cast<int>(LogEntry::Kind::File)) return {};
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false);
  for (const RowLayout::Button& b : row.buttons)
    if (b.action == action) return b.rect;
  return {};
}

QRect ChatLogDelegate::thumbnailRect(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  if (index.data(ChatLogModel::KindRole).toInt() != static_cast<int>(LogEntry::Kind::File)) return {};
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false);
  return row.thumbnail ? row.icon : QRect();
}

ChatLogDelegate::Parts ChatLogDelegate::parts(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false);
  Parts parts{row.avatar, {}, row.dayLine, row.unreadLine};
  if (row.text) {
    // The entry's own text: its first line, from where the text starts on it.
    const QTextLine line = row.text->lineForTextPosition(row.bodyOffset);
    if (line.isValid())
      parts.text = QRectF(line.cursorToX(row.bodyOffset), line.y(), line.naturalTextWidth(), line.height()).toAlignedRect();
  }
  return parts;
}

QUrl ChatLogDelegate::linkAt(const QStyleOptionViewItem& option, const QModelIndex& index,
                             QPoint pos) const {
  if (!option.rect.contains(pos)) return {};
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const RowLayout row = layoutRow(opt, index, option.rect.topLeft(), option.rect.width(), false);
  if (row.links.isEmpty() || !row.text) return {};
  for (int i = 0; i < row.text->lineCount(); ++i) {
    const QTextLine line = row.text->lineAt(i);
    const QRectF box(line.x(), line.y(), line.naturalTextWidth(), line.height());
    if (!box.contains(pos)) continue;
    const int at = line.xToCursor(pos.x(), QTextLine::CursorOnCharacter) - row.bodyOffset;
    for (const Link& link : row.links)
      if (at >= link.start && at < link.start + link.length) return link.url;
  }
  return {};
}

}  // namespace chatport::ui
