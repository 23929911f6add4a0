#pragma once
// ChatPort's icon at every size it ships (PNGs rendered from resources/icons/chatport.svg, so
// no SVG plugin is needed at run time). UI thread only.

#include <QIcon>

namespace chatport::ui {

class AppIcon {
 public:
  static QIcon icon();
};

}  // namespace chatport::ui
