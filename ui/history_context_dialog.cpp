#include "history_context_dialog.h"

#include "history_text.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace chatport::ui {

using namespace Qt::Literals::StringLiterals;

HistoryContextDialog::HistoryContextDialog(const std::vector<chat::StoredMessage>& messages, std::int64_t hit,
                                           const QString& words, const QString& roomName, QWidget* parent)
    : QDialog(parent), view_(new QTextBrowser) {
  setObjectName(u"historyContextDialog"_s);
  setWindowTitle(tr("In context — %1").arg(roomName));
  view_->setObjectName(u"historyContext"_s);
  view_->setOpenLinks(false);
  QString html = u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\">"_s;
  const QString muted = palette().color(QPalette::PlaceholderText).name();
  for (const chat::StoredMessage& m : messages) {
    const bool found = m.id == hit;
    const QString text = QString::fromStdString(m.text);
    html += found ? u"<tr style=\"background-color:#fff4c2;color:#000\">"_s : u"<tr>"_s;
    html += u"<td style=\"white-space:nowrap;color:%1\">%2%3</td>"_s.arg(
        found ? u"#555"_s : muted, found ? u"<a name=\"hit\"></a>"_s : QString(), HistoryText::time(m).toHtmlEscaped());
    html += u"<td style=\"white-space:nowrap\"><b>%1</b></td>"_s.arg(HistoryText::sender(m).toHtmlEscaped());
    html += u"<td width=\"100%\">%1</td></tr>"_s.arg(found ? HistoryText::highlighted(text, words)
                                                          : text.toHtmlEscaped().replace(u'\n', u"<br>"_s));
  }
  html += u"</table>"_s;
  view_->setHtml(html);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  auto* caption = new QLabel(tr("What was said around the message found, which is marked:"));
  caption->setWordWrap(true);
  layout->addWidget(caption);
  layout->addWidget(view_, 1);
  layout->addWidget(buttons);
  resize(640, 420);
  // Once laid out: the message found in view, with what came before it above.
  QTimer::singleShot(0, view_, [view = view_] { view->scrollToAnchor(u"hit"_s); });
}

}  // namespace chatport::ui
