// StartDialog: every field explains what is wrong with it before anything is tried, and the
// last choices come back next time.

#include "input_checks.h"
#include "settings.h"
#include "start_dialog.h"
#include "headless_core.h"
#include "raw_socket.h"
#include "room_list_model.h"
#include "ui_test_support.h"


#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTreeView>

using namespace chatport;
using ui::InputChecks;
using ui::StartDialog;

namespace {

template <typename T>
T* child(QWidget& parent, const char* name) {
  T* found = parent.findChild<T*>(QString::fromLatin1(name));
  if (!found) qFatal("no %s", name);
  return found;
}

void retype(QLineEdit* edit, const QString& text) {
  edit->selectAll();
  QTest::keyClick(edit, Qt::Key_Backspace);
  chatport::test::typeText(edit, text);
}

}  // namespace

class StartDialogTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString iniPath() const { return dir_.filePath(QStringLiteral("chatport.ini")); }

 private Q_SLOTS:
  void init() { QFile::remove(iniPath()); }

  void explainsABadNicknameNextToTheFieldAsItIsTyped() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    auto* name = child<QLineEdit>(dialog, "nameEdit");
    auto* error = child<QLabel>(dialog, "nameError");
    QVERIFY(!error->isVisible());
    retype(name, QStringLiteral("   "));
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("A nickname can't be only spaces."));
    retype(name, QString(33, u'x'));
    QCOMPARE(error->text(), QStringLiteral("A nickname can have at most 32 characters."));
    retype(name, QStringLiteral("小明🐼"));
    QVERIFY(!error->isVisible());
  }

  void refusesToStartWithInvalidFieldsAndSaysWhy() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    QTest::mouseClick(child<QRadioButton>(dialog, "joinChoice"), Qt::LeftButton);
    retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("bob"));
    retype(child<QLineEdit>(dialog, "addressEdit"), QStringLiteral("not an address!"));
    retype(child<QLineEdit>(dialog, "joinPortEdit"), QStringLiteral("0"));
    QTest::mouseClick(child<QPushButton>(dialog, "startButton"), Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(child<QLabel>(dialog, "addressError")->isVisible());
    QVERIFY(child<QLabel>(dialog, "addressError")->text().contains(QStringLiteral("not an address")));
    QCOMPARE(child<QLabel>(dialog, "joinPortError")->text(), QStringLiteral("The port must be a number from 1 to 65535."));
    QVERIFY(child<QLineEdit>(dialog, "addressEdit")->hasFocus() || !QApplication::focusWidget());
  }

  void listsTheRoomsOnTheNetworkAndJoinsTheOneDoubleClicked() {
    ui::Settings settings(iniPath());
    chat::DiscoveryOptions discovery;
    discovery.port = test::freeUdpPort();
    QVERIFY(discovery.port != 0);
    settings.setDiscovery(discovery);
    settings.setLastRole(chat::Role::Joiner);
    settings.setNickname(QStringLiteral("bob"));

    // A room hosted without a window, announced on the test's discovery port.
    chat::CoreOptions options;
    options.dataDir = dir_.filePath(QStringLiteral("host")).toStdString();
    test::HeadlessCore host(options);
    chat::HostCommand hosting{"ann", "", 0};
    hosting.discovery = discovery;
    host.core().submit(hosting);
    chat::ConnectedEvent hosted;
    QVERIFY(host.waitFor([&](const chat::Event& e) {
      if (auto* c = std::get_if<chat::ConnectedEvent>(&e)) hosted = *c;
      return std::holds_alternative<chat::ConnectedEvent>(e);
    }));

    StartDialog dialog(settings);
    dialog.show();
    auto* list = child<QTreeView>(dialog, "roomList");
    QVERIFY(list->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 30000);
    QCOMPARE(list->model()->index(0, ui::RoomListModel::RoomColumn).data().toString(), QStringLiteral("ann"));
    QCOMPARE(list->model()->index(0, ui::RoomListModel::PeopleColumn).data().toString(), QStringLiteral("1"));
    QVERIFY(list->model()->index(0, ui::RoomListModel::RoomColumn).data(Qt::ToolTipRole).toString().contains(
        QString::fromStdString(hosted.hostFingerprint)));

    // Double-clicking the room fills in where it is and joins it.
    const QRect row = list->visualRect(list->model()->index(0, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, row.center());  // as a double-click starts
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const ui::SessionRequest request = dialog.request();
    QCOMPARE(request.role, chat::Role::Joiner);
    QCOMPARE(request.port, hosted.port);
    QVERIFY(request.expectedHostKey.has_value());
    QCOMPARE(child<QLineEdit>(dialog, "addressEdit")->text(), request.address);

    chat::CoreOptions joinerOptions;
    joinerOptions.dataDir = dir_.filePath(QStringLiteral("joiner")).toStdString();
    test::HeadlessCore joiner(joinerOptions);
    joiner.core().submit(request.toCommand());
    chat::ConnectedEvent joined;
    QVERIFY(joiner.waitFor([&](const chat::Event& e) {
      if (auto* c = std::get_if<chat::ConnectedEvent>(&e)) joined = *c;
      return std::holds_alternative<chat::ConnectedEvent>(e) || std::holds_alternative<chat::DisconnectedEvent>(e);
    }));
    QCOMPARE(joined.hostFingerprint, hosted.hostFingerprint);
  }

  void hostPortZeroPicksAFreeOne() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    QTest::mouseClick(child<QRadioButton>(dialog, "hostChoice"), Qt::LeftButton);
    retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("ann"));
    retype(child<QLineEdit>(dialog, "hostPortEdit"), QStringLiteral("0"));
    QVERIFY(!child<QLabel>(dialog, "hostPortError")->isVisible());
    retype(child<QLineEdit>(dialog, "hostPortEdit"), QStringLiteral("65536"));
    QVERIFY(child<QLabel>(dialog, "hostPortError")->isVisible());
  }

  void showsThisMachinesAddressesWhenHosting() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    QTest::mouseClick(child<QRadioButton>(dialog, "hostChoice"), Qt::LeftButton);
    retype(child<QLineEdit>(dialog, "hostPortEdit"), QStringLiteral("6000"));
    const QString shown = child<QLabel>(dialog, "localAddresses")->text();
    QVERIFY2(!shown.isEmpty(), "no addresses shown");
    QVERIFY2(shown.contains(QStringLiteral(":6000")) || shown.contains(QStringLiteral("127.0.0.1")), qPrintable(shown));
  }

  void anAddressWithAPortFillsBothFields() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    QTest::mouseClick(child<QRadioButton>(dialog, "joinChoice"), Qt::LeftButton);
    retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("bob"));
    retype(child<QLineEdit>(dialog, "addressEdit"), QStringLiteral("192.168.1.20:6001"));
    QVERIFY(!child<QLabel>(dialog, "addressError")->isVisible());
    QVERIFY(dialog.validateAll());
    QCOMPARE(child<QLineEdit>(dialog, "addressEdit")->text(), QStringLiteral("192.168.1.20"));
    QCOMPARE(child<QLineEdit>(dialog, "joinPortEdit")->text(), QStringLiteral("6001"));
    const ui::SessionRequest r = dialog.request();
    QCOMPARE(r.role, chat::Role::Joiner);
    QCOMPARE(r.address, QStringLiteral("192.168.1.20"));
    QCOMPARE(r.port, quint16(6001));
  }

  void everyMnemonicIsUniqueAndAltJPressesJoin() {
    ui::Settings settings(iniPath());
    StartDialog dialog(settings);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    for (const char* role : {"hostChoice", "joinChoice"}) {
      child<QRadioButton>(dialog, role)->setChecked(true);
      const QStringList texts = chatport::test::mnemonicTexts(&dialog);
      QVERIFY2(texts.size() >= 6, qPrintable(texts.join(u", ")));
      QVERIFY2(chatport::test::mnemonicClashes(texts).isEmpty(),
               qPrintable(QString::fromLatin1(role) + QStringLiteral(": ") + chatport::test::mnemonicClashes(texts).join(u", ")));
    }
    // Join mode: the Join button's Alt+J presses it.
    retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("bob"));
    retype(child<QLineEdit>(dialog, "addressEdit"), QStringLiteral("192.168.1.20"));
    QCOMPARE(chatport::test::mnemonicOf(child<QPushButton>(dialog, "startButton")->text()), QChar(u'j'));
    QTest::keyClick(dialog.windowHandle(), Qt::Key_J, Qt::AltModifier);
    // A mnemonic clicks its button the way a click is shown: pressed, then released.
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 5000);
    QCOMPARE(dialog.request().role, chat::Role::Joiner);
  }

  void remembersTheLastChoices() {
    {
      ui::Settings settings(iniPath());
      StartDialog dialog(settings);
      dialog.show();
      QTest::mouseClick(child<QRadioButton>(dialog, "joinChoice"), Qt::LeftButton);
      retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("韩梅梅"));
      retype(child<QLineEdit>(dialog, "addressEdit"), QStringLiteral("my-laptop.local"));
      retype(child<QLineEdit>(dialog, "joinPortEdit"), QStringLiteral("7000"));
      QTest::mouseClick(child<QPushButton>(dialog, "startButton"), Qt::LeftButton);
      QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    ui::Settings settings(iniPath());
    QCOMPARE(settings.lastRole(), chat::Role::Joiner);
    QCOMPARE(settings.nickname(), QStringLiteral("韩梅梅"));
    // The address is remembered once the window has connected to it (ChatFailures tests
    // that a failed one is not): here, as if it had.
    QCOMPARE(settings.joinAddress(), QString());
    settings.setJoinAddress(QStringLiteral("my-laptop.local"));
    settings.setJoinPort(7000);
    StartDialog again(settings);
    QVERIFY(child<QRadioButton>(again, "joinChoice")->isChecked());
    QCOMPARE(child<QLineEdit>(again, "nameEdit")->text(), QStringLiteral("韩梅梅"));
    QCOMPARE(child<QLineEdit>(again, "addressEdit")->text(), QStringLiteral("my-laptop.local"));
    QCOMPARE(child<QLineEdit>(again, "joinPortEdit")->text(), QStringLiteral("7000"));
    QCOMPARE(again.request(), (ui::SessionRequest{chat::Role::Joiner, QStringLiteral("韩梅梅"),
                                                  QStringLiteral("my-laptop.local"), 7000}));
  }

  void thePasswordIsHiddenUnlessAskedAndNeverSaved() {
    {
      ui::Settings settings(iniPath());
      StartDialog dialog(settings);
      dialog.show();
      QTest::mouseClick(child<QRadioButton>(dialog, "hostChoice"), Qt::LeftButton);
      retype(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("ann"));
      auto* password = child<QLineEdit>(dialog, "passwordEdit");
      QCOMPARE(password->echoMode(), QLineEdit::Password);
      QVERIFY(!password->placeholderText().isEmpty());
      retype(password, QStringLiteral("zebra 斑马"));
      QCOMPARE(password->displayText().contains(QStringLiteral("zebra")), false);
      auto* show = child<QCheckBox>(dialog, "showPassword");
      QTest::mouseClick(show, Qt::LeftButton);
      QCOMPARE(password->displayText(), QStringLiteral("zebra 斑马"));
      QTest::mouseClick(show, Qt::LeftButton);
      QCOMPARE(password->echoMode(), QLineEdit::Password);
      // The same field for joining.
      QTest::mouseClick(child<QRadioButton>(dialog, "joinChoice"), Qt::LeftButton);
      QVERIFY(password->isVisible());
      QTest::mouseClick(child<QRadioButton>(dialog, "hostChoice"), Qt::LeftButton);
      QTest::mouseClick(child<QPushButton>(dialog, "startButton"), Qt::LeftButton);
      QCOMPARE(dialog.result(), int(QDialog::Accepted));
      QCOMPARE(dialog.request().password, QStringLiteral("zebra 斑马"));
      QCOMPARE(std::get<chat::HostCommand>(dialog.request().toCommand()).password, std::string("zebra 斑马"));
    }
    QFile ini(iniPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray saved = ini.readAll();
    QVERIFY2(saved.contains("ann"), saved.constData());
    QVERIFY2(!saved.contains("zebra"), saved.constData());
    ui::Settings settings(iniPath());
    StartDialog again(settings);
    QVERIFY(child<QLineEdit>(again, "passwordEdit")->text().isEmpty());
  }

  void inputChecks_data() {
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ipv4") << QStringLiteral("10.0.0.5") << true;
    QTest::newRow("ipv6") << QStringLiteral("fe80::1") << true;
    QTest::newRow("name") << QStringLiteral("my-laptop.local") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("spaces") << QStringLiteral("my laptop") << false;
    QTest::newRow("underscore") << QStringLiteral("bad_host") << false;
    QTest::newRow("with port") << QStringLiteral("10.0.0.5:80") << false;
  }
  void inputChecks() {
    QFETCH(QString, address);
    QFETCH(bool, ok);
    QCOMPARE(InputChecks::addressProblem(address).isEmpty(), ok);
  }

  void splitsHostAndPort() {
    using HP = InputChecks::HostAndPort;
    auto check = [](const QString& in, const QString& host, std::optional<quint16> port) {
      const auto got = InputChecks::splitHostAndPort(in);
      QVERIFY2(got, qPrintable(in));
      QCOMPARE(got->host, host);
      QCOMPARE(got->port, port);
    };
    check(QStringLiteral("10.0.0.5:6000"), QStringLiteral("10.0.0.5"), 6000);
    check(QStringLiteral("host.lan"), QStringLiteral("host.lan"), std::nullopt);
    check(QStringLiteral("[::1]:7"), QStringLiteral("::1"), 7);
    check(QStringLiteral("fe80::1"), QStringLiteral("fe80::1"), std::nullopt);
    QVERIFY(!InputChecks::splitHostAndPort(QStringLiteral("host:0")));
    QVERIFY(!InputChecks::splitHostAndPort(QStringLiteral("host:http")));
    Q_UNUSED(HP{});
  }
};

QTEST_MAIN(StartDialogTest)
#include "start_dialog_test.moc"
