#pragma once
// Typed access to ChatPort's saved choices, over QSettings. UI thread only.

#include <chatport/chat/chat_core.h>
#include <chatport/chat/history.h>
#include <chatport/chat/types.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace chatport::ui {

class Settings {
 public:
  /// The user's settings (organisation and application names of the QCoreApplication).
  Settings();
  /// Settings kept in an INI file at iniPath (tests, portable installs).
  explicit Settings(const QString& iniPath);
  ~Settings();
  Settings(const Settings&) = delete;
  Settings& operator=(const Settings&) = delete;

  chat::Role lastRole() const;
  void setLastRole(chat::Role role);

  QString nickname() const;
  void setNickname(const QString& name);

  quint16 hostPort() const;
  void setHostPort(quint16 port);

  QString joinAddress() const;
  void setJoinAddress(const QString& address);

  quint16 joinPort() const;
  void setJoinPort(quint16 port);

  /// Hosting: the messages a second each joiner may send ("host/rate") and how many at once
  /// ("host/burst"); 0 where not set: the core's defaults (20 and 40). Joiners are told them.
  double hostRate() const;
  double hostBurst() const;

  /// Where rooms are announced and looked for: the discovery port ("discovery/port", default
  /// 5149) and the interfaces ("discovery/interfaces", names; empty: the usual ones).
  chat::DiscoveryOptions discovery() const;
  void setDiscovery(const chat::DiscoveryOptions& discovery);
  /// Addresses and subnets the person asked to look at for rooms ("discovery/probes": "10.0.5.7",
  /// "10.0.5.7:5150", "10.0.5.0/24"), newest first, at most kMaxProbes; looked at again each time.
  static constexpr int kMaxProbes = 16;
  QStringList probes() const;
  void addProbe(const QString& addressOrSubnet);

  /// History (HistoryStore): whether sessions keep it ("history/keep", default on), for how
  /// many days ("history/days", 0: forever), in at most how many MiB ("history/mib", 0: no cap),
  /// and how many of the room's messages a host sends each newcomer ("history/newcomers",
  /// default 100).
  bool keepsHistory() const;
  void setKeepsHistory(bool keep);
  int historyDays() const;
  void setHistoryDays(int days);
  int historyMiB() const;
  void setHistoryMiB(int mib);
  int historyForNewcomers() const;
  void setHistoryForNewcomers(int messages);
  static constexpr int kMaxHistoryDays = 36500;
  static constexpr int kMaxHistoryMiB = 1 << 20;
  static constexpr int kMaxHistoryForNewcomers = 10000;
  /// The store's limits as set.
  chat::HistoryLimits historyLimits() const;
  /// Sets what the core does with history as set (the next session's options).
  void applyHistory(chat::CoreOptions& options) const;

  /// Where received files were last saved ("files/folder"); the standard Downloads folder
  /// until one is chosen.
  QString downloadFolder() const;
  void setDownloadFolder(const QString& folder);

  QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);

  QByteArray splitterState() const;
  void setSplitterState(const QByteArray& state);

  /// Minutes without input after which the person shows as away ("presence/awayMinutes",
  /// default 10); 0: never.
  int awayAfterMinutes() const;
  void setAwayAfterMinutes(int minutes);
  static constexpr int kMaxAwayMinutes = 24 * 60;

  /// This person's picture as it is sent ("profile/picture": PNG or JPEG bytes, PictureBook::
  /// encode); empty: none.
  QByteArray picture() const;
  void setPicture(const QByteArray& picture);

  /// What ChatPort asks about before doing it, until the person ticks "Don't ask again".
  enum class Confirmation { EndChat, Remove, ClearLog, StopTransfers };
  bool asksBefore(Confirmation what) const;
  void setAsksBefore(Confirmation what, bool ask);

  /// Writes pending changes to storage.
  void sync();

 private:
  std::unique_ptr<QSettings> store_;
};

}  // namespace chatport::ui
