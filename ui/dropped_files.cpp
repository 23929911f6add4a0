#include "dropped_files.h"

#include <QMimeData>
#include <QUrl>

namespace chatport::ui {

QStringList droppedFiles(const QMimeData* data) {
  QStringList paths;
  if (!data || !data->hasUrls()) return paths;
  for (const QUrl& url : data->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  return paths;
}

}  // namespace chatport::ui
