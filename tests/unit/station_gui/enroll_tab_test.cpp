// The guided enrollment (station/gui/enroll_tab.hpp), driven offscreen with real key and mouse events:
// the register's record taken from a lookup, checked, the photo from the desk camera's folder checked as
// it comes, the review, the receipt signed, submitted. The form follows the card profile the date of
// birth gives: a child under 6 has no photo step and needs a legal representative (the form refuses
// without one, in identity's words); from 6 the photo step is back; the expiry is the validity rule's,
// read-only, dd/mm/yyyy, with the rule. Screenshots in test-results/gui of the build tree (enroll-*.png).
#include <gtest/gtest.h>

#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QDate>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest/QTest>

#include "identity/record_json.hpp"
#include "identity/validity.hpp"
#include "station/gui/enroll_tab.hpp"
#include "station/gui/widgets.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

class EnrollForm : public ::testing::Test {
protected:
    void SetUp() override {
        gui_app();
        ASSERT_TRUE(inbox_.isValid());
        StationConfig config;
        config.photo_inbox = inbox_.path().toStdString();
        config.receipts_dir = (inbox_.path() + "/receipts").toStdString();
        config.office = "Công an phường Hoàn Kiếm";
        config.locality = "Hà Nội";
        config.return_place = "Bộ phận một cửa, Công an phường Hoàn Kiếm";
        worker_ = std::make_unique<StationWorker>(config);
        tab_ = std::make_unique<EnrollTab>(worker_.get(), config);
        tab_->resize(1100, 820);
        tab_->show();
        QApplication::processEvents();
    }

    // As the worker answers a lookup: the register's record, taken with "Dùng hồ sơ đã chọn".
    void take_from_register(const identity::EnrollmentRecord& record) {
        FoundCitizen citizen{QString::fromStdString(record.person.personal_id), QString::fromStdString(record.person.full_name),
                             QString::fromStdString(record.date_of_birth), "còn hiệu lực", record};
        Q_EMIT worker_->found({citizen}, "Tìm thấy 1 công dân");
        QApplication::processEvents();
        click("use_result");
    }
    // The desk camera saved `file` as its newest picture; the officer takes it with one click.
    void camera_saved(const QString& file) {
        ASSERT_TRUE(QFile::copy(file, inbox_.filePath("IMG_0001" + QFileInfo(file).suffix().prepend('.'))));
        click("newest_photo");
    }
    int step() { return widget<QStackedWidget>("enroll_steps")->currentIndex(); }

    template <typename W = QWidget>
    W* widget(const char* name) {
        W* w = tab_->findChild<W*>(name);
        EXPECT_NE(w, nullptr) << name;
        return w;
    }
    void type(const char* name, const QString& text) {
        auto* edit = widget<QLineEdit>(name);
        edit->clear();
        edit->setFocus(Qt::OtherFocusReason);
        // Key events with their text, as --ui-script sends them (QTest::keyClicks takes ASCII only).
        for (const QChar c : text) {
            QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
            QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
            QApplication::sendEvent(edit, &press);
            QApplication::sendEvent(edit, &release);
        }
    }
    void click(const char* name) {
        QTest::mouseClick(widget<QPushButton>(name), Qt::LeftButton);
        QApplication::processEvents();
    }
    void screenshot(const QString& name) {
        const QString dir = CCCD_GUI_RESULTS_DIR;
        QDir().mkpath(dir);
        EXPECT_TRUE(tab_->grab().save(dir + "/" + name + ".png")) << name.toStdString();
    }
    bool visible(const char* name) { return widget(name)->isVisible(); }
    QString status() { return widget<QLabel>("enroll_status")->text(); }

    // The register's example citizen taken, then corrected at the check step to a person born `years_ago`
    // today (dd/mm/yyyy), with an ID number that agrees with the birth year.
    void person(int years_ago, const QString& sex_letter) {
        take_from_register(identity::parse_enrollment_record(read_text(QString(CCCD_TEST_DATA_DIR) + "/record_example.json")));
        EXPECT_EQ(step(), EnrollTab::kCheckStep);
        const QDate born = QDate::currentDate().addYears(-years_ago).addDays(-10);
        const int century = born.year() >= 2000 ? (sex_letter == "M" ? 2 : 3) : (sex_letter == "M" ? 0 : 1);
        type("personal_id", "001" + QString::number(century) + QString::number(born.year() % 100).rightJustified(2, '0') + "012345");
        type("full_name", "NGUYỄN MINH AN");
        widget<QComboBox>("sex")->setCurrentIndex(widget<QComboBox>("sex")->findData(sex_letter));
        type("date_of_birth", born.toString("dd/MM/yyyy"));
        type("ethnicity", "Kinh");
        type("place_of_origin", "Xã Đông Hòa, Huyện Đông Anh, Thành phố Hà Nội");
        type("place_of_residence", "Số 25 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Thành phố Hà Nội");
        type("father_name", "NGUYỄN VĂN MINH");
        type("mother_name", "PHẠM THỊ LAN");
        born_ = born;
    }

    static std::string read_text(const QString& path) {
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
        return file.readAll().toStdString();
    }

    QTemporaryDir inbox_;
    std::unique_ptr<StationWorker> worker_;
    std::unique_ptr<EnrollTab> tab_;
    QDate born_;
};

TEST_F(EnrollForm, AChildUnder6HasNoPhotoStepAndNeedsARepresentative) {
    person(3, "M");
    EXPECT_TRUE(widget<QLabel>("card_profile")->text().contains("dưới 6 tuổi"));
    EXPECT_TRUE(widget<QLabel>("enroll_progress")->text().contains("<s>3. Ảnh</s>")) << "no photo step under 6";
    EXPECT_TRUE(visible("representative_personal_id"));
    EXPECT_TRUE(visible("representative_full_name"));
    EXPECT_TRUE(visible("representative_relationship"));
    // Valid to the 14th birthday, shown as people read dates, and not for the officer to change.
    const QDate fourteenth = born_.addYears(14);
    EXPECT_EQ(widget<QLineEdit>("date_of_expiry")->text(), fourteenth.toString("dd/MM/yyyy"));
    EXPECT_TRUE(widget<QLineEdit>("date_of_expiry")->isReadOnly());
    EXPECT_EQ(widget<QLineEdit>("date_of_issue")->text(), QDate::currentDate().toString("dd/MM/yyyy"));
    EXPECT_EQ(widget<QLabel>("expiry_rule")->text().toStdString(), "Đến ngày công dân đủ 14 tuổi (tuổi đổi thẻ theo Luật Căn cước)");

    click("enroll_next");
    EXPECT_EQ(step(), EnrollTab::kCheckStep);
    EXPECT_TRUE(status().contains("Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)")) << status().toStdString();
    EXPECT_FALSE(status().contains("ảnh chân dung")) << "no photo is asked for";
    screenshot("enroll-under-6-representative-required");

    type("representative_personal_id", "001199034567");
    type("representative_full_name", "NGUYỄN THỊ THU HÀ");
    widget<QComboBox>("representative_relationship")->setCurrentText("Mẹ");
    type("cancelled_ids", "001223099999, 001223099998");
    EXPECT_TRUE(tab_->form_problems().isEmpty()) << tab_->form_problems().join("; ").toStdString();
    const auto record = tab_->record_on_form();
    ASSERT_TRUE(record.has_value()) << "no portrait is needed for the card face";
    EXPECT_TRUE(record->photo_jpeg.empty());
    EXPECT_EQ(record->card_profile, "cc-2024-u6");
    ASSERT_TRUE(record->representative.has_value());
    EXPECT_EQ(record->representative->relationship, "Mẹ");
    EXPECT_EQ(record->date_of_expiry, fourteenth.toString(Qt::ISODate).toStdString());
    EXPECT_EQ(record->person.cancelled_ids, (std::vector<std::string>{"001223099999", "001223099998"}));
    EXPECT_FALSE(record->person.old_id.has_value());
    screenshot("enroll-under-6-with-representative");
    // On without a photo step: the review, then the receipt the representative signs.
    click("enroll_next");
    EXPECT_EQ(step(), EnrollTab::kReviewStep) << status().toStdString();
    EXPECT_TRUE(widget<QLabel>("review")->text().contains("không có (dưới 6 tuổi)"));
    EXPECT_TRUE(widget<QLabel>("review")->text().contains("NGUYỄN THỊ THU HÀ (Mẹ)"));
    screenshot("enroll-step-4-review-child");
    click("enroll_back");
    EXPECT_EQ(step(), EnrollTab::kCheckStep) << "back over the photo step a child does not have";
}

TEST_F(EnrollForm, ARepresentativeWhoIsTheChildIsRefused) {
    person(3, "F");
    type("representative_personal_id", widget<QLineEdit>("personal_id")->text());
    type("representative_full_name", "NGUYỄN THỊ THU HÀ");
    widget<QComboBox>("representative_relationship")->setCurrentText("Mẹ");
    click("enroll_next");
    EXPECT_TRUE(status().contains("Người đại diện không thể là chính người được cấp thẻ")) << status().toStdString();
}

TEST_F(EnrollForm, FromSixThePhotoStepIsBackAndUnder14TheRepresentativeStays) {
    person(10, "F");
    EXPECT_TRUE(widget<QLabel>("card_profile")->text().contains("từ 6 tuổi"));
    EXPECT_FALSE(widget<QLabel>("enroll_progress")->text().contains("<s>"));
    EXPECT_TRUE(visible("representative_personal_id"));
    click("enroll_next");
    EXPECT_FALSE(status().contains("ảnh chân dung")) << "the photo comes at the next step";
    EXPECT_TRUE(status().contains("Thiếu người đại diện hợp pháp")) << status().toStdString();
    screenshot("enroll-age-10-photo-and-representative");
}

TEST_F(EnrollForm, AnAdultHasThePhotoStepAndNoRepresentative) {
    person(30, "F");
    type("old_id", "012345678");
    type("cancelled_ids", "001099034567");
    EXPECT_FALSE(visible("representative_personal_id"));
    EXPECT_FALSE(tab_->record_on_form().has_value()) << "no card face before a portrait";
    click("enroll_next");
    EXPECT_EQ(step(), EnrollTab::kPhotoStep) << status().toStdString();
    click("enroll_next");
    EXPECT_EQ(step(), EnrollTab::kPhotoStep);
    EXPECT_TRUE(status().contains("Chưa có ảnh chân dung")) << status().toStdString();
    EXPECT_FALSE(status().contains("người đại diện")) << status().toStdString();
    screenshot("enroll-adult-photo-step");
}

// A photo from a file goes through the same checks as the camera's: one that fails is refused, with the
// reason and the failed checks, and no portrait reaches the record; one that passes is kept.
TEST_F(EnrollForm, APhotoFromAFileIsCheckedAndAFailingOneRefused) {
    person(30, "F");
    click("enroll_next");
    ASSERT_EQ(step(), EnrollTab::kPhotoStep) << status().toStdString();
    camera_saved(QString(CCCD_TEST_DATA_DIR) + "/photos/head_small.jpg");
    EXPECT_TRUE(status().contains("Ảnh không dùng được cho thẻ Căn cước")) << status().toStdString();
    EXPECT_TRUE(status().contains("Đầu quá nhỏ: chiếm")) << status().toStdString();
    EXPECT_FALSE(tab_->record_on_form().has_value()) << "a refused photo is no portrait";
    EXPECT_EQ(widget<QLabel>("photo_check_summary")->text(), "Ảnh chưa đạt: Cỡ đầu");
    screenshot("enroll-photo-refused");

    camera_saved(QString(CCCD_TEST_DATA_DIR) + "/face.jpg");
    EXPECT_TRUE(status().startsWith("Ảnh đạt mọi yêu cầu")) << status().toStdString();
    EXPECT_EQ(step(), EnrollTab::kReviewStep) << "a photo that passes moves on by itself";
    EXPECT_TRUE(QDir(inbox_.path()).entryList({"*.jpg"}, QDir::Files).isEmpty()) << "the picture left the camera's folder";
    EXPECT_EQ(widget<QLabel>("photo_check_summary")->text(), "Ảnh đạt mọi yêu cầu của ảnh chân dung");
    const auto record = tab_->record_on_form();
    ASSERT_TRUE(record.has_value());
    EXPECT_FALSE(record->photo_jpeg.empty());
    EXPECT_LE(record->photo_jpeg.size(), static_cast<std::size_t>(kMaxJpegBytes));
    screenshot("enroll-photo-accepted");

    // A failing photo after a good one takes the good one away: what the form shows is what it sends.
    click("enroll_back");
    ASSERT_EQ(step(), EnrollTab::kPhotoStep);
    camera_saved(QString(CCCD_TEST_DATA_DIR) + "/photos/head_small.jpg");
    EXPECT_FALSE(tab_->record_on_form().has_value());
}

// A PNG chunk: length, type, data, CRC-32 over type and data (libpng checks it).
QByteArray png_chunk(const QByteArray& type, const QByteArray& data) {
    const auto be32 = [](quint32 v) {
        QByteArray out;
        for (int shift = 24; shift >= 0; shift -= 8) out.append(static_cast<char>((v >> shift) & 0xFF));
        return out;
    };
    quint32 crc = 0xFFFFFFFF;
    for (const char c : type + data) {
        crc ^= static_cast<quint8>(c);
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
    }
    return be32(static_cast<quint32>(data.size())) + type + data + be32(crc ^ 0xFFFFFFFF);
}

// A PNG header claiming `width` x `height` (8-bit RGB), then an empty image data chunk and the end.
QByteArray png_claiming(quint32 width, quint32 height) {
    QByteArray size;
    for (const quint32 v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8) size.append(static_cast<char>((v >> shift) & 0xFF));
    return QByteArray::fromHex("89504E470D0A1A0A") + png_chunk("IHDR", size + QByteArray::fromHex("0802000000")) +
           png_chunk("IDAT", {}) + png_chunk("IEND", {});
}

// What is no photo is refused in the officer's words, never a crash: garbage, and a file that claims 60000 x
// 60000 pixels (refused from its header, before anything is decoded).
TEST_F(EnrollForm, AFileThatIsNoPhotoIsRefused) {
    person(30, "M");
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto write = [&dir](const QString& name, const QByteArray& bytes) {
        QFile file(dir.filePath(name));
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        return file.fileName();
    };
    click("enroll_next");
    ASSERT_EQ(step(), EnrollTab::kPhotoStep) << status().toStdString();
    camera_saved(write("garbage.jpg", QByteArray(4096, '\xA5')));
    EXPECT_TRUE(status().startsWith("Không đọc được ảnh")) << status().toStdString();
    camera_saved(write("huge.png", png_claiming(60000, 60000)));
    EXPECT_TRUE(status().startsWith("Ảnh quá lớn (60000×60000)")) << status().toStdString();
    EXPECT_FALSE(tab_->record_on_form().has_value());
}

TEST_F(EnrollForm, TheOldCmndAndCancelledIdsAreChecked) {
    person(30, "M");
    type("old_id", "12345");
    type("cancelled_ids", widget<QLineEdit>("personal_id")->text());
    const QStringList problems = tab_->form_problems();
    EXPECT_TRUE(problems.contains("Số CMND cũ phải có đúng 9 chữ số")) << problems.join("; ").toStdString();
    type("old_id", "012345678");
    EXPECT_TRUE(tab_->form_problems().contains("Số định danh đã hủy không thể là số định danh hiện tại"))
        << tab_->form_problems().join("; ").toStdString();
}

// The date of birth can be picked on a calendar: the day chosen fills the field as dd/mm/yyyy.
TEST_F(EnrollForm, TheDateOfBirthCanBePickedOnACalendar) {
    person(30, "F");
    click("birth_calendar");
    auto* calendar = tab_->findChild<QCalendarWidget*>("birth_calendar_popup");
    ASSERT_NE(calendar, nullptr);
    EXPECT_TRUE(calendar->isVisible());
    EXPECT_EQ(calendar->selectedDate(), born_) << "it opens on the date typed";
    screenshot("enroll-birth-calendar");
    Q_EMIT calendar->activated(QDate(1990, 4, 12));
    EXPECT_EQ(widget<QLineEdit>("date_of_birth")->text().toStdString(), "12/04/1990");
}

TEST_F(EnrollForm, From58TheCardDoesNotExpire) {
    person(59, "M");
    EXPECT_EQ(widget<QLineEdit>("date_of_expiry")->text().toStdString(), std::string(identity::kNoExpiryWords));
}

// The whole wizard from the keyboard: lookup taken with Enter, Enter through the check, the camera's
// newest picture, the review, the receipt saved as PDF and signed, submitted; then a new enrollment.
// Screenshots of every step.
TEST_F(EnrollForm, EveryStepFromLookupToSubmittedWithTheKeyboard) {
    const auto press = [](Qt::Key key) {
        QWidget* focus = QApplication::focusWidget();
        ASSERT_NE(focus, nullptr);
        QTest::keyClick(focus, key);
        QApplication::processEvents();
    };
    Q_EMIT worker_->loggedIn("canbo01", "officer", "HN-HK-01");  // the receipts name the officer and the station
    tab_->activateWindow();
    screenshot("enroll-step-1-lookup");
    const identity::EnrollmentRecord citizen =
        identity::parse_enrollment_record(read_text(QString(CCCD_TEST_DATA_DIR) + "/record_example.json"));
    FoundCitizen found{"001199034567", "NGUYỄN THỊ THU HÀ", "21/08/1999", "còn hiệu lực", citizen};
    Q_EMIT worker_->found({found}, "Tìm thấy 1 công dân");
    QApplication::processEvents();
    EXPECT_EQ(QApplication::focusWidget(), widget("search_results")) << "the results take the focus";
    press(Qt::Key_Return);
    ASSERT_EQ(step(), EnrollTab::kCheckStep);
    EXPECT_EQ(widget<QComboBox>("procedure")->currentText().toStdString(), "Cấp đổi thẻ căn cước") << "she holds a card";
    type("place_of_residence", "Số 7 Phố Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Thành phố Hà Nội");
    screenshot("enroll-step-2-check");
    press(Qt::Key_Return);
    ASSERT_EQ(step(), EnrollTab::kPhotoStep) << status().toStdString();
    camera_saved(QString(CCCD_TEST_DATA_DIR) + "/photos/head_small.jpg");
    screenshot("enroll-step-3-photo-refused");
    ASSERT_EQ(step(), EnrollTab::kPhotoStep);
    camera_saved(QString(CCCD_TEST_DATA_DIR) + "/face.jpg");
    ASSERT_EQ(step(), EnrollTab::kReviewStep) << status().toStdString();
    EXPECT_TRUE(widget<QLabel>("review")->text().contains("Thay đổi so với cơ sở dữ liệu dân cư: Nơi cư trú"))
        << widget<QLabel>("review")->text().toStdString();
    screenshot("enroll-step-4-review");
    press(Qt::Key_Return);
    ASSERT_EQ(step(), EnrollTab::kReceiptStep);
    EXPECT_TRUE(widget<QLabel>("receipt_summary")->text().contains("Ngày hẹn trả thẻ: " +
                                                                   add_working_days(QDate::currentDate(), 7).toString("dd/MM/yyyy")));
    press(Qt::Key_Return);  // not signed yet
    EXPECT_EQ(step(), EnrollTab::kReceiptStep);
    EXPECT_TRUE(status().contains("Công dân chưa ký phiếu thu nhận")) << status().toStdString();
    click("save_receipts");
    EXPECT_TRUE(status().startsWith("Đã lưu phiếu thu nhận và giấy hẹn")) << status().toStdString();
    const QStringList pdfs = QDir(inbox_.path() + "/receipts").entryList({"*.pdf"});
    EXPECT_EQ(pdfs.size(), 2) << pdfs.join(", ").toStdString();
    widget<QCheckBox>("receipt_signed")->setChecked(true);
    screenshot("enroll-step-5-receipt");
    widget("enroll_next")->setFocus();
    press(Qt::Key_Return);
    ASSERT_EQ(step(), EnrollTab::kSubmitStep) << status().toStdString();
    screenshot("enroll-step-6-submitted");
    EXPECT_EQ(tab_->findChild<QPushButton*>("enroll"), nullptr) << "nothing on the last step sends it twice";
    press(Qt::Key_Return);  // Hồ sơ mới
    EXPECT_EQ(step(), EnrollTab::kLookupStep);
    EXPECT_TRUE(widget<QLineEdit>("full_name")->text().isEmpty()) << "nothing of the last citizen stays";
    EXPECT_EQ(QApplication::focusWidget(), widget("search"));

    // Another officer logging in at the desk sees nothing of the last one's citizen.
    take_from_register(citizen);
    ASSERT_EQ(step(), EnrollTab::kCheckStep);
    Q_EMIT worker_->loggedIn("canbo02", "officer", "HN-HK-01");
    QApplication::processEvents();
    EXPECT_EQ(step(), EnrollTab::kLookupStep);
    EXPECT_TRUE(widget<QLineEdit>("full_name")->text().isEmpty());
}

}  // namespace
}  // namespace cccd::station
