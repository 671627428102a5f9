// The portrait's checks (station/core/photo_check.hpp) on the images of tests/data/photos, decoded by Qt
// as the station decodes them: the passing portrait passes every check, each other image fails the check
// it was made for and no other (a check that needs what the image lacks is not measured, and says so);
// pixels that are no portrait are refused with a code, never a crash. The checks' words (station/words/photo_words.hpp)
// in Vietnamese and English.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QImage>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "station/core/photo_check.hpp"
#include "station/words/photo_words.hpp"
#include "tests/unit/station/words_in_both_languages.hpp"

namespace cccd::station {
namespace {

// A test photo decoded as the station decodes it (QImage), as RGB pixels.
QImage read_photo(const std::string& name) {
    QImage image(QString::fromStdString(std::string(CCCD_TEST_DATA_DIR) + "/photos/" + name));
    EXPECT_FALSE(image.isNull()) << name;
    return image.convertToFormat(QImage::Format_RGB888);
}

PixelView pixels(const QImage& rgb) {
    return {rgb.width(), rgb.height(), static_cast<std::size_t>(rgb.bytesPerLine()), PixelFormat::Rgb24,
            ByteView(rgb.constBits(), static_cast<std::size_t>(rgb.sizeInBytes()))};
}

std::string describe(const PhotoReport& report) {
    std::string out = "refusal " + std::to_string(static_cast<int>(report.refusal));
    for (const PhotoCheckResult& r : report.checks)
        out += "; check " + std::to_string(static_cast<int>(r.check)) + " verdict " +
               std::to_string(static_cast<int>(r.verdict)) + " measured " + std::to_string(r.measured);
    return out;
}

// One checker for the suite: the cascade is loaded once, as the station does.
class PhotoChecks : public ::testing::Test {
protected:
    static void SetUpTestSuite() { checker_ = std::make_unique<PhotoChecker>(); }
    static void TearDownTestSuite() { checker_.reset(); }
    PhotoChecker& checker() { return *checker_; }
    PhotoReport check_photo(const std::string& name) { return checker_->check(pixels(read_photo(name))); }
    static inline std::unique_ptr<PhotoChecker> checker_;
};

TEST_F(PhotoChecks, TheCascadeOfOpencvDataLoads) { EXPECT_TRUE(checker().ready()) << default_face_cascade(); }

TEST_F(PhotoChecks, ThePassingPortraitPassesEveryCheck) {
    const PhotoReport report = check_photo("pass.jpg");
    ASSERT_EQ(report.refusal, PhotoRefusal::None);
    EXPECT_EQ(report.width, 168);
    EXPECT_EQ(report.height, 216);
    ASSERT_EQ(report.checks.size(), kPhotoChecks.size());
    for (std::size_t i = 0; i < kPhotoChecks.size(); ++i) {
        EXPECT_EQ(report.checks[i].check, kPhotoChecks[i]);
        EXPECT_EQ(report.checks[i].verdict, PhotoVerdict::Pass) << describe(report);
    }
    EXPECT_TRUE(report.passed());
    ASSERT_EQ(report.faces.size(), 1u);
    ASSERT_TRUE(report.head.has_value());
    // The head as estimated lies where it is in the photo: crown near the top, chin about 80% down.
    EXPECT_LT(std::abs(report.head->y - 11), 12) << report.head->y;
    EXPECT_LT(std::abs(report.head->y + report.head->height - 173), 12) << report.head->height;
    // The bounds are reported with the measure.
    const PhotoCheckResult* head = report.result(PhotoCheck::HeadSize);
    ASSERT_NE(head, nullptr);
    EXPECT_EQ(head->low, kHeadLowPercent);
    EXPECT_EQ(head->high, kHeadHighPercent);
    EXPECT_GE(head->measured, kHeadLowPercent);
    EXPECT_LE(head->measured, kHeadHighPercent);
}

struct Failing {
    const char* file;
    PhotoCheck check;
    PhotoVerdict verdict;
    std::vector<PhotoCheck> not_measured;  // what the image leaves nothing to measure for
    bool background_hidden = false;        // no background left to measure
};

TEST_F(PhotoChecks, EachFailingImageFailsTheCheckItWasMadeForAndNoOther) {
    const std::vector<PhotoCheck> all_but_face(kPhotoChecks.begin() + 1, kPhotoChecks.end());
    const std::vector<Failing> images{
        {"blurred.jpg", PhotoCheck::Sharpness, PhotoVerdict::Blurred, {}},
        {"dark.jpg", PhotoCheck::Exposure, PhotoVerdict::TooDark, {}},
        {"bright.jpg", PhotoCheck::Exposure, PhotoVerdict::TooBright, {}},
        {"off_centre.jpg", PhotoCheck::Horizontal, PhotoVerdict::RightOfCentre, {}},
        {"eyes_high.jpg", PhotoCheck::Vertical, PhotoVerdict::EyesTooHigh, {}, true},
        {"head_small.jpg", PhotoCheck::HeadSize, PhotoVerdict::HeadTooSmall, {}},
        {"head_large.jpg", PhotoCheck::HeadSize, PhotoVerdict::HeadTooLarge, {}},
        {"busy_background.jpg", PhotoCheck::Background, PhotoVerdict::UnevenBackground, {}},
        {"no_face.jpg", PhotoCheck::Face, PhotoVerdict::NoFace, all_but_face},
        {"two_faces.jpg", PhotoCheck::Face, PhotoVerdict::SeveralFaces, all_but_face},
    };
    for (const Failing& image : images) {
        SCOPED_TRACE(image.file);
        const PhotoReport report = check_photo(image.file);
        ASSERT_EQ(report.refusal, PhotoRefusal::None);
        ASSERT_EQ(report.checks.size(), kPhotoChecks.size());
        EXPECT_FALSE(report.passed());
        for (const PhotoCheckResult& r : report.checks) {
            const bool unmeasurable =
                std::find(image.not_measured.begin(), image.not_measured.end(), r.check) != image.not_measured.end();
            const bool hidden = r.check == PhotoCheck::Background && image.background_hidden;
            const PhotoVerdict expected = r.check == image.check ? image.verdict
                                          : unmeasurable         ? PhotoVerdict::NotMeasured
                                          : hidden               ? PhotoVerdict::BackgroundHidden
                                                                 : PhotoVerdict::Pass;
            EXPECT_EQ(r.verdict, expected) << describe(report);
        }
    }
}

TEST_F(PhotoChecks, TheMeasuresSayByHowMuch) {
    const PhotoReport small = check_photo("head_small.jpg");
    EXPECT_NEAR(small.result(PhotoCheck::HeadSize)->measured, 52, 5);  // crown 15 to chin 177 of 309 rows
    const PhotoReport off = check_photo("off_centre.jpg");
    EXPECT_NEAR(off.result(PhotoCheck::Horizontal)->measured, 60, 3);  // the face's midline at x 101 of 168
    const PhotoReport two = check_photo("two_faces.jpg");
    EXPECT_EQ(two.result(PhotoCheck::Face)->measured, 2);
    EXPECT_EQ(two.faces.size(), 2u);
    EXPECT_FALSE(two.head.has_value());
    const PhotoReport dark = check_photo("dark.jpg");
    const PhotoReport pass = check_photo("pass.jpg");
    EXPECT_NEAR(dark.result(PhotoCheck::Exposure)->measured, 0.3 * pass.result(PhotoCheck::Exposure)->measured, 5);
}

// A plain grey frame: nobody in front of the camera.
TEST_F(PhotoChecks, AnEmptyFrameHasNoFace) {
    const Bytes grey(300 * 386, 200);
    const PhotoReport report = checker().check(PixelView{300, 386, 300, PixelFormat::Gray8, grey});
    ASSERT_EQ(report.refusal, PhotoRefusal::None);
    EXPECT_EQ(report.result(PhotoCheck::Face)->verdict, PhotoVerdict::NoFace);
    EXPECT_EQ(report.result(PhotoCheck::Exposure)->verdict, PhotoVerdict::NotMeasured);
    const Bytes rgb(3 * 640 * 480, 90);
    EXPECT_EQ(checker().check(PixelView{640, 480, 3 * 640, PixelFormat::Rgb24, rgb}).result(PhotoCheck::Face)->verdict,
              PhotoVerdict::NoFace);
}

// The same photo as greyscale and as BGR measures the same (the camera's frames come in either).
TEST_F(PhotoChecks, EveryPixelFormatGivesTheSameVerdicts) {
    const QImage rgb = read_photo("pass.jpg");
    const QImage grey = rgb.convertToFormat(QImage::Format_Grayscale8);
    const PhotoReport from_grey = checker().check(
        PixelView{grey.width(), grey.height(), static_cast<std::size_t>(grey.bytesPerLine()), PixelFormat::Gray8,
                  ByteView(grey.constBits(), static_cast<std::size_t>(grey.sizeInBytes()))});
    EXPECT_TRUE(from_grey.passed()) << describe(from_grey);
    const QImage bgr = rgb.rgbSwapped();
    PixelView view = pixels(bgr);
    view.format = PixelFormat::Bgr24;
    const PhotoReport from_bgr = checker().check(view);
    EXPECT_TRUE(from_bgr.passed()) << describe(from_bgr);
    EXPECT_NEAR(from_bgr.result(PhotoCheck::HeadSize)->measured,
                check_photo("pass.jpg").result(PhotoCheck::HeadSize)->measured, 0.01);
}

// The size a decoder reads from a file's header, refused before the file is decoded.
TEST(PhotoSizes, WhatIsNoPortraitsSizeIsRefused) {
    EXPECT_EQ(photo_size_refusal(300, 386), PhotoRefusal::None);
    EXPECT_EQ(photo_size_refusal(0, 386), PhotoRefusal::Empty);
    EXPECT_EQ(photo_size_refusal(119, 386), PhotoRefusal::TooSmall);
    EXPECT_EQ(photo_size_refusal(60000, 60000), PhotoRefusal::TooLarge);  // 3.6 gigapixels claimed
    EXPECT_EQ(photo_size_refusal(kMaxSide + 1, 6000), PhotoRefusal::TooLarge);
    EXPECT_EQ(photo_size_refusal(8000, 8000), PhotoRefusal::TooLarge);  // 64 megapixels
    EXPECT_EQ(photo_size_refusal(6000, 4000), PhotoRefusal::None);      // a 24-megapixel camera
    EXPECT_EQ(photo_size_refusal(400, 1300), PhotoRefusal::WrongShape);
}

TEST_F(PhotoChecks, PixelsThatAreNoPortraitAreRefused) {
    const Bytes bytes(3 * 400 * 400, 128);
    const auto refusal = [this, &bytes](int w, int h, std::size_t stride, PixelFormat f = PixelFormat::Rgb24) {
        return checker().check(PixelView{w, h, stride, f, bytes}).refusal;
    };
    EXPECT_EQ(checker().check(PixelView{}).refusal, PhotoRefusal::Empty);
    EXPECT_EQ(refusal(0, 400, 1200), PhotoRefusal::Empty);
    EXPECT_EQ(refusal(-5, 400, 1200), PhotoRefusal::Empty);
    EXPECT_EQ(refusal(100, 100, 300), PhotoRefusal::TooSmall);
    EXPECT_EQ(refusal(400, 119, 1200), PhotoRefusal::TooSmall);
    EXPECT_EQ(refusal(400, 1300, 1200), PhotoRefusal::WrongShape);
    EXPECT_EQ(refusal(20000, 300, 60000), PhotoRefusal::TooLarge);
    EXPECT_EQ(refusal(8000, 8000, 24000), PhotoRefusal::TooLarge);  // 64 megapixels
    // Rows shorter than the width, or fewer bytes than the rows need.
    EXPECT_EQ(refusal(400, 400, 1000), PhotoRefusal::Malformed);
    EXPECT_EQ(refusal(400, 401, 1200), PhotoRefusal::Malformed);
    EXPECT_EQ(refusal(400, 400, 1200), PhotoRefusal::None);
    EXPECT_EQ(refusal(400, 400, 400, PixelFormat::Gray8), PhotoRefusal::None);
}

TEST(PhotoCheckerWithoutCascade, RefusesEveryImageWithNoDetector) {
    PhotoChecker missing("/nonexistent/haarcascade.xml");
    EXPECT_FALSE(missing.ready());
    const Bytes pixels(3 * 300 * 386, 128);
    EXPECT_EQ(missing.check(PixelView{300, 386, 900, PixelFormat::Rgb24, pixels}).refusal, PhotoRefusal::NoDetector);

    const std::filesystem::path garbage = std::filesystem::temp_directory_path() / "cccd-not-a-cascade.xml";
    std::ofstream(garbage) << "<opencv_storage><cascade>not a cascade</cascade></opencv_storage>";
    PhotoChecker broken(garbage);
    EXPECT_FALSE(broken.ready());
    std::filesystem::remove(garbage);

    // The environment points the default elsewhere (a station with the cascades in another place).
    ::setenv("CCCD_FACE_CASCADE", "/opt/cascades/face.xml", 1);
    EXPECT_EQ(default_face_cascade(), "/opt/cascades/face.xml");
    ::unsetenv("CCCD_FACE_CASCADE");
    EXPECT_EQ(default_face_cascade().filename(), "haarcascade_frontalface_default.xml");
}

// --- The words -------------------------------------------------------------------------------------

class PhotoWordsInBothLanguages : public WordsInBothLanguages {};

TEST_F(PhotoWordsInBothLanguages, EveryCheckEveryVerdictAndEveryRefusal) {
    // Each check with its own failures, a pass and "not measured".
    const std::map<PhotoCheck, std::vector<PhotoVerdict>> verdicts{
        {PhotoCheck::Face, {PhotoVerdict::NoFace, PhotoVerdict::SeveralFaces}},
        {PhotoCheck::Horizontal, {PhotoVerdict::LeftOfCentre, PhotoVerdict::RightOfCentre}},
        {PhotoCheck::Vertical, {PhotoVerdict::EyesTooLow, PhotoVerdict::EyesTooHigh}},
        {PhotoCheck::HeadSize, {PhotoVerdict::HeadTooSmall, PhotoVerdict::HeadTooLarge}},
        {PhotoCheck::Background, {PhotoVerdict::UnevenBackground, PhotoVerdict::BackgroundHidden}},
        {PhotoCheck::Sharpness, {PhotoVerdict::Blurred}},
        {PhotoCheck::Exposure, {PhotoVerdict::TooDark, PhotoVerdict::TooBright}},
    };
    for (const PhotoCheck check : kPhotoChecks) {
        const std::string what = "check " + std::to_string(static_cast<int>(check));
        expect_both_languages([&] { return PhotoWords::name(check); }, what);
        std::vector<PhotoVerdict> all = verdicts.at(check);
        all.push_back(PhotoVerdict::Pass);
        all.push_back(PhotoVerdict::NotMeasured);
        for (const PhotoVerdict verdict : all) {
            const PhotoCheckResult r{check, verdict, 12, 34, 56};
            expect_both_languages([&] { return PhotoWords::line(r); },
                                  what + " verdict " + std::to_string(static_cast<int>(verdict)));
        }
    }
    for (const PhotoRefusal refusal : {PhotoRefusal::Empty, PhotoRefusal::Malformed, PhotoRefusal::TooSmall,
                                       PhotoRefusal::TooLarge, PhotoRefusal::WrongShape, PhotoRefusal::NoDetector}) {
        PhotoReport report;
        report.refusal = refusal;
        report.width = 100;
        report.height = 90;
        expect_both_languages([&] { return PhotoWords::refusal(report); },
                              "refusal " + std::to_string(static_cast<int>(refusal)));
    }
}

TEST(PhotoWords, TheOfficerReadsTheMeasureAndTheBound) {
    const PhotoCheckResult small{PhotoCheck::HeadSize, PhotoVerdict::HeadTooSmall, 51.8, 70, 80};
    EXPECT_EQ(PhotoWords::line(small).toStdString(),
              "Đầu quá nhỏ: chiếm 52% chiều cao ảnh, cần 70–80% — cho công dân lại gần camera");
    const PhotoCheckResult sharp{PhotoCheck::Sharpness, PhotoVerdict::Pass, 139.4, kMinSharpness};
    EXPECT_EQ(PhotoWords::line(sharp).toStdString(), "Ảnh rõ nét: độ nét 139 (cần ít nhất 60)");
    PhotoReport report;
    report.checks = {{PhotoCheck::Face, PhotoVerdict::Pass, 1, 1, 1},
                     small,
                     {PhotoCheck::Sharpness, PhotoVerdict::Blurred, 20, kMinSharpness}};
    EXPECT_EQ(PhotoWords::summary(report).toStdString(), "Ảnh chưa đạt: Cỡ đầu, Độ nét");
    EXPECT_EQ(PhotoWords::failures(report).size(), 2);
    report.refusal = PhotoRefusal::TooSmall;
    report.width = 100;
    report.height = 80;
    EXPECT_EQ(PhotoWords::summary(report).toStdString(), "Ảnh quá nhỏ (100×80): mỗi cạnh cần ít nhất 120 điểm ảnh");
}

}  // namespace
}  // namespace cccd::station
