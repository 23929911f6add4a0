#include "avatar.h"

#include <QPainter>
#include <QTextBoundaryFinder>

#include <algorithm>

namespace chatport::ui {
namespace {

// The first grapheme cluster of word: a letter with its accents, a whole emoji sequence.
QString firstGrapheme(const QString& word) {
  QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, word);
  const qsizetype end = finder.toNextBoundary();
  return word.left(end > 0 ? end : word.size());
}

}  // namespace

QString Avatar::initials(const QString& name) {
  const QStringList words = name.simplified().split(QChar(u' '), Qt::SkipEmptyParts);
  QString out;
  for (qsizetype i = 0; i < std::min<qsizetype>(2, words.size()); ++i) out += firstGrapheme(words.at(i)).toUpper();
  return out.isEmpty() ? QStringLiteral("?") : out;
}

void Avatar::paint(QPainter* painter, const QRect& rect, const QColor& fill, const QString& initials,
                   const QFont& font) {
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(Qt::NoPen);
  painter->setBrush(fill);
  painter->drawEllipse(QRectF(rect));
  QFont f = font;
  f.setBold(true);
  f.setItalic(false);
  f.setUnderline(false);
  // Two letters fit across the circle with a margin, however large the row's font; one (a
  // Chinese character, an emoji) is drawn larger.
  const bool one = firstGrapheme(initials).size() == initials.size();
  f.setPixelSize(std::max(6, rect.height() * (one ? 50 : 40) / 100));
  painter->setFont(f);
  painter->setPen(fill.lightnessF() > 0.6 ? QColor(0x1a, 0x1a, 0x1a) : QColor(Qt::white));
  painter->drawText(rect, Qt::AlignCenter, initials);
  painter->restore();
}

}  // namespace chatport::ui
