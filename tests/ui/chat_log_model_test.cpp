// ChatLogModel: a list model that only grows at the end, in batches, and forgets its oldest
// rows past a limit.

#include "chat_log_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using chatport::ui::ChatLogModel;
using chatport::ui::LogEntry;

namespace {

LogEntry message(const QString& from, const QString& text, std::uint64_t seq = 0) {
  LogEntry e;
  e.kind = LogEntry::Kind::Message;
  e.sender = from;
  e.text = text;
  e.seq = seq;
  e.timeMs = 1'700'000'000'000 + static_cast<qint64>(seq) * 1000;
  return e;
}

std::vector<LogEntry> messages(int count, int firstSeq = 1) {
  std::vector<LogEntry> out;
  for (int i = 0; i < count; ++i)
    out.push_back(message(QStringLiteral("ann"), QStringLiteral("message %1").arg(firstSeq + i),
                          static_cast<std::uint64_t>(firstSeq + i)));
  return out;
}

}  // namespace

class ChatLogModelTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void aBatchIsOneInsertionAtTheEnd() {
    ChatLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(messages(500));
    model.append(messages(250, 501));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 499);
    QCOMPARE(inserted.at(1).at(1).toInt(), 500);
    QCOMPARE(inserted.at(1).at(2).toInt(), 749);
    QCOMPARE(model.rowCount(), 750);
    QCOMPARE(model.index(749).data(ChatLogModel::TextRole).toString(), QStringLiteral("message 750"));
  }

  void anEmptyBatchChangesNothing() {
    ChatLogModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(std::vector<LogEntry>{});
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(model.rowCount(), 0);
  }

  void rolesDescribeTheEntry() {
    ChatLogModel model;
    LogEntry e = message(QStringLiteral("李雷"), QStringLiteral("你好 👋"), 7);
    e.kind = LogEntry::Kind::Private;
    e.own = true;
    e.senderId = 3;
    e.recipient = QStringLiteral("韩梅梅");
    model.append(e);
    const QModelIndex i = model.index(0);
    QCOMPARE(i.data(ChatLogModel::KindRole).toInt(), static_cast<int>(LogEntry::Kind::Private));
    QCOMPARE(i.data(ChatLogModel::OwnRole).toBool(), true);
    QCOMPARE(i.data(ChatLogModel::SenderRole).toString(), QStringLiteral("李雷"));
    QCOMPARE(i.data(ChatLogModel::SenderIdRole).toUInt(), 3u);
    QCOMPARE(i.data(ChatLogModel::RecipientRole).toString(), QStringLiteral("韩梅梅"));
    QCOMPARE(i.data(ChatLogModel::TextRole).toString(), QStringLiteral("你好 👋"));
    QCOMPARE(i.data(ChatLogModel::SeqRole).toULongLong(), 7ull);
    QCOMPARE(i.data(ChatLogModel::TimeRole).toDateTime().toMSecsSinceEpoch(), e.timeMs);
    QCOMPARE(i.data(ChatLogModel::SenderIsHostRole).toBool(), false);
    QCOMPARE(i.data(ChatLogModel::RecipientIsHostRole).toBool(), false);
    e.recipientIsHost = true;
    model.append(e);
    QCOMPARE(model.index(1).data(ChatLogModel::RecipientIsHostRole).toBool(), true);
    QCOMPARE(model.index(1).data(ChatLogModel::SenderIsHostRole).toBool(), false);
    const QString line = i.data(Qt::DisplayRole).toString();
    QVERIFY2(line.contains(QStringLiteral("李雷")) && line.contains(QStringLiteral("韩梅梅")) &&
                 line.contains(QStringLiteral("你好 👋")),
             qPrintable(line));
    QVERIFY(model.roleNames().contains(ChatLogModel::TextRole));
    QCOMPARE(model.flags(i) & Qt::ItemIsEditable, Qt::ItemFlags());
  }

  void dropsTheOldestRowsPastTheLimit() {
    ChatLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumRows(1000);
    model.append(messages(900));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.append(messages(300, 901));
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 199);
    QCOMPARE(model.index(0).data(ChatLogModel::SeqRole).toULongLong(), 201ull);
    QCOMPARE(model.index(999).data(ChatLogModel::SeqRole).toULongLong(), 1200ull);
    // A batch bigger than the limit keeps its newest rows.
    model.append(messages(2500, 2001));
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.index(0).data(ChatLogModel::SeqRole).toULongLong(), 3501ull);
  }

  void serialsStayUniqueAcrossTrimming() {
    ChatLogModel model;
    model.setMaximumRows(10);
    model.append(messages(10));
    const auto first = model.index(0).data(ChatLogModel::SerialRole).toULongLong();
    model.append(messages(5, 11));
    QVERIFY(model.index(0).data(ChatLogModel::SerialRole).toULongLong() > first);
    QCOMPARE(model.index(9).data(ChatLogModel::SerialRole).toULongLong() -
                 model.index(0).data(ChatLogModel::SerialRole).toULongLong(),
             9ull);
  }

  void holdsAHundredThousandMessages() {
    ChatLogModel model;  // no tester: it would re-check every row on every batch
    for (int batch = 0; batch < 200; ++batch) model.append(messages(500, batch * 500 + 1));
    QCOMPARE(model.rowCount(), 100'000);
    QCOMPARE(model.index(99'999).data(ChatLogModel::TextRole).toString(), QStringLiteral("message 100000"));
  }

  void clearResets() {
    ChatLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(messages(3));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_MAIN(ChatLogModelTest)
#include "chat_log_model_test.moc"
