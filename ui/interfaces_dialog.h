#pragma once
// Where rooms are announced and looked for: the machine's network interfaces, each with its
// addresses, to tick. "Automatic" (the default) leaves the choice to ChatPort: every interface
// that is up, not loopback and not a virtual machine's or a container's (DiscoveryOptions);
// those are marked in the list. Saved in the settings (discovery/interfaces) when accepted.
// UI thread only.

#include <chatport/net/network_interface.h>

#include <QDialog>

#include <vector>

class QLabel;
class QListWidget;
class QRadioButton;

namespace chatport::ui {

class Settings;

class InterfacesDialog : public QDialog {
  Q_OBJECT

 public:
  /// Lists interfaces (net::listInterfaces() unless given) and the choice saved in settings.
  explicit InterfacesDialog(Settings& settings, QWidget* parent = nullptr);
  InterfacesDialog(Settings& settings, std::vector<net::NetworkInterface> interfaces, QWidget* parent = nullptr);

  /// Which of interfaces ChatPort uses when the choice is automatic (as DiscoveryOptions with
  /// no interfaces chooses): those up, with an address, not loopback and not virtual; loopback
  /// where there is no such one.
  static std::vector<bool> usedAutomatically(const std::vector<net::NetworkInterface>& interfaces);
  /// The list entry for nic: its name, addresses, and what it is.
  static QString describe(const net::NetworkInterface& nic, bool automatic);

 public Q_SLOTS:
  void accept() override;

 private:
  void automaticToggled();

  Settings& settings_;
  QRadioButton* automatic_;
  QRadioButton* chosen_;
  QListWidget* list_;
  QLabel* problem_;
};

}  // namespace chatport::ui
