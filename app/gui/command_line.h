#pragma once
// chatport's command line:
//   chatport                                      the start dialog
//   chatport --host [--port N] [--bind ADDR] --name NICK
//   chatport --join ADDR[:PORT] [--port N] --name NICK
//   chatport --log-level LEVEL | --help | --version
//   --data-dir DIR with any of them: where the key and the hosts met are kept
// Thread-safe (pure); user-visible text translated with the translators installed.

#include "session_request.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace chatport::app {

class CommandLine {
  Q_DECLARE_TR_FUNCTIONS(CommandLine)

 public:
  enum class Action {
    Run,          ///< start: session set, or nullopt for the start dialog
    ShowHelp,     ///< print text to stdout, exit 0
    ShowVersion,  ///< print text to stdout, exit 0
    Fail,         ///< print text to stderr, exit 2
  };
  struct Result {
    Action action = Action::Run;
    std::optional<ui::SessionRequest> session;
    QString logLevel;  ///< empty: the default
    QString dataDir;   ///< empty: the chat core's default (KeyStore::defaultDataFolder)
    QString text;      ///< help, version or what is wrong
  };

  /// arguments: as QCoreApplication::arguments(), the program first.
  static Result parse(const QStringList& arguments);
};

}  // namespace chatport::app
