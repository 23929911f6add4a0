#include "event_text.h"

#include <QLocale>

#include <algorithm>
#include <climits>
#include <cmath>

namespace chatport::ui {

using chat::ErrorCode;
using chat::LeaveReason;

namespace {
/// tr()'s %n takes an int.
int plural(quint64 count) { return static_cast<int>(std::min<quint64>(count, INT_MAX)); }
}  // namespace

QString EventText::failure(ErrorCode code, const SessionRequest& s) {
  const QString where = endpoint(s.address, s.port);
  switch (code) {
    case ErrorCode::PortInUse:
      return tr("Port %1 is already in use on this computer, perhaps by another chat. Choose "
                "another port, or close the program that is using it.")
          .arg(s.port);
    case ErrorCode::BindFailed:
      return tr("ChatPort can't host on port %1 here. Choose a port from 1024 to 65535, and leave "
                "the listening address empty unless it belongs to this computer.")
          .arg(s.port);
    case ErrorCode::ConnectionRefused:
      return tr("Nobody is hosting a chat at %1. Check the address and the port, and that the "
                "host has started hosting.")
          .arg(where);
    case ErrorCode::HostUnreachable:
      return tr("Can't reach %1. Check the address, and that this computer and the host are on "
                "the same network.")
          .arg(s.address);
    case ErrorCode::ConnectTimedOut:
      return tr("%1 did not answer. Check the address; a firewall on the host may be blocking "
                "port %2.")
          .arg(where)
          .arg(s.port);
    case ErrorCode::NameTaken:
      return tr("Someone in this chat is already called “%1”. Choose another nickname and try "
                "again.")
          .arg(s.name);
    case ErrorCode::InvalidName:
      return tr("The nickname “%1” can't be used. Choose another one.").arg(s.name);
    case ErrorCode::VersionMismatch:
      return tr("The host runs a different version of ChatPort. Use the same version on both "
                "computers.");
    case ErrorCode::RoomFull:
      return tr("The chat is full: the host accepts nobody else right now. Try again later.");
    case ErrorCode::HostClosed:
      return tr("The host ended the chat. You can join again once they host again.");
    case ErrorCode::Kicked:
      return tr("The host removed you from the chat.");
    case ErrorCode::TooSlow:
      return tr("You were disconnected because your connection could not keep up with the chat. "
                "Check your network, then join again.");
    case ErrorCode::RateLimited:
      return tr("You are sending messages too fast, so the last one was not sent. Wait a moment "
                "and send it again.");
    case ErrorCode::MessageTooLong:
      return tr("That message is too long to send (at most 60 KB). Split it into shorter "
                "messages.");
    case ErrorCode::InvalidText:
      return tr("That message contains characters that can't be sent. Remove them and try again.");
    case ErrorCode::UnknownRecipient:
      return tr("That person is no longer in the chat, so the private message was not sent.");
    case ErrorCode::NotAllowed:
      return tr("Only the host can do that.");
    case ErrorCode::NotConnected:
      return tr("You are not connected, so that was not sent.");
    case ErrorCode::ProtocolError:
      return tr("The other side sent something ChatPort does not understand, so the connection "
                "was closed. Make sure both computers run the same version.");
    case ErrorCode::ConnectionLost:
      return s.role == chat::Role::Joiner
                 ? tr("The connection to the host was lost. Check your network.")
                 : tr("The connection was lost. Check your network.");
    case ErrorCode::Left:
      return youLeft(s.role);
    case ErrorCode::WrongPassword:
      return tr("The password is wrong. Ask the host for the room's password and join again.");
    case ErrorCode::PasswordRequired:
      return tr("This room has a password. Enter it and join again.");
    case ErrorCode::HostKeyChanged:
      return tr("The host at %1 shows a different key from the one it had before. Someone may "
                "be posing as it. Compare the fingerprints with the host before accepting the "
                "new key.")
          .arg(where);
    case ErrorCode::NotAnnouncedRoom:
      return tr("This is not the room that was announced: the computer at %1 answered with another key. "
                "Someone on the network may be posing as it. Join by address if you trust this computer.")
          .arg(where);
    case ErrorCode::Banned:
      return tr("The host has banned you from this room.");
    case ErrorCode::HandshakeFailed:
      return tr("The secure connection to %1 could not be set up: the data was altered on the "
                "way, or the other side is not ChatPort.")
          .arg(where);
    case ErrorCode::DataFolder:
      return tr("ChatPort can't use its data folder, where it keeps its key. Check that the "
                "folder can be written, or choose another with --data-dir.");
    case ErrorCode::HistoryUnavailable:
      return tr("ChatPort can't open its history in its data folder, so this chat will not be "
                "kept. Everything else works; see the log for why.");
    case ErrorCode::FileUnreadable:
      return tr("ChatPort can't read that file or folder, so it was not offered. Check that it "
                "still exists and that you may open it.");
    case ErrorCode::FileTooLarge:
      return tr("That is larger than the host allows in this room, so it was not offered.");
    case ErrorCode::TransferBusy:
      return tr("The room has as many transfers running as its host allows. Try again when one "
                "has finished.");
    case ErrorCode::UnknownTransfer:
      return tr("That transfer is no longer there: it finished, or the other side ended it.");
    case ErrorCode::InvalidPicture:
      return tr("Your picture was not changed: a picture is a PNG or JPEG of at most 16 KiB, "
                "changed a few times a minute at most. Try again in a minute.");
    case ErrorCode::RulesNotKept:
      return tr("ChatPort can't keep this room's bans and lifted rate limits in its data folder, so "
                "they will last only until the chat ends. Check that the folder can be written; the "
                "log says why.");
  }
  return tr("Something went wrong.");
}

QString EventText::ended(ErrorCode code, const SessionRequest& s) {
  if (code == ErrorCode::RateLimited)
    return tr("The host removed you from the chat because you sent messages too fast. You can "
              "join again; send fewer messages at once.");
  return failure(code, s);
}

QString EventText::joined(const QString& name) { return tr("%1 joined the chat.").arg(name); }

QString EventText::rateLimit(const QString& name, double rate, double burst) {
  if (rate <= 0) return tr("%1 may now send without a rate limit.").arg(name);
  return tr("%1 is under the room's rate limit again (%2 messages a second, %3 at once).")
      .arg(name, QLocale().toString(rate), QLocale().toString(burst));
}

QString EventText::yourRateLimit(double rate, double burst) {
  if (rate <= 0) return tr("The host lifted your rate limit: you may send as fast as you like.");
  return tr("The host put your rate limit back: %1 messages a second, %2 at once.")
      .arg(QLocale().toString(rate), QLocale().toString(burst));
}

QString EventText::missed(quint64 messages) {
  return tr("%n message(s) said while you were disconnected could not be recovered.", nullptr,
            plural(messages));
}

QString EventText::skipped(quint64 messages, quint64 notices) {
  const int m = plural(messages);
  const int n = plural(notices);
  if (m == 0) return tr("This window fell behind: %n join or leave notice(s) were skipped.", nullptr, n);
  if (n == 0) return tr("This window fell behind: %n message(s) were skipped.", nullptr, m);
  return tr("This window fell behind: %n message(s) and some join or leave notices were skipped.",
            nullptr, m);
}

QString EventText::left(const QString& name, LeaveReason reason) {
  switch (reason) {
    case LeaveReason::Quit: return tr("%1 left the chat.").arg(name);
    case LeaveReason::Timeout: return tr("%1 stopped responding and was disconnected.").arg(name);
    case LeaveReason::Kicked: return tr("%1 was removed by the host.").arg(name);
    case LeaveReason::Error: return tr("%1 was disconnected by a connection error.").arg(name);
    case LeaveReason::TooSlow:
      return tr("%1 was disconnected for not keeping up with the chat.").arg(name);
    case LeaveReason::TooFast: return tr("%1 was removed for sending messages too fast.").arg(name);
  }
  return tr("%1 left the chat.").arg(name);
}

QString EventText::renamed(const QString& oldName, const QString& newName) {
  return tr("%1 is now called %2.").arg(oldName, newName);
}

QString EventText::youAreNowCalled(const QString& newName) {
  return tr("You are now called %1.").arg(newName);
}

QString EventText::youRemoved(const QString& name) {
  return tr("You removed %1 from the chat.").arg(name);
}

QString EventText::youBanned(const QString& name) {
  return tr("You removed %1 from the chat and banned them from this room.").arg(name);
}

QString EventText::firstContact(const QString& address, quint16 port, const QString& fingerprint) {
  return tr("First contact with the host at %1: ChatPort will remember its key, fingerprint %2. Ask "
            "the host which fingerprint their ChatPort shows: if it is this one, nobody is in between.")
      .arg(endpoint(address, port), fingerprint);
}

QString EventText::trustingNewKey(const QString& address, quint16 port, const QString& fingerprint) {
  return tr("You chose to trust the new key of the host at %1, fingerprint %2. Joining again…")
      .arg(endpoint(address, port), fingerprint);
}

QString EventText::portMoved(quint16 asked, quint16 port) {
  return tr("Port %1 is in use on this computer, so the room is on port %2. Joiners on this "
            "network find it anyway; anyone joining by address needs port %2.")
      .arg(asked)
      .arg(port);
}

QString EventText::historyStarts() { return tr("Earlier in this room"); }

QString EventText::historyEnds() { return tr("New messages from here on"); }

QString EventText::hosting(const QStringList& addresses, quint16 port) {
  if (addresses.isEmpty())
    return tr("You are hosting on port %1. Others on your network can join with this computer's "
              "address and that port.")
        .arg(port);
  QStringList places;
  for (const QString& a : addresses) places << endpoint(a, port);
  return tr("You are hosting. Others can join at %1.").arg(places.join(tr(" or ")));
}

QString EventText::joinedChat(const QString& address, quint16 port, const QString& name) {
  return tr("You joined the chat at %1 as %2.").arg(endpoint(address, port), name);
}

QString EventText::youLeft(chat::Role role) {
  return role == chat::Role::Host ? tr("You ended the chat. Everyone was told.")
                                  : tr("You left the chat.");
}

QString EventText::connectCancelled() { return tr("Cancelled."); }

QString EventText::connecting(const SessionRequest& s) {
  if (s.role == chat::Role::Host)
    return s.port == 0 ? tr("Starting the chat on a free port…")
                       : tr("Starting the chat on port %1…").arg(s.port);
  return tr("Connecting to %1…").arg(endpoint(s.address, s.port));
}

QString EventText::reconnecting(int secondsLeft, int attempt) {
  if (secondsLeft <= 0) return tr("Lost the host. Reconnecting now (attempt %1)…").arg(attempt);
  return tr("Lost the host. Reconnecting in %n s (attempt %1)…", nullptr, secondsLeft).arg(attempt);
}

QString EventText::state(ConnectionState state, int secondsLeft) {
  switch (state) {
    case ConnectionState::Idle: return tr("Not started");
    case ConnectionState::Connecting: return tr("Connecting…");
    case ConnectionState::Connected: return tr("Connected");
    case ConnectionState::Reconnecting:
      return secondsLeft > 0 ? tr("Reconnecting in %n s", nullptr, secondsLeft) : tr("Reconnecting…");
    case ConnectionState::Disconnected: return tr("Disconnected");
  }
  return {};
}

QString EventText::role(chat::Role role) {
  return role == chat::Role::Host ? tr("Host") : tr("Joiner");
}

QString EventText::cannotSend(ConnectionState state) {
  switch (state) {
    case ConnectionState::Connected: return tr("Write a message. Enter sends, Shift+Enter starts a new line.");
    case ConnectionState::Idle:
    case ConnectionState::Connecting: return tr("You can write once you are connected…");
    case ConnectionState::Reconnecting: return tr("Not connected: waiting to reconnect to the host…");
    case ConnectionState::Disconnected: return tr("Not connected: you can't send messages.");
  }
  return {};
}

QString EventText::transferFailure(chat::TransferFailure reason, bool outgoing) {
  using chat::TransferFailure;
  switch (reason) {
    case TransferFailure::Declined:
      return outgoing ? tr("They declined it.") : tr("You declined it.");
    case TransferFailure::Cancelled: return tr("You cancelled it.");
    case TransferFailure::CancelledByPeer:
      return outgoing ? tr("They cancelled it.") : tr("The sender cancelled it.");
    case TransferFailure::PeerLeft:
      return outgoing ? tr("They left the chat before it arrived.") : tr("The sender left the chat before it arrived.");
    case TransferFailure::HashMismatch:
      return tr("What arrived was not what was sent, so nothing was kept. Try sending it again.");
    case TransferFailure::TooLarge: return tr("It is larger than the host allows in this room.");
    case TransferFailure::Busy:
      return tr("The room had as many transfers running as its host allows. Try again later.");
    case TransferFailure::WriteFailed:
      return outgoing ? tr("They could not save it (their disk may be full).")
                      : tr("ChatPort could not save it there. Check the free space and that you may write "
                           "to that folder.");
    case TransferFailure::ReadFailed:
      return outgoing ? tr("ChatPort could not read it any more: it was moved, changed or removed.")
                      : tr("The sender could no longer read it: it was moved, changed or removed.");
    case TransferFailure::SessionEnded: return tr("The chat ended before it arrived.");
    case TransferFailure::ProtocolError:
      return tr("The other side broke the rules of sending files, so it was stopped.");
  }
  return tr("It did not arrive.");
}

QString EventText::size(quint64 bytes) {
  return QLocale().formattedDataSize(static_cast<qint64>(std::min<quint64>(bytes, LLONG_MAX)), 1,
                                     QLocale::DataSizeTraditionalFormat);
}

QString EventText::speed(double bytesPerSecond) {
  if (!(bytesPerSecond > 0)) return {};
  return tr("%1/s").arg(size(static_cast<quint64>(bytesPerSecond)));
}

QString EventText::timeLeft(quint64 bytesLeft, double bytesPerSecond) {
  if (!(bytesPerSecond > 0) || bytesLeft == 0) return {};
  const double seconds = std::ceil(static_cast<double>(bytesLeft) / bytesPerSecond);
  if (seconds < 60) return tr("%n s", nullptr, static_cast<int>(seconds));
  if (seconds < 3600) return tr("about %n min", nullptr, static_cast<int>(std::ceil(seconds / 60)));
  if (seconds < 100 * 3600) return tr("about %n h", nullptr, static_cast<int>(std::ceil(seconds / 3600)));
  return tr("days");
}

QString EventText::endpoint(const QString& address, quint16 port) {
  const QString host = address.isEmpty() ? QStringLiteral("0.0.0.0") : address;
  if (host.contains(u':')) return QStringLiteral("[%1]:%2").arg(host).arg(port);
  return QStringLiteral("%1:%2").arg(host).arg(port);
}

}  // namespace chatport::ui
