// The command line: parsing (every path, every mistake explained) and the chatport program
// itself, hosting and joining straight from the command line and quitting cleanly on SIGTERM.

#include "command_line.h"
#include "headless_core.h"
#include "ui_test_support.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>

using namespace chatport;
using namespace chatport::test;
using app::CommandLine;

namespace {

CommandLine::Result parse(QStringList args) {
  args.prepend(QStringLiteral("chatport"));
  return CommandLine::parse(args);
}

quint16 freePort() {
  QTcpServer probe;
  return probe.listen(QHostAddress::AnyIPv4, 0) ? probe.serverPort() : 0;
}

/// The chatport program, offscreen, with its settings and logs under the build tree, and its
/// key and pinned hosts in dataDir.
void startChatport(QProcess& process, QStringList args, const QString& dataDir) {
  args << QStringLiteral("--data-dir") << dataDir;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral(CHATPORT_TEST_OUTPUT_DIR "/cli-home/config"));
  env.insert(QStringLiteral("XDG_DATA_HOME"), QStringLiteral(CHATPORT_TEST_OUTPUT_DIR "/cli-home/data"));
  env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
  env.insert(QStringLiteral("LANGUAGE"), QString());
  process.setProcessEnvironment(env);
  process.setProgram(QStringLiteral(CHATPORT_GUI_BINARY));
  process.setArguments(args);
  process.start();
}

template <typename E>
bool isA(const chat::Event& e) {
  return std::holds_alternative<E>(e);
}

}  // namespace

class CommandLineTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7")); }

  void noOptionsShowsTheStartDialog() {
    const auto r = parse({});
    QCOMPARE(r.action, CommandLine::Action::Run);
    QVERIFY(!r.session);
  }

  void hostWithPortAndName() {
    const auto r = parse({QStringLiteral("--host"), QStringLiteral("--port"), QStringLiteral("6000"),
                          QStringLiteral("--name"), QStringLiteral("小明")});
    QCOMPARE(r.action, CommandLine::Action::Run);
    QVERIFY(r.session);
    QCOMPARE(r.session->role, chat::Role::Host);
    QCOMPARE(r.session->name, QStringLiteral("小明"));
    QCOMPARE(r.session->port, quint16(6000));
    QVERIFY(r.session->address.isEmpty());
  }

  void hostDefaultsToTheStandardPort() {
    const auto r = parse({QStringLiteral("--host"), QStringLiteral("--name=ann")});
    QVERIFY(r.session);
    QCOMPARE(r.session->port, chat::kDefaultPort);
  }

  void joinWithAddressAndPort_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("addr:port") << QStringList{QStringLiteral("--join"), QStringLiteral("10.0.0.5:6001")}
                               << QStringLiteral("10.0.0.5") << 6001;
    QTest::newRow("addr, --port") << QStringList{QStringLiteral("--join"), QStringLiteral("pc.lan"),
                                                 QStringLiteral("--port"), QStringLiteral("6002")}
                                  << QStringLiteral("pc.lan") << 6002;
    QTest::newRow("default port") << QStringList{QStringLiteral("--join"), QStringLiteral("pc.lan")}
                                  << QStringLiteral("pc.lan") << int(chat::kDefaultPort);
    QTest::newRow("[v6]:port") << QStringList{QStringLiteral("--join"), QStringLiteral("[fe80::1]:7")}
                               << QStringLiteral("fe80::1") << 7;
    QTest::newRow("bare v6") << QStringList{QStringLiteral("--join"), QStringLiteral("::1")}
                             << QStringLiteral("::1") << int(chat::kDefaultPort);
  }
  void joinWithAddressAndPort() {
    QFETCH(QStringList, args);
    QFETCH(QString, address);
    QFETCH(int, port);
    const auto r = parse(args + QStringList{QStringLiteral("--name"), QStringLiteral("bob")});
    QCOMPARE(r.action, CommandLine::Action::Run);
    QVERIFY2(r.session, qPrintable(r.text));
    QCOMPARE(r.session->role, chat::Role::Joiner);
    QCOMPARE(r.session->address, address);
    QCOMPARE(r.session->port, quint16(port));
  }

  void mistakesAreExplained_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    const QString n = QStringLiteral("--name");
    QTest::newRow("both") << QStringList{QStringLiteral("--host"), QStringLiteral("--join"), QStringLiteral("x"), n, QStringLiteral("a")}
                          << QStringLiteral("either --host or --join");
    QTest::newRow("no name") << QStringList{QStringLiteral("--host")} << QStringLiteral("--name");
    QTest::newRow("empty name") << QStringList{QStringLiteral("--host"), n, QString()} << QStringLiteral("Enter a nickname");
    QTest::newRow("long name") << QStringList{QStringLiteral("--host"), n, QString(40, u'x')} << QStringLiteral("at most 32");
    QTest::newRow("bad port") << QStringList{QStringLiteral("--host"), QStringLiteral("--port"), QStringLiteral("70000"), n, QStringLiteral("a")}
                              << QStringLiteral("0 to 65535");
    QTest::newRow("join port 0") << QStringList{QStringLiteral("--join"), QStringLiteral("h"), QStringLiteral("--port"), QStringLiteral("0"), n, QStringLiteral("a")}
                                 << QStringLiteral("1 to 65535");
    QTest::newRow("bad addr port") << QStringList{QStringLiteral("--join"), QStringLiteral("h:99999"), n, QStringLiteral("a")}
                                   << QStringLiteral("after the colon");
    QTest::newRow("two ports") << QStringList{QStringLiteral("--join"), QStringLiteral("h:5"), QStringLiteral("--port"), QStringLiteral("6"), n, QStringLiteral("a")}
                               << QStringLiteral("given twice");
    QTest::newRow("bad address") << QStringList{QStringLiteral("--join"), QStringLiteral("a b"), n, QStringLiteral("a")}
                                 << QStringLiteral("not an address");
    QTest::newRow("name alone") << QStringList{n, QStringLiteral("a")} << QStringLiteral("goes with --host or --join");
    QTest::newRow("bind on join") << QStringList{QStringLiteral("--join"), QStringLiteral("h"), QStringLiteral("--bind"), QStringLiteral("1.2.3.4"), n, QStringLiteral("a")}
                                  << QStringLiteral("--bind goes with --host");
    QTest::newRow("log level") << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")} << QStringLiteral("Unknown log level");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
    QTest::newRow("stray argument") << QStringList{QStringLiteral("hello")} << QStringLiteral("Unexpected argument");
  }
  void mistakesAreExplained() {
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const auto r = parse(args);
    QCOMPARE(r.action, CommandLine::Action::Fail);
    QVERIFY2(r.text.contains(says), qPrintable(r.text));
    QVERIFY(r.text.contains(QStringLiteral("--help")));
  }

  void logLevelIsPassedOn() {
    const auto r = parse({QStringLiteral("--log-level"), QStringLiteral("debug")});
    QCOMPARE(r.action, CommandLine::Action::Run);
    QCOMPARE(r.logLevel, QStringLiteral("debug"));
  }

  void dataDirIsPassedOn() {
    auto r = parse({QStringLiteral("--data-dir"), QStringLiteral("/tmp/elsewhere")});
    QCOMPARE(r.action, CommandLine::Action::Run);
    QCOMPARE(r.dataDir, QStringLiteral("/tmp/elsewhere"));
    QVERIFY(!r.session);
    r = parse({QStringLiteral("--join"), QStringLiteral("10.0.0.5"), QStringLiteral("--name"), QStringLiteral("bob"),
               QStringLiteral("--data-dir=/tmp/x")});
    QCOMPARE(r.dataDir, QStringLiteral("/tmp/x"));
    QVERIFY(r.session);
    QCOMPARE(parse({}).dataDir, QString());
    r = parse({QStringLiteral("--data-dir"), QStringLiteral(" ")});
    QCOMPARE(r.action, CommandLine::Action::Fail);
    QVERIFY2(r.text.contains(QStringLiteral("--data-dir needs a folder")), qPrintable(r.text));
  }

  void helpAndVersion() {
    const auto help = parse({QStringLiteral("--help")});
    QCOMPARE(help.action, CommandLine::Action::ShowHelp);
    for (const char* option : {"--host", "--join", "--port", "--name", "--log-level", "--version", "--data-dir"})
      QVERIFY2(help.text.contains(QLatin1String(option)), option);
    const auto version = parse({QStringLiteral("--version")});
    QCOMPARE(version.action, CommandLine::Action::ShowVersion);
    QCOMPARE(version.text, QStringLiteral("chatport 9.8.7"));
  }

  // ---- the program ----

  void programPrintsHelpVersionAndMistakesWithoutADisplay() {
    QTemporaryDir data;
    QProcess help;
    startChatport(help, {QStringLiteral("--help")}, data.path());
    QVERIFY(help.waitForFinished(30'000));
    QCOMPARE(help.exitCode(), 0);
    QVERIFY(help.readAllStandardOutput().contains("--join <address[:port]>"));

    QProcess version;
    startChatport(version, {QStringLiteral("--version")}, data.path());
    QVERIFY(version.waitForFinished(30'000));
    QCOMPARE(version.readAllStandardOutput().trimmed(), QByteArray("chatport 0.1.0"));

    QProcess wrong;
    startChatport(wrong, {QStringLiteral("--join"), QStringLiteral("h:99999"), QStringLiteral("--name"), QStringLiteral("x")},
                  data.path());
    QVERIFY(wrong.waitForFinished(30'000));
    QCOMPARE(wrong.exitCode(), 2);
    QVERIFY(wrong.readAllStandardError().contains("after the colon"));
  }

  void programHostsFromTheCommandLineAndEndsTheChatOnSigterm() {
    const quint16 port = freePort();
    QTemporaryDir data;
    QProcess chatport;
    startChatport(chatport, {QStringLiteral("--host"), QStringLiteral("--port"), QString::number(port),
                             QStringLiteral("--name"), QStringLiteral("ann"), QStringLiteral("--log-level"),
                             QStringLiteral("warn")},
                  data.path());
    QVERIFY(chatport.waitForStarted());

    // Join once it listens.
    auto listening = [port] {
      QTcpSocket probe;
      probe.connectToHost(QHostAddress::LocalHost, port);
      return probe.waitForConnected(1000);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(listening(), chatport.readAllStandardError().constData(), 30'000);
    HeadlessCore joiner(testCoreOptions());
    joiner.core().submit(chat::JoinCommand{"bob", "127.0.0.1", port});
    QVERIFY(joiner.waitFor([](const chat::Event& e) { return isA<chat::ConnectedEvent>(e); }));
    QVERIFY(joiner.waitFor([](const chat::Event& e) {
      const auto* list = std::get_if<chat::ClientListEvent>(&e);
      if (!list) return false;
      for (const auto& p : list->clients)
        if (p.name == "ann" && p.isHost) return true;
      return false;
    }));

    // SIGTERM: the host closes its window, telling the joiners, and exits normally.
    ::kill(static_cast<pid_t>(chatport.processId()), SIGTERM);
    QVERIFY(joiner.waitFor([](const chat::Event& e) {
      const auto* d = std::get_if<chat::DisconnectedEvent>(&e);
      return d && d->reason == chat::ErrorCode::HostClosed;
    }));
    QVERIFY(chatport.waitForFinished(30'000));
    QCOMPARE(chatport.exitStatus(), QProcess::NormalExit);
    QCOMPARE(chatport.exitCode(), 0);
  }

  void programJoinsFromTheCommandLine() {
    HeadlessCore host(testCoreOptions());
    host.core().submit(chat::HostCommand{"ann", "127.0.0.1", 0});
    QVERIFY(host.waitFor([](const chat::Event& e) { return isA<chat::ConnectedEvent>(e); }));
    const quint16 port = std::get<chat::ConnectedEvent>(host.seen().front()).port;

    QTemporaryDir data;
    QProcess chatport;
    startChatport(chatport, {QStringLiteral("--join"), QStringLiteral("127.0.0.1:%1").arg(port),
                             QStringLiteral("--name"), QStringLiteral("韩梅梅")},
                  data.path());
    QVERIFY(host.waitFor([](const chat::Event& e) {
      const auto* joined = std::get_if<chat::JoinedEvent>(&e);
      return joined && joined->who.name == "韩梅梅";
    }));
    // The host lets it in before its Welcome arrives; once the window has it, it pins the host
    // (in --data-dir: the option reached the core).
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(data.filePath(QStringLiteral("known_hosts"))), 30'000);
    ::kill(static_cast<pid_t>(chatport.processId()), SIGTERM);
    QVERIFY(host.waitFor([](const chat::Event& e) {
      const auto* left = std::get_if<chat::LeftEvent>(&e);
      return left && left->who.name == "韩梅梅" && left->reason == chat::LeaveReason::Quit;
    }));
    QVERIFY(chatport.waitForFinished(30'000));
    QCOMPARE(chatport.exitCode(), 0);
    QVERIFY(QFile::exists(data.filePath(QStringLiteral("identity.key"))));
    QFile knownHosts(data.filePath(QStringLiteral("known_hosts")));
    QVERIFY(knownHosts.open(QIODevice::ReadOnly));
    QVERIFY(knownHosts.readAll().startsWith(QStringLiteral("127.0.0.1:%1 ").arg(port).toUtf8()));
  }
};

QTEST_GUILESS_MAIN(CommandLineTest)
#include "command_line_test.moc"
