// chatport: the Qt 6 Widgets front end. Wires the layers: command line, logging,
// translations, then a chat window (directly, or after the start dialog).

#include "app_icon.h"
#include "command_line.h"
#include "history_upkeep.h"
#include "launcher.h"
#include "settings.h"
#include "termination_signals.h"
#include "translations.h"

#include <chatport/chat/chat_core.h>
#include <chatport/log.h>

#include <QApplication>
#include <QDir>
#include <QStandardPaths>

#include <cstdio>
#include <exception>

namespace {

using namespace chatport;
using namespace Qt::Literals::StringLiterals;

void print(std::FILE* to, const QString& text) {
  std::fputs(qPrintable(text), to);
  std::fputc('\n', to);
}

/// The console plus a rotating file under the app-data folder; console only if the file can't
/// be opened (a read-only home must not stop the chat).
void startLogging(const QString& level) {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/logs"_s;
  logging::Options options;
  options.level = level.toStdString();
  if (!dir.isEmpty() && QDir().mkpath(dir)) options.filePath = QDir(dir).filePath(u"chatport.log"_s).toStdString();
  try {
    logging::init(options);
  } catch (const std::exception& e) {
    options.filePath.clear();
    logging::init(options);
    logging::get("app")->warn("no log file: {}", e.what());
  }
  logging::get("app")->info("chatport {} starting; log file {}",
                            QCoreApplication::applicationVersion().toStdString(),
                            options.filePath.empty() ? "none" : options.filePath);
}

void describeApplication() {
  QCoreApplication::setOrganizationName(u"ChatPort"_s);
  QCoreApplication::setApplicationName(u"chatport"_s);
  QCoreApplication::setApplicationVersion(QStringLiteral(CHATPORT_VERSION));
}

/// Parses the command line with a bare QCoreApplication, so --help, --version and mistakes
/// are answered without a display.
app::CommandLine::Result parseCommandLine(int argc, char* argv[]) {
  QCoreApplication core(argc, argv);
  describeApplication();
  ui::Translations::install(QLocale::system());
  return app::CommandLine::parse(QCoreApplication::arguments());
}

}  // namespace

int main(int argc, char* argv[]) {
  chatport::chat::useOneHeap();
  const app::CommandLine::Result cli = parseCommandLine(argc, argv);
  switch (cli.action) {
    case app::CommandLine::Action::ShowHelp:
    case app::CommandLine::Action::ShowVersion:
      print(stdout, cli.text);
      return 0;
    case app::CommandLine::Action::Fail:
      print(stderr, cli.text);
      return 2;
    case app::CommandLine::Action::Run:
      break;
  }

  QApplication app(argc, argv);
  describeApplication();
  QApplication::setApplicationDisplayName(u"ChatPort"_s);
  QApplication::setDesktopFileName(u"chatport"_s);
  QApplication::setWindowIcon(ui::AppIcon::icon());
  ui::Translations::install(QLocale::system());

  try {
    startLogging(cli.logLevel);
    ui::Settings settings;
    chat::CoreOptions options;
    options.dataDir = QDir::toNativeSeparators(cli.dataDir).toStdString();  // empty: the core's default
    if (const double rate = settings.hostRate(); rate > 0) options.ratePerSecond = rate;
    if (const double burst = settings.hostBurst(); burst > 0) options.rateBurst = burst;
    app::applyHistoryLimits(settings, options.dataDir);
    app::Launcher launcher(settings, options);
    app::TerminationSignals termination;
    QObject::connect(&termination, &app::TerminationSignals::received, &app, [](int signal) {
      logging::get("app")->info("signal {}: closing", signal);
      QApplication::closeAllWindows();
      QApplication::quit();
    });
    if (cli.session) launcher.open(*cli.session);
    else if (!launcher.ask()) return 0;
    const int status = QApplication::exec();
    logging::get("app")->info("chatport exits with status {}", status);
    return status;
  } catch (const std::exception& e) {
    print(stderr, QCoreApplication::translate("main", "ChatPort could not start: %1").arg(QString::fromUtf8(e.what())));
    return 1;
  }
}
