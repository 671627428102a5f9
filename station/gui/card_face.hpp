#pragma once
// The card face for the card printer: front (photo, name, ID number, dates) and back (the MRZ, the
// identifying features, the CCCD QR code), one page each, ID-1 size (85.6 x 53.98 mm), as PDF.
#include <QString>

#include "identity/enrollment_record.hpp"

namespace cccd::station {

// The text of the CCCD's QR code: identity/card_qr.hpp's 2021 format of 7 fields.
QString cccd_qr_text(const identity::EnrollmentRecord& record);

// InvalidArgument when the record cannot make an MRZ; Error when the file cannot be written.
void write_card_face_pdf(const identity::EnrollmentRecord& record, const QString& path);

}  // namespace cccd::station
