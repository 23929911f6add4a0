#pragma once
// Opens chat windows: from a request (the command line), or by asking with the start dialog,
// and again when a window asks for a different session. UI thread only.

#include "chat_window.h"
#include "session_request.h"

#include <chatport/chat/chat_core.h>

#include <QObject>
#include <QPointer>

#include <optional>

namespace chatport::ui {
class Settings;
}  // namespace chatport::ui

namespace chatport::app {

class Launcher : public QObject {
  Q_OBJECT

 public:
  explicit Launcher(ui::Settings& settings, chat::CoreOptions options = {}, QObject* parent = nullptr);

  /// Shows a chat window running request.
  ui::ChatWindow* open(const ui::SessionRequest& request);
  /// Shows the start dialog (prefilled if given); opens a window if it is accepted. Returns
  /// whether it was.
  bool ask(const std::optional<ui::SessionRequest>& prefill = std::nullopt);

  ui::ChatWindow* window() const { return window_; }

 private:
  ui::Settings& settings_;
  chat::CoreOptions options_;
  QPointer<ui::ChatWindow> window_;
};

}  // namespace chatport::app
