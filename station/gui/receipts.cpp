#include "station/gui/receipts.hpp"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QPrintDialog>
#include <QPrinter>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "base/error.hpp"
#include "identity/card_profile.hpp"
#include "station/gui/card_face.hpp"  // birth_registration_place: the receipt says what the card will say
#include "station/gui/print_text.hpp"

namespace cccd::station {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The form's own wording: Vietnamese whatever the window's language (assumption R1), marked for Qt
// Linguist (QT_TRANSLATE_NOOP at each call) so a translator sees it.
QString form(const char* vietnamese) { return QString::fromUtf8(vietnamese); }

// The window's words (the print dialog, the gaps): the installed translation.
QString words(const char* vietnamese) { return QCoreApplication::translate("Receipts", vietnamese); }

// The drawing's units, hundredths of a millimetre, as the card face.
constexpr double kUnitsPerMm = 100.0;
constexpr double mm(double v) { return v * kUnitsPerMm; }
int pt(double points) { return static_cast<int>(std::lround(points * 25.4 / 72.0 * kUnitsPerMm)); }

const QString kFamily = QStringLiteral("DejaVu Sans");

QString dmy(const QDate& date) { return date.toString(QStringLiteral("dd/MM/yyyy")); }

// "Hà Nội, ngày 05 tháng 02 năm 2025": a zero before a day below 10 and before months 1 and 2, as
// Vietnamese administrative papers write the date of signing (assumption R6).
QString place_and_date(const ReceiptContext& c) {
    const QDate d = c.received_on;
    const QString day = QStringLiteral("%1").arg(d.day(), 2, 10, QLatin1Char('0'));
    const QString month = d.month() <= 2 ? QStringLiteral("%1").arg(d.month(), 2, 10, QLatin1Char('0')) : QString::number(d.month());
    return form(QT_TRANSLATE_NOOP("Receipts", "%1, ngày %2 tháng %3 năm %4")).arg(q(c.locality), day, month, QString::number(d.year()));
}

QString procedure_words(ReceiptProcedure p) {
    switch (p) {
        case ReceiptProcedure::Issue: return form(QT_TRANSLATE_NOOP("Receipts", "Cấp thẻ căn cước"));
        case ReceiptProcedure::Renewal: return form(QT_TRANSLATE_NOOP("Receipts", "Cấp đổi thẻ căn cước"));
        case ReceiptProcedure::Reissue: return form(QT_TRANSLATE_NOOP("Receipts", "Cấp lại thẻ căn cước"));
    }
    return {};
}

QString card_return_words(const ReceiptContext& c) {
    if (c.card_return == CardReturn::ByPost)
        return form(QT_TRANSLATE_NOOP("Receipts", "Qua dịch vụ bưu chính, đến địa chỉ: %1")).arg(q(c.postal_address));
    return form(QT_TRANSLATE_NOOP("Receipts", "Nhận trực tiếp tại: %1")).arg(q(c.return_place));
}

void refuse_gaps(const ReceiptContext& context) {
    if (const std::vector<ReceiptGap> gaps = receipt_gaps(context); !gaps.empty())
        throw InvalidArgument("the receipt's context is incomplete (" + std::to_string(gaps.size()) +
                              " gaps, first " + std::to_string(static_cast<int>(gaps.front())) + ")");
}

// Draws a form in millimetres from the page's top left corner, and notes what it drew.
class Form {
public:
    Form(QPainter& painter, DrawnReceipt& drawn) : painter_(painter), drawn_(drawn) {}

    // `text` fitted into the box (millimetres), from `points` down to `min_points`; returns the height
    // in millimetres its lines take.
    double text(double x, double y, double w, double h, const QString& text, double points, bool bold = false,
                TextAlign align = TextAlign::Left, double min_points = 7.0, bool italic = false) {
        QFont f = print_font(kFamily, pt(points), bold);
        f.setItalic(italic);
        const FittedText fit =
            draw_fitted_text(painter_, QRectF(mm(x), mm(y), mm(w), mm(h)), text, f, pt(min_points), align);
        drawn_.texts << fit.lines.join(' ');
        if (!fit.legible) drawn_.legible = false;
        f.setPixelSize(fit.pixel_size);
        const double used = text_block_height(f, fit.lines.size()) / kUnitsPerMm;
        note_bottom(y + used);
        return used;
    }

    // The width `text` takes at `points`, in millimetres.
    double width_of(const QString& text, double points, bool bold = false) const {
        return QFontMetricsF(print_font(kFamily, pt(points), bold)).horizontalAdvance(text) / kUnitsPerMm;
    }

    // One line's height at `points`, in millimetres.
    double line_height(double points) const { return text_block_height(print_font(kFamily, pt(points)), 1) / kUnitsPerMm; }

    // "label: value" from (x, y) in a width `w`: the label in regular type, the value in bold after it,
    // wrapped under itself in at most `max_lines` lines; an empty value is a dotted line to fill in by hand.
    // Returns the height used, in millimetres.
    double field(double x, double y, double w, const QString& label, const QString& value, double points,
                 int max_lines = 1) {
        const double label_width = std::min(width_of(label, points) + 1.2, w * 0.7);
        const double label_height = text(x, y, label_width, line_height(points), label, points);
        const double vx = x + label_width, vw = w - label_width;
        if (value.isEmpty()) {
            const double baseline = y + line_height(points) * 0.8;
            painter_.setPen(QPen(Qt::black, mm(0.2), Qt::DotLine));
            painter_.drawLine(QPointF(mm(vx), mm(baseline)), QPointF(mm(x + w), mm(baseline)));
            reset_pen();
            return std::max(label_height, line_height(points));
        }
        return std::max(label_height, text(vx, y, vw, line_height(points) * max_lines + 0.01, value, points, true));
    }

    void rule(double x1, double x2, double y, double width = 0.25) {
        painter_.setPen(QPen(Qt::black, mm(width)));
        painter_.drawLine(QPointF(mm(x1), mm(y)), QPointF(mm(x2), mm(y)));
        reset_pen();
    }

    void frame(double x, double y, double w, double h) {
        painter_.setPen(QPen(Qt::black, mm(0.25)));
        painter_.setBrush(Qt::NoBrush);
        painter_.drawRect(QRectF(mm(x), mm(y), mm(w), mm(h)));
        reset_pen();
        note_bottom(y + h);
    }

    // A square box, ticked or not, `side` millimetres.
    void checkbox(double x, double y, double side, bool ticked) {
        frame(x, y, side, side);
        if (!ticked) return;
        painter_.setPen(QPen(Qt::black, mm(0.35)));
        painter_.drawLine(QPointF(mm(x + side * 0.2), mm(y + side * 0.55)), QPointF(mm(x + side * 0.42), mm(y + side * 0.8)));
        painter_.drawLine(QPointF(mm(x + side * 0.42), mm(y + side * 0.8)), QPointF(mm(x + side * 0.82), mm(y + side * 0.2)));
        reset_pen();
    }

    // The photo inside the frame (x, y, w, h), its proportions kept and centred.
    void photo(const QImage& image, double x, double y, double w, double h) {
        if (image.isNull()) return;
        const double scale = std::min(w / image.width(), h / image.height());
        const double pw = image.width() * scale, ph = image.height() * scale;
        painter_.drawImage(QRectF(mm(x + (w - pw) / 2), mm(y + (h - ph) / 2), mm(pw), mm(ph)), image);
        drawn_.photo = true;
    }

    void qr(const QString& text, double x, double y, double side) {
        painter_.drawImage(QRectF(mm(x), mm(y), mm(side), mm(side)), qr_code_image(text));
        drawn_.qr_text = text;
        note_bottom(y + side);
    }

    void reset_pen() {
        painter_.setPen(Qt::black);
        painter_.setBrush(Qt::NoBrush);
    }

private:
    void note_bottom(double y) { drawn_.bottom_mm = std::max(drawn_.bottom_mm, y); }

    QPainter& painter_;
    DrawnReceipt& drawn_;
};

// Paints `draw` onto `page`, the paper `width_mm` x `height_mm` scaled to fill it.
template <typename Draw>
DrawnReceipt on_page(QPainter& painter, const QRectF& page, double width_mm, double height_mm, Draw&& draw) {
    DrawnReceipt drawn;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.translate(page.topLeft());
    painter.scale(page.width() / mm(width_mm), page.height() / mm(height_mm));
    painter.setClipRect(QRectF(0, 0, mm(width_mm), mm(height_mm)));
    Form f(painter, drawn);
    f.reset_pen();
    std::forward<Draw>(draw)(f);
    painter.restore();
    return drawn;
}

// The two headings every administrative paper carries: the office on the left, the state's motto on the
// right, each underlined; the form's number above them in the right corner. Returns where it ends.
double heading(Form& f, const ReceiptContext& c, double left, double right, double top, double points,
               const QString& form_citation) {
    const double width = right - left, split = left + width * 0.42;
    f.text(left, top - 6.5, width, 4, form_citation, points - 2.5, false, TextAlign::Right, 5.5, true);
    double y = top;
    if (!c.superior_office.empty())
        y += f.text(left, y, split - left, f.line_height(points) * 2, q(c.superior_office), points, false, TextAlign::Centre, 6.5);
    y += f.text(left, y, split - left, f.line_height(points) * 2, q(c.office).toUpper(), points, true, TextAlign::Centre, 6.5);
    f.rule(left + (split - left) * 0.3, left + (split - left) * 0.7, y + 1.5);
    double r = top;
    r += f.text(split, r, right - split, f.line_height(points), form(QT_TRANSLATE_NOOP("Receipts", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
                points, true, TextAlign::Centre, 6.0);
    r += f.text(split, r, right - split, f.line_height(points + 0.5), form(QT_TRANSLATE_NOOP("Receipts", "Độc lập - Tự do - Hạnh phúc")),
                points + 0.5, true, TextAlign::Centre, 6.0);
    const double motto = f.width_of(form("Độc lập - Tự do - Hạnh phúc"), points + 0.5, true);
    const double centre = (split + right) / 2;
    f.rule(centre - motto / 2, centre + motto / 2, r + 1.5);
    return std::max(y, r) + 3;
}

// The signature block: a title, "(Ký, ghi rõ họ tên)", room to sign, the name. Returns its bottom.
double signature(Form& f, double x, double y, double w, const QString& title, const QString& name, double points,
                 double room = 20) {
    y += f.text(x, y, w, f.line_height(points) * 2, title, points, true, TextAlign::Centre);
    y += f.text(x, y, w, f.line_height(points - 1), form(QT_TRANSLATE_NOOP("Receipts", "(Ký, ghi rõ họ tên)")), points - 1, false,
                TextAlign::Centre, 6.0, true);
    y += room;
    return y + f.text(x, y, w, f.line_height(points) * 2, name, points, true, TextAlign::Centre);
}

// CC01 on A4: heading, title, the receipt's code and the photo, then the citizen's information as the card
// will carry it, the representative, the card asked for and how it is returned, the citizen's check and
// the two signatures.
void draw_cc01(Form& f, const identity::EnrollmentRecord& record, const ReceiptContext& c) {
    const identity::CardProfile& profile = identity::profile_of(record);
    const identity::Person& p = record.person;
    constexpr double left = 20, right = 195, width = right - left, body = 10.5;
    const double row_gap = 1.6;

    double y = heading(f, c, left, right, 16, 10,
                       form(QT_TRANSLATE_NOOP("Receipts", "Mẫu CC01 ban hành kèm theo Thông tư số 17/2024/TT-BCA ngày 15/5/2024")));
    y += 3;
    y += f.text(left, y, width, 8, form(QT_TRANSLATE_NOOP("Receipts", "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC")), 15, true,
                TextAlign::Centre, 10);
    y += 5;

    // The code and the desk on the left, the code's QR in the middle, the photo on the right.
    const double photo_w = 30, photo_h = 40, photo_x = right - photo_w, qr_side = 22, qr_x = photo_x - 5 - qr_side;
    const double block_top = y, info_w = qr_x - 4 - left;
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Mã hồ sơ:")), q(c.receipt_code), body, 2) + row_gap;
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Ngày tiếp nhận:")), dmy(c.received_on), body) + row_gap;
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Nơi tiếp nhận:")), q(c.office), body, 2) + row_gap;
    QString officer = q(c.officer_name);
    if (!c.officer_id.empty()) officer += " (" + q(c.officer_id) + ")";
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Cán bộ thu nhận:")), officer, body, 2) + row_gap;
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Loại thẻ:")), q(profile.name_vi), body) + row_gap;
    y += f.field(left, y, info_w, form(QT_TRANSLATE_NOOP("Receipts", "Có giá trị đến:")), q(p.date_of_expiry), body) + row_gap;
    f.qr(q(c.receipt_code), qr_x, block_top, qr_side);
    f.frame(photo_x, block_top, photo_w, photo_h);
    if (profile.enrollment.photo) {
        QImage image;
        if (!record.photo_jpeg.empty())
            image.loadFromData(record.photo_jpeg.data(), static_cast<int>(record.photo_jpeg.size()), "JPEG");
        f.photo(image, photo_x + 0.5, block_top + 0.5, photo_w - 1, photo_h - 1);
    } else {
        // Assumption R5: no photo is taken under 6; the frame says so rather than stay empty.
        f.text(photo_x + 2, block_top + photo_h / 2 - 5, photo_w - 4, 10,
               form(QT_TRANSLATE_NOOP("Receipts", "Không thu nhận ảnh (dưới 6 tuổi)")), 8, false, TextAlign::Centre, 6);
    }
    f.text(photo_x - 2, block_top + photo_h + 0.8, photo_w + 4, 4, form(QT_TRANSLATE_NOOP("Receipts", "Ảnh chân dung")), 8, false,
           TextAlign::Centre, 6, true);
    y = std::max(y, block_top + photo_h + 5) + 2;

    auto section = [&](const char* title) {
        y += f.text(left, y, width, 6, form(title), 11, true) + 1;
        f.rule(left, right, y, 0.15);
        y += 1.8;
    };
    auto row = [&](const QString& label, const QString& value, int max_lines = 1) {
        y += f.field(left, y, width, label, value, body, max_lines) + row_gap;
    };
    // Two fields side by side, the first in `split` of the width.
    auto pair = [&](const QString& l1, const QString& v1, const QString& l2, const QString& v2, double split = 0.5) {
        const double first = width * split;
        const double h = std::max(f.field(left, y, first - 4, l1, v1, body), f.field(left + first, y, width - first, l2, v2, body));
        y += h + row_gap;
    };
    QStringList cancelled;
    for (const std::string& id : p.cancelled_ids) cancelled << q(id);

    section(QT_TRANSLATE_NOOP("Receipts", "I. THÔNG TIN NGƯỜI ĐƯỢC CẤP THẺ"));
    row(form(QT_TRANSLATE_NOOP("Receipts", "1. Họ, chữ đệm và tên khai sinh:")), q(p.full_name), 2);
    pair(form(QT_TRANSLATE_NOOP("Receipts", "2. Số định danh cá nhân:")), q(p.personal_id),
         form(QT_TRANSLATE_NOOP("Receipts", "3. Giới tính:")), q(p.sex), 0.58);
    pair(form(QT_TRANSLATE_NOOP("Receipts", "4. Ngày, tháng, năm sinh:")), q(p.date_of_birth),
         form(QT_TRANSLATE_NOOP("Receipts", "5. Quốc tịch:")), q(p.nationality), 0.58);
    pair(form(QT_TRANSLATE_NOOP("Receipts", "6. Dân tộc:")), q(p.ethnicity), form(QT_TRANSLATE_NOOP("Receipts", "7. Tôn giáo:")),
         q(p.religion), 0.58);
    row(form(QT_TRANSLATE_NOOP("Receipts", "8. Quê quán:")), q(p.place_of_origin), 2);
    row(form(QT_TRANSLATE_NOOP("Receipts", "9. Nơi đăng ký khai sinh:")), q(birth_registration_place(p)), 2);
    row(form(QT_TRANSLATE_NOOP("Receipts", "10. Nơi cư trú:")), q(p.place_of_residence), 4);
    row(form(QT_TRANSLATE_NOOP("Receipts", "11. Đặc điểm nhân dạng:")), q(p.identifying_features), 2);
    row(form(QT_TRANSLATE_NOOP("Receipts", "12. Họ, chữ đệm và tên của cha:")), q(p.father_name));
    row(form(QT_TRANSLATE_NOOP("Receipts", "13. Họ, chữ đệm và tên của mẹ:")), q(p.mother_name));
    row(form(QT_TRANSLATE_NOOP("Receipts", "14. Họ, chữ đệm và tên của vợ (chồng):")), q(p.spouse_name.value_or("")));
    pair(form(QT_TRANSLATE_NOOP("Receipts", "15. Số CMND (9 số):")), q(p.old_id.value_or("")),
         form(QT_TRANSLATE_NOOP("Receipts", "16. Số định danh cá nhân đã bị hủy:")), cancelled.join(", "), 0.42);

    if (record.representative) {
        const identity::Representative& r = *record.representative;
        section(QT_TRANSLATE_NOOP("Receipts", "II. NGƯỜI ĐẠI DIỆN HỢP PHÁP"));
        row(form(QT_TRANSLATE_NOOP("Receipts", "Họ, chữ đệm và tên:")), q(r.full_name), 2);
        pair(form(QT_TRANSLATE_NOOP("Receipts", "Số định danh cá nhân:")), q(r.personal_id),
             form(QT_TRANSLATE_NOOP("Receipts", "Quan hệ với người được cấp thẻ:")), q(r.relationship), 0.5);
    }

    section(record.representative ? QT_TRANSLATE_NOOP("Receipts", "III. THẺ ĐỀ NGHỊ CẤP VÀ NƠI TRẢ THẺ")
                                  : QT_TRANSLATE_NOOP("Receipts", "II. THẺ ĐỀ NGHỊ CẤP VÀ NƠI TRẢ THẺ"));
    // The three procedures as ticked boxes.
    {
        const double label_w = f.width_of(form("Thủ tục:"), body) + 2;
        f.text(left, y, label_w, f.line_height(body), form(QT_TRANSLATE_NOOP("Receipts", "Thủ tục:")), body);
        double x = left + label_w;
        const double box = f.line_height(body) * 0.7;
        for (const ReceiptProcedure procedure : {ReceiptProcedure::Issue, ReceiptProcedure::Renewal, ReceiptProcedure::Reissue}) {
            f.checkbox(x, y + f.line_height(body) * 0.15, box, procedure == c.procedure);
            const QString name = procedure_words(procedure);
            f.text(x + box + 1.5, y, f.width_of(name, body, procedure == c.procedure) + 1, f.line_height(body), name, body,
                   procedure == c.procedure);
            x += box + 1.5 + f.width_of(name, body, true) + 8;
        }
        y += f.line_height(body) + row_gap;
    }
    row(form(QT_TRANSLATE_NOOP("Receipts", "Hình thức nhận thẻ:")), card_return_words(c), 4);
    row(form(QT_TRANSLATE_NOOP("Receipts", "Ngày hẹn trả kết quả:")), dmy(c.return_on));

    y += 2;
    y += f.text(left, y, width, f.line_height(body) * 2,
                form(QT_TRANSLATE_NOOP("Receipts", "Tôi đã kiểm tra các thông tin trên phiếu này và xác nhận các thông tin đó là đúng.")),
                body, false, TextAlign::Left, 7, true) +
         3;

    // The officer on the left; the citizen, or the child's representative, on the right under the date.
    const double half = width / 2;
    f.text(left + half, y, half, f.line_height(body), place_and_date(c), body, false, TextAlign::Centre, 7, true);
    y += f.line_height(body) + 1;
    // The room to sign shrinks (not below 12 mm) when long values took the page: the names stay on it.
    const double room = std::clamp(kReceiptCc01HeightMm - 12 - y - 18, 12.0, 22.0);
    const bool by_representative = record.representative.has_value();
    signature(f, left, y, half, form(QT_TRANSLATE_NOOP("Receipts", "CÁN BỘ THU NHẬN")), q(c.officer_name), body, room);
    signature(f, left + half, y, half,
              by_representative ? form(QT_TRANSLATE_NOOP("Receipts", "NGƯỜI ĐẠI DIỆN HỢP PHÁP"))
                                : form(QT_TRANSLATE_NOOP("Receipts", "NGƯỜI ĐỀ NGHỊ CẤP THẺ")),
              by_representative ? q(record.representative->full_name) : q(p.full_name), body, room);
}

// CC02 on A5: heading, title, the code and its QR, who applied and for what, the appointment, how the card
// is returned, the officer's signature.
void draw_cc02(Form& f, const identity::EnrollmentRecord& record, const ReceiptContext& c) {
    (void)identity::profile_of(record);  // the same refusal as CC01 for a record without a profile
    const identity::Person& p = record.person;
    constexpr double left = 12, right = 136, width = right - left, body = 9.5;
    const double row_gap = 1.4;

    double y = heading(f, c, left, right, 13, 8,
                       form(QT_TRANSLATE_NOOP("Receipts", "Mẫu CC02 ban hành kèm theo Thông tư số 17/2024/TT-BCA ngày 15/5/2024")));
    y += 3;
    y += f.text(left, y, width, 12,
                form(QT_TRANSLATE_NOOP("Receipts", "GIẤY HẸN TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC")), 12.5, true, TextAlign::Centre,
                9);
    y += 4;

    const double qr_side = 20, qr_x = right - qr_side, info_w = qr_x - 3 - left, block_top = y;
    f.qr(q(c.receipt_code), qr_x, block_top, qr_side);
    // A field across `w` millimetres (0: the whole width).
    auto row = [&](const QString& label, const QString& value, int max_lines = 1, double w = 0) {
        y += f.field(left, y, w > 0 ? w : width, label, value, body, max_lines) + row_gap;
    };
    row(form(QT_TRANSLATE_NOOP("Receipts", "Mã hồ sơ:")), q(c.receipt_code), 2, info_w);
    row(form(QT_TRANSLATE_NOOP("Receipts", "Họ, chữ đệm và tên:")), q(p.full_name), 2, info_w);
    row(form(QT_TRANSLATE_NOOP("Receipts", "Số định danh cá nhân:")), q(p.personal_id), 1, info_w);
    row(form(QT_TRANSLATE_NOOP("Receipts", "Ngày, tháng, năm sinh:")), q(p.date_of_birth), 1, info_w);
    y = std::max(y, block_top + qr_side + 2);
    row(form(QT_TRANSLATE_NOOP("Receipts", "Nơi cư trú:")), q(p.place_of_residence), 5);
    if (record.representative) {
        const identity::Representative& r = *record.representative;
        row(form(QT_TRANSLATE_NOOP("Receipts", "Người đại diện hợp pháp:")),
            form(QT_TRANSLATE_NOOP("Receipts", "%1 (%2), số định danh %3")).arg(q(r.full_name), q(r.relationship), q(r.personal_id)),
            2);
    }
    row(form(QT_TRANSLATE_NOOP("Receipts", "Thủ tục:")), procedure_words(c.procedure));
    row(form(QT_TRANSLATE_NOOP("Receipts", "Ngày tiếp nhận hồ sơ:")), dmy(c.received_on));
    y += 1;
    y += f.field(left, y, width, form(QT_TRANSLATE_NOOP("Receipts", "Ngày hẹn trả kết quả:")), dmy(c.return_on), body + 2) + row_gap;
    row(form(QT_TRANSLATE_NOOP("Receipts", "Hình thức nhận kết quả:")), card_return_words(c), 6);
    if (c.card_return == CardReturn::InPerson) {
        y += f.text(left, y, width, f.line_height(body - 0.5) * 2,
                    form(QT_TRANSLATE_NOOP("Receipts", "Khi đến nhận thẻ, mang theo giấy hẹn này.")), body - 0.5, false,
                    TextAlign::Left, 6.5, true) +
             row_gap;
    }

    y += 3;
    const double half = width * 0.55;
    f.text(right - half, y, half, f.line_height(body), place_and_date(c), body - 0.5, false, TextAlign::Centre, 6.5, true);
    y += f.line_height(body) + 1;
    signature(f, right - half, y, half, form(QT_TRANSLATE_NOOP("Receipts", "CÁN BỘ TIẾP NHẬN")), q(c.officer_name), body, 16);
}

DrawnReceipt render_cc01(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                         const ReceiptContext& context) {
    return on_page(painter, page, kReceiptCc01WidthMm, kReceiptCc01HeightMm, [&](Form& f) { draw_cc01(f, record, context); });
}

DrawnReceipt render_cc02(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                         const ReceiptContext& context) {
    return on_page(painter, page, kAppointmentCc02WidthMm, kAppointmentCc02HeightMm,
                   [&](Form& f) { draw_cc02(f, record, context); });
}

using Render = DrawnReceipt (*)(QPainter&, const QRectF&, const identity::EnrollmentRecord&, const ReceiptContext&);

QImage image_of(Render render, double width_mm, double height_mm, const identity::EnrollmentRecord& record,
                const ReceiptContext& context, double dots_per_mm) {
    refuse_gaps(context);
    (void)identity::profile_of(record);
    QImage image(static_cast<int>(std::lround(width_mm * dots_per_mm)), static_cast<int>(std::lround(height_mm * dots_per_mm)),
                 QImage::Format_RGB32);
    image.setDotsPerMeterX(static_cast<int>(std::lround(dots_per_mm * 1000)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(dots_per_mm * 1000)));
    image.fill(Qt::white);
    QPainter painter(&image);
    render(painter, QRectF(image.rect()), record, context);
    return image;
}

void pdf_of(Render render, double width_mm, double height_mm, const QString& title, const identity::EnrollmentRecord& record,
            const ReceiptContext& context, const QString& path) {
    refuse_gaps(context);
    (void)identity::profile_of(record);  // every refusal before the file is created
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QSizeF(width_mm, height_mm), QPageSize::Millimeter));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(600);
    pdf.setTitle(title);
    QPainter painter;
    if (!painter.begin(&pdf)) throw Error("cannot write the receipt to " + path.toStdString());
    render(painter, QRectF(0, 0, pdf.width(), pdf.height()), record, context);
    painter.end();
}

}  // namespace

std::vector<ReceiptGap> receipt_gaps(const ReceiptContext& c) {
    std::vector<ReceiptGap> gaps;
    auto blank = [](const std::string& s) { return QString::fromStdString(s).trimmed().isEmpty(); };
    if (blank(c.receipt_code)) gaps.push_back(ReceiptGap::NoReceiptCode);
    if (blank(c.office)) gaps.push_back(ReceiptGap::NoOffice);
    if (blank(c.locality)) gaps.push_back(ReceiptGap::NoLocality);
    if (blank(c.officer_name)) gaps.push_back(ReceiptGap::NoOfficer);
    if (!c.received_on.isValid()) gaps.push_back(ReceiptGap::NoReceivedDate);
    if (!c.return_on.isValid()) gaps.push_back(ReceiptGap::NoReturnDate);
    else if (c.received_on.isValid() && c.return_on < c.received_on) gaps.push_back(ReceiptGap::ReturnBeforeReceived);
    if (c.card_return == CardReturn::InPerson && blank(c.return_place)) gaps.push_back(ReceiptGap::NoReturnPlace);
    if (c.card_return == CardReturn::ByPost && blank(c.postal_address)) gaps.push_back(ReceiptGap::NoPostalAddress);
    return gaps;
}

QString receipt_gap_words(ReceiptGap gap) {
    switch (gap) {
        case ReceiptGap::NoReceiptCode: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu mã hồ sơ"));
        case ReceiptGap::NoOffice: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu cơ quan tiếp nhận"));
        case ReceiptGap::NoLocality: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu địa danh nơi lập phiếu"));
        case ReceiptGap::NoOfficer: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu họ tên cán bộ thu nhận"));
        case ReceiptGap::NoReceivedDate: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu ngày tiếp nhận hồ sơ"));
        case ReceiptGap::NoReturnDate: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu ngày hẹn trả kết quả"));
        case ReceiptGap::ReturnBeforeReceived:
            return words(QT_TRANSLATE_NOOP("Receipts", "Ngày hẹn trả kết quả trước ngày tiếp nhận hồ sơ"));
        case ReceiptGap::NoReturnPlace: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu nơi trả thẻ"));
        case ReceiptGap::NoPostalAddress: return words(QT_TRANSLATE_NOOP("Receipts", "Thiếu địa chỉ nhận thẻ qua bưu chính"));
    }
    return {};
}

DrawnReceipt render_receipt_cc01(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                                 const ReceiptContext& context) {
    refuse_gaps(context);
    return render_cc01(painter, page, record, context);
}

DrawnReceipt render_appointment_cc02(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                                     const ReceiptContext& context) {
    refuse_gaps(context);
    return render_cc02(painter, page, record, context);
}

QImage receipt_cc01_image(const identity::EnrollmentRecord& record, const ReceiptContext& context, double dots_per_mm) {
    return image_of(render_cc01, kReceiptCc01WidthMm, kReceiptCc01HeightMm, record, context, dots_per_mm);
}

QImage appointment_cc02_image(const identity::EnrollmentRecord& record, const ReceiptContext& context, double dots_per_mm) {
    return image_of(render_cc02, kAppointmentCc02WidthMm, kAppointmentCc02HeightMm, record, context, dots_per_mm);
}

void write_receipt_cc01_pdf(const identity::EnrollmentRecord& record, const ReceiptContext& context, const QString& path) {
    pdf_of(render_cc01, kReceiptCc01WidthMm, kReceiptCc01HeightMm, form("Phiếu thu nhận thông tin căn cước"), record, context,
           path);
}

void write_appointment_cc02_pdf(const identity::EnrollmentRecord& record, const ReceiptContext& context, const QString& path) {
    pdf_of(render_cc02, kAppointmentCc02WidthMm, kAppointmentCc02HeightMm,
           form("Giấy hẹn trả kết quả giải quyết thủ tục về căn cước"), record, context, path);
}

void print_receipts_on(QPrinter& printer, const identity::EnrollmentRecord& record, const ReceiptContext& context) {
    refuse_gaps(context);
    (void)identity::profile_of(record);
    printer.setFullPage(true);
    printer.setPageOrientation(QPageLayout::Portrait);
    printer.setPageSize(QPageSize(QPageSize::A4));
    QPainter painter;
    if (!painter.begin(&printer)) throw Error("cannot print the receipts: the printer refuses to start");
    render_cc01(painter, printer.paperRect(QPrinter::DevicePixel), record, context);
    printer.setPageSize(QPageSize(QPageSize::A5));  // takes effect on the next page
    if (!printer.newPage()) throw Error("cannot print the receipts: the printer refuses a second page");
    render_cc02(painter, printer.paperRect(QPrinter::DevicePixel), record, context);
    painter.end();
}

bool print_receipts(QWidget* parent, const identity::EnrollmentRecord& record, const ReceiptContext& context) {
    refuse_gaps(context);
    (void)identity::profile_of(record);
    QPrinter printer(QPrinter::HighResolution);
    printer.setDocName(words(QT_TRANSLATE_NOOP("Receipts", "Phiếu thu nhận và giấy hẹn")) + ' ' + q(context.receipt_code));
    QPrintDialog dialog(&printer, parent);
    dialog.setWindowTitle(words(QT_TRANSLATE_NOOP("Receipts", "In phiếu thu nhận (CC01) và giấy hẹn (CC02)")));
    if (dialog.exec() != QDialog::Accepted) return false;
    print_receipts_on(printer, record, context);
    return true;
}

QDate add_working_days(QDate from, int working_days) {
    QDate day = from;
    while (working_days > 0) {
        day = day.addDays(1);
        if (day.dayOfWeek() <= 5) --working_days;  // Monday 1 .. Friday 5
    }
    return day;
}

}  // namespace cccd::station
