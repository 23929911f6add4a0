#pragma once
// The chat window's status bar: role, address:port, connection state, number connected.
// UI thread only.

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

  QString roleText() const;
  QString endpointText() const;
  QString stateText() const;
  QString countText() const;

 private:
  QLabel* role_;
  QLabel* endpoint_;
  QLabel* state_;
  QLabel* count_;
};

}  // namespace chatport::ui
