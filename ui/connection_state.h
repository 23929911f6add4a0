#pragma once
// Where a chat window's session stands, as the person sees it: its ClientState's phase.

#include <chatport/chat/client_state.h>

namespace chatport::ui {

enum class ConnectionState {
  Idle,          ///< nothing started yet
  Connecting,    ///< hosting being set up, or joining
  Connected,     ///< in the chat
  Reconnecting,  ///< lost the host; the core tries again after a delay
  Disconnected,  ///< ended: left, failed, kicked, host closed
};

constexpr ConnectionState connectionState(chat::ClientState::Phase phase) {
  using Phase = chat::ClientState::Phase;
  switch (phase) {
    case Phase::Idle: return ConnectionState::Idle;
    case Phase::Connecting: return ConnectionState::Connecting;
    case Phase::Connected: return ConnectionState::Connected;
    case Phase::Reconnecting: return ConnectionState::Reconnecting;
    case Phase::Ended: return ConnectionState::Disconnected;
  }
  return ConnectionState::Idle;
}

}  // namespace chatport::ui
