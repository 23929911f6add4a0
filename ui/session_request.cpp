#include "session_request.h"

namespace chatport::ui {

chat::Command SessionRequest::toCommand() const {
  if (role == chat::Role::Host) {
    chat::HostCommand host;
    host.name = name.toStdString();
    if (!address.isEmpty()) host.bindAddress = address.toStdString();
    host.port = port;
    // The default port taken (another room on this computer): the room is announced, so it
    // is found wherever it listens. A port the user chose is a must.
    host.anyPortIfTaken = port == chat::kDefaultPort;
    host.password = password.toStdString();
    host.discovery = discovery;
    return host;
  }
  return chat::JoinCommand{name.toStdString(), address.toStdString(), port, password.toStdString(), acceptNewHostKey,
                           expectedHostKey};
}

}  // namespace chatport::ui
