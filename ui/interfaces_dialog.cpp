#include "interfaces_dialog.h"

#include "settings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chatport::ui {
namespace {

constexpr int kNameRole = Qt::UserRole;
constexpr int kAutomaticRole = Qt::UserRole + 1;

std::vector<net::NetworkInterface> systemInterfaces() {
  std::error_code ec;
  return net::listInterfaces(ec);
}

}  // namespace

InterfacesDialog::InterfacesDialog(Settings& settings, QWidget* parent)
    : InterfacesDialog(settings, systemInterfaces(), parent) {}

InterfacesDialog::InterfacesDialog(Settings& settings, std::vector<net::NetworkInterface> interfaces, QWidget* parent)
    : QDialog(parent), settings_(settings),
      automatic_(new QRadioButton(tr("&Automatic: every network this computer is on"), this)),
      chosen_(new QRadioButton(tr("&Only the interfaces ticked below"), this)), list_(new QListWidget(this)),
      problem_(new QLabel(this)) {
  setObjectName(QStringLiteral("interfacesDialog"));
  setWindowTitle(tr("Network interfaces"));
  auto* intro = new QLabel(tr("Rooms are announced and looked for on these network interfaces. Those marked "
                              "“automatic” are used unless you choose others."),
                           this);
  intro->setWordWrap(true);
  automatic_->setObjectName(QStringLiteral("automaticChoice"));
  chosen_->setObjectName(QStringLiteral("chosenChoice"));
  list_->setObjectName(QStringLiteral("interfaceList"));
  problem_->setObjectName(QStringLiteral("interfacesProblem"));
  problem_->setWordWrap(true);
  problem_->hide();

  const auto saved = settings_.discovery().interfaces;
  auto isSaved = [&](const std::string& name) { return std::find(saved.begin(), saved.end(), name) != saved.end(); };
  const std::vector<bool> automatic = usedAutomatically(interfaces);
  for (std::size_t i = 0; i < interfaces.size(); ++i) {
    const auto& nic = interfaces[i];
    auto* item = new QListWidgetItem(describe(nic, automatic[i]), list_);
    item->setData(kNameRole, QString::fromStdString(nic.name));
    item->setData(kAutomaticRole, bool(automatic[i]));
    item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
    item->setCheckState((saved.empty() ? automatic[i] : isSaved(nic.name)) ? Qt::Checked : Qt::Unchecked);
  }
  // A choice saved for an interface that is gone now (a VPN not connected) is kept.
  for (const auto& name : saved) {
    if (std::any_of(interfaces.begin(), interfaces.end(), [&](const auto& nic) { return nic.name == name; })) continue;
    auto* item = new QListWidgetItem(tr("%1 (not present now)").arg(QString::fromStdString(name)), list_);
    item->setData(kNameRole, QString::fromStdString(name));
    item->setData(kAutomaticRole, false);
    item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
    item->setCheckState(Qt::Checked);
  }
  (saved.empty() ? automatic_ : chosen_)->setChecked(true);
  list_->setMinimumHeight(list_->fontMetrics().height() * 7);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveButton"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(automatic_);
  layout->addWidget(chosen_);
  layout->addWidget(list_, 1);
  layout->addWidget(problem_);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &InterfacesDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &InterfacesDialog::reject);
  connect(automatic_, &QRadioButton::toggled, this, &InterfacesDialog::automaticToggled);
  automaticToggled();
  resize(sizeHint().expandedTo(QSize(440, 0)));
}

std::vector<bool> InterfacesDialog::usedAutomatically(const std::vector<net::NetworkInterface>& interfaces) {
  // As chooseDiscoveryInterfaces() does with no names given (discovery_sockets.cpp).
  auto usable = [](const net::NetworkInterface& nic) { return nic.up && (!nic.ipv4.empty() || !nic.ipv6.empty()); };
  std::vector<bool> used;
  for (const auto& nic : interfaces) used.push_back(usable(nic) && !nic.loopback && !nic.likelyVirtual);
  if (std::find(used.begin(), used.end(), true) == used.end())
    for (std::size_t i = 0; i < interfaces.size(); ++i) used[i] = interfaces[i].up && interfaces[i].loopback;
  return used;
}

QString InterfacesDialog::describe(const net::NetworkInterface& nic, bool automatic) {
  QStringList addresses;
  for (const auto& a : nic.ipv4) addresses << QString::fromStdString(a.address.addressString());
  for (const auto& a : nic.ipv6) addresses << QString::fromStdString(a.address.addressString());
  QString text = QString::fromStdString(nic.name);
  if (!addresses.isEmpty()) text += QStringLiteral(" — ") + addresses.join(QStringLiteral(", "));
  QStringList notes;
  if (automatic) notes << tr("automatic");
  if (!nic.up) notes << tr("down");
  if (nic.loopback) notes << tr("this computer only");
  if (nic.likelyVirtual) notes << tr("virtual");
  if (!notes.isEmpty()) text += QStringLiteral("  (") + notes.join(QStringLiteral(", ")) + u')';
  return text;
}

void InterfacesDialog::automaticToggled() {
  const bool automatic = automatic_->isChecked();
  list_->setEnabled(!automatic);
  if (automatic) {
    for (int i = 0; i < list_->count(); ++i) {
      QListWidgetItem* item = list_->item(i);
      item->setCheckState(item->data(kAutomaticRole).toBool() ? Qt::Checked : Qt::Unchecked);
    }
  }
  problem_->hide();
}

void InterfacesDialog::accept() {
  chat::DiscoveryOptions discovery = settings_.discovery();
  discovery.interfaces.clear();
  if (chosen_->isChecked()) {
    for (int i = 0; i < list_->count(); ++i)
      if (list_->item(i)->checkState() == Qt::Checked)
        discovery.interfaces.push_back(list_->item(i)->data(kNameRole).toString().toStdString());
    if (discovery.interfaces.empty()) {
      problem_->setText(tr("Tick at least one interface, or choose Automatic."));
      problem_->show();
      return;
    }
  }
  settings_.setDiscovery(discovery);
  settings_.sync();
  QDialog::accept();
}

}  // namespace chatport::ui
