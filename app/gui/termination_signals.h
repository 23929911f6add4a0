#pragma once
// SIGINT and SIGTERM close the windows like Quit does, so a host that is told to stop still
// tells its joiners. The handler only writes a byte to a socket pair; a QSocketNotifier reads
// it on the UI thread. POSIX only; elsewhere this does nothing.

#include <QObject>

class QSocketNotifier;

namespace chatport::app {

class TerminationSignals : public QObject {
  Q_OBJECT

 public:
  /// Installs the handlers; one instance per process, on the UI thread.
  explicit TerminationSignals(QObject* parent = nullptr);
  ~TerminationSignals() override;

 Q_SIGNALS:
  void received(int signal);

 private:
  QSocketNotifier* notifier_ = nullptr;
};

}  // namespace chatport::app
