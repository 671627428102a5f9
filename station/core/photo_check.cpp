#include "station/core/photo_check.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace cccd::station {
namespace {

std::size_t channels(PixelFormat format) { return format == PixelFormat::Gray8 ? 1 : 3; }

PhotoRefusal size_refusal(std::int64_t width, std::int64_t height) noexcept {
    if (width <= 0 || height <= 0) return PhotoRefusal::Empty;
    if (width > kMaxSide || height > kMaxSide || width * height > kMaxPixels) return PhotoRefusal::TooLarge;
    if (width < kMinSide || height < kMinSide) return PhotoRefusal::TooSmall;
    if (static_cast<double>(std::max(width, height)) > kMaxAspect * static_cast<double>(std::min(width, height)))
        return PhotoRefusal::WrongShape;
    return PhotoRefusal::None;
}

// The luma of a BGR image.
cv::Mat gray_of(const cv::Mat& bgr) {
    cv::Mat gray;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    return gray;
}

// The value below which `share` of the masked pixels of an 8-bit image lie.
double percentile(const cv::Mat& gray, const cv::Mat& mask, double share) {
    const int channels_used[] = {0};
    const int bins[] = {256};
    const float range[] = {0, 256};
    const float* ranges[] = {range};
    cv::Mat histogram;
    cv::calcHist(&gray, 1, channels_used, mask, histogram, 1, bins, ranges);
    const double total = cv::sum(histogram)[0];
    double seen = 0;
    for (int level = 0; level < 256; ++level) {
        seen += histogram.at<float>(level);
        if (seen >= share * total) return level;
    }
    return 255;
}

PhotoCheckResult in_range(PhotoCheck check, double measured, double low, double high, PhotoVerdict below,
                          PhotoVerdict above) {
    PhotoVerdict verdict = PhotoVerdict::Pass;
    if (measured < low)
        verdict = below;
    else if (measured > high)
        verdict = above;
    return {check, verdict, measured, low, high};
}

// The middle of the face box: eyes, nose and mouth, without hair or background.
cv::Rect face_middle(const cv::Rect& face) {
    return {face.x + face.width / 5, face.y + face.height / 5, face.width * 3 / 5, face.height * 3 / 5};
}

}  // namespace

struct PhotoChecker::Detector {
    cv::CascadeClassifier cascade;
};

PhotoRefusal photo_size_refusal(std::int64_t width, std::int64_t height) noexcept {
    return size_refusal(width, height);
}

std::filesystem::path default_face_cascade() {
    if (const char* path = std::getenv("CCCD_FACE_CASCADE"); path != nullptr && *path != '\0') return path;
    return "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
}

bool PhotoReport::passed() const noexcept {
    return refusal == PhotoRefusal::None && !checks.empty() &&
           std::all_of(checks.begin(), checks.end(), [](const PhotoCheckResult& r) { return r.passed(); });
}

const PhotoCheckResult* PhotoReport::result(PhotoCheck check) const noexcept {
    for (const PhotoCheckResult& r : checks)
        if (r.check == check) return &r;
    return nullptr;
}

PhotoChecker::PhotoChecker(const std::filesystem::path& cascade) : detector_(std::make_unique<Detector>()) {
    // One portrait at a time on the caller's thread: OpenCV's thread pool (TBB in Debian's build) is not
    // wanted for a 300 x 386 image, and its worker threads, still alive at exit, crash LeakSanitizer's
    // tracer in the sanitizer build. Process-wide, and the station has no other OpenCV use.
    cv::setNumThreads(0);
    try {
        // load() answers false for a missing or malformed file; a few malformed files make it throw.
        if (!std::filesystem::is_regular_file(cascade) || !detector_->cascade.load(cascade.string()))
            detector_->cascade = cv::CascadeClassifier();
    } catch (const cv::Exception&) {
        detector_->cascade = cv::CascadeClassifier();
    }
}

PhotoChecker::~PhotoChecker() = default;

bool PhotoChecker::ready() const noexcept { return !detector_->cascade.empty(); }

PhotoReport PhotoChecker::check(const PixelView& view) {
    PhotoReport report;
    report.width = view.width;
    report.height = view.height;
    if (view.bytes.empty() || view.bytes.data() == nullptr) {
        report.refusal = PhotoRefusal::Empty;
        return report;
    }
    if ((report.refusal = size_refusal(view.width, view.height)) != PhotoRefusal::None) return report;
    const std::size_t row = static_cast<std::size_t>(view.width) * channels(view.format);
    if (view.stride < row || view.bytes.size() < view.stride * (static_cast<std::size_t>(view.height) - 1) + row) {
        report.refusal = PhotoRefusal::Malformed;
        return report;
    }
    if (!ready()) {
        report.refusal = PhotoRefusal::NoDetector;
        return report;
    }

    // The image as BGR at kCheckHeight; every measure below is in these pixels.
    const cv::Mat given(view.height, view.width, view.format == PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3,
                        const_cast<std::uint8_t*>(view.bytes.data()), view.stride);
    cv::Mat bgr;
    if (view.format == PixelFormat::Gray8)
        cv::cvtColor(given, bgr, cv::COLOR_GRAY2BGR);
    else if (view.format == PixelFormat::Rgb24)
        cv::cvtColor(given, bgr, cv::COLOR_RGB2BGR);
    else
        bgr = given;
    const double scale = static_cast<double>(kCheckHeight) / view.height;
    cv::Mat image;
    cv::resize(bgr, image, cv::Size(std::max(1, static_cast<int>(std::lround(view.width * scale))), kCheckHeight), 0, 0,
               scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    const double width = image.cols, height = image.rows;
    const cv::Mat gray = gray_of(image);

    // Faces: the detector on the equalized luma (so a dark or a washed-out face is still found), in steps
    // of 5% of size (OpenCV's usual 10% steps move the box, and so the head's estimate, by up to 10%),
    // kept where 6 neighbouring windows agree (fewer let through false faces in hair and fabric).
    cv::Mat equalized;
    cv::equalizeHist(gray, equalized);
    std::vector<cv::Rect> faces;
    const int smallest = static_cast<int>(height * kMinFaceBoxPercent / 100);
    detector_->cascade.detectMultiScale(equalized, faces, 1.05, 6, 0, cv::Size(smallest, smallest));
    std::sort(faces.begin(), faces.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
    const auto to_given = [scale](double x, double y, double w, double h) {
        return PhotoBox{static_cast<int>(std::lround(x / scale)), static_cast<int>(std::lround(y / scale)),
                        static_cast<int>(std::lround(w / scale)), static_cast<int>(std::lround(h / scale))};
    };
    for (const cv::Rect& f : faces) report.faces.push_back(to_given(f.x, f.y, f.width, f.height));

    PhotoCheckResult face_count{PhotoCheck::Face, PhotoVerdict::Pass, static_cast<double>(faces.size()), 1, 1};
    if (faces.empty()) face_count.verdict = PhotoVerdict::NoFace;
    if (faces.size() > 1) face_count.verdict = PhotoVerdict::SeveralFaces;
    report.checks.push_back(face_count);
    if (faces.size() != 1) {
        for (const PhotoCheck check : kPhotoChecks)
            if (check != PhotoCheck::Face) report.checks.push_back({check, PhotoVerdict::NotMeasured});
        return report;
    }

    const cv::Rect face = faces.front();
    const double crown = face.y - kCrownAboveBox * face.height;
    const double chin = face.y + face.height + kChinBelowBox * face.height;
    const double eyes = face.y + kEyesBelowBoxTop * face.height;
    const double head_left = face.x - kHeadSideBeyondBox * face.width;
    const double head_width = face.width * (1 + 2 * kHeadSideBeyondBox);
    report.head = to_given(head_left, crown, head_width, chin - crown);

    const double midline = 100 * (face.x + face.width / 2.0) / width;
    report.checks.push_back(in_range(PhotoCheck::Horizontal, midline, kCentreLowPercent, kCentreHighPercent,
                                     PhotoVerdict::LeftOfCentre, PhotoVerdict::RightOfCentre));
    const double eye_line = 100 * (height - eyes) / height;
    report.checks.push_back(in_range(PhotoCheck::Vertical, eye_line, kEyeLineLowPercent, kEyeLineHighPercent,
                                     PhotoVerdict::EyesTooLow, PhotoVerdict::EyesTooHigh));
    const double head = 100 * (chin - crown) / height;
    report.checks.push_back(in_range(PhotoCheck::HeadSize, head, kHeadLowPercent, kHeadHighPercent,
                                     PhotoVerdict::HeadTooSmall, PhotoVerdict::HeadTooLarge));

    // Background: above the eye line, outside the head's ellipse widened by the margin.
    cv::Mat background(image.size(), CV_8UC1, cv::Scalar(0));
    const int eye_row = std::clamp(static_cast<int>(eyes), 0, image.rows);
    background(cv::Rect(0, 0, image.cols, eye_row)).setTo(255);
    const double margin = width * kBackgroundMarginPercent / 100;
    cv::ellipse(background, cv::Point2d(face.x + face.width / 2.0, (crown + chin) / 2),
                cv::Size2d(head_width / 2 + margin, (chin - crown) / 2 + margin), 0, 0, 360, cv::Scalar(0), cv::FILLED);
    const int background_pixels = cv::countNonZero(background);
    if (background_pixels < width * height * kMinBackgroundPercent / 100) {
        report.checks.push_back({PhotoCheck::Background, PhotoVerdict::BackgroundHidden, 0, 0, kMaxBackgroundSpread});
    } else {
        cv::Mat smooth;
        cv::GaussianBlur(gray, smooth, cv::Size(5, 5), 0);
        const double spread = percentile(smooth, background, 0.9) - percentile(smooth, background, 0.1);
        report.checks.push_back(in_range(PhotoCheck::Background, spread, 0, kMaxBackgroundSpread, PhotoVerdict::Pass,
                                         PhotoVerdict::UnevenBackground));
    }

    // Sharpness and exposure over the middle of the face.
    const cv::Mat middle = gray(face_middle(face) & cv::Rect(0, 0, image.cols, image.rows));
    cv::Mat stretched, laplacian;
    cv::normalize(middle, stretched, 0, 255, cv::NORM_MINMAX);
    cv::Laplacian(stretched, laplacian, CV_64F);
    cv::Scalar mean, deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    report.checks.push_back(in_range(PhotoCheck::Sharpness, deviation[0] * deviation[0], kMinSharpness,
                                     std::numeric_limits<double>::infinity(), PhotoVerdict::Blurred,
                                     PhotoVerdict::Pass));
    report.checks.push_back(in_range(PhotoCheck::Exposure, cv::mean(middle)[0], kMinFaceBrightness, kMaxFaceBrightness,
                                     PhotoVerdict::TooDark, PhotoVerdict::TooBright));
    return report;
}

}  // namespace cccd::station
