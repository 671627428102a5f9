// The enrollment form follows the card profile the date of birth gives (station/gui/enroll_tab.hpp),
// driven offscreen with real key and mouse events: a child under 6 has no photo step and needs a legal
// representative (the form refuses without one, in identity's words); from 6 the photo step is back; the
// expiry is the validity rule's, read-only, dd/mm/yyyy; a photo from a file is checked and a failing one
// refused. Screenshots in test-results/gui of the build tree (enroll-*.png).
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest/QTest>

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
        worker_ = std::make_unique<StationWorker>(StationConfig{});
        tab_ = std::make_unique<EnrollTab>(worker_.get());
        tab_->resize(1100, 820);
        tab_->show();
        QApplication::processEvents();
    }

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

    // A person born `years_ago` today (dd/mm/yyyy), with an ID number that agrees with the birth year.
    void person(int years_ago, const QString& sex_letter) {
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

    std::unique_ptr<StationWorker> worker_;
    std::unique_ptr<EnrollTab> tab_;
    QDate born_;
};

TEST_F(EnrollForm, AChildUnder6HasNoPhotoStepAndNeedsARepresentative) {
    person(3, "M");
    EXPECT_TRUE(widget<QLabel>("card_profile")->text().contains("dưới 6 tuổi"));
    EXPECT_FALSE(visible("photo_row")) << "no photo step under 6";
    EXPECT_FALSE(visible("photo_preview"));
    EXPECT_TRUE(visible("representative_personal_id"));
    EXPECT_TRUE(visible("representative_full_name"));
    EXPECT_TRUE(visible("representative_relationship"));
    // Valid to the 14th birthday, shown as people read dates, and not for the officer to change.
    const QDate fourteenth = born_.addYears(14);
    EXPECT_EQ(widget<QLineEdit>("date_of_expiry")->text(), fourteenth.toString("dd/MM/yyyy"));
    EXPECT_TRUE(widget<QLineEdit>("date_of_expiry")->isReadOnly());
    EXPECT_EQ(widget<QLineEdit>("date_of_issue")->text(), QDate::currentDate().toString("dd/MM/yyyy"));

    click("enroll");
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
    click("enroll");
    EXPECT_FALSE(status().contains("Thiếu người đại diện")) << status().toStdString();
    screenshot("enroll-under-6-with-representative");
}

TEST_F(EnrollForm, ARepresentativeWhoIsTheChildIsRefused) {
    person(3, "F");
    type("representative_personal_id", widget<QLineEdit>("personal_id")->text());
    type("representative_full_name", "NGUYỄN THỊ THU HÀ");
    widget<QComboBox>("representative_relationship")->setCurrentText("Mẹ");
    click("enroll");
    EXPECT_TRUE(status().contains("Người đại diện không thể là chính người được cấp thẻ")) << status().toStdString();
}

TEST_F(EnrollForm, FromSixThePhotoStepIsBackAndUnder14TheRepresentativeStays) {
    person(10, "F");
    EXPECT_TRUE(widget<QLabel>("card_profile")->text().contains("từ 6 tuổi"));
    EXPECT_TRUE(visible("photo_row"));
    EXPECT_TRUE(visible("representative_personal_id"));
    click("enroll");
    EXPECT_TRUE(status().contains("Chưa có ảnh chân dung")) << status().toStdString();
    EXPECT_TRUE(status().contains("Thiếu người đại diện hợp pháp")) << status().toStdString();
    screenshot("enroll-age-10-photo-and-representative");
}

TEST_F(EnrollForm, AnAdultHasThePhotoStepAndNoRepresentative) {
    person(30, "F");
    type("old_id", "012345678");
    type("cancelled_ids", "001099034567");
    EXPECT_TRUE(visible("photo_row"));
    EXPECT_FALSE(visible("representative_personal_id"));
    EXPECT_FALSE(tab_->record_on_form().has_value()) << "no card face before a portrait";
    click("enroll");
    EXPECT_TRUE(status().contains("Chưa có ảnh chân dung")) << status().toStdString();
    EXPECT_FALSE(status().contains("người đại diện")) << status().toStdString();
    screenshot("enroll-adult-photo-step");
}

// A photo from a file goes through the same checks as the camera's: one that fails is refused, with the
// reason and the failed checks, and no portrait reaches the record; one that passes is kept.
TEST_F(EnrollForm, APhotoFromAFileIsCheckedAndAFailingOneRefused) {
    person(30, "F");
    type("photo_path", QString(CCCD_TEST_DATA_DIR) + "/photos/head_small.jpg");
    click("load_photo");
    EXPECT_TRUE(status().contains("Ảnh không dùng được cho thẻ Căn cước")) << status().toStdString();
    EXPECT_TRUE(status().contains("Đầu quá nhỏ: chiếm")) << status().toStdString();
    EXPECT_FALSE(tab_->record_on_form().has_value()) << "a refused photo is no portrait";
    EXPECT_EQ(widget<QLabel>("photo_check_summary")->text(), "Ảnh chưa đạt: Cỡ đầu");
    screenshot("enroll-photo-refused");

    type("photo_path", QString(CCCD_TEST_DATA_DIR) + "/face.jpg");
    click("load_photo");
    EXPECT_TRUE(status().startsWith("Ảnh đạt mọi yêu cầu")) << status().toStdString();
    EXPECT_EQ(widget<QLabel>("photo_check_summary")->text(), "Ảnh đạt mọi yêu cầu của ảnh chân dung");
    const auto record = tab_->record_on_form();
    ASSERT_TRUE(record.has_value());
    EXPECT_FALSE(record->photo_jpeg.empty());
    EXPECT_LE(record->photo_jpeg.size(), static_cast<std::size_t>(kMaxJpegBytes));
    screenshot("enroll-photo-accepted");

    // A failing photo after a good one takes the good one away: what the form shows is what it sends.
    type("photo_path", QString(CCCD_TEST_DATA_DIR) + "/photos/head_small.jpg");
    click("load_photo");
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
    type("photo_path", write("garbage.jpg", QByteArray(4096, '\xA5')));
    click("load_photo");
    EXPECT_TRUE(status().startsWith("Không đọc được ảnh")) << status().toStdString();
    type("photo_path", write("huge.png", png_claiming(60000, 60000)));
    click("load_photo");
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

TEST_F(EnrollForm, From58TheCardDoesNotExpire) {
    person(59, "M");
    EXPECT_EQ(widget<QLineEdit>("date_of_expiry")->text().toStdString(), std::string(identity::kNoExpiryWords));
}

}  // namespace
}  // namespace cccd::station
