#include "wrong_room_dialog.h"

#include <QPushButton>

namespace chatport::ui {

using namespace Qt::Literals::StringLiterals;

WrongRoomDialog::WrongRoomDialog(const QString& where, const QString& announced, const QString& offered,
                                 QWidget* parent)
    : QMessageBox(parent) {
  setObjectName(QStringLiteral("wrongRoomDialog"));
  setIcon(QMessageBox::Warning);
  setWindowTitle(tr("Not the room announced"));
  setTextFormat(Qt::RichText);
  setText(u"<b>"_s + tr("This is not the room that was announced.") + u"</b>"_s);
  const QString row = QStringLiteral("<tr><td>%1&nbsp;&nbsp;</td><td><tt><b>%2</b></tt></td></tr>");
  setInformativeText(
      u"<p>"_s +
      tr("The computer at %1 answered with another key than the one the room announced. Someone on the "
         "network may be posing as the room.")
          .arg(where.toHtmlEscaped()) +
      u"</p><table>"_s + row.arg(tr("Announced:"), announced.toHtmlEscaped()) +
      row.arg(tr("Answered with:"), offered.toHtmlEscaped()) + u"</table><p>"_s +
      tr("If you trust this computer, join it by typing its address instead of picking the room from the list.") +
      u"</p>"_s);
  QPushButton* close = addButton(QMessageBox::Close);
  close->setObjectName(QStringLiteral("closeButton"));
  setDefaultButton(close);
  setEscapeButton(close);
}

}  // namespace chatport::ui
