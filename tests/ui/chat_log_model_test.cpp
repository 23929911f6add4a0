// ChatLogModel: a list model that only grows at the end, in batches, and forgets its oldest
// rows past a limit.

#include "chat_log_model.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
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

/// Milliseconds since the epoch of a local date and time.
qint64 at(QDate day, int h, int m, int s, int ms = 0) {
  return QDateTime(day, QTime(h, m, s, ms)).toMSecsSinceEpoch();
}

LogEntry said(LogEntry::Kind kind, const QString& from, qint64 timeMs) {
  LogEntry e = message(from, QStringLiteral("text"));
  e.kind = kind;
  e.timeMs = timeMs;
  return e;
}

QList<bool> column(const ChatLogModel& model, int role) {
  QList<bool> out;
  for (int row = 0; row < model.rowCount(); ++row) out << model.index(row).data(role).toBool();
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

  void groupsMessagesBySenderAndMinuteAsTheyArrive() {
    using Kind = LogEntry::Kind;
    ChatLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDate day(2026, 11, 30);
    std::vector<LogEntry> rows;
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(day, 14, 5, 10)));   // 0 opens
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(day, 14, 5, 59)));   // 1 same minute
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(day, 14, 6, 0)));    // 2 next minute
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 1)));   // 3 someone else
    rows.push_back(said(Kind::Private, QStringLiteral("李雷"), at(day, 14, 6, 2)));   // 4 private: never
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 3)));   // 5 after it: opens
    rows.push_back(said(Kind::System, QString(), at(day, 14, 6, 4)));                 // 6 a system line
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 5)));   // 7 after it: opens
    rows.push_back(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 6)));   // 8 continues
    model.append(std::move(rows));
    // The next batch continues the last group of the one before.
    model.append(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 7)));     // 9 continues
    LogEntry own = said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 8));    // 10 the same name,
    own.own = true;                                                                   //    but this window's
    model.append(own);
    model.append(said(Kind::Error, QString(), at(day, 14, 6, 9)));                    // 11 an error
    model.append(said(Kind::Message, QStringLiteral("李雷"), at(day, 14, 6, 10)));    // 12 opens
    const QList<bool> expected = {false, true, false, false, false, false, false, false, true, true, false, false, false};
    QCOMPARE(column(model, ChatLogModel::ContinuesGroupRole), expected);
  }

  void aGroupWhoseFirstRowWentOpensAtItsFirstRowLeft() {
    ChatLogModel model;
    model.setMaximumRows(2);
    const QDate day(2026, 11, 30);
    for (int s = 0; s < 3; ++s) model.append(said(LogEntry::Kind::Message, QStringLiteral("ann"), at(day, 9, 0, s)));
    QCOMPARE(column(model, ChatLogModel::ContinuesGroupRole), (QList<bool>{false, true}));
  }

  void marksTheFirstMessageOfEachLocalDay() {
    using Kind = LogEntry::Kind;
    ChatLogModel model;
    const QDate yesterday = QDate::currentDate().addDays(-1);
    const QDate today = QDate::currentDate();
    std::vector<LogEntry> rows;
    rows.push_back(said(Kind::System, QString(), at(today, 0, 0, 1)));                  // 0 no line above a system line
    rows.push_back(said(Kind::Message, QStringLiteral("ann"), at(yesterday, 23, 58, 0)));  // 1 history: its day
    rows.push_back(said(Kind::Message, QStringLiteral("bob"), at(yesterday, 23, 59, 59, 999)));  // 2
    rows.push_back(said(Kind::System, QString(), at(today, 0, 0, 1)));                  // 3
    rows.push_back(said(Kind::Message, QStringLiteral("bob"), at(today, 0, 0, 0)));     // 4 a new day
    rows.push_back(said(Kind::Private, QStringLiteral("bob"), at(today, 0, 0, 30)));    // 5
    model.append(std::move(rows));
    model.append(said(Kind::File, QStringLiteral("bob"), at(today.addDays(1), 0, 0, 0)));  // 6 a file offer counts
    QCOMPARE(column(model, ChatLogModel::StartsDayRole), (QList<bool>{false, true, false, false, true, false, true}));
    // After a clear, the first message starts its day again.
    model.clear();
    model.append(said(Kind::Message, QStringLiteral("ann"), at(today, 9, 0, 0)));
    QCOMPARE(column(model, ChatLogModel::StartsDayRole), QList<bool>{true});
  }

  void theUnreadMarkerIsOnOneRowAtMost() {
    ChatLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(messages(5));
    QCOMPARE(model.unreadMarkerRow(), -1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setUnreadMarker(2);
    QCOMPARE(model.unreadMarkerRow(), 2);
    QCOMPARE(column(model, ChatLogModel::UnreadMarkerRole), (QList<bool>{false, false, true, false, false}));
    QCOMPARE(changed.count(), 1);
    model.setUnreadMarker(3);  // moved: both rows change
    QCOMPARE(column(model, ChatLogModel::UnreadMarkerRole), (QList<bool>{false, false, false, true, false}));
    QCOMPARE(changed.count(), 3);
    model.setUnreadMarker(-1);
    QCOMPARE(column(model, ChatLogModel::UnreadMarkerRole), QList<bool>(5, false));
    QCOMPARE(model.unreadMarkerRow(), -1);
    // It goes with its row.
    model.setUnreadMarker(0);
    model.setMaximumRows(4);
    QCOMPARE(model.unreadMarkerRow(), -1);
    model.setUnreadMarker(1);
    model.clear();
    model.append(messages(2));
    QCOMPARE(model.unreadMarkerRow(), -1);
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
