#pragma once
// The invented citizen of the example card (`cccd-vcard --sample`, the tests' sample card): Trần Thị Mỹ
// Duyên, born 2003-05-14 in Hồ Chí Minh City, ID 079303012345, card valid to 2028-05-14. Her ID number
// agrees with her sex and year of birth. Nobody real: the data is made up for demos and tests.
#include "base/bytes.hpp"
#include "identity/enrollment_record.hpp"

namespace cccd::vcard {

// Her enrollment record with the portrait `photo_jpeg` (the caller's file: no photo is built in).
identity::EnrollmentRecord sample_citizen_record(ByteView photo_jpeg);

}  // namespace cccd::vcard
