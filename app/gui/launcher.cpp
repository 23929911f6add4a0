#include "launcher.h"

#include "chat_window.h"
#include "settings.h"
#include "start_dialog.h"

#include <QApplication>

namespace chatport::app {

Launcher::Launcher(ui::Settings& settings, chat::CoreOptions options, QObject* parent)
    : QObject(parent), settings_(settings), options_(options) {}

ui::ChatWindow* Launcher::open(const ui::SessionRequest& request) {
  chat::CoreOptions options = chat::optionsFor(request.role, options_);  // a joiner: one loop
  settings_.applyHistory(options);  // as the History dialog last saved them
  auto* window = new ui::ChatWindow(request, options, &settings_);
  window->setAttribute(Qt::WA_DeleteOnClose);
  connect(window, &ui::ChatWindow::changeSessionRequested, this,
          [this](const ui::SessionRequest& current) { ask(current); });
  window->show();
  window->start();
  if (window_) window_->close();  // the old session leaves once the new one is shown
  window_ = window;
  return window;
}

bool Launcher::ask(const std::optional<ui::SessionRequest>& prefill) {
  // Closing the dialog while no other window is open must not end the application.
  const bool quitOnLast = QApplication::quitOnLastWindowClosed();
  QApplication::setQuitOnLastWindowClosed(false);
  ui::StartDialog dialog(settings_, window_, options_.dataDir);
  if (prefill) dialog.setRequest(*prefill);
  const bool accepted = dialog.exec() == QDialog::Accepted;
  if (accepted) open(dialog.request());
  QApplication::setQuitOnLastWindowClosed(quitOnLast);
  // Its Quit button quits, also when it was opened from a chat window to change the session
  // (asking first if that ends a chat others are in).
  if (!accepted && dialog.quitRequested() && window_) window_->quit();
  return accepted;
}

}  // namespace chatport::app
