#pragma once
// People's pictures (PictureEvent), decoded once and drawn round wherever their initials would
// be: beside their messages in the chat log and on their dot in the client list. A picture is
// decoded only if it says it is a PNG or JPEG of at most kMaxSide pixels a side; one that does
// not decode is ignored, and the person keeps their initials. UI thread only.

#include <chatport/chat/types.h>

#include <QByteArray>
#include <QHash>
#include <QIcon>
#include <QImage>
#include <QPixmap>

namespace chatport::ui {

class PictureBook {
 public:
  /// The largest side a received picture may have (a window sends kSide).
  static constexpr int kMaxSide = 512;
  /// The side of the picture this window sends: sharp at 200% in the log's and the list's sizes.
  static constexpr int kSide = 96;

  /// Takes id's picture, the bytes of a PictureEvent (empty: none). True if what is drawn for id
  /// changed.
  bool set(chat::ClientId id, const chat::Picture& bytes);
  /// Forgets every picture (a new session numbers people anew).
  void clear();
  bool has(chat::ClientId id) const { return images_.contains(id); }
  /// id's picture cut to a circle, side device-independent pixels across at dpr; null if none.
  QPixmap round(chat::ClientId id, int side, qreal dpr) const;
  /// id's picture as a round icon at the client list's sizes; null if none.
  QIcon icon(chat::ClientId id) const;

  /// bytes as a picture: a PNG or JPEG of at most kMaxSide a side; a null image if not.
  static QImage decode(const QByteArray& bytes);
  /// A picture's bytes as Qt holds them, and back.
  static QByteArray bytesOf(const chat::Picture& picture);
  static chat::Picture pictureOf(const QByteArray& bytes);
  /// A picture to send from image: its middle square at kSide pixels, as PNG, or as JPEG where
  /// the PNG is over chat::kMaxPictureBytes; empty if image is null.
  static chat::Picture encode(const QImage& image);

 private:
  QHash<chat::ClientId, QImage> images_;
  mutable QHash<quint64, QPixmap> round_;  // by id, side in device pixels and scale
  mutable QHash<chat::ClientId, QIcon> icons_;
};

}  // namespace chatport::ui
