#pragma once
// The transfers panel: a TransferListModel as a table with a progress bar per row and, in its
// last column, the buttons for what can be done with each row (Pause or Resume and Cancel while
// it runs; Open and Show in folder once it is there); "Clear finished" below. UI thread only.

#include <chatport/chat/types.h>

#include <QWidget>

class QPushButton;
class QTreeView;

namespace chatport::ui {

class TransferListModel;

class TransferPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TransferPanel(TransferListModel* model, QWidget* parent = nullptr);

  QTreeView* view() const { return view_; }
  /// The button named objectName ("pauseButton", "resumeButton", "cancelButton", "openButton",
  /// "showInFolderButton") on a row, or null if the row does not show it.
  QPushButton* button(int row, const QString& objectName) const;

 Q_SIGNALS:
  /// The row's copy: a sender's row pauses the sending to that one recipient only.
  void pauseRequested(chatport::chat::TransferId id, chatport::chat::ClientId peer, bool paused);
  void cancelRequested(chatport::chat::TransferId id, chatport::chat::ClientId peer);
  void openRequested(const QString& path);
  void showInFolderRequested(const QString& path);

 private:
  /// Puts the buttons a row's state calls for in its last column (again, if they changed).
  void updateButtons(int first, int last);

  TransferListModel* model_;
  QTreeView* view_;
};

}  // namespace chatport::ui
