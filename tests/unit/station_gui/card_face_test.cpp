// The card faces by profile (station/gui/card_face.hpp), drawn offscreen: what each side carries, that
// text is wrapped or shrunk but never cut, and the pages as PNG and PDF in test-results/gui of the build
// tree (card-face-*.png, card-face-*.pdf) for people to look at.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFontMetricsF>

#include <fstream>
#include <iterator>
#include <memory>

#include "base/error.hpp"
#include "base/file.hpp"
#include "identity/card_qr.hpp"
#include "station/gui/card_face.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

using identity::CardSide;

constexpr const char* kLongResidence =
    "Số nhà 128/45/12 Đường Nguyễn Văn Cừ nối dài, Tổ dân phố số 7, Khu phố Bình Thuận 2, Phường Thuận Giao, "
    "Thành phố Thuận An, Tỉnh Bình Dương";

QString no_spaces(QString s) { return s.remove(' '); }

identity::EnrollmentRecord adult() {
    identity::EnrollmentRecord r;
    auto& p = r.person;
    p.personal_id = "001199034567";
    p.full_name = "NGUYỄN THỊ THU HÀ";
    p.date_of_birth = "21/08/1999";
    p.sex = "Nữ";
    p.nationality = "Việt Nam";
    p.ethnicity = "Kinh";
    p.religion = "Không";
    p.place_of_origin = "Xã Đông Hòa, Huyện Đông Anh, Thành phố Hà Nội";
    p.place_of_residence = kLongResidence;
    p.identifying_features = "Nốt ruồi C:1cm dưới trước cằm";
    p.date_of_issue = "10/03/2025";
    p.date_of_expiry = "21/08/2039";
    p.father_name = "NGUYỄN VĂN MINH";
    p.mother_name = "PHẠM THỊ LAN";
    p.old_id = "012345678";
    p.cancelled_ids = {"001099034567"};
    r.sex = 'F';
    r.date_of_birth = "1999-08-21";
    r.date_of_expiry = "2039-08-21";
    r.photo_jpeg = read_file(CCCD_TEST_DATA_DIR "/face.jpg");
    return r;
}

// Born 10/02/2023, issued 10/03/2025 (2 years old): the under-6 card, valid to the 14th birthday.
identity::EnrollmentRecord child() {
    identity::EnrollmentRecord r = adult();
    auto& p = r.person;
    p.personal_id = "001223012345";
    p.full_name = "NGUYỄN MINH AN";
    p.date_of_birth = "10/02/2023";
    p.sex = "Nam";
    p.place_of_residence = "Số 25 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Thành phố Hà Nội";
    p.identifying_features.clear();
    p.date_of_expiry = "10/02/2037";
    p.old_id.reset();
    p.cancelled_ids.clear();
    r.sex = 'M';
    r.date_of_birth = "2023-02-10";
    r.date_of_expiry = "2037-02-10";
    r.photo_jpeg.clear();
    r.representative = identity::Representative{"001199034567", "NGUYỄN THỊ THU HÀ", "Mẹ"};
    return r;
}

// Born 14/05/2003, issued 01/07/2021: the 2021 CCCD, valid to the 25th birthday.
identity::EnrollmentRecord cccd_2021() {
    identity::EnrollmentRecord r = adult();
    auto& p = r.person;
    p.personal_id = "079303012345";
    p.full_name = "TRẦN THỊ MỸ DUYÊN";
    p.date_of_birth = "14/05/2003";
    p.date_of_issue = "01/07/2021";
    p.date_of_expiry = "14/05/2028";
    p.cancelled_ids.clear();
    r.date_of_birth = "2003-05-14";
    r.date_of_expiry = "2028-05-14";
    return r;
}

QString results_dir() {
    const QString dir = CCCD_GUI_RESULTS_DIR;
    QDir().mkpath(dir);
    return dir;
}

DrawnFace drawn(const identity::EnrollmentRecord& record, CardSide side, const QString& png) {
    QImage image = card_face_image(record, side);
    EXPECT_TRUE(image.save(results_dir() + "/" + png + ".png")) << png.toStdString();
    QPainter painter(&image);
    return draw_card_face(painter, QRectF(image.rect()), record, side);
}

bool has(const DrawnFace& face, const QString& text) { return face.texts.contains(text); }

class CardFace : public ::testing::Test {
protected:
    void SetUp() override { gui_app(); }
};

TEST_F(CardFace, FitTextKeepsAShortTextOnOneLineAtItsSize) {
    QFont font("DejaVu Sans");
    font.setPixelSize(235);
    const FittedText fit = fit_text("Việt Nam", font, QSizeF(5700, 300), 140);
    EXPECT_EQ(fit.lines, QStringList{"Việt Nam"});
    EXPECT_EQ(fit.pixel_size, 235);
    EXPECT_TRUE(fit.legible);
}

// The residence line that ran off the card: wrapped and shrunk into the 2024 back's box (57 x 8.6 mm),
// legible, every word there in order, every line inside the box.
TEST_F(CardFace, FitTextWrapsAndShrinksLongVietnameseResidencesWithoutCuttingThem) {
    const QStringList residences{
        kLongResidence,
        "Thôn Khuổi Nọi, Xã Phúc Sen, Huyện Quảng Hòa, Tỉnh Cao Bằng (nơi cư trú hiện tại: Phòng 1204, Tòa nhà "
        "Chung cư Hoàng Anh Gia Lai, Số 357 Lê Văn Lương, Phường Tân Quy, Quận 7, Thành phố Hồ Chí Minh)",
        "Ấp Phước Hưng, Xã Phước Hậu, Huyện Cần Giuộc, Tỉnh Long An",
    };
    QFont font("DejaVu Sans");
    font.setPixelSize(235);
    font.setBold(true);
    const QSizeF box(5700, 860);
    for (const QString& residence : residences) {
        const FittedText fit = fit_text(residence, font, box, 140);
        EXPECT_TRUE(fit.legible) << residence.toStdString();
        EXPECT_GE(fit.pixel_size, 140);
        EXPECT_LE(fit.pixel_size, 235);
        EXPECT_EQ(fit.lines.join(' '), residence.simplified()) << "nothing cut, nothing reordered";
        QFont used = font;
        used.setPixelSize(fit.pixel_size);
        const QFontMetricsF metrics(used);
        for (const QString& line : fit.lines) EXPECT_LE(metrics.horizontalAdvance(line), box.width()) << line.toStdString();
        EXPECT_LE(metrics.height() + static_cast<double>(fit.lines.size() - 1) * metrics.lineSpacing(), box.height());
    }
    // The longest needs more than one line and a smaller size than the shortest.
    EXPECT_GT(fit_text(residences[1], font, box, 140).lines.size(), 1);
    EXPECT_LT(fit_text(residences[1], font, box, 140).pixel_size, fit_text(residences[2], font, box, 140).pixel_size);
}

TEST_F(CardFace, FitTextNeverCutsEvenWhenNothingLegibleFits) {
    QFont font("DejaVu Sans");
    font.setPixelSize(235);
    const QString huge = QString(kLongResidence).repeated(20);
    const FittedText fit = fit_text(huge, font, QSizeF(5700, 860), 140);
    EXPECT_FALSE(fit.legible);
    EXPECT_EQ(no_spaces(fit.lines.join(' ')), no_spaces(huge));
    // A word wider than the box is broken between characters, not cut.
    const QString word = "Phường" + QString("X").repeated(200);
    const FittedText broken = fit_text(word, font, QSizeF(2000, 5000), 140);
    EXPECT_GT(broken.lines.size(), 1);
    EXPECT_EQ(broken.lines.join(""), word);
}

TEST_F(CardFace, The2024FrontWithPhoto) {
    const DrawnFace front = drawn(adult(), CardSide::Front, "card-face-2024-front-with-photo");
    EXPECT_TRUE(has(front, "CĂN CƯỚC"));
    EXPECT_TRUE(has(front, "IDENTITY CARD"));
    EXPECT_FALSE(has(front, "CĂN CƯỚC CÔNG DÂN"));
    EXPECT_TRUE(has(front, "Số định danh cá nhân / Personal identification number"));
    EXPECT_TRUE(has(front, "Họ, chữ đệm và tên khai sinh / Full name"));
    EXPECT_TRUE(has(front, "NGUYỄN THỊ THU HÀ"));
    EXPECT_TRUE(has(front, "21/08/1999"));
    EXPECT_TRUE(front.photo);
    EXPECT_TRUE(front.qr_text.isEmpty()) << "the 2024 QR is on the back";
    EXPECT_TRUE(front.mrz.isEmpty());
    EXPECT_FALSE(has(front, "Quê quán")) << "no longer printed";
}

TEST_F(CardFace, The2024FrontWithoutPhotoUnder6) {
    identity::EnrollmentRecord record = child();
    const DrawnFace front = drawn(record, CardSide::Front, "card-face-2024-front-without-photo");
    EXPECT_TRUE(has(front, "CĂN CƯỚC"));
    EXPECT_TRUE(has(front, "NGUYỄN MINH AN"));
    EXPECT_FALSE(front.photo);
    // The layout has no photo, whatever the record carries.
    record.photo_jpeg = adult().photo_jpeg;
    QImage image = card_face_image(record, CardSide::Front);
    QPainter painter(&image);
    EXPECT_FALSE(draw_card_face(painter, QRectF(image.rect()), record, CardSide::Front).photo);
}

TEST_F(CardFace, The2024BackResidenceBirthRegistrationQrDatesAndMrz) {
    const identity::EnrollmentRecord record = adult();
    const DrawnFace back = drawn(record, CardSide::Back, "card-face-2024-back");
    EXPECT_TRUE(has(back, "Nơi cư trú / Place of residence"));
    EXPECT_TRUE(has(back, QString(kLongResidence))) << "the whole residence, wrapped";
    EXPECT_TRUE(has(back, "Nơi đăng ký khai sinh / Place of birth"));
    EXPECT_TRUE(has(back, QString::fromStdString(birth_registration_place(record.person))));
    EXPECT_TRUE(has(back, "Ngày, tháng, năm cấp / Date of issue"));
    EXPECT_TRUE(has(back, "10/03/2025"));
    EXPECT_TRUE(has(back, "Ngày, tháng, năm hết hạn / Date of expiry"));
    EXPECT_TRUE(has(back, "21/08/2039"));
    EXPECT_TRUE(has(back, "BỘ CÔNG AN"));
    EXPECT_FALSE(back.photo);
    const identity::CardQr qr = identity::parse_card_qr(back.qr_text.toStdString());
    EXPECT_EQ(qr.format, identity::QrFormat::CanCuoc2024);
    EXPECT_EQ(qr.old_id, "012345678");
    EXPECT_EQ(qr.cancelled_ids, std::vector<std::string>{"001099034567"});
    EXPECT_TRUE(qr.father_name.empty()) << "the parents only on the under-6 card (assumption A3)";
    ASSERT_EQ(back.mrz.size(), 90);
    EXPECT_TRUE(back.mrz.startsWith("IDVNM"));
}

TEST_F(CardFace, TheUnder6BackCarriesTheParentsInTheQr) {
    const DrawnFace back = drawn(child(), CardSide::Back, "card-face-2024-under-6-back");
    EXPECT_TRUE(has(back, "10/02/2037"));
    const identity::CardQr qr = identity::parse_card_qr(back.qr_text.toStdString());
    EXPECT_EQ(qr.father_name, "NGUYỄN VĂN MINH");
    EXPECT_EQ(qr.mother_name, "PHẠM THỊ LAN");
}

TEST_F(CardFace, The2021FaceAsBefore) {
    const DrawnFace front = drawn(cccd_2021(), CardSide::Front, "card-face-2021-front");
    EXPECT_TRUE(has(front, "CĂN CƯỚC CÔNG DÂN"));
    EXPECT_TRUE(has(front, "Số / No.: 079303012345"));
    EXPECT_TRUE(has(front, "Có giá trị đến: 14/05/2028"));
    EXPECT_TRUE(has(front, "Nơi thường trú: " + QString(kLongResidence))) << "the residence no longer runs off the card";
    EXPECT_TRUE(front.photo);
    // The QR on the front, as the profile says for the 2021 card; none on the back.
    EXPECT_EQ(identity::parse_card_qr(front.qr_text.toStdString()).format, identity::QrFormat::Cccd2021);
    const DrawnFace back = drawn(cccd_2021(), CardSide::Back, "card-face-2021-back");
    EXPECT_TRUE(back.qr_text.isEmpty());
    EXPECT_EQ(back.mrz.size(), 90);
}

TEST_F(CardFace, AnExpiryOtherThanTheValidityRulesIsRefused) {
    identity::EnrollmentRecord record = adult();
    record.date_of_expiry = "2044-08-21";
    EXPECT_THROW(card_face_image(record, CardSide::Back), InvalidArgument);
    EXPECT_THROW(write_card_face_pdf(record, results_dir() + "/refused.pdf"), InvalidArgument);
    EXPECT_FALSE(QFile::exists(results_dir() + "/refused.pdf"));
}

// Two pages (front, back) per PDF, for each profile.
TEST_F(CardFace, PdfPagesForEachProfile) {
    for (const auto& [record, name] : {std::pair{adult(), "card-face-2024"}, {child(), "card-face-2024-under-6"},
                                       {cccd_2021(), "card-face-2021"}}) {
        const QString path = results_dir() + "/" + name + ".pdf";
        write_card_face_pdf(record, path);
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        const QByteArray pdf = file.readAll();
        EXPECT_TRUE(pdf.startsWith("%PDF")) << name;
        EXPECT_EQ(pdf.count("/Type /Page\n") + pdf.count("/Type /Page\r") + pdf.count("/Type /Page "), 2) << name;
    }
}

}  // namespace
}  // namespace cccd::station
