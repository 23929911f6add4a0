#pragma once
// Asked when a host's key is not the one pinned for its address (ErrorCode::HostKeyChanged):
// shows the fingerprint remembered and the one shown now, says what that may mean and how to
// check it, and offers to join anyway, trusting and pinning the new key, or not. Not joining
// is the default, for Enter and Esc alike. UI thread only.

#include <QMessageBox>

class QPushButton;

namespace chatport::ui {

class HostKeyDialog : public QMessageBox {
  Q_OBJECT

 public:
  /// where: the host's address and port as the person gave them.
  HostKeyDialog(const QString& where, const QString& pinned, const QString& offered, QWidget* parent = nullptr);

  QPushButton* trustButton() const { return trust_; }
  QPushButton* cancelButton() const { return cancel_; }
  /// Once finished: the person chose to trust the new key.
  bool trusted() const;

 private:
  QPushButton* trust_;
  QPushButton* cancel_;
};

}  // namespace chatport::ui
