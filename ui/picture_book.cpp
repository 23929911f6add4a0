#include "picture_book.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <cstring>
#include <span>

namespace chatport::ui {
namespace {

QByteArray written(const QImage& image, const char* format, int quality) {
  QByteArray out;
  QBuffer buffer(&out);
  buffer.open(QIODevice::WriteOnly);
  QImageWriter writer(&buffer, format);
  writer.setQuality(quality);
  return writer.write(image) ? out : QByteArray();
}

}  // namespace

QByteArray PictureBook::bytesOf(const chat::Picture& picture) {
  return QByteArray(reinterpret_cast<const char*>(picture.data()), static_cast<qsizetype>(picture.size()));
}

chat::Picture PictureBook::pictureOf(const QByteArray& bytes) {
  chat::Picture out(static_cast<std::size_t>(bytes.size()));
  if (!out.empty()) std::memcpy(out.data(), bytes.constData(), out.size());
  return out;
}

QImage PictureBook::decode(const QByteArray& bytes) {
  if (bytes.isEmpty() ||
      !chat::isPicture(std::as_bytes(std::span(bytes.constData(), static_cast<std::size_t>(bytes.size())))))
    return {};
  QBuffer buffer;
  buffer.setData(bytes);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer);
  // Only the two formats a picture may be, and only within its size, before any pixel is made.
  if (reader.format() != "png" && reader.format() != "jpeg") return {};
  const QSize size = reader.size();
  if (!size.isValid() || size.width() > kMaxSide || size.height() > kMaxSide) return {};
  QImage image;
  if (!reader.read(&image)) return {};
  return image;
}

chat::Picture PictureBook::encode(const QImage& image) {
  if (image.isNull()) return {};
  const int side = std::min(image.width(), image.height());
  const QImage square = image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side)
                            .scaled(kSide, kSide, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                            .convertToFormat(QImage::Format_ARGB32);
  QByteArray bytes = written(square, "png", -1);
  // A photograph: JPEG, on white where it was transparent, as good as the limit allows.
  if (bytes.isEmpty() || static_cast<std::size_t>(bytes.size()) > chat::kMaxPictureBytes) {
    QImage opaque(square.size(), QImage::Format_RGB32);
    opaque.fill(Qt::white);
    QPainter(&opaque).drawImage(0, 0, square);
    for (int quality = 90; quality >= 30; quality -= 10) {
      bytes = written(opaque, "jpeg", quality);
      if (!bytes.isEmpty() && static_cast<std::size_t>(bytes.size()) <= chat::kMaxPictureBytes) break;
    }
  }
  return static_cast<std::size_t>(bytes.size()) <= chat::kMaxPictureBytes ? pictureOf(bytes) : chat::Picture();
}

bool PictureBook::set(chat::ClientId id, const chat::Picture& bytes) {
  QImage image = decode(bytesOf(bytes));
  const bool had = images_.contains(id);
  if (image.isNull() && !had) return false;
  // A drawn picture is replaced whenever a new one arrives (it is not compared pixel by pixel).
  round_.removeIf([id](const auto& entry) { return static_cast<chat::ClientId>(entry.key() >> 32) == id; });
  icons_.remove(id);
  if (image.isNull())
    images_.remove(id);
  else
    images_.insert(id, std::move(image));
  return true;
}

void PictureBook::clear() {
  images_.clear();
  round_.clear();
  icons_.clear();
}

QPixmap PictureBook::round(chat::ClientId id, int side, qreal dpr) const {
  auto image = images_.constFind(id);
  if (image == images_.constEnd() || side <= 0) return {};
  const int pixels = static_cast<int>(std::lround(side * dpr));
  // By size and scale both: 64 pixels are 64 across at 100% and 32 at 200%.
  const quint64 key = quint64{id} << 32 | static_cast<quint64>(pixels & 0xFFFF) << 16 |
                      static_cast<quint64>(std::lround(dpr * 100) & 0xFFFF);
  if (auto cached = round_.constFind(key); cached != round_.constEnd()) return *cached;
  QPixmap out(pixels, pixels);
  out.fill(Qt::transparent);
  {
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath circle;
    circle.addEllipse(QRectF(0, 0, pixels, pixels));
    painter.setClipPath(circle);
    const int cut = std::min(image->width(), image->height());
    painter.drawImage(QRect(0, 0, pixels, pixels), *image,
                      QRect((image->width() - cut) / 2, (image->height() - cut) / 2, cut, cut));
  }
  out.setDevicePixelRatio(dpr);
  round_.insert(key, out);
  return out;
}

QIcon PictureBook::icon(chat::ClientId id) const {
  if (!images_.contains(id)) return {};
  if (auto cached = icons_.constFind(id); cached != icons_.constEnd()) return *cached;
  QIcon icon;
  for (int size : {12, 16, 24, 32, 48, 64}) icon.addPixmap(round(id, size, 1.0));
  icons_.insert(id, icon);
  return icon;
}

}  // namespace chatport::ui
