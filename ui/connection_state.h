#pragma once
// Where a chat window's session stands, as the person sees it.

namespace chatport::ui {

enum class ConnectionState {
  Idle,          ///< nothing started yet
  Connecting,    ///< hosting being set up, or joining
  Connected,     ///< in the chat
  Reconnecting,  ///< lost the host; the core tries again after a delay
  Disconnected,  ///< ended: left, failed, kicked, host closed
};

}  // namespace chatport::ui
