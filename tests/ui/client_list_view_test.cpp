// ClientListView and its delegate as a person sees them: the host marked by a painted badge
// that no name can show, whatever it spells.

#include "client_list_delegate.h"
#include "client_list_model.h"
#include "client_list_view.h"
#include "name_badge.h"
#include "ui_test_support.h"

#include <QHelpEvent>
#include <QImage>
#include <QToolTip>

using chatport::chat::Participant;
using chatport::ui::ClientListDelegate;
using chatport::ui::ClientListModel;
using chatport::ui::ClientListView;
using chatport::ui::NameBadge;

namespace {

/// Pixels of exactly color in rect of image.
int countColor(const QImage& image, const QRect& rect, const QColor& color) {
  int n = 0;
  const QRect r = rect.intersected(image.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) n += image.pixelColor(x, y).rgb() == color.rgb();
  return n;
}

/// The view, with the options it draws its rows with.
class OpenView : public ClientListView {
 public:
  using ClientListView::initViewItemOption;
};

}  // namespace

class ClientListViewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { chatport::test::quietOffscreenNoise(); }

  void onlyTheHostShowsTheHostBadge() {
    ClientListModel model;
    // Names that spell the badge out: they must read as names.
    model.setClients({{1, "ann", true},
                      {2, "ann (host)", false},
                      {3, "[host] ann", false},
                      {4, "ann ★ host", false},
                      {5, "bob", false}});
    model.setSelf(5);
    OpenView view;
    view.setSourceModel(&model);
    view.resize(320, 240);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCoreApplication::processEvents();
    // Logical pixels, so that rows and pixels line up whatever the screen's scale.
    const QImage image = view.viewport()->grab().toImage().scaled(view.viewport()->size());
    const QColor host = NameBadge::fill(NameBadge::Kind::Host, view.palette());
    const QColor you = NameBadge::fill(NameBadge::Kind::You, view.palette());

    const QRect hostRow = view.visualRect(view.indexOf(1));
    QVERIFY2(countColor(image, hostRow, host) > 40,
             qPrintable(QStringLiteral("the host's row has %1 badge pixels").arg(countColor(image, hostRow, host))));
    for (chatport::chat::ClientId id : {2u, 3u, 4u, 5u}) {
      const QModelIndex index = view.indexOf(id);
      QVERIFY2(countColor(image, view.visualRect(index), host) == 0,
               qPrintable(index.data().toString() + QStringLiteral(" shows the host's badge")));
      QCOMPARE(index.data().toString(), QString::fromStdString(model.find(id)->name));
    }
    QVERIFY(countColor(image, view.visualRect(view.indexOf(5)), you) > 40);

    // The badge follows the name, and over it the tooltip says what it means.
    auto* delegate = qobject_cast<ClientListDelegate*>(view.itemDelegate());
    QVERIFY(delegate);
    QStyleOptionViewItem option;
    view.initViewItemOption(&option);
    option.rect = hostRow;
    const auto badges = delegate->badges(option, view.indexOf(1));
    QCOMPARE(badges.size(), std::size_t{1});
    QCOMPARE(badges[0].kind, NameBadge::Kind::Host);
    QVERIFY(hostRow.contains(badges[0].rect));
    QVERIFY2(countColor(image, badges[0].rect, host) > badges[0].rect.width() * badges[0].rect.height() / 3,
             "the badge is not where the delegate says");
    QHelpEvent help(QEvent::ToolTip, badges[0].rect.center(), view.viewport()->mapToGlobal(badges[0].rect.center()));
    QVERIFY(delegate->helpEvent(&help, &view, option, view.indexOf(1)));
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("host")), qPrintable(QToolTip::text()));
    QToolTip::hideText();
  }

  void eachPersonsPresenceIsMarkedOnTheirDotAndSaid() {
    using chatport::chat::Presence;
    ClientListModel model;
    model.setClients({{1, "ann", true, Presence::Available}, {2, "bob", false, Presence::Away},
                      {3, "cat", false, Presence::Busy}});
    OpenView view;
    view.setSourceModel(&model);
    view.resize(240, 160);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCoreApplication::processEvents();
    const QImage image = view.viewport()->grab().toImage().scaled(view.viewport()->size());
    auto* delegate = qobject_cast<ClientListDelegate*>(view.itemDelegate());
    const Presence all[] = {Presence::Available, Presence::Away, Presence::Busy};
    for (chatport::chat::ClientId id : {1u, 2u, 3u}) {
      QStyleOptionViewItem option;
      view.initViewItemOption(&option);
      option.rect = view.visualRect(view.indexOf(id));
      const QRect mark = delegate->presenceMark(option, view.indexOf(id));
      QVERIFY(option.rect.contains(mark));
      const Presence presence = all[id - 1];
      for (Presence other : all) {
        const int pixels = countColor(image, mark, ClientListDelegate::presenceColor(other));
        if (other == presence)
          QVERIFY2(pixels > mark.width(), qPrintable(QStringLiteral("row %1: %2 pixels of its mark").arg(id).arg(pixels)));
        else
          QCOMPARE(pixels, 0);
      }
    }
    // Said too, for those who do not see colours or the list at all.
    QVERIFY(view.indexOf(2).data(Qt::AccessibleTextRole).toString().endsWith(QStringLiteral("Away")));
    QVERIFY(view.indexOf(3).data(Qt::ToolTipRole).toString().contains(QStringLiteral("notifications off")));
    QCOMPARE(view.indexOf(1).data(Qt::AccessibleTextRole).toString(), QStringLiteral("ann (host)"));

    // A change of presence repaints the row.
    model.setClients({{1, "ann", true, Presence::Busy}, {2, "bob", false, Presence::Away},
                      {3, "cat", false, Presence::Busy}});
    QCoreApplication::processEvents();
    const QImage after = view.viewport()->grab().toImage().scaled(view.viewport()->size());
    QStyleOptionViewItem option;
    view.initViewItemOption(&option);
    option.rect = view.visualRect(view.indexOf(1));
    QVERIFY(countColor(after, delegate->presenceMark(option, view.indexOf(1)), ClientListDelegate::presenceColor(Presence::Busy)) > 0);
  }

  void aLongNameIsShortenedAndTheBadgesStayInView() {
    ClientListModel model;
    model.setClients({{1, "Annabelle-Maximiliane von Hohenz", true}, {2, "bob", false}});
    model.setSelf(1);
    OpenView view;
    view.setSourceModel(&model);
    view.resize(200, 120);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCoreApplication::processEvents();
    auto* delegate = qobject_cast<ClientListDelegate*>(view.itemDelegate());
    QStyleOptionViewItem option;
    view.initViewItemOption(&option);
    option.rect = view.visualRect(view.indexOf(1));
    QString shown;
    const auto badges = delegate->badges(option, view.indexOf(1), &shown);
    QCOMPARE(badges.size(), std::size_t{2});
    QVERIFY2(shown.endsWith(QChar(0x2026)), qPrintable(shown));
    for (const auto& badge : badges)
      QVERIFY2(view.viewport()->rect().contains(badge.rect), "a badge is cut off");
    const QImage image = view.viewport()->grab().toImage().scaled(view.viewport()->size());
    QVERIFY(countColor(image, badges[0].rect, NameBadge::fill(NameBadge::Kind::Host, view.palette())) > 20);
  }
};

QTEST_MAIN(ClientListViewTest)
#include "client_list_view_test.moc"
