// Makes the photo checks' test images (tests/data/photos/*.jpg) from the NASA portrait of astronaut
// Eileen Collins as Debian's python3-skimage ships it (skimage/data/astronaut.png, 512 x 512 RGB; public
// domain, see README.md). Built and run by make_photos.sh only, never by the project's build: the JPEGs
// it writes are committed, and the script says how to make them again.
//
//   make_photos ASTRONAUT_PNG OUT_DIR
//
// In the source image the head (crown to chin) spans y 15-177 and x 152-302 (hair), the eyes lie at y 102,
// the US flag fills x < 95 and the shuttle model x > 355. Every image but the one that passes changes one
// thing of the passing portrait, so each fails the check it was made for.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

const std::vector<int> kJpeg{cv::IMWRITE_JPEG_QUALITY, 75, cv::IMWRITE_JPEG_OPTIMIZE, 1};

// The passing portrait: a 168 x 216 crop (the card's 300:386 ratio) with the head 75% of its height,
// centred, the crown 11 px below the top edge.
const cv::Rect kPortrait(143, 4, 168, 216);

void save(const std::string& dir, const char* name, const cv::Mat& image) {
    const std::string path = dir + "/" + name;
    if (!cv::imwrite(path, image, kJpeg)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_photos ASTRONAUT_PNG OUT_DIR\n");
        return 2;
    }
    const cv::Mat source = cv::imread(argv[1], cv::IMREAD_COLOR);
    if (source.cols != 512 || source.rows != 512) {
        std::fprintf(stderr, "%s is not the 512 x 512 astronaut.png\n", argv[1]);
        return 1;
    }
    const std::string out = argv[2];
    const cv::Mat portrait = source(kPortrait).clone();
    save(out, "pass.jpg", portrait);

    // Sharpness: a Gaussian blur of sigma 2 px (about 3.5 px at the card's size), as a face out of focus.
    cv::Mat blurred;
    cv::GaussianBlur(portrait, blurred, cv::Size(0, 0), 2.0);
    save(out, "blurred.jpg", blurred);

    // Exposure: 30% of the light; and a washed-out face (the distance to white cut to a third).
    cv::Mat dark, bright;
    portrait.convertTo(dark, -1, 0.3, 0);
    portrait.convertTo(bright, -1, 0.33, 255 * 0.67);
    save(out, "dark.jpg", dark);
    save(out, "bright.jpg", bright);

    // Position: the same crop 20 px to the left, so the face sits right of the midline (at 60%); and one
    // 40 px lower, so the eyes sit high and the crown is cut off.
    save(out, "off_centre.jpg", source(kPortrait - cv::Point(20, 0)).clone());
    save(out, "eyes_high.jpg", source(kPortrait + cv::Point(0, 40)).clone());

    // Head size: a wider crop of the same ratio between the flag and the shuttle (head 52% of the height);
    // and a tighter one (head 85%).
    save(out, "head_small.jpg", source(cv::Rect(106, 0, 240, 309)).clone());
    save(out, "head_large.jpg", source(cv::Rect(154, 13, 146, 188)).clone());

    // Background: the flag's stripes and stars behind the head (outside an ellipse around the head, above
    // the shoulders), as a portrait taken in front of a flag or a poster.
    cv::Mat busy = portrait.clone();
    cv::Mat flag;
    cv::resize(source(cv::Rect(0, 0, 90, 216)), flag, cv::Size(168, 216));
    cv::Mat behind(portrait.size(), CV_8UC1, cv::Scalar(0));
    behind(cv::Rect(0, 0, 168, 130)).setTo(255);
    cv::ellipse(behind, cv::Point(84, 92), cv::Size(80, 92), 0, 0, 360, cv::Scalar(0), cv::FILLED);
    flag.copyTo(busy, behind);
    save(out, "busy_background.jpg", busy);

    // No face: the portrait upside down (the frontal detector finds upright faces only).
    cv::Mat upside_down;
    cv::flip(portrait, upside_down, -1);
    save(out, "no_face.jpg", upside_down);

    // Two faces: two portraits side by side at half the size, on the backdrop's colour.
    cv::Mat two(portrait.size(), portrait.type(), cv::mean(portrait(cv::Rect(0, 0, 168, 8))));
    cv::Mat pair;
    cv::hconcat(portrait, portrait, pair);
    cv::resize(pair, pair, cv::Size(168, 108), 0, 0, cv::INTER_AREA);
    pair.copyTo(two(cv::Rect(0, 54, 168, 108)));
    save(out, "two_faces.jpg", two);
    return 0;
}
