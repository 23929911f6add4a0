#pragma once
// How history is shown: a message's text as HTML with the words searched for marked, and the
// other bits the search results and the context view share. UI thread only.

#include <chatport/chat/history.h>

#include <QString>

namespace chatport::ui::HistoryText {

/// text, HTML-escaped, with each occurrence of each of words (separated by spaces; Latin
/// letters in any case) marked; line breaks kept.
QString highlighted(const QString& text, const QString& words);
/// The message's time as this locale writes a date and time, briefly.
QString time(const chat::StoredMessage& message);
/// Who said it: the sender, "a → b" for a private message.
QString sender(const chat::StoredMessage& message);
/// A room for people: its name, or a short form of its key where it has none.
QString roomName(const std::string& room, const std::string& name);

}  // namespace chatport::ui::HistoryText
