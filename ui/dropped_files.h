#pragma once
// The local files and folders in data dragged or pasted (file manager URLs), as paths.

#include <QStringList>

class QMimeData;

namespace chatport::ui {

QStringList droppedFiles(const QMimeData* data);

}  // namespace chatport::ui
