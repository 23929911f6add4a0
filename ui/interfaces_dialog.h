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

  /// Whether an interface is one ChatPort uses when the choice is automatic.
  static bool usedAutomatically(const net::NetworkInterface& nic);
  /// The list entry for nic: its name, addresses, and whether it is used automatically.
  static QString describe(const net::NetworkInterface& nic);

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
