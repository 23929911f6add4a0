// chatport-cli: the headless ChatPort front end, for scripts, bots and servers without a screen.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/history.h>
#include <chatport/log.h>

#include "chat_console.h"
#include "command_line.h"
#include "discover.h"
#include "event_printer.h"
#include "history_command.h"
#include "input_inbox.h"
#include "password_input.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#endif

int main(int argc, char** argv) {
  using namespace chatport;
  chat::useOneHeap();
#ifdef _WIN32
  // Names and text are UTF-8 everywhere in ChatPort; make the console agree.
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "history") return cli::runHistory({args.begin() + 1, args.end()});
  std::string error;
  const auto options = cli::parseCommandLine(args, error);
  if (!options) {
    std::fprintf(stderr, "chatport-cli: %s\n\n%s", error.c_str(), cli::usageText().c_str());
    return cli::kExitUsage;
  }
  if (options->help) {
    std::fputs(cli::usageText().c_str(), stdout);
    return cli::kExitOk;
  }
  if (options->version) {
    std::puts("chatport-cli 0.1.0");
    return cli::kExitOk;
  }

  try {
    logging::Options log;
    log.level = options->logLevel;
    if (log.level.empty() && !std::getenv("CHATPORT_LOG_LEVEL")) log.level = "warn";
    logging::init(log);

    if (options->discover) return cli::runDiscover(*options);
    cli::CommandLine command = *options;
    if (command.role == chat::Role::Joiner && cli::maybeRoomName(command.host) && !cli::findRoomToJoin(command))
      std::fprintf(stderr, "chatport-cli: no room called '%s' was heard on the network; trying it as a "
                           "computer's name\n", command.host.c_str());

    chat::CoreOptions coreOptions;
    if (options->maxClients) coreOptions.maxClients = options->maxClients;
    if (options->rate > 0) coreOptions.ratePerSecond = options->rate;
    if (options->burst > 0) coreOptions.rateBurst = options->burst;
    coreOptions.dataDir = options->dataDir;
    coreOptions.keepHistory = options->keepHistory;
    if (options->maxFileBytes) coreOptions.maxFileBytes = options->maxFileBytes;
    if (options->historyMessages) coreOptions.historyForNewcomers = *options->historyMessages;
    if (options->historyMessages && !chat::HistoryStore::available())
      std::fprintf(stderr, "chatport-cli: %s; newcomers are sent what this host has said since it started\n",
                   chat::HistoryStore::unavailableReason().c_str());
    if (const char* cost = std::getenv("CHATPORT_PASSWORD_COST"); cost && *cost) {
      const auto parsed = cli::parsePasswordCost(cost);
      if (!parsed) {
        std::fprintf(stderr,
                     "chatport-cli: CHATPORT_PASSWORD_COST must be KIB,PASSES: 8192 to 1048576 KiB and 1 "
                     "to 10 passes\n");
        return cli::kExitUsage;
      }
      coreOptions.passwordMemoryKiB = parsed->memoryKiB;
      coreOptions.passwordIterations = parsed->iterations;
    }
    std::string password;
    if (!options->passwordFile.empty() && !cli::readPasswordFile(options->passwordFile, password, error)) {
      std::fprintf(stderr, "chatport-cli: %s\n", error.c_str());
      return cli::kExitUsage;
    }

    auto inbox = std::make_shared<cli::InputInbox>();
    cli::InputInbox::watchQuitSignals(inbox);  // before any thread starts

    if (options->passwordPrompt) {
      // Read here, before the standard-input reader starts: nothing else reads the terminal.
      if (!cli::Terminal::stdinIsTerminal()) {
        std::fprintf(stderr, "chatport-cli: --password-prompt needs a terminal on standard input; "
                             "use --password-file PATH\n");
        return cli::kExitUsage;
      }
      const bool host = options->role == chat::Role::Host;
      const auto typed = cli::Terminal::readHiddenLine(host ? "Room password: " : "Password for the room: ");
      if (!typed || typed->empty()) {
        std::fprintf(stderr, "chatport-cli: no password given\n");
        return cli::kExitUsage;
      }
      if (host) {  // nobody sees it typed: a typo would lock every joiner out
        const auto again = cli::Terminal::readHiddenLine("The same password again: ");
        if (!again || *again != *typed) {
          std::fprintf(stderr, "chatport-cli: the two passwords differ\n");
          return cli::kExitUsage;
        }
      }
      password = *typed;
    }

    cli::EventPrinter printer(options->json, stdout, stderr);
    int status;
    {
      chat::ChatCore core(chat::optionsFor(command.role, coreOptions));
      core.setWakeCallback([inbox] { inbox->wake(); });
      cli::InputInbox::startStdinReader(inbox);
      cli::ChatConsole console(command, core, *inbox, printer, std::move(password));
      status = console.run();
    }  // the core leaves cleanly and stops here
    std::fflush(stdout);
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chatport-cli: %s\n", e.what());
    return cli::kExitNetwork;
  }
}
