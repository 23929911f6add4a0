#include "host_key_dialog.h"

#include <QPushButton>

namespace chatport::ui {

using namespace Qt::Literals::StringLiterals;

HostKeyDialog::HostKeyDialog(const QString& where, const QString& pinned, const QString& offered, QWidget* parent)
    : QMessageBox(parent) {
  setObjectName(QStringLiteral("hostKeyDialog"));
  setIcon(QMessageBox::Warning);
  setWindowTitle(tr("The host's key has changed"));
  setTextFormat(Qt::RichText);
  setText(u"<b>"_s + tr("The host at %1 shows a different key from the one it showed before.").arg(where.toHtmlEscaped()) +
          u"</b>"_s);
  const QString row = QStringLiteral("<tr><td>%1&nbsp;&nbsp;</td><td><tt><b>%2</b></tt></td></tr>");
  setInformativeText(
      u"<table>"_s + row.arg(tr("Remembered:"), pinned.toHtmlEscaped()) +
      row.arg(tr("Shown now:"), offered.toHtmlEscaped()) + u"</table><p>"_s +
      tr("This happens when the host has reinstalled ChatPort or lost its data folder — or when another "
         "computer on the network is posing as the host, to read what is said.") +
      u"</p><p>"_s +
      tr("Ask the host, face to face or by phone, which fingerprint their ChatPort shows in its status bar. "
         "Join only if it is the one shown now.") +
      u"</p>"_s);
  trust_ = addButton(tr("Join anyway and trust the new key"), QMessageBox::AcceptRole);
  trust_->setObjectName(QStringLiteral("trustNewKeyButton"));
  cancel_ = addButton(tr("Cancel"), QMessageBox::RejectRole);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  setDefaultButton(cancel_);
  setEscapeButton(cancel_);
}

bool HostKeyDialog::trusted() const { return clickedButton() == trust_; }

}  // namespace chatport::ui
