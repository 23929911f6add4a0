#include "command_line.h"

#include "input_checks.h"

#include <chatport/log.h>

#include <QCommandLineParser>

namespace chatport::app {

using ui::InputChecks;
using namespace Qt::Literals::StringLiterals;

CommandLine::Result CommandLine::parse(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      tr("ChatPort: chat with the people on your local network. One person hosts; everyone else "
         "joins with the host's address. Without options, a start dialog asks what to do.") +
      u"\n\n"_s + tr("Examples:") + u"\n  chatport --host --name Ann\n  chatport --join 192.168.1.20:5150 --name Bob"_s);
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption version = parser.addVersionOption();
  const QCommandLineOption host(u"host"_s, tr("Host a chat on this computer."));
  const QCommandLineOption join(u"join"_s, tr("Join the chat hosted at <address>, optionally with :<port>."),
                                tr("address[:port]"));
  const QCommandLineOption port(u"port"_s,
                                tr("The port to host on (0 picks a free one) or to join (default %1).")
                                    .arg(chat::kDefaultPort),
                                tr("port"));
  const QCommandLineOption bind(u"bind"_s,
                                tr("Host: listen on this address only (default: every address, IPv6 "
                                   "and IPv4; 0.0.0.0 for IPv4 only)."),
                                tr("address"));
  const QCommandLineOption name(u"name"_s, tr("Your nickname in the chat."), tr("nickname"));
  const QCommandLineOption logLevel(u"log-level"_s,
                                    tr("How much to log: trace, debug, info, warn, error, critical or off "
                                       "(default info)."),
                                    tr("level"));
  const QCommandLineOption dataDir(u"data-dir"_s,
                                   tr("Where ChatPort keeps this computer's key and the hosts it has met "
                                      "(default: the system's folder for application data)."),
                                   tr("folder"));
  parser.addOptions({host, join, port, bind, name, logLevel, dataDir});

  Result result;
  auto fail = [&](const QString& why) {
    result.action = Action::Fail;
    result.text = why + u'\n' + tr("Run “chatport --help” to see how to use it.");
    return result;
  };
  if (!parser.parse(arguments)) return fail(parser.errorText());
  if (parser.isSet(help)) {
    result.action = Action::ShowHelp;
    result.text = parser.helpText();
    return result;
  }
  if (parser.isSet(version)) {
    result.action = Action::ShowVersion;
    result.text = u"chatport %1"_s.arg(QCoreApplication::applicationVersion());
    return result;
  }
  if (!parser.positionalArguments().isEmpty())
    return fail(tr("Unexpected argument: %1").arg(parser.positionalArguments().constFirst()));

  if (parser.isSet(logLevel)) {
    result.logLevel = parser.value(logLevel);
    if (!logging::parseLevel(result.logLevel.toStdString()))
      return fail(tr("Unknown log level “%1”. Use trace, debug, info, warn, error, critical or off.")
                      .arg(result.logLevel));
  }

  if (parser.isSet(dataDir)) {
    result.dataDir = parser.value(dataDir);
    if (result.dataDir.trimmed().isEmpty()) return fail(tr("--data-dir needs a folder."));
  }

  const bool hosting = parser.isSet(host);
  const bool joining = parser.isSet(join);
  if (hosting && joining) return fail(tr("Choose either --host or --join, not both."));
  if (!hosting && !joining) {
    for (const auto* option : {&port, &bind, &name})
      if (parser.isSet(*option))
        return fail(tr("--%1 goes with --host or --join.").arg(option->names().constFirst()));
    return result;  // the start dialog
  }
  if (joining && parser.isSet(bind)) return fail(tr("--bind goes with --host only."));
  if (!parser.isSet(name))
    return fail(tr("Give your nickname with --name, for example --name Ann."));

  ui::SessionRequest session;
  session.role = hosting ? chat::Role::Host : chat::Role::Joiner;
  session.name = parser.value(name);
  if (const QString problem = InputChecks::nameProblem(session.name); !problem.isEmpty())
    return fail(tr("--name: %1").arg(problem));

  std::optional<quint16> portValue;
  if (parser.isSet(port)) {
    const auto use = hosting ? InputChecks::PortUse::Host : InputChecks::PortUse::Join;
    if (const QString problem = InputChecks::portProblem(parser.value(port), use); !problem.isEmpty())
      return fail(tr("--port: %1").arg(problem));
    portValue = static_cast<quint16>(parser.value(port).trimmed().toUInt());
  }

  if (hosting) {
    session.address = parser.value(bind).trimmed();
    if (!session.address.isEmpty())
      if (const QString problem = InputChecks::addressProblem(session.address); !problem.isEmpty())
        return fail(tr("--bind: %1").arg(problem));
    session.port = portValue.value_or(chat::kDefaultPort);
  } else {
    const auto split = InputChecks::splitHostAndPort(parser.value(join));
    if (!split) return fail(tr("--join: the port after the colon must be a number from 1 to 65535."));
    if (const QString problem = InputChecks::addressProblem(split->host); !problem.isEmpty())
      return fail(tr("--join: %1").arg(problem));
    if (split->port && portValue && *split->port != *portValue)
      return fail(tr("The port is given twice (%1 and %2); give it once.").arg(*split->port).arg(*portValue));
    session.address = split->host;
    session.port = split->port.value_or(portValue.value_or(chat::kDefaultPort));
  }
  result.session = session;
  return result;
}

}  // namespace chatport::app
