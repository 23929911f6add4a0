// Pictures as people meet them in the window: set one, and everyone sees it beside your name and
// your messages; newcomers too; remove it, and your initials are back.

#include "chat_log_view.h"
#include "chat_window.h"
#include "client_list_model.h"
#include "picture_book.h"
#include "settings.h"
#include "ui_test_support.h"

#include <QBuffer>
#include <QImageWriter>
#include <QRandomGenerator>
#include <QTemporaryDir>

using namespace chatport::test;
using chatport::ui::ChatWindow;
using chatport::ui::ClientListModel;
using chatport::ui::PictureBook;

namespace {

QImage filled(QSize size, QColor color) {
  QImage image(size, QImage::Format_ARGB32);
  image.fill(color);
  return image;
}

/// Whether most of image around point is close to color (antialiased edges aside).
bool looksLike(const QImage& image, QPoint point, QColor color) {
  const QColor c = image.pixelColor(point);
  return std::abs(c.red() - color.red()) < 40 && std::abs(c.green() - color.green()) < 40 &&
         std::abs(c.blue() - color.blue()) < 40;
}

/// What window's client list draws for id at 32 pixels: its picture, or its colour dot.
QImage listIcon(const ChatWindow& window, chatport::chat::ClientId id) {
  const ClientListModel* list = window.clientModel();
  for (int row = 0; row < list->rowCount(); ++row)
    if (list->index(row).data(ClientListModel::IdRole).toUInt() == id)
      return list->index(row).data(Qt::DecorationRole).value<QIcon>().pixmap(32, 32).toImage();
  return {};
}

QByteArray encoded(const QImage& image, const char* format) {
  QByteArray out;
  QBuffer buffer(&out);
  buffer.open(QIODevice::WriteOnly);
  QImageWriter(&buffer, format).write(image);
  return out;
}

}  // namespace

class PictureTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { quietOffscreenNoise(); }

  void aPictureIsDrawnInEveryonesListAndBesideTheirMessagesNewcomersToo() {
    QTemporaryDir dir;
    chatport::ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    auto ann = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*ann);
    ChatWindow bob(joinRequest(QStringLiteral("bob"), ann->port()), testCoreOptions(), &settings);
    bob.show();
    bob.start();
    WAIT_CONNECTED(bob);
    const auto bobId = bob.selfId();
    QTRY_COMPARE_WITH_TIMEOUT(ann->clientModel()->count(), 2, kWaitMs);
    const QColor red(220, 30, 30);
    QVERIFY(!looksLike(listIcon(*ann, bobId), {16, 16}, red));

    // A wide photo: its middle square is what everyone sees.
    QImage photo = filled({600, 300}, Qt::blue);
    for (int y = 0; y < 300; ++y)
      for (int x = 150; x < 450; ++x) photo.setPixelColor(x, y, red);
    QVERIFY(bob.setPicture(photo));
    QTRY_VERIFY_WITH_TIMEOUT(ann->pictures().has(bobId), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(bob.pictures().has(bobId), kWaitMs);  // its own, as the room has it
    QVERIFY(looksLike(listIcon(*ann, bobId), {16, 16}, red));
    QVERIFY2(looksLike(listIcon(*ann, bobId), {4, 16}, red), "the middle square, not the blue sides");
    QVERIFY(!settings.picture().isEmpty());

    // Beside bob's message in ann's log, where his initials would be.
    typeAndSend(bob, QStringLiteral("hello from bob"));
    QTRY_VERIFY_WITH_TIMEOUT(findText(*ann, QStringLiteral("hello from bob")) >= 0, kWaitMs);
    const int row = findText(*ann, QStringLiteral("hello from bob"));
    chatport::ui::ChatLogView* view = ann->logView();
    view->scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT(!view->rowParts(row).avatar.isNull(), kWaitMs);
    const QRect avatar = view->rowParts(row).avatar;
    const QImage log = view->viewport()->grab().toImage().scaled(view->viewport()->size());
    QVERIFY2(looksLike(log, avatar.center(), red), "bob's picture, not his initials");

    // A newcomer gets it with the room.
    auto cat = startWindow(joinRequest(QStringLiteral("cat"), ann->port()));
    WAIT_CONNECTED(*cat);
    QTRY_VERIFY_WITH_TIMEOUT(cat->pictures().has(bobId), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(looksLike(listIcon(*cat, bobId), {16, 16}, red), kWaitMs);

    // Removed: the dot and the initials are back, for everyone.
    auto* remove = bob.findChild<QAction*>(QStringLiteral("removePictureAction"));
    QVERIFY(remove && remove->isEnabled());
    remove->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ann->pictures().has(bobId), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!cat->pictures().has(bobId), kWaitMs);
    QVERIFY(!looksLike(listIcon(*ann, bobId), {16, 16}, red));
    QVERIFY(settings.picture().isEmpty());
    QVERIFY(!remove->isEnabled());
  }

  void aPictureIsKeptForTheNextRun() {
    QTemporaryDir dir;
    auto ann = startWindow(hostRequest(QStringLiteral("ann")));
    WAIT_CONNECTED(*ann);
    const QColor green(20, 200, 60);
    {
      chatport::ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
      ChatWindow bob(joinRequest(QStringLiteral("bob"), ann->port()), testCoreOptions(), &settings);
      QVERIFY(bob.setPicture(filled({64, 64}, green)));  // before it joins
    }
    // ChatPort started again: the picture goes with the new session.
    chatport::ui::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    ChatWindow bob(joinRequest(QStringLiteral("bob"), ann->port()), testCoreOptions(), &settings);
    bob.show();
    bob.start();
    WAIT_CONNECTED(bob);
    QTRY_VERIFY_WITH_TIMEOUT(ann->pictures().has(bob.selfId()), kWaitMs);
    QVERIFY(looksLike(listIcon(*ann, bob.selfId()), {16, 16}, green));
  }

  void onlyASmallPngOrJpegIsDecoded() {
    const QImage small = filled({96, 96}, Qt::red);
    QVERIFY(!PictureBook::decode(encoded(small, "png")).isNull());
    QVERIFY(!PictureBook::decode(encoded(small, "jpeg")).isNull());
    // Within the bytes allowed, but far larger once decoded: refused before any pixel is made.
    const QByteArray wide = encoded(filled({PictureBook::kMaxSide + 1, 8}, Qt::red), "png");
    QVERIFY(static_cast<std::size_t>(wide.size()) <= chatport::chat::kMaxPictureBytes);
    QVERIFY(PictureBook::decode(wide).isNull());
    QVERIFY(PictureBook::decode(encoded(small, "bmp")).isNull());
    QByteArray cut = encoded(small, "png");
    cut.truncate(30);  // the signature and the header, then nothing
    QVERIFY(PictureBook::decode(cut).isNull());
    QVERIFY(PictureBook::decode({}).isNull());
  }

  void aPictureIsDrawnAtTheSizeAskedForAtEveryScale() {
    PictureBook book;
    const chatport::chat::Picture picture = PictureBook::encode(filled({200, 200}, Qt::red));
    QVERIFY(book.set(7, picture));
    QVERIFY(!book.set(8, {}));  // nothing there, nothing changed
    // The list's icon (64 pixels at 100%) and the log's avatar at 200% (32 across, 64 pixels)
    // are not the same pixmap.
    QVERIFY(!book.icon(7).isNull());
    for (qreal dpr : {1.0, 2.0, 1.5}) {
      const QPixmap round = book.round(7, 32, dpr);
      QCOMPARE(round.deviceIndependentSize(), QSizeF(32, 32));
      QCOMPARE(round.devicePixelRatio(), dpr);
    }
    QVERIFY(book.set(7, {}));
    QVERIFY(book.round(7, 32, 1.0).isNull());
  }

  void anyImageIsMadeSmallEnoughToSend() {
    // Noise does not compress: the PNG is too large, a JPEG is not.
    QImage noise(1200, 900, QImage::Format_RGB32);
    auto* random = QRandomGenerator::global();
    for (int y = 0; y < noise.height(); ++y)
      for (int x = 0; x < noise.width(); ++x) noise.setPixel(x, y, random->generate() | 0xFF000000u);
    const chatport::chat::Picture picture = PictureBook::encode(noise);
    QVERIFY(!picture.empty());
    QVERIFY(picture.size() <= chatport::chat::kMaxPictureBytes);
    const QImage back = PictureBook::decode(PictureBook::bytesOf(picture));
    QCOMPARE(back.size(), QSize(PictureBook::kSide, PictureBook::kSide));
    QVERIFY(PictureBook::encode({}).empty());
  }
};

QTEST_MAIN(PictureTest)
#include "picture_test.moc"
