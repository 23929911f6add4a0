#pragma once
// Shown when the room picked from the list is not the one the host at its address is
// (ErrorCode::NotAnnouncedRoom): the computer there answered with another key than the room
// announced. Says so, with both fingerprints, and how to join anyway (by address, which checks
// the key as for any address). Nothing to accept here: only Close. UI thread only.

#include <QMessageBox>

namespace chatport::ui {

class WrongRoomDialog : public QMessageBox {
  Q_OBJECT

 public:
  /// where: the address and port joined; announced and offered: the two fingerprints.
  WrongRoomDialog(const QString& where, const QString& announced, const QString& offered, QWidget* parent = nullptr);
};

}  // namespace chatport::ui
