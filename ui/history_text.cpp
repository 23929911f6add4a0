#include "history_text.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <utility>
#include <vector>

namespace chatport::ui::HistoryText {

using namespace Qt::Literals::StringLiterals;

QString highlighted(const QString& text, const QString& words) {
  // Marked ranges, merged where they overlap ("ab" and "bc" in "abc").
  std::vector<std::pair<qsizetype, qsizetype>> marks;  // [begin, end)
  for (const QString& word : words.split(u' ', Qt::SkipEmptyParts))
    for (qsizetype at = text.indexOf(word, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(word, at + word.size(), Qt::CaseInsensitive))
      marks.emplace_back(at, at + word.size());
  std::sort(marks.begin(), marks.end());
  QString out;
  qsizetype done = 0;
  for (std::size_t i = 0; i < marks.size();) {
    qsizetype begin = std::max(marks[i].first, done);
    qsizetype end = marks[i].second;
    for (++i; i < marks.size() && marks[i].first <= end; ++i) end = std::max(end, marks[i].second);
    if (end <= begin) continue;
    out += text.mid(done, begin - done).toHtmlEscaped();
    out += u"<span style=\"background-color:#ffe27a;color:#000\">"_s + text.mid(begin, end - begin).toHtmlEscaped() +
           u"</span>"_s;
    done = end;
  }
  out += text.mid(done).toHtmlEscaped();
  return out.replace(u'\n', u"<br>"_s);
}

QString time(const chat::StoredMessage& message) {
  return QLocale().toString(QDateTime::fromMSecsSinceEpoch(message.timeMs), QLocale::ShortFormat);
}

QString sender(const chat::StoredMessage& message) {
  const QString from = QString::fromStdString(message.from);
  if (message.kind != chat::StoredMessage::Kind::Private) return from;
  return from + u" → "_s + QString::fromStdString(message.to);
}

QString roomName(const std::string& room, const std::string& name) {
  if (!name.empty()) return QString::fromStdString(name);
  // "key:" and the first 8 hex digits: enough to tell rooms apart at a glance.
  return QString::fromStdString(room.substr(0, 12)) + u"…"_s;
}

}  // namespace chatport::ui::HistoryText
