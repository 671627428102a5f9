#include "station/words/photo_words.hpp"

#include <cmath>

namespace cccd::station {

namespace {

// Whole numbers: the officer reads "52%", not "51.83%" (and no decimal separator to translate).
QString n(double value) { return QString::number(std::lround(value)); }

}  // namespace

QString PhotoWords::name(PhotoCheck check) {
    switch (check) {
        case PhotoCheck::Face: return tr("Khuôn mặt");
        case PhotoCheck::Horizontal: return tr("Vị trí ngang");
        case PhotoCheck::Vertical: return tr("Vị trí dọc");
        case PhotoCheck::HeadSize: return tr("Cỡ đầu");
        case PhotoCheck::Background: return tr("Phông nền");
        case PhotoCheck::Sharpness: return tr("Độ nét");
        case PhotoCheck::Exposure: return tr("Độ sáng");
    }
    return {};
}

QString PhotoWords::line(const PhotoCheckResult& r) {
    const QString value = n(r.measured), low = n(r.low), high = n(r.high);
    switch (r.verdict) {
        case PhotoVerdict::Pass:
            switch (r.check) {
                case PhotoCheck::Face: return tr("Có đúng một khuôn mặt");
                case PhotoCheck::Horizontal:
                    return tr("Mặt ở giữa ảnh: tâm mặt ở %1% chiều rộng (cần %2–%3%)").arg(value, low, high);
                case PhotoCheck::Vertical:
                    return tr("Mắt ở độ cao đúng: %1% chiều cao tính từ cạnh dưới (cần %2–%3%)").arg(value, low, high);
                case PhotoCheck::HeadSize: return tr("Đầu chiếm %1% chiều cao ảnh (cần %2–%3%)").arg(value, low, high);
                case PhotoCheck::Background:
                    return tr("Phông nền đồng đều: độ chênh sáng %1 (tối đa %2)").arg(value, high);
                case PhotoCheck::Sharpness: return tr("Ảnh rõ nét: độ nét %1 (cần ít nhất %2)").arg(value, low);
                case PhotoCheck::Exposure: return tr("Khuôn mặt đủ sáng: độ sáng %1 (cần %2–%3)").arg(value, low, high);
            }
            break;
        case PhotoVerdict::NotMeasured: return tr("%1: chưa đo được (cần đúng một khuôn mặt)").arg(name(r.check));
        case PhotoVerdict::BackgroundHidden:
            return tr("Phông nền: không còn phần nền để đo (đầu chiếm gần hết phần trên của ảnh)");
        case PhotoVerdict::NoFace: return tr("Không thấy khuôn mặt: công dân nhìn thẳng vào camera, không che mặt");
        case PhotoVerdict::SeveralFaces: return tr("Thấy %1 khuôn mặt: trong ảnh chỉ được có một người").arg(value);
        case PhotoVerdict::LeftOfCentre:
            return tr("Mặt lệch sang trái ảnh: tâm mặt ở %1% chiều rộng, cần %2–%3%").arg(value, low, high);
        case PhotoVerdict::RightOfCentre:
            return tr("Mặt lệch sang phải ảnh: tâm mặt ở %1% chiều rộng, cần %2–%3%").arg(value, low, high);
        case PhotoVerdict::EyesTooLow:
            return tr("Đầu quá thấp trong ảnh: mắt ở %1% chiều cao tính từ cạnh dưới, cần %2–%3%")
                .arg(value, low, high);
        case PhotoVerdict::EyesTooHigh:
            return tr("Đầu quá cao trong ảnh: mắt ở %1% chiều cao tính từ cạnh dưới, cần %2–%3%").arg(value, low, high);
        case PhotoVerdict::HeadTooSmall:
            return tr("Đầu quá nhỏ: chiếm %1% chiều cao ảnh, cần %2–%3% — cho công dân lại gần camera")
                .arg(value, low, high);
        case PhotoVerdict::HeadTooLarge:
            return tr("Đầu quá lớn: chiếm %1% chiều cao ảnh, cần %2–%3% — cho công dân lùi xa camera")
                .arg(value, low, high);
        case PhotoVerdict::UnevenBackground:
            return tr("Phông nền không đồng đều: độ chênh sáng %1, tối đa %2 — dùng phông trơn, không có đồ vật")
                .arg(value, high);
        case PhotoVerdict::Blurred:
            return tr("Ảnh bị mờ: độ nét %1, cần ít nhất %2 — giữ yên và lấy nét lại").arg(value, low);
        case PhotoVerdict::TooDark:
            return tr("Khuôn mặt quá tối: độ sáng %1, cần %2–%3 — thêm ánh sáng phía trước").arg(value, low, high);
        case PhotoVerdict::TooBright:
            return tr("Khuôn mặt quá sáng: độ sáng %1, cần %2–%3 — giảm ánh sáng, tránh đèn chiếu thẳng")
                .arg(value, low, high);
    }
    return name(r.check);
}

QString PhotoWords::refusal(const PhotoReport& report) {
    const QString w = QString::number(report.width), h = QString::number(report.height);
    switch (report.refusal) {
        case PhotoRefusal::None: return {};
        case PhotoRefusal::Empty: return tr("Ảnh trống");
        case PhotoRefusal::Malformed: return tr("Dữ liệu ảnh không khớp với kích thước %1×%2").arg(w, h);
        case PhotoRefusal::TooSmall:
            return tr("Ảnh quá nhỏ (%1×%2): mỗi cạnh cần ít nhất %3 điểm ảnh").arg(w, h, QString::number(kMinSide));
        case PhotoRefusal::TooLarge:
            return tr("Ảnh quá lớn (%1×%2): tối đa %3 điểm ảnh mỗi cạnh và %4 triệu điểm ảnh")
                .arg(w, h, QString::number(kMaxSide), QString::number(kMaxPixels / 1'000'000));
        case PhotoRefusal::WrongShape: return tr("Ảnh quá dẹt (%1×%2): không phải ảnh chân dung").arg(w, h);
        case PhotoRefusal::NoDetector:
            return tr("Không kiểm tra được ảnh: thiếu bộ nhận diện khuôn mặt (gói opencv-data)");
    }
    return {};
}

QString PhotoWords::summary(const PhotoReport& report) {
    if (report.refusal != PhotoRefusal::None) return refusal(report);
    if (report.passed()) return tr("Ảnh đạt mọi yêu cầu của ảnh chân dung");
    QStringList names;
    for (const PhotoCheckResult& r : report.checks)
        if (!r.passed() && r.verdict != PhotoVerdict::NotMeasured && r.verdict != PhotoVerdict::BackgroundHidden)
            names << name(r.check);
    return tr("Ảnh chưa đạt: %1").arg(names.join(", "));
}

QStringList PhotoWords::failures(const PhotoReport& report) {
    if (report.refusal != PhotoRefusal::None) return {refusal(report)};
    QStringList lines;
    for (const PhotoCheckResult& r : report.checks)
        if (!r.passed()) lines << line(r);
    return lines;
}

}  // namespace cccd::station
