#pragma once
// The two papers of an enrollment at the desk (Circular 17/2024/TT-BCA; docs/receipts.md):
//
//   CC01  Phiếu thu nhận thông tin căn cước: the citizen's record as it will go on the card, for the
//         citizen (or a child's legal representative) to check and sign before it is submitted. A4.
//   CC02  Giấy hẹn trả kết quả giải quyết thủ tục về căn cước: the appointment slip, the day and place
//         the card is returned or the address it is posted to. A5 (assumption R3).
//
// One drawing function per form takes a QPainter, so the PDF (QPdfWriter), the printer (QPrinter, through
// the Qt print dialog) and the PNG of the tests are the same drawing. The forms print in Vietnamese
// whatever the window's language: they are legal documents (assumption R1). Their fixed wording is in Qt
// Linguist all the same (context "Receipts"), so a translator sees it; the print dialog and the gaps'
// words follow the window's language.
#include <QDate>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

#include "identity/enrollment_record.hpp"

class QPrinter;
class QWidget;

namespace cccd::station {

// The procedure the citizen asked for (Law 26/2023/QH15 Art. 23-24): cấp, cấp đổi, cấp lại.
enum class ReceiptProcedure { Issue, Renewal, Reissue };

// How the card comes back to the citizen: at the desk, or by post to an address they give.
enum class CardReturn { InPerson, ByPost };

// What the forms need that the enrollment record does not hold: the desk, the officer, the dates.
struct ReceiptContext {
    std::string receipt_code;      // the enrollment's code (mã hồ sơ), printed as text and as a QR code
    std::string superior_office;   // the office above the desk, e.g. "CÔNG AN THÀNH PHỐ HÀ NỘI"; may be empty
    std::string office;            // the receiving office, e.g. "Công an phường Hoàn Kiếm"
    std::string locality;          // where the papers are signed: "Hà Nội" in "Hà Nội, ngày 10 tháng 3 năm 2025"
    std::string officer_name;      // the receiving officer
    std::string officer_id;        // the officer's id at the station (may be empty)
    ReceiptProcedure procedure = ReceiptProcedure::Issue;
    QDate received_on;             // the day the application is received
    QDate return_on;               // the appointment: the day the card is returned (or posted)
    CardReturn card_return = CardReturn::InPerson;
    std::string return_place;      // InPerson: where the card is handed over
    std::string postal_address;    // ByPost: where it is posted
};

// The card is returned within 7 working days of the day the application is received (the legal time
// limit, docs/receipts.md R9: Monday to Friday; public holidays are not known to the station).
inline constexpr int kReturnWorkingDays = 7;
QDate add_working_days(QDate from, int working_days);

// What a context lacks before anything can be printed; none: it is complete.
enum class ReceiptGap {
    NoReceiptCode,
    NoOffice,
    NoLocality,
    NoOfficer,
    NoReceivedDate,
    NoReturnDate,
    ReturnBeforeReceived,
    NoReturnPlace,    // in person, but no place
    NoPostalAddress,  // by post, but no address
};
std::vector<ReceiptGap> receipt_gaps(const ReceiptContext& context);

// A gap in the officer's words (the window's language: Vietnamese, or English with --lang en).
QString receipt_gap_words(ReceiptGap gap);

// The papers' sizes, in millimetres (portrait).
inline constexpr double kReceiptCc01WidthMm = 210.0, kReceiptCc01HeightMm = 297.0;      // A4
inline constexpr double kAppointmentCc02WidthMm = 148.0, kAppointmentCc02HeightMm = 210.0;  // A5

// What a page carries, as drawn (for tests and the operator's checks).
struct DrawnReceipt {
    QStringList texts;        // every text drawn, in drawing order (fitted texts joined by spaces)
    bool photo = false;       // the citizen's photo was drawn
    QString qr_text;          // the QR code's text (the receipt code)
    bool legible = true;      // false: some text fitted its box only below the legible size
    double bottom_mm = 0;     // the lowest point drawn, from the top of the page
};

// Draws one form onto `page` (device coordinates of the painter; the paper's proportions are the
// caller's). InvalidArgument when the context has a gap (receipt_gaps) or the record does not give a card
// profile (identity::profile_of).
DrawnReceipt render_receipt_cc01(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                                 const ReceiptContext& context);
DrawnReceipt render_appointment_cc02(QPainter& painter, const QRectF& page, const identity::EnrollmentRecord& record,
                                     const ReceiptContext& context);

// One form as an image, `dots_per_mm` across (8: about 200 dpi), through the render functions.
QImage receipt_cc01_image(const identity::EnrollmentRecord& record, const ReceiptContext& context, double dots_per_mm = 8.0);
QImage appointment_cc02_image(const identity::EnrollmentRecord& record, const ReceiptContext& context,
                              double dots_per_mm = 8.0);

// One form as a one-page PDF at `path`. InvalidArgument as the render functions (before the file is
// created); Error when the file cannot be written.
void write_receipt_cc01_pdf(const identity::EnrollmentRecord& record, const ReceiptContext& context, const QString& path);
void write_appointment_cc02_pdf(const identity::EnrollmentRecord& record, const ReceiptContext& context,
                                const QString& path);

// Both forms on `printer`, CC01 on an A4 page then CC02 on an A5 page, full page (the printer's own
// margins are the printer's). InvalidArgument as above; Error when the printer cannot be painted on.
void print_receipts_on(QPrinter& printer, const identity::EnrollmentRecord& record, const ReceiptContext& context);

// The Qt print dialog over `parent`, then print_receipts_on the printer the officer chose. False when the
// officer cancels. InvalidArgument and Error as print_receipts_on (nothing is shown for a gap).
bool print_receipts(QWidget* parent, const identity::EnrollmentRecord& record, const ReceiptContext& context);

}  // namespace cccd::station
