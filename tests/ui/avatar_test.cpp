// Avatar: the initials in a person's circle, whatever script or symbols their name is in, and
// the circle painted in the colour it is given.

#include "avatar.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using chatport::ui::Avatar;

class AvatarTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initials_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("initials");
    QTest::newRow("one word") << QStringLiteral("ann") << QStringLiteral("A");
    QTest::newRow("two words") << QStringLiteral("zoë li") << QStringLiteral("ZL");
    QTest::newRow("only two of three") << QStringLiteral("Ann Mary Smith") << QStringLiteral("AM");
    QTest::newRow("spaces around") << QStringLiteral("  bob \t  jones ") << QStringLiteral("BJ");
    QTest::newRow("accent as its own code point") << QStringLiteral("E\u0301mile") << QStringLiteral("E\u0301");
    QTest::newRow("Chinese") << QStringLiteral("李雷") << QStringLiteral("李");
    QTest::newRow("ideographic space") << QStringLiteral("李雷\u3000韩梅梅") << QStringLiteral("李韩");
    QTest::newRow("supplementary plane") << QStringLiteral("𠮷野家") << QStringLiteral("𠮷");
    QTest::newRow("emoji") << QStringLiteral("🐼") << QStringLiteral("🐼");
    QTest::newRow("emoji with a skin tone") << QStringLiteral("👍🏽 ok") << QStringLiteral("👍🏽O");
    QTest::newRow("flag") << QStringLiteral("🇨🇳") << QStringLiteral("🇨🇳");
    QTest::newRow("family (joined emoji)") << QStringLiteral("👨‍👩‍👧 home") << QStringLiteral("👨‍👩‍👧H");
    QTest::newRow("name and emoji") << QStringLiteral("小明 🐼") << QStringLiteral("小🐼");
    QTest::newRow("nothing") << QString() << QStringLiteral("?");
    QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("?");
  }

  void initials() {
    QFETCH(QString, name);
    QFETCH(QString, initials);
    QCOMPARE(Avatar::initials(name), initials);
  }

  void paintsACircleInTheGivenColour() {
    QImage image(40, 40, QImage::Format_ARGB32);
    image.fill(Qt::white);
    {
      QPainter painter(&image);
      Avatar::paint(&painter, QRect(0, 0, 40, 40), QColor(0x1565c0), QStringLiteral("AB"), QFont());
    }
    QCOMPARE(image.pixelColor(6, 20), QColor(0x1565c0));   // inside, left of the letters
    QCOMPARE(image.pixelColor(1, 1), QColor(Qt::white));   // a corner: outside the circle
  }
};

QTEST_MAIN(AvatarTest)
#include "avatar_test.moc"
