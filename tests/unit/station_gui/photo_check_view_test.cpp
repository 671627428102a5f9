// The photo checks as the officer sees them (station/gui/photo_check_view.hpp, camera_dialog.hpp),
// offscreen: the portrait with one line per check, each with its icon and colour, for the passing
// portrait of tests/data/photos and for each image made to fail; the camera dialog's shutter enabled
// only while the frame passes, and what it takes is that frame. Screenshots in test-results/gui of the
// build tree: photo-checks-passing.png, photo-checks-failing.png (the busy background), one
// photo-checks-<image>.png per failing image, camera-dialog-failing.png, camera-dialog-passing.png.
#include <gtest/gtest.h>

#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QtTest/QTest>

#include "station/gui/camera_dialog.hpp"
#include "station/gui/photo_check_view.hpp"
#include "station/gui/widgets.hpp"
#include "tests/unit/station_gui/gui_app.hpp"

namespace cccd::station {
namespace {

QImage photo(const char* name) {
    QImage image(QString(CCCD_TEST_DATA_DIR) + "/photos/" + name);
    EXPECT_FALSE(image.isNull()) << name;
    return image;
}

void screenshot(QWidget& widget, const QString& name) {
    const QString dir = CCCD_GUI_RESULTS_DIR;
    QDir().mkpath(dir);
    EXPECT_TRUE(widget.grab().save(dir + "/" + name + ".png")) << name.toStdString();
}

class PhotoCheckViewTest : public ::testing::Test {
protected:
    void SetUp() override {
        gui_app();
        view_ = std::make_unique<PhotoCheckView>();
        view_->resize(kPhotoWidth + 60, 620);
        view_->show();
    }
    // Crops and checks `image` as the enrollment does, and shows it.
    void show(const QImage& image) {
        const QImage portrait = portrait_crop(image);
        view_->show_report(portrait, check_portrait(portrait));
        QApplication::processEvents();
    }
    QListWidget* checks() { return view_->findChild<QListWidget*>("photo_checks"); }
    QString summary() { return view_->findChild<QLabel*>("photo_check_summary")->text(); }
    // Each line's state ("pass", "fail", "not_measured"), which its icon shows as well as its colour.
    QStringList states() {
        QStringList out;
        for (int i = 0; i < checks()->count(); ++i) out << checks()->item(i)->data(Qt::UserRole).toString();
        return out;
    }
    QString line(int row) { return checks()->item(row)->text(); }

    std::unique_ptr<PhotoCheckView> view_;
};

TEST_F(PhotoCheckViewTest, ThePassingPortraitShowsEveryCheckPassed) {
    show(photo("pass.jpg"));
    EXPECT_TRUE(view_->passed());
    EXPECT_EQ(summary(), "Ảnh đạt mọi yêu cầu của ảnh chân dung");
    ASSERT_EQ(checks()->count(), static_cast<int>(kPhotoChecks.size()));
    EXPECT_EQ(states(), QStringList(static_cast<qsizetype>(kPhotoChecks.size()), "pass"));
    EXPECT_EQ(line(0), "Có đúng một khuôn mặt");
    EXPECT_TRUE(line(3).startsWith("Đầu chiếm ")) << line(3).toStdString();
    EXPECT_TRUE(line(3).endsWith("% chiều cao ảnh (cần 70–80%)")) << line(3).toStdString();
    for (int i = 0; i < checks()->count(); ++i) EXPECT_FALSE(checks()->item(i)->icon().isNull()) << i;
    screenshot(*view_, "photo-checks-passing");
}

TEST_F(PhotoCheckViewTest, AFailingPortraitSaysWhichCheckFailedAndByHowMuch) {
    show(photo("busy_background.jpg"));
    EXPECT_FALSE(view_->passed());
    EXPECT_EQ(summary(), "Ảnh chưa đạt: Phông nền");
    const QStringList s = states();
    EXPECT_EQ(s.count("fail"), 1) << s.join(",").toStdString();
    EXPECT_EQ(s[4], "fail");
    EXPECT_TRUE(line(4).startsWith("Phông nền không đồng đều: độ chênh sáng ")) << line(4).toStdString();
    EXPECT_TRUE(line(4).contains("tối đa 40")) << line(4).toStdString();
    // Icon and colour both say it: the failed line is red, the passed ones green.
    EXPECT_NE(checks()->item(4)->foreground().color(), checks()->item(0)->foreground().color());
    screenshot(*view_, "photo-checks-failing");
}

TEST_F(PhotoCheckViewTest, EachFailingImageIsShownWithItsFailure) {
    const std::vector<std::pair<const char*, const char*>> images{
        {"blurred", "Ảnh bị mờ"},
        {"dark", "Khuôn mặt quá tối"},
        {"bright", "Khuôn mặt quá sáng"},
        {"off_centre", "Mặt lệch sang phải ảnh"},
        {"eyes_high", "Đầu quá cao trong ảnh"},
        {"head_small", "Đầu quá nhỏ"},
        {"head_large", "Đầu quá lớn"},
        {"no_face", "Không thấy khuôn mặt"},
        {"two_faces", "Thấy 2 khuôn mặt"},
    };
    for (const auto& [name, words] : images) {
        SCOPED_TRACE(name);
        show(photo((std::string(name) + ".jpg").c_str()));
        EXPECT_FALSE(view_->passed());
        bool said = false;
        for (int i = 0; i < checks()->count(); ++i) said = said || (line(i).startsWith(words) && states()[i] == "fail");
        EXPECT_TRUE(said) << states().join(",").toStdString();
        screenshot(*view_, QString("photo-checks-") + name);
    }
}

TEST_F(PhotoCheckViewTest, WhatIsNoPhotoIsSaidInOneLine) {
    view_->show_report(QImage(), check_portrait(QImage()));
    EXPECT_FALSE(view_->passed());
    EXPECT_EQ(summary(), "Ảnh trống");
    ASSERT_EQ(checks()->count(), 1);
    EXPECT_EQ(states(), QStringList{"fail"});
    view_->clear();
    EXPECT_EQ(checks()->count(), 0);
    EXPECT_FALSE(view_->passed());
}

TEST(CameraDialogChecks, TheShutterOpensOnlyWhileTheFramePasses) {
    gui_app();
    CameraDialog dialog;  // no camera started: frames are fed as the camera would
    dialog.show();
    auto* shutter = dialog.findChild<QPushButton*>("shoot");
    ASSERT_NE(shutter, nullptr);
    EXPECT_FALSE(shutter->isEnabled()) << "nothing checked yet";

    // A landscape frame as a webcam gives it, the head small in it: cropped, checked, refused.
    QImage frame(640, 480, QImage::Format_RGB888);
    frame.fill(QColor(222, 214, 206));
    QPainter(&frame).drawImage(QRect(260, 170, 120, 154), photo("pass.jpg"));
    dialog.show_frame(frame);
    QApplication::processEvents();
    EXPECT_FALSE(shutter->isEnabled());
    QTest::mouseClick(shutter, Qt::LeftButton);
    EXPECT_TRUE(dialog.taken().isNull()) << "a disabled shutter takes nothing";
    screenshot(dialog, "camera-dialog-failing");

    dialog.show_frame(photo("pass.jpg"));
    QApplication::processEvents();
    EXPECT_TRUE(shutter->isEnabled());
    screenshot(dialog, "camera-dialog-passing");
    QTest::mouseClick(shutter, Qt::LeftButton);
    ASSERT_FALSE(dialog.taken().isNull());
    EXPECT_EQ(dialog.taken().size(), QSize(kPhotoWidth, kPhotoHeight));
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(check_portrait(dialog.taken()).passed()) << "what was taken is the frame that passed";
}

}  // namespace
}  // namespace cccd::station
