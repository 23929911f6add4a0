#pragma once
// A room's history written out as a file: text for people, or JSON lines with the fields of
// `chatport-cli history export --format json` (event, room, seq, time in UTC, kind, from, to,
// text, outgoing, history). Pure functions over the messages; any thread.

#include <chatport/chat/history.h>

#include <QByteArray>
#include <QString>

#include <vector>

namespace chatport::ui::HistoryExport {

enum class Format { Text, Json };

/// messages oldest first; roomName for the text's heading (empty: the key).
QByteArray format(Format format, const std::string& room, const QString& roomName,
                  const std::vector<chat::StoredMessage>& messages);

}  // namespace chatport::ui::HistoryExport
