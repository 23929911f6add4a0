// Secure rooms in the window: the password typed in the start dialog reaches the core, the
// status bar shows the host's key fingerprint beside a padlock, a first contact is said in the
// log, a changed host key is asked about with both fingerprints, and the host can remove and
// ban someone from the list's menu. Every window has a data folder (a key) of its own.

#include "banned_people_menu.h"
#include "client_list_view.h"
#include "connection_banner.h"
#include "event_text.h"
#include "host_key_dialog.h"
#include "session_status_bar.h"
#include "settings.h"
#include "start_dialog.h"
#include "ui_test_support.h"
#include "wrong_room_dialog.h"

#include <chatport/noise/key_pair.h>

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>

using namespace chatport;
using namespace chatport::test;
using ui::ChatWindow;
using ui::ConnectionState;
using ui::LogEntry;

namespace {

/// The fingerprint of the key kept in dataDir, worked out from its identity.key: what the
/// window shows is checked against the key itself, not against what the core said.
QString fingerprintIn(const QString& dataDir) {
  QFile file(dataDir + QStringLiteral("/identity.key"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QByteArray secret = QByteArray::fromHex(file.readAll().trimmed());
  if (secret.size() != static_cast<qsizetype>(noise::kKeySize)) return {};
  const auto pair = noise::KeyPair::fromSecret(
      std::span<const std::byte, noise::kKeySize>(reinterpret_cast<const std::byte*>(secret.constData()), noise::kKeySize));
  return QString::fromStdString(noise::fingerprint(pair.publicKey()));
}

int countLines(const ChatWindow& window, const QString& part) {
  int n = 0;
  for (int row = 0; row < window.logModel()->rowCount(); ++row) n += window.logModel()->entry(row).text.contains(part);
  return n;
}

/// Waits until window has given up, and checks the failure's sentence is in the log and the banner.
void expectRefused(ChatWindow& window, chat::ErrorCode code) {
  QTRY_COMPARE_WITH_TIMEOUT(window.state(), ConnectionState::Disconnected, kWaitMs);
  const QString sentence = ui::EventText::failure(code, window.request());
  QVERIFY2(findLine(window, LogEntry::Kind::Error, sentence) >= 0,
           qPrintable(QStringLiteral("no “%1” in:\n%2").arg(sentence, logDump(window))));
  QVERIFY2(window.banner()->text().contains(sentence), qPrintable(window.banner()->text()));
}

template <typename T>
T* child(QWidget& parent, const char* name) {
  T* found = parent.findChild<T*>(QString::fromLatin1(name));
  if (!found) qFatal("no %s", name);
  return found;
}

/// What the start dialog makes of a person's typing: role, nickname, where, and the password.
ui::SessionRequest fromStartDialog(bool host, const QString& name, quint16 port, const QString& password) {
  QTemporaryDir dir;
  ui::Settings settings(dir.filePath(QStringLiteral("chatport.ini")));
  ui::StartDialog dialog(settings);
  dialog.show();
  QTest::mouseClick(child<QRadioButton>(dialog, host ? "hostChoice" : "joinChoice"), Qt::LeftButton);
  auto* nameEdit = child<QLineEdit>(dialog, "nameEdit");
  nameEdit->clear();
  typeText(nameEdit, name);
  auto* portEdit = child<QLineEdit>(dialog, host ? "hostPortEdit" : "joinPortEdit");
  portEdit->clear();
  typeText(portEdit, QString::number(port));
  if (!host) {
    auto* address = child<QLineEdit>(dialog, "addressEdit");
    address->clear();
    typeText(address, QStringLiteral("127.0.0.1"));
  }
  auto* passwordEdit = child<QLineEdit>(dialog, "passwordEdit");
  if (passwordEdit->echoMode() != QLineEdit::Password) qFatal("the password is shown as it is typed");
  typeText(passwordEdit, password);
  QTest::mouseClick(child<QPushButton>(dialog, "startButton"), Qt::LeftButton);
  if (dialog.result() != QDialog::Accepted) qFatal("the start dialog did not accept");
  ui::SessionRequest request = dialog.request();
  if (host) request.address = QStringLiteral("127.0.0.1");  // not every address of a shared machine
  return request;
}

}  // namespace

class SecureRoomsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void theStatusBarShowsTheHostsFingerprintBesideAPadlock() {
    const QString hostData = newDataDir();
    const QString joinerData = newDataDir();
    auto host = startWindow(hostRequest(QStringLiteral("ann")), testCoreOptions(hostData));
    WAIT_CONNECTED(*host);
    const QString fingerprint = fingerprintIn(hostData);
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$")).match(fingerprint).hasMatch(),
             qPrintable(fingerprint));
    ui::SessionStatusBar* status = host->sessionStatus();
    QCOMPARE(status->fingerprintText(), QStringLiteral("Your key's fingerprint: ") + fingerprint);
    QVERIFY(status->lockLabel()->isVisible());
    QVERIFY(!status->lockLabel()->pixmap().isNull());
    QVERIFY(!status->lockLabel()->toolTip().contains(QStringLiteral("password")));

    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()), testCoreOptions(joinerData));
    WAIT_CONNECTED(*bob);
    QCOMPARE(bob->sessionStatus()->fingerprintText(), QStringLiteral("Host's key fingerprint: ") + fingerprint);
    QVERIFY(bob->sessionStatus()->lockLabel()->isVisible());
    // Met for the first time: said in the log, with the fingerprint to compare.
    const QString firstContact = ui::EventText::firstContact(QStringLiteral("127.0.0.1"), host->port(), fingerprint);
    QVERIFY2(findLine(*bob, LogEntry::Kind::System, firstContact) >= 0, qPrintable(logDump(*bob)));
    QVERIFY(firstContact.contains(fingerprint));

    // Not connected: no fingerprint.
    bob->leave();
    QCOMPARE(bob->state(), ConnectionState::Disconnected);
    QVERIFY(bob->sessionStatus()->fingerprintText().isEmpty());
    QVERIFY(!bob->sessionStatus()->lockLabel()->isVisible());

    // Met before: no first contact.
    auto again = startWindow(joinRequest(QStringLiteral("bob"), host->port()), testCoreOptions(joinerData));
    WAIT_CONNECTED(*again);
    QCOMPARE(again->sessionStatus()->fingerprintText(), QStringLiteral("Host's key fingerprint: ") + fingerprint);
    QCOMPARE(countLines(*again, QStringLiteral("First contact")), 0);
  }

  void thePasswordTypedInTheStartDialogReachesTheCore() {
    const ui::SessionRequest hostAsked = fromStartDialog(true, QStringLiteral("ann"), 0, QStringLiteral("open sesame 芝麻"));
    QCOMPARE(hostAsked.password, QStringLiteral("open sesame 芝麻"));
    auto host = startWindow(hostAsked);
    WAIT_CONNECTED(*host);
    QVERIFY2(host->sessionStatus()->lockLabel()->toolTip().contains(QStringLiteral("The room has a password.")),
             qPrintable(host->sessionStatus()->lockLabel()->toolTip()));

    auto wrong = startWindow(fromStartDialog(false, QStringLiteral("bob"), host->port(), QStringLiteral("open says me")));
    expectRefused(*wrong, chat::ErrorCode::WrongPassword);
    auto none = startWindow(fromStartDialog(false, QStringLiteral("bob"), host->port(), QString()));
    expectRefused(*none, chat::ErrorCode::PasswordRequired);
    QCOMPARE(host->clientModel()->count(), 1);

    auto right = startWindow(fromStartDialog(false, QStringLiteral("bob"), host->port(), QStringLiteral("open sesame 芝麻")));
    WAIT_CONNECTED(*right);
    QVERIFY(right->sessionStatus()->lockLabel()->toolTip().contains(QStringLiteral("The room has a password.")));
    typeAndSend(*right, QStringLiteral("through the password"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*host, QStringLiteral("through the password")) >= 0, kWaitMs);
  }

  void aChangedHostKeyIsAskedAboutWithBothFingerprints() {
    const QString firstData = newDataDir();
    const QString secondData = newDataDir();
    const QString joinerData = newDataDir();
    auto first = startWindow(hostRequest(QStringLiteral("ann")), testCoreOptions(firstData));
    WAIT_CONNECTED(*first);
    const quint16 port = first->port();
    {
      auto bob = startWindow(joinRequest(QStringLiteral("bob"), port), testCoreOptions(joinerData));
      WAIT_CONNECTED(*bob);
      QVERIFY(!bob->hostKeyDialog());
    }
    first.reset();  // leaves: the port is free again

    // Another installation (another key) hosts at the same address.
    auto second = startWindow(hostRequest(QStringLiteral("ann"), port), testCoreOptions(secondData));
    WAIT_CONNECTED(*second);
    const QString was = fingerprintIn(firstData);
    const QString now = fingerprintIn(secondData);
    QVERIFY(!was.isEmpty() && !now.isEmpty() && was != now);

    auto bob = startWindow(joinRequest(QStringLiteral("bob"), port), testCoreOptions(joinerData));
    QTRY_VERIFY_WITH_TIMEOUT(bob->hostKeyDialog(), kWaitMs);
    ui::HostKeyDialog* dialog = bob->hostKeyDialog();
    QVERIFY(dialog->isVisible());
    const QString said = dialog->text() + dialog->informativeText();
    QVERIFY2(said.contains(was) && said.contains(now), qPrintable(said));
    QVERIFY2(said.indexOf(was) < said.indexOf(now), "the remembered one first");
    QVERIFY(said.contains(QStringLiteral("127.0.0.1:%1").arg(port)));
    // Not joining is the default, for Enter and Esc.
    QCOMPARE(dialog->defaultButton(), dialog->cancelButton());
    QCOMPARE(dialog->escapeButton(), static_cast<QAbstractButton*>(dialog->cancelButton()));
    QCOMPARE(dialog->trustButton()->text(), QStringLiteral("Join anyway and trust the new key"));
    expectRefused(*bob, chat::ErrorCode::HostKeyChanged);
    QCOMPARE(second->clientModel()->count(), 1);

    // Cancel: nothing more happens.
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!bob->hostKeyDialog(), kWaitMs);
    QCOMPARE(bob->state(), ConnectionState::Disconnected);

    // Trying again asks again; trusting the new key joins, and pins it.
    QTest::mouseClick(bob->banner()->retryButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(bob->hostKeyDialog(), kWaitMs);
    QTest::mouseClick(bob->hostKeyDialog()->trustButton(), Qt::LeftButton);
    WAIT_CONNECTED(*bob);
    QVERIFY2(findLine(*bob, LogEntry::Kind::System, ui::EventText::trustingNewKey(QStringLiteral("127.0.0.1"), port, now)) >= 0,
             qPrintable(logDump(*bob)));
    QCOMPARE(bob->sessionStatus()->fingerprintText(), QStringLiteral("Host's key fingerprint: ") + now);
    QTRY_COMPARE_WITH_TIMEOUT(second->clientModel()->count(), 2, kWaitMs);
    QVERIFY(!bob->request().acceptNewHostKey);

    bob.reset();
    auto later = startWindow(joinRequest(QStringLiteral("bob"), port), testCoreOptions(joinerData));
    WAIT_CONNECTED(*later);
    QVERIFY(!later->hostKeyDialog());
  }

  void aRoomPickedWhoseHostIsNotTheOneAnnouncedIsRefusedWithNothingToAccept() {
    const QString hostData = newDataDir();
    auto host = startWindow(hostRequest(QStringLiteral("ann")), testCoreOptions(hostData));
    WAIT_CONNECTED(*host);
    // As if picked from the list where a forged beacon announced another key for it.
    ui::SessionRequest request = joinRequest(QStringLiteral("bob"), host->port());
    std::array<std::byte, 32> announced{};
    announced.fill(std::byte{7});
    request.expectedHostKey = announced;
    auto bob = startWindow(request);
    QTRY_VERIFY_WITH_TIMEOUT(bob->wrongRoomDialog(), kWaitMs);
    expectRefused(*bob, chat::ErrorCode::NotAnnouncedRoom);
    QVERIFY(!bob->hostKeyDialog());
    ui::WrongRoomDialog* dialog = bob->wrongRoomDialog();
    QVERIFY(dialog->isVisible());
    const QString said = dialog->text() + dialog->informativeText();
    QVERIFY2(said.contains(QStringLiteral("not the room that was announced")), qPrintable(said));
    QVERIFY2(said.contains(QString::fromStdString(noise::fingerprint(announced))), qPrintable(said));
    QVERIFY2(said.contains(fingerprintIn(hostData)), qPrintable(said));
    QVERIFY(said.contains(QStringLiteral("127.0.0.1:%1").arg(host->port())));
    // Only Close: nothing to accept, since accepting could not make it the room announced.
    QCOMPARE(dialog->buttons().size(), 1);
    QCOMPARE(dialog->buttonRole(dialog->buttons().front()), QMessageBox::RejectRole);
    QVERIFY(!dialog->button(QMessageBox::Ok) && !dialog->button(QMessageBox::Yes));
    QVERIFY(!bob->banner()->retryButton()->isVisible());
    QTest::mouseClick(dialog->buttons().front(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!bob->wrongRoomDialog(), kWaitMs);
    QCOMPARE(bob->state(), ConnectionState::Disconnected);
    QCOMPARE(host->clientModel()->count(), 1);
  }

  void theHostCanRemoveAndBanFromTheContextMenu() {
    auto host = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*host);
    const QString bobData = newDataDir();
    auto bob = startWindow(joinRequest(QStringLiteral("bob"), host->port()), testCoreOptions(bobData));
    auto carol = startWindow(joinRequest(QStringLiteral("carol"), host->port()));
    WAIT_CONNECTED(*bob);
    WAIT_CONNECTED(*carol);
    QTRY_COMPARE_WITH_TIMEOUT(host->clientModel()->count(), 3, kWaitMs);

    ui::ClientListView* view = host->clientView();
    std::unique_ptr<QMenu> menu(view->createContextMenu(view->visualRect(view->indexOf(bob->selfId())).center()));
    QVERIFY(menu);
    auto* ban = menu->findChild<QAction*>(QStringLiteral("banAction"));
    QVERIFY2(ban, "the host's menu offers no ban");
    QCOMPARE(ban->text(), QStringLiteral("Remove and &ban bob"));
    answerNextConfirmation(true);
    ban->trigger();
    expectRefused(*bob, chat::ErrorCode::Kicked);
    QTRY_VERIFY_WITH_TIMEOUT(
        findLine(*host, LogEntry::Kind::System, ui::EventText::youBanned(QStringLiteral("bob"))) >= 0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(host->clientModel()->count(), 2, kWaitMs);

    // Back under another name from the same installation (the same key): refused.
    auto again = startWindow(joinRequest(QStringLiteral("robert"), host->port()), testCoreOptions(bobData));
    expectRefused(*again, chat::ErrorCode::Banned);
    QCOMPARE(host->clientModel()->count(), 2);
    // Someone else still may join.
    auto dave = startWindow(joinRequest(QStringLiteral("dave"), host->port()));
    WAIT_CONNECTED(*dave);

    // A joiner's menu has no ban.
    ui::ClientListView* carolView = carol->clientView();
    std::unique_ptr<QMenu> carolMenu(
        carolView->createContextMenu(carolView->visualRect(carolView->indexOf(host->selfId())).center()));
    QVERIFY(carolMenu);
    QVERIFY(!carolMenu->findChild<QAction*>(QStringLiteral("banAction")));
    QVERIFY2(!carol->bannedMenu(), "a joiner has no list of banned people");

    // Chat > Banned people: bob, until the host lets him back in.
    QMenu* banned = host->bannedMenu();
    QVERIFY(banned);
    QTRY_VERIFY_WITH_TIMEOUT(banned->isEnabled(), kWaitMs);
    QCOMPARE(banned->actions().size(), 1);
    QAction* letBack = banned->actions().front();
    QVERIFY2(letBack->text().startsWith(QStringLiteral("Let bob join again (banned ")), qPrintable(letBack->text()));
    QVERIFY2(letBack->toolTip().contains(fingerprintIn(bobData)), qPrintable(letBack->toolTip()));
    letBack->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        findLine(*host, LogEntry::Kind::System, QStringLiteral("bob may join this room again.")) >= 0, kWaitMs);
    QVERIFY(!banned->isEnabled());
    QVERIFY(banned->actions().isEmpty());
    auto back = startWindow(joinRequest(QStringLiteral("robert"), host->port()), testCoreOptions(bobData));
    WAIT_CONNECTED(*back);
  }

  // Two people banned under one name: their entries name their keys, and each lifts its own.
  void bannedPeopleWhoShareANameAreToldApartByTheirKeys() {
    ui::BannedPeopleMenu menu;
    const auto since = std::chrono::system_clock::now();
    const std::vector<chat::BannedPerson> banned{{"ann", "AAAA-BBBB-CCCC-DDDD-EEEE", since},
                                                 {"bob", "FFFF-GGGG-HHHH-IIII-JJJJ", since},
                                                 {"ann", "KKKK-LLLL-MMMM-NNNN-OOOO", since}};
    QVERIFY(menu.setBanned(banned).isEmpty());
    const auto actions = menu.actions();
    QCOMPARE(actions.size(), 3);
    QVERIFY2(actions[0]->text().startsWith(QStringLiteral("Let ann (key AAAA-BBBB…) join again (banned ")),
             qPrintable(actions[0]->text()));
    QVERIFY2(actions[1]->text().startsWith(QStringLiteral("Let bob join again (banned ")), qPrintable(actions[1]->text()));
    QVERIFY2(actions[2]->text().startsWith(QStringLiteral("Let ann (key KKKK-LLLL…) join again (banned ")),
             qPrintable(actions[2]->text()));
    std::vector<std::string> asked;
    connect(&menu, &ui::BannedPeopleMenu::unbanRequested, &menu, [&](const std::string& f) { asked.push_back(f); });
    actions[2]->trigger();
    QCOMPARE(asked, std::vector<std::string>{"KKKK-LLLL-MMMM-NNNN-OOOO"});
    // Once one is lifted, the other's name is its own again.
    const QStringList lifted = menu.setBanned({banned[0], banned[1]});
    QCOMPARE(lifted, QStringList{QStringLiteral("ann")});
    QVERIFY2(menu.actions()[0]->text().startsWith(QStringLiteral("Let ann join again (banned ")),
             qPrintable(menu.actions()[0]->text()));
  }
};

QTEST_MAIN(SecureRoomsTest)
#include "secure_rooms_test.moc"
