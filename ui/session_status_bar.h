#pragma once
// The chat window's status bar: role, address:port, connection state, and once connected a
// padlock (every chat is encrypted) with the host's key fingerprint, which host and joiners
// compare aloud; then the number connected. UI thread only.

#include "connection_state.h"

#include <chatport/chat/types.h>

#include <QStatusBar>

class QLabel;

namespace chatport::ui {

class SessionStatusBar : public QStatusBar {
  Q_OBJECT

 public:
  explicit SessionStatusBar(QWidget* parent = nullptr);

  void setRole(chat::Role role);
  void setEndpoint(const QString& address, quint16 port);
  /// secondsLeft: until the next reconnect attempt (Reconnecting only).
  void setState(ConnectionState state, int secondsLeft = 0);
  void setConnectedCount(int count);
  /// Connected: the host's key fingerprint (ownKey: this window is the host) and whether the
  /// room has a password. Shown until clearSecurity().
  void setSecurity(const QString& fingerprint, bool ownKey, bool passwordProtected);
  void clearSecurity();

  QString roleText() const;
  QString endpointText() const;
  QString stateText() const;
  QString countText() const;
  /// What the fingerprint label says ("Host's key fingerprint: XXXX-…"); empty while hidden.
  QString fingerprintText() const;
  QLabel* lockLabel() const { return lock_; }

 private:
  QLabel* role_;
  QLabel* endpoint_;
  QLabel* state_;
  QLabel* lock_;
  QLabel* fingerprint_;
  QLabel* count_;
};

}  // namespace chatport::ui
