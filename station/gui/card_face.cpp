#include "station/gui/card_face.hpp"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPageSize>
#include <QPdfWriter>
#include <QPolygonF>
#include <QRadialGradient>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "base/error.hpp"
#include "card/perso/card_files.hpp"
#include "identity/card_qr.hpp"
#include "identity/record_json.hpp"
#include "identity/validity.hpp"

namespace cccd::station {

using identity::CardSide;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// Millimetres and typographic points in the drawing's units.
constexpr double mm(double v) { return v * kFaceUnitsPerMm; }
int pt(double points) { return static_cast<int>(std::lround(points * 25.4 / 72.0 * kFaceUnitsPerMm)); }
int px(double millimetres) { return static_cast<int>(std::lround(millimetres * kFaceUnitsPerMm)); }

struct FaceData {
    const identity::CardProfile* profile = nullptr;
    QString expiry;  // as printed: dd/mm/yyyy or the words for "no expiry"
    QString qr;
    QString mrz;     // 90 characters
    QImage photo;
};

// Everything a face needs from the record, checked before anything is drawn.
FaceData face_data(const identity::EnrollmentRecord& record) {
    FaceData d;
    d.profile = &identity::profile_of(record);
    const identity::CardValidity validity =
        identity::card_validity(d.profile->generation, record.date_of_birth, identity::iso_date(record.person.date_of_issue));
    if (identity::record_expiry(validity) != record.date_of_expiry) {
        throw InvalidArgument("the record's date of expiry " + record.date_of_expiry + " is not the validity rule's " +
                              identity::record_expiry(validity) + ": the face would contradict the MRZ");
    }
    d.expiry = q(identity::printed_expiry(validity));
    d.qr = card_qr_text(record);
    d.mrz = q(perso::mrz_of(record));
    if (!record.photo_jpeg.empty())
        d.photo.loadFromData(record.photo_jpeg.data(), static_cast<int>(record.photo_jpeg.size()), "JPEG");
    return d;
}

// Draws on one side, in millimetres, and notes what it drew.
class Side {
public:
    Side(QPainter& painter, DrawnFace& drawn) : painter_(painter), drawn_(drawn) {}

    // `text` fitted into the box (millimetres), from `pixel_size` down; left-aligned or centred.
    void fitted(double x, double y, double w, double h, const QString& text, QFont f, int min_pixel_size,
                bool centred = false) {
        const FittedText fit = draw_fitted_text(painter_, QRectF(mm(x), mm(y), mm(w), mm(h)), text, std::move(f),
                                                min_pixel_size, centred ? TextAlign::Centre : TextAlign::Left);
        drawn_.texts << fit.lines.join(' ');
    }

    // A caption line (Vietnamese / English) and its value under it.
    void field(double x, double y, double w, const QString& caption, const QString& value, double value_height = 2.9) {
        fitted(x, y, w, 1.9, caption, print_font("DejaVu Sans", px(1.45)), px(1.0));
        fitted(x, y + 1.9, w, value_height, value, print_font("DejaVu Sans", px(2.35), true), px(1.4));
    }

    void photo(const QImage& image, double x, double y, double w, double h) {
        if (image.isNull()) return;
        painter_.drawImage(QRectF(mm(x), mm(y), mm(w), mm(h)), image);
        drawn_.photo = true;
    }

    void qr(const QString& text, double x, double y, double side) {
        painter_.drawImage(QRectF(mm(x), mm(y), mm(side), mm(side)), qr_code_image(text));
        drawn_.qr_text = text;
    }

    // The MRZ's three lines of 30 in a monospaced font of `pixel_size`, the first baseline at `y`.
    void mrz(const QString& mrz, double x, double y, int pixel_size) {
        const QFont f = print_font("DejaVu Sans Mono", pixel_size);
        painter_.setFont(f);
        const QFontMetricsF metrics(f);
        for (int i = 0; i < 3; ++i)
            painter_.drawText(QPointF(mm(x), mm(y) + metrics.ascent() + i * metrics.lineSpacing()), mrz.mid(i * 30, 30));
        drawn_.mrz = mrz;
    }

    // The chip's contact plate (on the back) or its symbol (on the front).
    void chip(double x, double y, double w, double h) {
        const QRectF plate(mm(x), mm(y), mm(w), mm(h));
        painter_.setPen(QPen(QColor(150, 120, 40), mm(0.15)));
        painter_.setBrush(QColor(222, 190, 100));
        painter_.drawRoundedRect(plate, mm(1), mm(1));
        painter_.drawLine(QPointF(plate.left(), plate.center().y()), QPointF(plate.right(), plate.center().y()));
        painter_.drawLine(QPointF(plate.center().x(), plate.top()), QPointF(plate.center().x(), plate.bottom()));
        reset_pen();
    }

    // The national emblem, diameter 12 mm (Circular 16/2024 Art. 3): a red disc with the gold star, a
    // stand-in for the artwork, which is not in this repository.
    void emblem(double cx, double cy, double r) {
        painter_.setPen(QPen(QColor(200, 160, 40), mm(0.3)));
        painter_.setBrush(QColor(200, 30, 30));
        painter_.drawEllipse(QPointF(mm(cx), mm(cy)), mm(r), mm(r));
        QPolygonF star;
        for (int i = 0; i < 10; ++i) {
            const double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
            const double radius = mm(i % 2 == 0 ? r * 0.6 : r * 0.24);
            star << QPointF(mm(cx) + radius * std::cos(angle), mm(cy) + radius * std::sin(angle));
        }
        painter_.setPen(Qt::NoPen);
        painter_.setBrush(QColor(250, 215, 60));
        painter_.drawPolygon(star);
        reset_pen();
    }

    void reset_pen() {
        painter_.setPen(Qt::black);
        painter_.setBrush(Qt::NoBrush);
    }

    QPainter& painter() { return painter_; }

private:
    QPainter& painter_;
    DrawnFace& drawn_;
};

// Circular 06/2021: the layout the station always printed, each line now fitted into its row, with the
// QR on the front as on real 2021 cards (the profile's qr_side).
void draw_2021(Side& s, const identity::EnrollmentRecord& record, const FaceData& d, CardSide side) {
    const auto& p = record.person;
    QPainter& painter = s.painter();
    if (side == CardSide::Front) {
        painter.fillRect(QRectF(0, 0, mm(kCardWidthMm), mm(kCardHeightMm)), QColor(235, 244, 250));
        const QFont title = print_font("DejaVu Sans", pt(7), true);
        s.fitted(2, 2, 82, 3.1, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", title, pt(5), true);
        s.fitted(2, 5.1, 82, 3.1, q(d.profile->title_vi), title, pt(5), true);
        s.photo(d.photo, 3, 13, 20, 26);
        double y = 14;
        auto field = [&](const QString& caption, const QString& value) {
            s.fitted(26, y - 2, 38, 4, caption + ": " + value, print_font("DejaVu Sans", pt(5)), pt(3.5));
            y += 4;
        };
        field("Số / No.", q(p.personal_id));
        field("Họ và tên / Full name", q(p.full_name));
        field("Ngày sinh / Date of birth", q(p.date_of_birth));
        field("Giới tính / Sex", q(p.sex));
        field("Quốc tịch / Nationality", q(p.nationality));
        field("Quê quán", q(p.place_of_origin));
        field("Nơi thường trú", q(p.place_of_residence));
        field("Có giá trị đến", d.expiry);
        s.qr(d.qr, 66, 12, 16);
        return;
    }
    painter.fillRect(QRectF(0, 0, mm(kCardWidthMm), mm(kCardHeightMm)), QColor(250, 250, 250));
    const QFont small = print_font("DejaVu Sans", pt(5));
    s.fitted(3, 4, 57, 4, "Đặc điểm nhận dạng: " + q(p.identifying_features), small, pt(3.5));
    s.fitted(3, 8, 57, 4, "Ngày cấp: " + q(p.date_of_issue) + (p.card_serial ? "   Số thẻ: " + q(*p.card_serial) : QString()), small,
             pt(3.5));
    s.mrz(d.mrz, 3, 36, pt(7));
}

// The pattern shading of Circular 16/2024 Art. 3: yellow in the middle to blue at the edges.
void background_2024(QPainter& painter) {
    QRadialGradient shade(QPointF(mm(kCardWidthMm / 2), mm(kCardHeightMm / 2)), mm(kCardWidthMm / 2));
    shade.setColorAt(0, QColor(252, 244, 200));
    shade.setColorAt(1, QColor(196, 222, 244));
    painter.fillRect(QRectF(0, 0, mm(kCardWidthMm), mm(kCardHeightMm)), shade);
}

// Circular 16/2024 Art. 3(4)-(7).
void draw_2024(Side& s, const identity::EnrollmentRecord& record, const FaceData& d, CardSide side) {
    const auto& p = record.person;
    background_2024(s.painter());
    if (side == CardSide::Front) {
        s.emblem(9, 7.5, 6);
        const QFont header = print_font("DejaVu Sans", px(2.0), true);
        s.fitted(16, 1.2, 68, 2.4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", header, px(1.4), true);
        s.fitted(16, 3.6, 68, 2.2, "Độc lập - Tự do - Hạnh phúc", print_font("DejaVu Sans", px(1.8)), px(1.3), true);
        s.fitted(16, 5.8, 68, 2.2, "SOCIALIST REPUBLIC OF VIET NAM", print_font("DejaVu Sans", px(1.7), true), px(1.3), true);
        s.fitted(16, 8.0, 68, 2.0, "Independence - Freedom - Happiness", print_font("DejaVu Sans", px(1.6)), px(1.2), true);
        s.painter().setPen(QColor(190, 25, 25));
        s.fitted(16, 10.2, 68, 4.4, q(d.profile->title_vi), print_font("DejaVu Sans", px(4.0), true), px(3.0), true);
        s.reset_pen();
        s.fitted(16, 14.4, 68, 2.4, q(d.profile->title_en), print_font("DejaVu Sans", px(2.0), true), px(1.5), true);
        s.chip(4, 16, 9, 6.5);
        const bool with_photo = d.profile->layout == identity::PrintedLayout::CanCuoc2024WithPhoto;
        if (with_photo) s.photo(d.photo, 3.5, 23.3, 20, 30);
        const double x = with_photo ? 25.5 : 16, w = 83 - x;
        s.field(x, 18, w, "Số định danh cá nhân / Personal identification number", q(p.personal_id));
        s.field(x, 24, w, "Họ, chữ đệm và tên khai sinh / Full name", q(p.full_name), 5.4);
        s.field(x, 32.6, w, "Ngày, tháng, năm sinh / Date of birth", q(p.date_of_birth));
        s.field(x, 38.6, 24, "Giới tính / Sex", q(p.sex));
        s.field(x + 25, 38.6, w - 25, "Quốc tịch / Nationality", q(p.nationality));
        return;
    }
    s.field(3, 2.5, 57, "Nơi cư trú / Place of residence", q(p.place_of_residence), 8.6);
    s.field(3, 13.8, 57, "Nơi đăng ký khai sinh / Place of birth", q(birth_registration_place(p)), 5.6);
    s.chip(4, 23, 11, 9);
    s.field(18, 22.6, 42, "Ngày, tháng, năm cấp / Date of issue", q(p.date_of_issue));
    s.field(18, 28.0, 42, "Ngày, tháng, năm hết hạn / Date of expiry", d.expiry);
    s.qr(d.qr, 64, 2.5, 18);
    s.fitted(58.5, 22.4, 27, 2.6, "BỘ CÔNG AN", print_font("DejaVu Sans", px(2.2), true), px(1.6), true);
    s.fitted(58.5, 25.0, 27, 2.2, "MINISTRY OF PUBLIC SECURITY", print_font("DejaVu Sans", px(1.5)), px(1.1), true);
    s.mrz(d.mrz, 7, 39.2, px(3.9));
}

DrawnFace draw_side(QPainter& painter, const QRectF& target, const identity::EnrollmentRecord& record, const FaceData& d,
                    CardSide side) {
    DrawnFace drawn;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.translate(target.topLeft());
    painter.scale(target.width() / mm(kCardWidthMm), target.height() / mm(kCardHeightMm));
    painter.setClipRect(QRectF(0, 0, mm(kCardWidthMm), mm(kCardHeightMm)));
    Side s(painter, drawn);
    s.reset_pen();
    if (d.profile->layout == identity::PrintedLayout::Cccd2021) draw_2021(s, record, d, side);
    else draw_2024(s, record, d, side);
    painter.restore();
    return drawn;
}

}  // namespace

// Assumption F1 (docs/card-profiles.md): the place of birth registration ("Nơi đăng ký khai sinh") is not
// a field of identity::Person or of the 2021 DG13; the closest the register keeps is the place of origin
// (quê quán, DG13 field 8), which this system prints there until the register records the place of birth
// registration. Change it here.
std::string birth_registration_place(const identity::Person& person) { return person.place_of_origin; }

QString card_qr_text(const identity::EnrollmentRecord& record) {
    const identity::CardProfile& profile = identity::profile_of(record);
    return q(identity::write_card_qr(identity::card_qr_of(record.person, profile.qr_format, profile.qr_parents)));
}

DrawnFace draw_card_face(QPainter& painter, const QRectF& target, const identity::EnrollmentRecord& record, CardSide side) {
    return draw_side(painter, target, record, face_data(record), side);
}

QImage card_face_image(const identity::EnrollmentRecord& record, CardSide side, double dots_per_mm) {
    const FaceData d = face_data(record);
    QImage image(static_cast<int>(std::lround(kCardWidthMm * dots_per_mm)), static_cast<int>(std::lround(kCardHeightMm * dots_per_mm)),
                 QImage::Format_RGB32);
    image.setDotsPerMeterX(static_cast<int>(std::lround(dots_per_mm * 1000)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(dots_per_mm * 1000)));
    image.fill(Qt::white);
    QPainter painter(&image);
    draw_side(painter, QRectF(image.rect()), record, d, side);
    return image;
}

void write_card_face_pdf(const identity::EnrollmentRecord& record, const QString& path) {
    const FaceData d = face_data(record);  // every refusal before the file is created
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QSizeF(kCardWidthMm, kCardHeightMm), QPageSize::Millimeter));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(600);
    pdf.setTitle(q(d.profile->title_vi));
    QPainter painter;
    if (!painter.begin(&pdf)) throw Error("cannot write the card face to " + path.toStdString());
    const QRectF page(0, 0, pdf.width(), pdf.height());
    draw_side(painter, page, record, d, CardSide::Front);
    pdf.newPage();
    draw_side(painter, page, record, d, CardSide::Back);
    painter.end();
}

}  // namespace cccd::station
