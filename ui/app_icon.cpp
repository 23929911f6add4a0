#include "app_icon.h"

namespace chatport::ui {

QIcon AppIcon::icon() {
  QIcon icon;
  for (int size : {16, 24, 32, 48, 64, 128, 256})
    icon.addFile(QStringLiteral(":/icons/chatport-%1.png").arg(size), QSize(size, size));
  return icon;
}

}  // namespace chatport::ui
