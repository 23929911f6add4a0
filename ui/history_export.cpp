#include "history_export.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace chatport::ui::HistoryExport {
namespace {

using namespace Qt::Literals::StringLiterals;
using chat::StoredMessage;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString kindName(StoredMessage::Kind kind) {
  switch (kind) {
    case StoredMessage::Kind::Chat: return u"chat"_s;
    case StoredMessage::Kind::Private: return u"private"_s;
    case StoredMessage::Kind::Notice: return u"notice"_s;
  }
  return u"notice"_s;
}

QByteArray jsonLine(const StoredMessage& m) {
  const QJsonObject object{
      {u"event"_s, u"message"_s},
      {u"room"_s, qs(m.room)},
      {u"seq"_s, static_cast<qint64>(m.seq)},
      {u"time"_s, QDateTime::fromMSecsSinceEpoch(m.timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
      {u"kind"_s, kindName(m.kind)},
      {u"from"_s, qs(m.from)},
      {u"to"_s, qs(m.to)},
      {u"text"_s, qs(m.text)},
      {u"outgoing"_s, m.outgoing},
      {u"history"_s, true},
  };
  return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// As chatport-cli shows a message: the local time, who, the text; a message's further lines
// after a bar, as chatport-cli marks a message's continued lines.
QString textLines(const StoredMessage& m) {
  QString head = u"["_s + QDateTime::fromMSecsSinceEpoch(m.timeMs).toString(u"yyyy-MM-dd HH:mm:ss"_s) + u"] "_s;
  switch (m.kind) {
    case StoredMessage::Kind::Chat: head += u"<"_s + qs(m.from) + u"> "_s; break;
    case StoredMessage::Kind::Private: head += u"(private) <"_s + qs(m.from) + u"> -> <"_s + qs(m.to) + u"> "_s; break;
    case StoredMessage::Kind::Notice: head += u"* "_s; break;
  }
  const QStringList lines = qs(m.text).split(u'\n');
  QString out = head + lines.front() + u'\n';
  for (qsizetype i = 1; i < lines.size(); ++i) out += u"          | "_s + lines[i] + u'\n';
  return out;
}

}  // namespace

QByteArray format(Format format, const std::string& room, const QString& roomName,
                  const std::vector<StoredMessage>& messages) {
  QByteArray out;
  if (format == Format::Json) {
    for (const StoredMessage& m : messages) out += jsonLine(m);
    return out;
  }
  out += (u"# ChatPort history of %1 (%2), %3 messages\n"_s)
             .arg(roomName.isEmpty() ? qs(room) : roomName, qs(room))
             .arg(messages.size())
             .toUtf8();
  for (const StoredMessage& m : messages) out += textLines(m).toUtf8();
  return out;
}

}  // namespace chatport::ui::HistoryExport
