// StartDialog: every field explains what is wrong with it before anything is tried, and the
// last choices come back next time.

#include "input_checks.h"
#include "interfaces_dialog.h"
#include "settings.h"
#include "start_dialog.h"
#include "headless_core.h"
#include "raw_socket.h"
#include "room_list_model.h"
#include "ui_test_support.h"


#include <QAction>
#include <QCheckBox>
#include <QListWidget>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTreeView>

#include <chatport/net/network_interface.h>

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

/// Hosts name without a window, announced on discovery's port; its welcome.
chat::ConnectedEvent hostRoom(test::HeadlessCore& core, const std::string& name, const chat::DiscoveryOptions& discovery) {
  chat::HostCommand hosting{name, "127.0.0.1", 0};
  hosting.discovery = discovery;
  core.core().submit(hosting);
  chat::ConnectedEvent hosted;
  core.waitFor([&](const chat::Event& e) {
    if (auto* c = std::get_if<chat::ConnectedEvent>(&e)) hosted = *c;
    return std::holds_alternative<chat::ConnectedEvent>(e);
  });
  return hosted;
}

/// Joins the room at port once from an installation whose data folder is dataDir, as a window
/// would: the room is remembered there.
bool joinOnce(const QString& dataDir, quint16 port) {
  chat::CoreOptions options;
  options.threads = 1;
  options.dataDir = dataDir.toStdString();
  test::HeadlessCore joiner(options);
  joiner.core().submit(chat::JoinCommand{"bob", "127.0.0.1", port});
  bool connected = false;
  joiner.waitFor([&](const chat::Event& e) {
    connected = std::holds_alternative<chat::ConnectedEvent>(e);
    return connected || std::holds_alternative<chat::DisconnectedEvent>(e);
  });
  return connected;
}

bool greyed(const QModelIndex& index) {
  const QColor shown = index.data(Qt::ForegroundRole).value<QBrush>().color();
  return index.data(Qt::ForegroundRole).isValid() &&
         shown == QApplication::palette().color(QPalette::Disabled, QPalette::Text);
}

/// The rows' room texts, for failure messages.
QString rowsOf(const QAbstractItemModel* model) {
  QStringList rows;
  for (int row = 0; row < model->rowCount(); ++row)
    rows << model->index(row, 0).data().toString() + QStringLiteral(" | ") + model->index(row, 1).data().toString();
  return rows.join(u'\n');
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

    StartDialog dialog(settings, nullptr, dir_.filePath(QStringLiteral("dialog")).toStdString());
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

  void roomsJoinedBeforeAreListedGreyedUntilTheyAnswerThenAsOneLiveRow() {
    ui::Settings settings(iniPath());
    // The rooms announce where the dialog does not listen: only asked directly do they answer
    // it, as rooms on another subnet would.
    chat::DiscoveryOptions theirs, mine;
    theirs.port = test::freeUdpPort();
    mine.port = test::freeUdpPort();
    QVERIFY(theirs.port != 0 && mine.port != 0 && theirs.port != mine.port);
    settings.setDiscovery(mine);
    settings.setLastRole(chat::Role::Joiner);
    settings.setNickname(QStringLiteral("bob"));
    const QString data = dir_.filePath(QStringLiteral("remembered"));

    // Both joined before, and neither hosting now.
    chat::CoreOptions hostOptions;
    hostOptions.threads = 1;
    hostOptions.dataDir = dir_.filePath(QStringLiteral("ann")).toStdString();
    quint16 annPort = 0, beaPort = 0;
    {
      test::HeadlessCore bea(chat::CoreOptions{1, dir_.filePath(QStringLiteral("bea")).toStdString()});
      beaPort = hostRoom(bea, "bea", theirs).port;
      QVERIFY(joinOnce(data, beaPort));
    }
    {
      test::HeadlessCore ann(hostOptions);
      annPort = hostRoom(ann, "ann", theirs).port;
      QVERIFY(joinOnce(data, annPort));
    }
    QCOMPARE(chat::rememberedRooms(data.toStdString()).size(), std::size_t{2});

    StartDialog dialog(settings, nullptr, data.toStdString());
    dialog.show();
    auto* list = child<QTreeView>(dialog, "roomList");
    const QAbstractItemModel* model = list->model();
    // At once, before any answer: both, greyed, newest first.
    QCOMPARE(model->rowCount(), 2);
    for (int row = 0; row < 2; ++row) {
      QVERIFY2(greyed(model->index(row, 0)), qPrintable(rowsOf(model)));
      QVERIFY2(model->index(row, 0).data().toString().contains(QStringLiteral("not found now, last joined just now")),
               qPrintable(rowsOf(model)));
    }
    QVERIFY(model->index(0, 0).data().toString().startsWith(QStringLiteral("ann")));
    QCOMPARE(model->index(0, ui::RoomListModel::AddressColumn).data().toString(),
             QStringLiteral("127.0.0.1:%1").arg(annPort));

    // ann hosts again (her key, her port) and answers the direct question: one row for her,
    // live, first; bea stays greyed.
    test::HeadlessCore ann(hostOptions);
    chat::HostCommand hosting{"ann", "127.0.0.1", annPort};
    hosting.discovery = theirs;
    ann.core().submit(hosting);
    QTRY_VERIFY2_WITH_TIMEOUT(model->rowCount() == 2 && model->index(0, 0).data().toString() == QStringLiteral("ann"),
                              qPrintable(rowsOf(model)), 30000);
    QCOMPARE(model->index(0, ui::RoomListModel::PeopleColumn).data().toString(), QStringLiteral("1"));
    QVERIFY(!greyed(model->index(0, 0)));
    QVERIFY(model->index(1, 0).data().toString().startsWith(QStringLiteral("bea · not found now")));
    QVERIFY(greyed(model->index(1, 0)));

    // Double-clicking bea joins her where she was joined; her pinned key protects the join.
    const QRect row = list->visualRect(model->index(1, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, row.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const ui::SessionRequest request = dialog.request();
    QCOMPARE(request.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(request.port, beaPort);
    QVERIFY(!request.expectedHostKey);
  }

  void aRoomJoinedBeforeCanBeForgotten() {
    ui::Settings settings(iniPath());
    chat::DiscoveryOptions discovery;
    discovery.port = test::freeUdpPort();
    settings.setDiscovery(discovery);
    settings.setLastRole(chat::Role::Joiner);
    const QString data = dir_.filePath(QStringLiteral("forgetting"));
    {
      chat::CoreOptions hostOptions;
      hostOptions.threads = 1;
      hostOptions.dataDir = dir_.filePath(QStringLiteral("cid")).toStdString();
      test::HeadlessCore cid(hostOptions);
      QVERIFY(joinOnce(data, hostRoom(cid, "cid", discovery).port));
    }
    StartDialog dialog(settings, nullptr, data.toStdString());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto* list = child<QTreeView>(dialog, "roomList");
    QCOMPARE(list->model()->rowCount(), 1);
    auto* forget = list->findChild<QAction*>(QStringLiteral("forgetRoomAction"));
    QVERIFY(forget && list->actions().contains(forget));  // the list's context menu
    QVERIFY(!forget->isEnabled());
    list->setFocus();
    list->setCurrentIndex(list->model()->index(0, 0));
    QVERIFY(forget->isEnabled());
    QVERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_Delete);
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(chat::rememberedRooms(data.toStdString()).empty());
    QVERIFY(dialog.isVisible());
  }

  void anAddressOrSubnetAddedIsAskedAndAskedAgainNextTime() {
    ui::Settings settings(iniPath());
    chat::DiscoveryOptions theirs, mine;
    theirs.port = test::freeUdpPort();
    mine.port = test::freeUdpPort();
    QVERIFY(theirs.port != 0 && mine.port != 0 && theirs.port != mine.port);
    settings.setDiscovery(mine);
    settings.setLastRole(chat::Role::Joiner);
    settings.setNickname(QStringLiteral("bob"));
    chat::CoreOptions hostOptions;
    hostOptions.threads = 1;
    hostOptions.dataDir = dir_.filePath(QStringLiteral("dee")).toStdString();
    test::HeadlessCore dee(hostOptions);
    const quint16 port = hostRoom(dee, "dee", theirs).port;
    const std::string noRooms = dir_.filePath(QStringLiteral("none")).toStdString();
    const QString where = QStringLiteral("127.0.0.1:%1").arg(port);
    {
      StartDialog dialog(settings, nullptr, noRooms);
      dialog.show();
      auto* edit = child<QLineEdit>(dialog, "probeEdit");
      auto* error = child<QLabel>(dialog, "probeError");
      QVERIFY(!edit->isVisible());
      QTest::mouseClick(child<QPushButton>(dialog, "addProbeButton"), Qt::LeftButton);
      QVERIFY(edit->isVisible());
      retype(edit, QStringLiteral("10.0.5.0/33"));
      QTest::keyClick(edit, Qt::Key_Return);
      QVERIFY(error->isVisible());
      QVERIFY2(error->text().contains(QStringLiteral("'10.0.5.0/33' is not an IPv4 subnet")), qPrintable(error->text()));
      QCOMPARE(dialog.result(), int(QDialog::Rejected));  // Enter there looks, never joins
      QVERIFY(dialog.isVisible());
      QVERIFY(settings.probes().isEmpty());
      retype(edit, where);
      QVERIFY(!error->isVisible());
      QTest::keyClick(edit, Qt::Key_Return);
      QVERIFY(!error->isVisible());
      QVERIFY(!edit->isVisible());
      auto* list = child<QTreeView>(dialog, "roomList");
      QTRY_VERIFY2_WITH_TIMEOUT(list->model()->rowCount() == 1 &&
                                    list->model()->index(0, 0).data().toString() == QStringLiteral("dee"),
                                qPrintable(rowsOf(list->model())), 30000);
      QCOMPARE(settings.probes(), QStringList{where});
    }
    // Asked again the next time.
    StartDialog again(settings, nullptr, noRooms);
    again.show();
    auto* list = child<QTreeView>(again, "roomList");
    QTRY_VERIFY2_WITH_TIMEOUT(list->model()->rowCount() == 1, qPrintable(rowsOf(list->model())), 30000);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("dee"));
  }

  void theInterfacesDialogListsTheInterfacesAndSavesTheChoice() {
    ui::Settings settings(iniPath());
    std::error_code ec;
    const auto interfaces = net::listInterfaces(ec);
    QVERIFY2(!ec, ec.message().c_str());
    QVERIFY(!interfaces.empty());
    ui::InterfacesDialog dialog(settings);
    dialog.show();
    auto* list = child<QListWidget>(dialog, "interfaceList");
    QCOMPARE(list->count(), static_cast<int>(interfaces.size()));
    // Those ChatPort uses by itself: up, with an address, not loopback or virtual (here: none
    // of the names docker, veth... and not lo), or loopback where there is nothing else.
    std::vector<bool> automatic;
    for (const auto& nic : interfaces)
      automatic.push_back(nic.up && !nic.loopback && !nic.likelyVirtual && (!nic.ipv4.empty() || !nic.ipv6.empty()));
    if (std::count(automatic.begin(), automatic.end(), true) == 0)
      for (std::size_t i = 0; i < interfaces.size(); ++i) automatic[i] = interfaces[i].up && interfaces[i].loopback;
    for (int i = 0; i < list->count(); ++i) {
      const auto& nic = interfaces[static_cast<std::size_t>(i)];
      QVERIFY(list->item(i)->text().startsWith(QString::fromStdString(nic.name)));
      for (const auto& a : nic.ipv4)
        QVERIFY2(list->item(i)->text().contains(QString::fromStdString(a.address.addressString())),
                 qPrintable(list->item(i)->text()));
      // Automatic: ticked are those ChatPort uses by itself, and marked so.
      QCOMPARE(list->item(i)->checkState() == Qt::Checked, bool(automatic[static_cast<std::size_t>(i)]));
      QCOMPARE(list->item(i)->text().contains(QStringLiteral("(automatic")), bool(automatic[static_cast<std::size_t>(i)]));
    }
    QVERIFY(child<QRadioButton>(dialog, "automaticChoice")->isChecked());
    QVERIFY(!list->isEnabled());

    // Only the loopback interface (the one every machine has).
    const auto loopback = std::find_if(interfaces.begin(), interfaces.end(), [](const auto& n) { return n.loopback; });
    QVERIFY(loopback != interfaces.end());
    QTest::mouseClick(child<QRadioButton>(dialog, "chosenChoice"), Qt::LeftButton);
    QVERIFY(list->isEnabled());
    for (int i = 0; i < list->count(); ++i)
      list->item(i)->setCheckState(i == loopback - interfaces.begin() ? Qt::Checked : Qt::Unchecked);
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(settings.discovery().interfaces, std::vector<std::string>{loopback->name});

    // Opened again: the choice shows; nothing ticked is refused; Automatic goes back.
    ui::InterfacesDialog again(settings);
    again.show();
    auto* list2 = child<QListWidget>(again, "interfaceList");
    QVERIFY(child<QRadioButton>(again, "chosenChoice")->isChecked());
    QCOMPARE(list2->item(static_cast<int>(loopback - interfaces.begin()))->checkState(), Qt::Checked);
    for (int i = 0; i < list2->count(); ++i) list2->item(i)->setCheckState(Qt::Unchecked);
    QTest::mouseClick(child<QPushButton>(again, "saveButton"), Qt::LeftButton);
    QVERIFY(again.isVisible());
    QVERIFY(child<QLabel>(again, "interfacesProblem")->isVisible());
    QTest::mouseClick(child<QRadioButton>(again, "automaticChoice"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(again, "saveButton"), Qt::LeftButton);
    QCOMPARE(again.result(), int(QDialog::Accepted));
    QVERIFY(settings.discovery().interfaces.empty());
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
