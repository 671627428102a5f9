#pragma once
// The enrollment record's one JSON form: what stations send to the server, the server keeps and answers,
// population files hold one per line, and scripts hand to `cccd-card personalize`:
//   { "personal_id": "079303012345", "full_name": "TRẦN THỊ MỸ DUYÊN", "sex": "F",
//     "date_of_birth": "2003-05-14", "date_of_expiry": "2028-05-14" | "none", "date_of_issue": "2021-07-01",
//     "nationality": "Việt Nam", "ethnicity": "Kinh", "religion": "Không", "place_of_origin": "...",
//     "place_of_residence": "...", "identifying_features": "...", "father_name": "...",
//     "mother_name": "...", "spouse_name": "...", "old_id": "...", "card_serial": "...",
//     "cancelled_ids": ["001099054321"], "card_profile": "cc-2024-u6",
//     "representative": { "personal_id": "...", "full_name": "...", "relationship": "Mẹ" } }
// card_profile may be left out: the profile is then the one the dates give (identity::profile_of).
// The representative's fields are checked against the profile by identity::record_profile_problems.
// Dates are YYYY-MM-DD; DG13 gets them as dd/mm/yyyy. Unknown keys are refused (a typo must not
// silently drop a field from a citizen's card).
#include <string>
#include <string_view>

#include "identity/enrollment_record.hpp"

namespace cccd::identity {

// ParseError naming the field for malformed JSON, a missing required field, a wrong type or an
// unknown key. The photo is not part of the JSON.
EnrollmentRecord parse_enrollment_record(std::string_view json);

// The same JSON on one line (JSON lines for bulk files); parse_enrollment_record reads it back to an
// equal record (without the photo).
std::string to_json(const EnrollmentRecord& record);

// A DG13 date (dd/mm/yyyy) as this JSON writes dates (YYYY-MM-DD); InvalidArgument when it is not dd/mm/yyyy.
std::string iso_date(const std::string& dmy);

}  // namespace cccd::identity
