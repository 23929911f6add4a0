#pragma once
// A strip above the input while the window is not in the chat: what is happening or what went
// wrong, with what can be done about it (cancel a connect; try again; change the settings).
// UI thread only.

#include <QFrame>

class QLabel;
class QPushButton;

namespace chatport::ui {

class ConnectionBanner : public QFrame {
  Q_OBJECT

 public:
  enum class Kind {
    Progress,  ///< connecting or waiting to reconnect: offers Cancel
    Failure,   ///< something went wrong: offers Try again and Change
    Ended,     ///< the person left or cancelled: offers Try again and Change
  };

  explicit ConnectionBanner(QWidget* parent = nullptr);

  void showMessage(Kind kind, const QString& text, bool canRetry = true);
  QString text() const;
  Kind kind() const { return kind_; }

  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* retryButton() const { return retry_; }
  QPushButton* changeButton() const { return change_; }

 Q_SIGNALS:
  void cancelClicked();
  void retryClicked();
  void changeClicked();

 private:
  QLabel* label_;
  QPushButton* cancel_;
  QPushButton* retry_;
  QPushButton* change_;
  Kind kind_ = Kind::Progress;
};

}  // namespace chatport::ui
