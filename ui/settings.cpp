#include "settings.h"

#include <QSettings>
#include <QStandardPaths>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;

const QString kRole = u"start/role"_s;
const QString kNickname = u"start/nickname"_s;
const QString kHostPort = u"host/port"_s;
const QString kJoinAddress = u"join/address"_s;
const QString kJoinPort = u"join/port"_s;
const QString kHostRate = u"host/rate"_s;
const QString kHostBurst = u"host/burst"_s;
const QString kDiscoveryPort = u"discovery/port"_s;
const QString kDiscoveryInterfaces = u"discovery/interfaces"_s;
const QString kDiscoveryProbes = u"discovery/probes"_s;
const QString kHistoryKeep = u"history/keep"_s;
const QString kHistoryDays = u"history/days"_s;
const QString kHistoryMiB = u"history/mib"_s;
const QString kHistoryNewcomers = u"history/newcomers"_s;
const QString kDownloadFolder = u"files/folder"_s;
const QString kGeometry = u"window/geometry"_s;
const QString kSplitter = u"window/splitter"_s;
const QString kAwayMinutes = u"presence/awayMinutes"_s;
const QString kPicture = u"profile/picture"_s;

QString confirmationKey(Settings::Confirmation what) {
  switch (what) {
    case Settings::Confirmation::EndChat: return u"confirm/endChat"_s;
    case Settings::Confirmation::Remove: return u"confirm/remove"_s;
    case Settings::Confirmation::ClearLog: return u"confirm/clearLog"_s;
    case Settings::Confirmation::StopTransfers: return u"confirm/stopTransfers"_s;
  }
  return {};
}

quint16 portFrom(const QVariant& value) {
  bool ok = false;
  const uint port = value.toUInt(&ok);
  return ok && port <= 65535 ? static_cast<quint16>(port) : chat::kDefaultPort;
}

/// A whole number from 0 to most; fallback where it is not one (hand-edited files).
int boundedInt(const QVariant& value, int most, int fallback) {
  bool ok = false;
  const int n = value.toInt(&ok);
  return ok && n >= 0 && n <= most ? n : fallback;
}

}  // namespace

Settings::Settings() : store_(std::make_unique<QSettings>()) {}
Settings::Settings(const QString& iniPath)
    : store_(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {}
Settings::~Settings() = default;

chat::Role Settings::lastRole() const {
  return store_->value(kRole).toString() == u"join"_s ? chat::Role::Joiner : chat::Role::Host;
}
void Settings::setLastRole(chat::Role role) {
  store_->setValue(kRole, role == chat::Role::Joiner ? u"join"_s : u"host"_s);
}

QString Settings::nickname() const { return store_->value(kNickname).toString(); }
void Settings::setNickname(const QString& name) { store_->setValue(kNickname, name); }

quint16 Settings::hostPort() const { return portFrom(store_->value(kHostPort, chat::kDefaultPort)); }
void Settings::setHostPort(quint16 port) { store_->setValue(kHostPort, port); }

QString Settings::joinAddress() const { return store_->value(kJoinAddress).toString(); }
void Settings::setJoinAddress(const QString& address) { store_->setValue(kJoinAddress, address); }

quint16 Settings::joinPort() const { return portFrom(store_->value(kJoinPort, chat::kDefaultPort)); }
void Settings::setJoinPort(quint16 port) { store_->setValue(kJoinPort, port); }

namespace {
// A positive number from the settings file, or 0 (the core's default) for anything else.
double positiveOr0(const QVariant& value) {
  bool ok = false;
  const double n = value.toDouble(&ok);
  return ok && n >= 0.1 && n <= 100000 ? n : 0;
}
}  // namespace

double Settings::hostRate() const { return positiveOr0(store_->value(kHostRate)); }
double Settings::hostBurst() const {
  const double burst = positiveOr0(store_->value(kHostBurst));
  return burst >= 1 ? burst : 0;
}

chat::DiscoveryOptions Settings::discovery() const {
  chat::DiscoveryOptions d;
  bool ok = false;
  const uint port = store_->value(kDiscoveryPort, d.port).toUInt(&ok);
  if (ok && port > 0 && port <= 65535) d.port = static_cast<quint16>(port);
  for (const QString& name : store_->value(kDiscoveryInterfaces).toStringList())
    if (!name.trimmed().isEmpty()) d.interfaces.push_back(name.trimmed().toStdString());
  return d;
}
void Settings::setDiscovery(const chat::DiscoveryOptions& discovery) {
  store_->setValue(kDiscoveryPort, discovery.port);
  QStringList names;
  for (const auto& name : discovery.interfaces) names << QString::fromStdString(name);
  store_->setValue(kDiscoveryInterfaces, names);
}

QStringList Settings::probes() const {
  QStringList out;
  for (const QString& probe : store_->value(kDiscoveryProbes).toStringList())
    if (!probe.trimmed().isEmpty() && out.size() < kMaxProbes) out << probe.trimmed();
  return out;
}
void Settings::addProbe(const QString& addressOrSubnet) {
  QStringList list = probes();
  list.removeAll(addressOrSubnet);
  list.prepend(addressOrSubnet);
  store_->setValue(kDiscoveryProbes, list.mid(0, kMaxProbes));
}

bool Settings::keepsHistory() const { return store_->value(kHistoryKeep, true).toBool(); }
void Settings::setKeepsHistory(bool keep) { store_->setValue(kHistoryKeep, keep); }

int Settings::historyDays() const { return boundedInt(store_->value(kHistoryDays), kMaxHistoryDays, 0); }
void Settings::setHistoryDays(int days) { store_->setValue(kHistoryDays, days); }

int Settings::historyMiB() const { return boundedInt(store_->value(kHistoryMiB), kMaxHistoryMiB, 0); }
void Settings::setHistoryMiB(int mib) { store_->setValue(kHistoryMiB, mib); }

int Settings::historyForNewcomers() const {
  return boundedInt(store_->value(kHistoryNewcomers, 100), kMaxHistoryForNewcomers, 100);
}
void Settings::setHistoryForNewcomers(int messages) { store_->setValue(kHistoryNewcomers, messages); }

chat::HistoryLimits Settings::historyLimits() const {
  chat::HistoryLimits limits;
  limits.keepDays = historyDays();
  limits.maxBytes = static_cast<std::uint64_t>(historyMiB()) << 20;
  return limits;
}

void Settings::applyHistory(chat::CoreOptions& options) const {
  options.keepHistory = keepsHistory();
  options.historyForNewcomers = static_cast<std::size_t>(historyForNewcomers());
}

QString Settings::downloadFolder() const {
  const QString folder = store_->value(kDownloadFolder).toString();
  return folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DownloadLocation) : folder;
}
void Settings::setDownloadFolder(const QString& folder) { store_->setValue(kDownloadFolder, folder); }

QByteArray Settings::windowGeometry() const { return store_->value(kGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) { store_->setValue(kGeometry, geometry); }

QByteArray Settings::splitterState() const { return store_->value(kSplitter).toByteArray(); }
void Settings::setSplitterState(const QByteArray& state) { store_->setValue(kSplitter, state); }

void Settings::sync() { store_->sync(); }

int Settings::awayAfterMinutes() const { return boundedInt(store_->value(kAwayMinutes, 10), kMaxAwayMinutes, 10); }
void Settings::setAwayAfterMinutes(int minutes) { store_->setValue(kAwayMinutes, minutes); }

QByteArray Settings::picture() const { return store_->value(kPicture).toByteArray(); }
void Settings::setPicture(const QByteArray& picture) {
  if (picture.isEmpty())
    store_->remove(kPicture);
  else
    store_->setValue(kPicture, picture);
}

bool Settings::asksBefore(Confirmation what) const { return store_->value(confirmationKey(what), true).toBool(); }
void Settings::setAsksBefore(Confirmation what, bool ask) { store_->setValue(confirmationKey(what), ask); }

}  // namespace chatport::ui
