// ClientListModel: the live list of who is connected, updated in place.

#include "client_list_model.h"
#include "sender_palette.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QImage>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using chatport::chat::Participant;
using chatport::ui::ClientListModel;

namespace {
Participant host() { return {1, "ann", true}; }
Participant bob() { return {2, "bob", false}; }
Participant carol() { return {3, "卡萝尔", false}; }
}  // namespace

class ClientListModelTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void peopleGetDistinctColoursInOrderOfArrival() {
    using chatport::ui::SenderPalette;
    // By name alone, Ann and Bob had the same colour.
    QCOMPARE(SenderPalette::colorFor(QStringLiteral("Ann"), false), SenderPalette::colorFor(QStringLiteral("Bob"), false));
    SenderPalette palette;
    ClientListModel model;
    model.setSenderPalette(&palette);
    std::vector<Participant> people{{1, "Ann", true}, {2, "Bob", false}};
    palette.setPresent(people);
    model.setClients(people);
    const auto dot = [&](int row) {
      return model.index(row, 0).data(Qt::DecorationRole).value<QIcon>().pixmap(8, 8).toImage().pixelColor(4, 4);
    };
    QVERIFY2(dot(0) != dot(1), qPrintable(dot(0).name()));

    // Twelve people, twelve colours; a thirteenth must share; once someone has gone, the next
    // newcomer gets the colour nobody present has.
    for (chatport::chat::ClientId id = 3; id <= 12; ++id) people.push_back({id, "p" + std::to_string(id), false});
    palette.setPresent(people);
    const auto colours = [&] {
      QSet<QRgb> seen;
      for (const auto& p : people) seen.insert(palette.colorFor(p.id, QString::fromStdString(p.name), false).rgb());
      return seen.size();
    };
    QCOMPARE(colours(), 12);
    const QColor annBefore = palette.colorFor(1, QStringLiteral("Ann"), false);
    people.push_back({13, "p13", false});
    palette.arrived(13);
    QCOMPARE(colours(), 12);
    people.erase(people.begin() + 4);  // id 5 leaves
    palette.left(5);
    people.push_back({14, "p14", false});
    palette.arrived(14);
    QCOMPARE(colours(), 12);  // 13 people present, twelve colours: only one pair shares
    QCOMPARE(palette.colorFor(1, QStringLiteral("Ann"), false), annBefore);  // nobody's colour changes
  }

  void marksTheHostAndYou() {
    ClientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClients({host(), bob(), carol()});
    model.setSelf(2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0).data(ClientListModel::IsHostRole).toBool(), true);
    QCOMPARE(model.index(1).data(ClientListModel::IsSelfRole).toBool(), true);
    QCOMPARE(model.index(2).data(ClientListModel::IsSelfRole).toBool(), false);
    // The host and you are flagged for the delegate's badges; the display is the name alone,
    // so that text in a name is never taken for them.
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("ann"));
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("bob"));
    QCOMPARE(model.index(2).data().toString(), QStringLiteral("卡萝尔"));
    QVERIFY(model.index(0).data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("host")));
    QVERIFY(model.index(1).data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("you")));
    QVERIFY2(model.index(0).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("The host of this chat.")),
             qPrintable(model.index(0).data(Qt::ToolTipRole).toString()));
    QVERIFY(model.index(2).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Double-click")));
    QCOMPARE(model.index(2).data(ClientListModel::NameRole).toString(), QStringLiteral("卡萝尔"));
    QVERIFY(model.index(0).data(ClientListModel::SortRole).toString() <
            model.index(1).data(ClientListModel::SortRole).toString());
    QVERIFY(!model.index(0).data(Qt::DecorationRole).value<QIcon>().isNull());
  }

  void headerCountsThePeople() {
    ClientListModel model;
    QSignalSpy header(&model, &QAbstractItemModel::headerDataChanged);
    model.setClients({host(), bob()});
    QCOMPARE(model.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Connected (2)"));
    model.setClients({host(), bob(), carol()});
    QCOMPARE(model.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Connected (3)"));
    QCOMPARE(header.count(), 2);
  }

  void updatesInPlace() {
    ClientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClients({host(), bob(), carol()});
    const QPersistentModelIndex carolIndex = model.index(2);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.setClients({host(), carol()});  // bob left
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(carolIndex.row(), 1);

    Participant renamed = carol();
    renamed.name = "carol";
    model.setClients({host(), renamed, Participant{4, "dave", false}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(carolIndex.data(ClientListModel::NameRole).toString(), QStringLiteral("carol"));
    QCOMPARE(model.nameOf(4), QStringLiteral("dave"));
    QCOMPARE(reset.count(), 0);

    model.setClients({host(), renamed, Participant{4, "dave", false}});  // nothing new
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
  }

  void removesRunsOfLeavers() {
    ClientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<Participant> many;
    for (chatport::chat::ClientId id = 1; id <= 50; ++id)
      many.push_back({id, "p" + std::to_string(id), id == 1});
    model.setClients(many);
    std::vector<Participant> fewer;
    for (const auto& p : many)
      if (p.id % 3 == 1) fewer.push_back(p);
    model.setClients(fewer);
    QCOMPARE(model.rowCount(), static_cast<int>(fewer.size()));
    for (int row = 0; row < model.rowCount(); ++row)
      QCOMPARE(model.index(row).data(ClientListModel::IdRole).toUInt(), fewer[static_cast<std::size_t>(row)].id);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Connected (0)"));
  }

  void changingSelfUpdatesBothRows() {
    ClientListModel model;
    model.setClients({host(), bob()});
    model.setSelf(1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSelf(2);
    QCOMPARE(changed.count(), 2);
    QVERIFY(model.index(0).data(ClientListModel::IsHostRole).toBool());
    QVERIFY(!model.index(0).data(ClientListModel::IsSelfRole).toBool());
    QVERIFY(model.index(1).data(ClientListModel::IsSelfRole).toBool());
  }
};

QTEST_MAIN(ClientListModelTest)
#include "client_list_model_test.moc"
