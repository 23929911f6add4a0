#pragma once
// The sentences a person reads about what happened: failures they can act on, and the system
// lines of the chat log (joins, leaves, renames, kicks). Thread-safe (pure functions).

#include "connection_state.h"
#include "session_request.h"

#include <chatport/chat/types.h>

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace chatport::ui {

class EventText {
  Q_DECLARE_TR_FUNCTIONS(EventText)

 public:
  /// A failure, in words that say what to do about it. session: what was being attempted (its
  /// address and port name the place that failed).
  static QString failure(chat::ErrorCode code, const SessionRequest& session);
  /// Why a session ended (DisconnectedEvent::reason): as failure(), except where the same code
  /// means something else for a whole session than for one message.
  static QString ended(chat::ErrorCode code, const SessionRequest& session);

  static QString joined(const QString& name);
  static QString left(const QString& name, chat::LeaveReason reason);
  static QString renamed(const QString& oldName, const QString& newName);
  static QString youAreNowCalled(const QString& newName);
  static QString youRemoved(const QString& name);
  static QString youBanned(const QString& name);
  /// Host: name's rate limit lifted (rate 0) or back.
  static QString rateLimit(const QString& name, double rate, double burst);
  /// Joiner: the host lifted this person's rate limit (rate 0), or put it back.
  static QString yourRateLimit(double rate, double burst);
  /// A joiner met this host's key for the first time and pinned it.
  static QString firstContact(const QString& address, quint16 port, const QString& fingerprint);
  /// The person chose to trust a host's changed key.
  static QString trustingNewKey(const QString& address, quint16 port, const QString& fingerprint);
  /// The window fell so far behind that the oldest of what arrived meanwhile was let go.
  static QString skipped(quint64 messages, quint64 notices);
  /// Back after a dropped link, with some of what was said meanwhile gone from the host.
  static QString missed(quint64 messages);
  /// After hosting started: where others can join.
  static QString hosting(const QStringList& addresses, quint16 port);
  /// The port asked for was taken: the room moved to port (it is announced, so found anyway).
  static QString portMoved(quint16 asked, quint16 port);
  /// Before the messages said in the room before this session, and after them.
  static QString historyStarts();
  static QString historyEnds();
  static QString joinedChat(const QString& address, quint16 port, const QString& name);
  static QString youLeft(chat::Role role);
  static QString connectCancelled();
  static QString connecting(const SessionRequest& session);
  static QString reconnecting(int secondsLeft, int attempt);
  /// Short state for the status bar.
  static QString state(ConnectionState state, int secondsLeft);
  static QString role(chat::Role role);
  /// Why the input is disabled.
  static QString cannotSend(ConnectionState state);
  /// Why a transfer ended without arriving, as a sentence. outgoing: this side sent it.
  static QString transferFailure(chat::TransferFailure reason, bool outgoing);
  /// A size in bytes as a person reads it ("1.5 MB").
  static QString size(quint64 bytes);
  /// A transfer's speed ("1.5 MB/s").
  static QString speed(double bytesPerSecond);
  /// Time left, roughly ("about 3 min"); empty if it cannot be told.
  static QString timeLeft(quint64 bytesLeft, double bytesPerSecond);
  /// "address:port", with brackets around an IPv6 address.
  static QString endpoint(const QString& address, quint16 port);
};

}  // namespace chatport::ui
