#pragma once
// The portrait's checks, run on every frame of the camera's preview and on a photo from a file: one face,
// centred, the head's size in the ICAO proportions, an even background, sharp, neither too dark nor too
// bright. OpenCV finds the face (the Haar cascade of Debian's opencv-data) and measures around it; no
// image analysis of our own. Codes and numbers only: station/words says them in the officer's words.
// Only OpenCV's core, imgproc and objdetect: not imgcodecs, whose Debian build loads GDAL and with it
// poppler (GPL) and a hundred more libraries; files are decoded by the caller.
//
//   PhotoChecker checker;                       // loads the cascade once
//   PhotoReport report = checker.check(pixels);  // decoded by the caller (the station: Qt's QImage)
//   report.refusal, report.passed(), report.checks[i].verdict / measured / low / high
//
// Every check reads the image as it is given: the caller hands over the portrait as it will be stored
// (station/gui crops to the card's 300 x 386 first). The image is scaled to kCheckHeight before anything
// is measured, so the numbers mean the same for a camera frame and for a file.
//
// The bounds are ICAO 9303 Part 3 and ISO/IEC 19794-5 (full frontal image) where those give one; the
// others are measured and say so. docs/station.md ("The photo checks") explains each.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::station {

// --- The bounds ------------------------------------------------------------------------------------

// Every image is scaled (either way) to this height before it is measured: the card's portrait height, so
// a frame measures as the portrait it would become.
inline constexpr int kCheckHeight = 386;

// ISO/IEC 19794-5 full frontal: the face's vertical midline lies between 45% and 55% of the image width.
inline constexpr double kCentreLowPercent = 45, kCentreHighPercent = 55;
// ISO/IEC 19794-5 full frontal: the line through the eyes lies between 50% and 70% of the image height,
// counted from the bottom edge.
inline constexpr double kEyeLineLowPercent = 50, kEyeLineHighPercent = 70;
// ICAO 9303 Part 3 (and ICAO's portrait guidelines): the head, chin to crown, is 70% to 80% of the
// portrait's height.
inline constexpr double kHeadLowPercent = 70, kHeadHighPercent = 80;

// The Haar detector's box is not the head: it runs from about the brow to below the mouth, as wide as the
// cheeks. The head is estimated from it: the crown kCrownAboveBox box heights above its top, the chin
// kChinBelowBox below its bottom, the eyes kEyesBelowBoxTop down from its top, the head (with hair and
// ears) kHeadSideBeyondBox box widths beyond each side: a head 1.6 box heights long. Measured on the one
// real face we may ship, the NASA portrait of tests/data/photos (crown 0.47, chin 0.13, eyes 0.39 box
// heights; hair 0.21 and 0.28 box widths beyond the sides); another head may measure a few percent off,
// and the box itself moves by a few percent from frame to frame. ICAO's 70-80% window is not widened
// for that: a portrait near its edge is taken again.
inline constexpr double kCrownAboveBox = 0.47, kChinBelowBox = 0.13, kEyesBelowBoxTop = 0.39, kHeadSideBeyondBox = 0.25;

// A face box smaller than this share of the image height is not looked for: a portrait's subject is
// never that small (ICAO's smallest head, 70% of the height, is a box of about 44%). A second face at least
// this large (a person behind the citizen) fails the check; smaller ones (people far behind) go unseen.
inline constexpr double kMinFaceBoxPercent = 12;

// Background: the part of the image above the eye line and outside the estimated head (an ellipse,
// widened by kBackgroundMarginPercent of the image width so no hair counts), blurred a little so sensor
// and JPEG noise do not count; measured as the spread of its brightness between the 10th and the 90th
// percentile (so a strand of hair or the edge of a shoulder does not fail it). ICAO asks for a plain,
// uniform background without patterns or shadows; the bound is measured: the mottled studio backdrop of
// the NASA portrait spreads 13 to 25 levels of 255 in the test images, the flag behind the same head 176.
inline constexpr double kBackgroundMarginPercent = 4;
inline constexpr double kMaxBackgroundSpread = 40;
// Below this share of the image the background is too small to measure (the head fills the frame or sits
// high in it: the head size or position check says so); the check is then BackgroundHidden, not failed,
// but not passed either: a photo is accepted only when its background was seen to be even.
inline constexpr double kMinBackgroundPercent = 3;

// Sharpness: the variance of the Laplacian over the middle of the face box (eyes, nose, mouth), after
// its brightness is stretched to the full range (so a dark but sharp photo is not called blurred). The
// measure falls as the image is enlarged, so the bound is set for the worst sharp portrait we have: the
// test portrait, a 168 x 216 crop enlarged 1.8 times to the card's size, measures about 140 (the same face
// at its own resolution 1300); blurred with a Gaussian of sigma 2 px (3.5 px at the card's size), 20.
inline constexpr double kMinSharpness = 60;

// Exposure: the mean brightness (luma, 0-255) of the middle of the face box. Below kMinFaceBrightness
// the face is in shadow or under-exposed, above kMaxFaceBrightness washed out. The test portrait's face
// measures 178; with 30% of the light, 54; washed out (a third of the distance to white), 230. The range
// is wide so that every skin tone under the desk's even light passes.
inline constexpr double kMinFaceBrightness = 70, kMaxFaceBrightness = 210;

// What is refused before any check: an image this small has no portrait in it (the card's is 300 x 386);
// one this large is no camera's at a desk; a strip is no portrait.
inline constexpr int kMinSide = 120;
inline constexpr int kMaxSide = 16384;
inline constexpr std::int64_t kMaxPixels = 50'000'000;
inline constexpr double kMaxAspect = 3;  // the longer side over the shorter

// --- The report ------------------------------------------------------------------------------------

enum class PhotoCheck {
    Face,        // measured: the faces found; passes at exactly one
    Horizontal,  // measured: the face's midline, % of the width from the left edge
    Vertical,    // measured: the eye line, % of the height from the bottom edge
    HeadSize,    // measured: the head, chin to crown (estimated), % of the height
    Background,  // measured: the background's brightness spread, levels of 255
    Sharpness,   // measured: the variance of the Laplacian over the face
    Exposure,    // measured: the face's mean brightness, 0-255
};

inline constexpr std::array kPhotoChecks{PhotoCheck::Face,     PhotoCheck::Horizontal, PhotoCheck::Vertical,
                                         PhotoCheck::HeadSize, PhotoCheck::Background, PhotoCheck::Sharpness,
                                         PhotoCheck::Exposure};

enum class PhotoVerdict {
    Pass,
    NotMeasured,       // needs the one face, and none or several were found
    BackgroundHidden,  // Background: too little of it is left to measure (the head fills the frame, or is
                       // high in it); not measured, and not passed
    NoFace,            // Face
    SeveralFaces,      // Face
    LeftOfCentre,      // Horizontal: the face is left of the midline, as the image is seen
    RightOfCentre,     // Horizontal
    EyesTooLow,        // Vertical: the eye line is below kEyeLineLowPercent (the head too low in the frame)
    EyesTooHigh,       // Vertical
    HeadTooSmall,      // HeadSize
    HeadTooLarge,      // HeadSize
    UnevenBackground,  // Background
    Blurred,           // Sharpness
    TooDark,           // Exposure
    TooBright,         // Exposure
};

struct PhotoCheckResult {
    PhotoCheck check = PhotoCheck::Face;
    PhotoVerdict verdict = PhotoVerdict::NotMeasured;
    double measured = 0;                                    // in the check's unit (PhotoCheck); 0 when not measured
    double low = 0;                                         // the accepted range, inclusive, in the same unit
    double high = std::numeric_limits<double>::infinity();  // infinity: no upper bound
    bool passed() const noexcept { return verdict == PhotoVerdict::Pass; }
};

// Why no check ran.
enum class PhotoRefusal {
    None,
    Empty,       // no bytes, or a zero-sized image
    Malformed,   // pixels that do not fill the stated size (a caller's mistake)
    TooSmall,    // a side below kMinSide
    TooLarge,    // a side above kMaxSide, or more than kMaxPixels
    WrongShape,  // one side more than kMaxAspect times the other
    NoDetector,  // the face cascade could not be loaded (opencv-data not installed, or a wrong path)
};

// A rectangle in the pixels of the image as given.
struct PhotoBox {
    int x = 0, y = 0, width = 0, height = 0;
    friend bool operator==(const PhotoBox&, const PhotoBox&) = default;
};

struct PhotoReport {
    PhotoRefusal refusal = PhotoRefusal::None;
    int width = 0, height = 0;             // the image as given
    std::vector<PhotoBox> faces;           // every face found (the detector's boxes)
    std::optional<PhotoBox> head;          // the one face's head as estimated (crown to chin), for a guide
    std::vector<PhotoCheckResult> checks;  // one per kPhotoChecks, in that order; empty when refused
    // Not refused and every check passed.
    bool passed() const noexcept;
    // The result of `check` (present unless refused).
    const PhotoCheckResult* result(PhotoCheck check) const noexcept;
};

// --- The input -------------------------------------------------------------------------------------

enum class PixelFormat { Gray8, Rgb24, Bgr24 };

// Pixels the caller owns: `height` rows of `width` pixels, each row `stride` bytes from the last, in
// `bytes` (checked to hold them all).
struct PixelView {
    int width = 0, height = 0;
    std::size_t stride = 0;
    PixelFormat format = PixelFormat::Rgb24;
    ByteView bytes;
};

// What an image of `width` x `height` is refused for before any check (None when it may be checked): a
// caller that decodes a file asks this with the size in the file's header, before decoding it.
PhotoRefusal photo_size_refusal(std::int64_t width, std::int64_t height) noexcept;

// The face cascade: $CCCD_FACE_CASCADE when set, else Debian's
// /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml (package opencv-data).
std::filesystem::path default_face_cascade();

// Loads the cascade once and checks images with it. Not thread-safe (OpenCV's detector keeps state):
// one checker per thread.
class PhotoChecker {
public:
    explicit PhotoChecker(const std::filesystem::path& cascade = default_face_cascade());
    ~PhotoChecker();
    PhotoChecker(const PhotoChecker&) = delete;
    PhotoChecker& operator=(const PhotoChecker&) = delete;

    // Whether the cascade loaded; when not, every check is refused with NoDetector.
    bool ready() const noexcept;

    PhotoReport check(const PixelView& image);

private:
    struct Detector;
    std::unique_ptr<Detector> detector_;
};

}  // namespace cccd::station
