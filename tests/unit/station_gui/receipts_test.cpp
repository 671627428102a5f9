// The enrollment's papers (station/gui/receipts.hpp): the information receipt CC01 and the appointment
// slip CC02, drawn offscreen: what is missing before anything prints, that every field of the record is on
// the receipt and nothing is cut or runs off the page, the PDFs' and the printer's page sizes, and that the
// forms stay Vietnamese under the English translation. The pages go to test-results/gui of the build tree
// (receipt-*.png, receipt-*.pdf) for people to look at.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QPrinter>
#include <QRegularExpression>
#include <QTranslator>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "base/file.hpp"
#include "identity/card_profile.hpp"
#include "identity/record_json.hpp"
#include "station/gui/card_face.hpp"
#include "station/gui/receipts.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

constexpr const char* kLongResidence =
    "Số nhà 128/45/12 Đường Nguyễn Văn Cừ nối dài, Tổ dân phố số 7, Khu phố Bình Thuận 2, Phường Thuận Giao, "
    "Thành phố Thuận An, Tỉnh Bình Dương";

QString q(const std::string& s) { return QString::fromStdString(s); }

identity::EnrollmentRecord record_from(const char* file) {
    const Bytes json = read_file(std::string(CCCD_TEST_DATA_DIR) + "/" + file);
    return identity::parse_enrollment_record(std::string(json.begin(), json.end()));
}

// An adult renewing, with every optional field the register keeps.
identity::EnrollmentRecord adult() {
    identity::EnrollmentRecord r = record_from("record_example.json");
    r.person.place_of_residence = kLongResidence;
    r.person.spouse_name = "LÊ VĂN HÙNG";
    r.person.old_id = "012345678";
    r.person.cancelled_ids = {"001099034567"};
    r.photo_jpeg = read_file(CCCD_TEST_DATA_DIR "/face.jpg");
    return r;
}

// A child under 6 whose mother applies and signs.
identity::EnrollmentRecord child() { return record_from("record_child.json"); }

ReceiptContext context() {
    ReceiptContext c;
    c.receipt_code = "CC-2025-001-000123";
    c.superior_office = "CÔNG AN THÀNH PHỐ HÀ NỘI";
    c.office = "Công an phường Hoàn Kiếm";
    c.locality = "Hà Nội";
    c.officer_name = "Đỗ Văn Thành";
    c.officer_id = "officer1";
    c.procedure = ReceiptProcedure::Renewal;
    c.received_on = QDate(2025, 3, 10);
    c.return_on = QDate(2025, 3, 19);
    c.card_return = CardReturn::InPerson;
    c.return_place = "Bộ phận một cửa, Công an phường Hoàn Kiếm, số 2 Hàng Bài, Hà Nội";
    return c;
}

QString results_dir() {
    const QString dir = CCCD_GUI_RESULTS_DIR;
    QDir().mkpath(dir);
    return dir;
}

enum class Page { Cc01, Cc02 };

// The page drawn as a PNG saved under `png`, and what the drawing recorded.
DrawnReceipt drawn(Page page, const identity::EnrollmentRecord& record, const ReceiptContext& c, const QString& png) {
    QImage image = page == Page::Cc01 ? receipt_cc01_image(record, c) : appointment_cc02_image(record, c);
    EXPECT_TRUE(image.save(results_dir() + "/" + png + ".png")) << png.toStdString();
    QPainter painter(&image);
    return page == Page::Cc01 ? render_receipt_cc01(painter, QRectF(image.rect()), record, c)
                              : render_appointment_cc02(painter, QRectF(image.rect()), record, c);
}

bool has(const DrawnReceipt& d, const QString& text) { return d.texts.contains(text); }

// Some drawn text contains `part` (a value wrapped over lines is drawn joined by spaces).
bool mentions(const DrawnReceipt& d, const QString& part) {
    return std::any_of(d.texts.begin(), d.texts.end(), [&](const QString& t) { return t.contains(part); });
}

// The PDF's pages' sizes in points, from their MediaBox entries.
std::vector<std::pair<double, double>> page_sizes(const QString& path) {
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    const QByteArray pdf = file.readAll();
    EXPECT_TRUE(pdf.startsWith("%PDF")) << path.toStdString();
    std::vector<std::pair<double, double>> sizes;
    static const QRegularExpression media(R"(/MediaBox \[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\])");
    for (auto it = media.globalMatch(QString::fromLatin1(pdf)); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        sizes.emplace_back(m.captured(1).toDouble(), m.captured(2).toDouble());
    }
    return sizes;
}

bool is_size(const std::pair<double, double>& points, double width_mm, double height_mm) {
    const auto near = [](double pts, double millimetres) { return std::abs(pts - millimetres * 72.0 / 25.4) < 1.0; };
    return near(points.first, width_mm) && near(points.second, height_mm);
}

class Receipts : public ::testing::Test {
protected:
    void SetUp() override { gui_app(); }
};

TEST_F(Receipts, AContextSaysWhatItLacks) {
    EXPECT_TRUE(receipt_gaps(context()).empty());
    const std::vector<ReceiptGap> all = receipt_gaps(ReceiptContext{});
    EXPECT_EQ(all, (std::vector<ReceiptGap>{ReceiptGap::NoReceiptCode, ReceiptGap::NoOffice, ReceiptGap::NoLocality,
                                            ReceiptGap::NoOfficer, ReceiptGap::NoReceivedDate, ReceiptGap::NoReturnDate,
                                            ReceiptGap::NoReturnPlace}));
    ReceiptContext c = context();
    c.card_return = CardReturn::ByPost;
    EXPECT_EQ(receipt_gaps(c), std::vector<ReceiptGap>{ReceiptGap::NoPostalAddress}) << "by post needs an address, not a place";
    c.postal_address = "Số 7 Ngõ 12 Phố Huế, Hà Nội";
    c.return_on = QDate(2025, 3, 9);
    c.office = "   ";
    EXPECT_EQ(receipt_gaps(c), (std::vector<ReceiptGap>{ReceiptGap::NoOffice, ReceiptGap::ReturnBeforeReceived}));
    QStringList said;
    for (const ReceiptGap gap : all) said << receipt_gap_words(gap);
    said << receipt_gap_words(ReceiptGap::NoPostalAddress) << receipt_gap_words(ReceiptGap::ReturnBeforeReceived);
    said.removeDuplicates();
    EXPECT_EQ(said.size(), 9) << "each gap its own words";
    EXPECT_FALSE(said.contains(QString()));
}

TEST_F(Receipts, NothingIsDrawnOrWrittenForAnIncompleteContext) {
    ReceiptContext c = context();
    c.officer_name.clear();
    EXPECT_THROW(receipt_cc01_image(adult(), c), InvalidArgument);
    EXPECT_THROW(appointment_cc02_image(adult(), c), InvalidArgument);
    const QString path = results_dir() + "/receipt-refused.pdf";
    QFile::remove(path);
    EXPECT_THROW(write_receipt_cc01_pdf(adult(), c, path), InvalidArgument);
    EXPECT_THROW(write_appointment_cc02_pdf(adult(), c, path), InvalidArgument);
    EXPECT_FALSE(QFile::exists(path));
}

// Every field of the record, as the card will carry it, for the citizen to check; dates dd/mm/yyyy.
TEST_F(Receipts, TheReceiptCarriesEveryFieldOfTheRecord) {
    const identity::EnrollmentRecord record = adult();
    const ReceiptContext c = context();
    const DrawnReceipt d = drawn(Page::Cc01, record, c, "receipt-cc01");
    const identity::Person& p = record.person;
    EXPECT_TRUE(has(d, "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC"));
    EXPECT_TRUE(mentions(d, "Mẫu CC01"));
    for (const std::string& value :
         {p.full_name, p.personal_id, p.date_of_birth, p.sex, p.nationality, p.ethnicity, p.religion, p.place_of_origin,
          p.place_of_residence, p.identifying_features, p.father_name, p.mother_name, *p.spouse_name, *p.old_id,
          p.cancelled_ids.front(), p.date_of_expiry, birth_registration_place(p)})
        EXPECT_TRUE(has(d, q(value))) << value << " (whole, in one box)";
    EXPECT_EQ(p.date_of_birth, "21/08/1999");
    EXPECT_TRUE(has(d, q(std::string(identity::profile_of(record).name_vi))));
    EXPECT_TRUE(has(d, q(c.receipt_code)));
    EXPECT_TRUE(has(d, "10/03/2025")) << "the day received";
    EXPECT_TRUE(has(d, "19/03/2025")) << "the appointment";
    EXPECT_TRUE(has(d, "Nhận trực tiếp tại: " + q(c.return_place)));
    EXPECT_TRUE(has(d, "Hà Nội, ngày 10 tháng 3 năm 2025"));
    EXPECT_TRUE(has(d, "CÁN BỘ THU NHẬN"));
    EXPECT_TRUE(has(d, q(c.officer_name)));
    EXPECT_TRUE(has(d, "NGƯỜI ĐỀ NGHỊ CẤP THẺ"));
    EXPECT_FALSE(has(d, "NGƯỜI ĐẠI DIỆN HỢP PHÁP")) << "an adult signs for themselves";
    EXPECT_TRUE(d.photo);
    EXPECT_EQ(d.qr_text, q(c.receipt_code));
    EXPECT_TRUE(d.legible);
    EXPECT_LE(d.bottom_mm, kReceiptCc01HeightMm - 10) << "everything on the page, above the bottom margin";
}

// The child's receipt: no photo under 6 (said in the frame), the representative's section, and the
// representative signs.
TEST_F(Receipts, AChildsReceiptIsSignedByTheRepresentative) {
    const identity::EnrollmentRecord record = child();
    ASSERT_TRUE(record.representative);
    const DrawnReceipt d = drawn(Page::Cc01, record, context(), "receipt-cc01-child-with-representative");
    EXPECT_TRUE(has(d, "II. NGƯỜI ĐẠI DIỆN HỢP PHÁP"));
    EXPECT_TRUE(has(d, "III. THẺ ĐỀ NGHỊ CẤP VÀ NƠI TRẢ THẺ"));
    EXPECT_TRUE(has(d, "079185004321"));
    EXPECT_TRUE(has(d, "Mẹ"));
    EXPECT_TRUE(has(d, "NGƯỜI ĐẠI DIỆN HỢP PHÁP"));
    EXPECT_FALSE(has(d, "NGƯỜI ĐỀ NGHỊ CẤP THẺ"));
    EXPECT_EQ(d.texts.count("NGUYỄN THỊ LAN"), 3) << "the mother's name, the representative, the signature";
    EXPECT_FALSE(d.photo);
    EXPECT_TRUE(has(d, "Không thu nhận ảnh (dưới 6 tuổi)"));
    EXPECT_TRUE(d.legible);
    EXPECT_LE(d.bottom_mm, kReceiptCc01HeightMm - 10);
}

// The longest values the register may hold still fit the page, whole and legible.
TEST_F(Receipts, LongValuesWrapWithoutBeingCutOrRunningOffThePage) {
    identity::EnrollmentRecord record = child();
    const QString residence = QString(kLongResidence) + " (nơi ở hiện tại: Phòng 1204, Tòa nhà Chung cư Hoàng Anh Gia Lai, "
                                                        "Số 357 Lê Văn Lương, Phường Tân Quy, Quận 7, Thành phố Hồ Chí Minh)";
    record.person.place_of_residence = residence.toStdString();
    record.person.place_of_origin = "Thôn Khuổi Nọi, Xã Phúc Sen, Huyện Quảng Hòa, Tỉnh Cao Bằng, và một đoạn dài thêm để thử";
    record.person.full_name = "CÔNG TÔN NỮ THỊ HOÀNG PHƯƠNG THẢO NGUYÊN";
    record.person.identifying_features = "Sẹo chấm C:1,5cm trên sau đuôi mắt trái; nốt ruồi C:2cm dưới trước cánh mũi phải";
    record.person.spouse_name = "LÊ VĂN HÙNG";
    ReceiptContext c = context();
    c.card_return = CardReturn::ByPost;
    c.postal_address = residence.toStdString();
    for (const Page page : {Page::Cc01, Page::Cc02}) {
        const DrawnReceipt d = drawn(page, record, c, page == Page::Cc01 ? "receipt-cc01-long-values" : "receipt-cc02-long-values");
        EXPECT_TRUE(has(d, residence)) << "the whole residence, wrapped";
        EXPECT_TRUE(has(d, q(record.person.full_name)));
        EXPECT_TRUE(has(d, "Qua dịch vụ bưu chính, đến địa chỉ: " + residence));
        EXPECT_TRUE(d.legible);
        EXPECT_LE(d.bottom_mm, (page == Page::Cc01 ? kReceiptCc01HeightMm : kAppointmentCc02HeightMm) - 8);
    }
}

TEST_F(Receipts, TheAppointmentSlip) {
    const identity::EnrollmentRecord record = adult();
    const ReceiptContext c = context();
    const DrawnReceipt d = drawn(Page::Cc02, record, c, "receipt-cc02");
    EXPECT_TRUE(has(d, "GIẤY HẸN TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC"));
    EXPECT_TRUE(mentions(d, "Mẫu CC02"));
    EXPECT_TRUE(has(d, q(record.person.full_name)));
    EXPECT_TRUE(has(d, q(record.person.personal_id)));
    EXPECT_TRUE(has(d, "21/08/1999"));
    EXPECT_TRUE(has(d, "Cấp đổi thẻ căn cước"));
    EXPECT_TRUE(has(d, "10/03/2025"));
    EXPECT_TRUE(has(d, "19/03/2025"));
    EXPECT_TRUE(has(d, "Nhận trực tiếp tại: " + q(c.return_place)));
    EXPECT_TRUE(has(d, "Khi đến nhận thẻ, mang theo giấy hẹn này."));
    EXPECT_TRUE(has(d, "CÁN BỘ TIẾP NHẬN"));
    EXPECT_TRUE(has(d, q(c.officer_name)));
    EXPECT_EQ(d.qr_text, q(c.receipt_code));
    EXPECT_FALSE(d.photo);
    EXPECT_TRUE(d.legible);
    EXPECT_LE(d.bottom_mm, kAppointmentCc02HeightMm - 8);

    // By post: the address, and no note to bring the slip; the child's slip names the representative.
    ReceiptContext post = c;
    post.card_return = CardReturn::ByPost;
    post.postal_address = "Số 7 Ngõ 12 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội";
    post.procedure = ReceiptProcedure::Issue;
    const DrawnReceipt by_post = drawn(Page::Cc02, child(), post, "receipt-cc02-child-by-post");
    EXPECT_TRUE(has(by_post, "Qua dịch vụ bưu chính, đến địa chỉ: " + q(post.postal_address)));
    EXPECT_FALSE(has(by_post, "Khi đến nhận thẻ, mang theo giấy hẹn này."));
    EXPECT_TRUE(has(by_post, "Cấp thẻ căn cước"));
    EXPECT_TRUE(has(by_post, "NGUYỄN THỊ LAN (Mẹ), số định danh 079185004321"));
}

// The date of signing as administrative papers write it: a zero before days below 10 and months 1 and 2.
TEST_F(Receipts, TheDateOfSigning) {
    ReceiptContext c = context();
    c.received_on = QDate(2026, 2, 5);
    c.return_on = QDate(2026, 2, 12);
    EXPECT_TRUE(has(drawn(Page::Cc02, adult(), c, "receipt-cc02-february"), "Hà Nội, ngày 05 tháng 02 năm 2026"));
    c.received_on = QDate(2026, 11, 23);
    c.return_on = QDate(2026, 12, 2);
    QImage image = appointment_cc02_image(adult(), c);
    QPainter painter(&image);
    EXPECT_TRUE(has(render_appointment_cc02(painter, QRectF(image.rect()), adult(), c), "Hà Nội, ngày 23 tháng 11 năm 2026"));
}

TEST_F(Receipts, PdfsOfTheirPaperSize) {
    const QString cc01 = results_dir() + "/receipt-cc01.pdf", cc02 = results_dir() + "/receipt-cc02.pdf";
    write_receipt_cc01_pdf(adult(), context(), cc01);
    write_appointment_cc02_pdf(adult(), context(), cc02);
    EXPECT_GT(QFileInfo(cc01).size(), 10000) << "the text, the photo and the QR";
    const auto a4 = page_sizes(cc01), a5 = page_sizes(cc02);
    ASSERT_EQ(a4.size(), 1u);
    ASSERT_EQ(a5.size(), 1u);
    EXPECT_TRUE(is_size(a4[0], 210, 297)) << a4[0].first << " x " << a4[0].second;
    EXPECT_TRUE(is_size(a5[0], 148, 210)) << a5[0].first << " x " << a5[0].second;
}

// What the print dialog's printer gets: CC01 on A4, then CC02 on A5 (a PDF printer stands in for paper).
TEST_F(Receipts, ThePrinterGetsBothFormsEachOnItsPaper) {
    const QString path = results_dir() + "/receipt-printed.pdf";
    QFile::remove(path);
    {
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(path);
        print_receipts_on(printer, child(), context());
    }
    const auto sizes = page_sizes(path);
    ASSERT_EQ(sizes.size(), 2u);
    EXPECT_TRUE(is_size(sizes[0], 210, 297)) << sizes[0].first << " x " << sizes[0].second;
    EXPECT_TRUE(is_size(sizes[1], 148, 210)) << sizes[1].first << " x " << sizes[1].second;
}

// The forms are legal documents: Vietnamese under --lang en; the officer's words about them follow the
// window's language.
TEST_F(Receipts, TheFormsStayVietnameseUnderTheEnglishTranslation) {
    QTranslator english;
    ASSERT_TRUE(english.load(":/i18n/cccd_station_en.qm"));
    ASSERT_TRUE(QCoreApplication::installTranslator(&english));
    const QString gap = receipt_gap_words(ReceiptGap::NoReturnDate);
    QImage image = receipt_cc01_image(adult(), context(), 2.0);
    QPainter painter(&image);
    const DrawnReceipt d = render_receipt_cc01(painter, QRectF(image.rect()), adult(), context());
    painter.end();
    QCoreApplication::removeTranslator(&english);
    EXPECT_TRUE(has(d, "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC"));
    EXPECT_TRUE(has(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    EXPECT_FALSE(mentions(d, "RECEIPT")) << "nothing of the English translation on the form";
    EXPECT_EQ(gap.toStdString(), "The appointment date is missing") << "the officer's words follow the window";
    EXPECT_EQ(receipt_gap_words(ReceiptGap::NoReturnDate).toStdString(), "Thiếu ngày hẹn trả kết quả");
}

}  // namespace
}  // namespace cccd::station
