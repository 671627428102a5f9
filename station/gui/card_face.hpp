#pragma once
// The card face for the card printer, drawn by the record's card profile (identity::profile_of):
//
//   profile      front                                          back
//   cccd-2021    Circular 06/2021 as before: title CĂN CƯỚC     identifying features, date of issue, QR (7
//                CÔNG DÂN, photo, fields, "Có giá trị đến"      fields), MRZ  (unchanged layout)
//   cc-2024      Circular 16/2024 Art. 3(5): emblem, header,    Art. 3(6)-(7), the same for both: Nơi cư trú,
//                CĂN CƯỚC / IDENTITY CARD, chip symbol, photo   Nơi đăng ký khai sinh, chip, QR (11 fields,
//                20 x 30 mm, number, name, birth, sex,          18 x 18 mm), date of issue, date of expiry,
//                nationality                                    BỘ CÔNG AN, MRZ (3 lines)
//   cc-2024-u6   Art. 3(4): the same without the photo
//
// One drawing function takes a QPainter, so the same drawing goes to the PDF (one page per side, ID-1
// size, 85.6 x 53.98 mm) and to a PNG. It draws in hundredths of a millimetre. Text that does not fit
// its box is wrapped and shrunk (fit_text, station/gui/print_text.hpp), never cut. The positions on the
// card are this system's: the circular fixes the items and their order, not their coordinates
// (docs/card-profiles.md, assumption F2).
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include "identity/card_profile.hpp"
#include "identity/enrollment_record.hpp"
#include "station/gui/print_text.hpp"  // fit_text

namespace cccd::station {

// The card in the drawing's units: hundredths of a millimetre.
inline constexpr double kFaceUnitsPerMm = 100.0;
inline constexpr double kCardWidthMm = 85.6, kCardHeightMm = 53.98;

// What a side of the face carries, as drawn (for tests and the operator's checks).
struct DrawnFace {
    QStringList texts;      // every text drawn, in drawing order (fitted texts joined by spaces)
    bool photo = false;     // a face photo was drawn
    QString qr_text;        // the QR code's text, when the QR is on this side
    QString mrz;            // the MRZ's 90 characters, when on this side
};

// Where the 2024 back's "Nơi đăng ký khai sinh" comes from: identity::Person has no field for the place
// of birth registration, so the face prints the closest one it has (assumption F1, docs/card-profiles.md).
std::string birth_registration_place(const identity::Person& person);

// Draws one side of the record's card face into `target` (device coordinates of the painter).
// InvalidArgument when the record's dates do not give a profile, its expiry is not the one the validity
// rule gives, or it cannot make an MRZ.
DrawnFace draw_card_face(QPainter& painter, const QRectF& target, const identity::EnrollmentRecord& record,
                         identity::CardSide side);

// One side as an image, `dots_per_mm` across (12: about 300 dpi), through draw_card_face.
QImage card_face_image(const identity::EnrollmentRecord& record, identity::CardSide side, double dots_per_mm = 12.0);

// The QR code's text the record's card prints: identity/card_qr.hpp's format of the record's profile
// (7 fields for the 2021 CCCD, 11 for the Căn cước).
QString card_qr_text(const identity::EnrollmentRecord& record);

// Front, then back, one PDF page each at 600 dpi, through draw_card_face. InvalidArgument as there;
// Error when the file cannot be written.
void write_card_face_pdf(const identity::EnrollmentRecord& record, const QString& path);

}  // namespace cccd::station
