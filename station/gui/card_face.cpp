#include "station/gui/card_face.hpp"

#include <qrencode.h>

#include <QFont>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include <memory>

#include "base/error.hpp"
#include "card/perso/card_files.hpp"
#include "identity/card_qr.hpp"

namespace cccd::station {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QString cccd_qr_text(const identity::EnrollmentRecord& r) {
    return q(identity::write_card_qr(identity::card_qr_of(r.person, identity::QrFormat::Cccd2021)));
}

void write_card_face_pdf(const identity::EnrollmentRecord& record, const QString& path) {
    const QString mrz = QString::fromStdString(perso::mrz_of(record));  // 90 characters: three lines of 30
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QSizeF(85.6, 53.98), QPageSize::Millimeter));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(600);
    pdf.setTitle("CCCD");
    QPainter painter;
    if (!painter.begin(&pdf)) throw Error("cannot write the card face to " + path.toStdString());
    const double dots_per_mm = 600 / 25.4;
    auto mm = [&](double v) { return static_cast<int>(v * dots_per_mm); };
    const auto& p = record.person;

    // Front.
    painter.fillRect(QRect(0, 0, mm(85.6), mm(53.98)), QColor(235, 244, 250));
    QFont title("DejaVu Sans", 7, QFont::Bold);
    painter.setFont(title);
    painter.drawText(QRect(mm(2), mm(2), mm(82), mm(8)), Qt::AlignHCenter,
                     "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCĂN CƯỚC CÔNG DÂN");
    QImage photo;
    photo.loadFromData(record.photo_jpeg.data(), static_cast<int>(record.photo_jpeg.size()), "JPEG");
    if (!photo.isNull()) painter.drawImage(QRect(mm(3), mm(13), mm(20), mm(26)), photo);
    painter.setFont(QFont("DejaVu Sans", 5));
    int y = 14;
    auto field = [&](const QString& caption, const QString& value) {
        painter.drawText(QPoint(mm(26), mm(y)), caption + ": " + value);
        y += 4;
    };
    field("Số / No.", q(p.personal_id));
    field("Họ và tên / Full name", q(p.full_name));
    field("Ngày sinh / Date of birth", q(p.date_of_birth));
    field("Giới tính / Sex", q(p.sex));
    field("Quốc tịch / Nationality", q(p.nationality));
    field("Quê quán", q(p.place_of_origin));
    field("Nơi thường trú", q(p.place_of_residence));
    field("Có giá trị đến", q(p.date_of_expiry));

    // Back.
    pdf.newPage();
    painter.fillRect(QRect(0, 0, mm(85.6), mm(53.98)), QColor(250, 250, 250));
    painter.setFont(QFont("DejaVu Sans", 5));
    painter.drawText(QPoint(mm(3), mm(6)), "Đặc điểm nhận dạng: " + q(p.identifying_features));
    painter.drawText(QPoint(mm(3), mm(10)), "Ngày cấp: " + q(p.date_of_issue) + (p.card_serial ? "   Số thẻ: " + q(*p.card_serial) : QString()));
    const QByteArray qr_text = cccd_qr_text(record).toUtf8();
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(qr_text.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (code) {
        const int side = code->width;
        QImage qr(side, side, QImage::Format_Mono);
        qr.fill(1);
        for (int row = 0; row < side; ++row)
            for (int col = 0; col < side; ++col)
                if (code->data[row * side + col] & 1) qr.setPixel(col, row, 0);
        painter.drawImage(QRect(mm(62), mm(3), mm(20), mm(20)), qr);
    }
    QFont ocr("DejaVu Sans Mono", 7);
    painter.setFont(ocr);
    painter.drawText(QRect(mm(3), mm(36), mm(80), mm(16)), Qt::AlignLeft,
                     mrz.mid(0, 30) + "\n" + mrz.mid(30, 30) + "\n" + mrz.mid(60, 30));
    painter.end();
}

}  // namespace cccd::station
