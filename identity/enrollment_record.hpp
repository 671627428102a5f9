#pragma once
// The enrollment record: who a card is for, as the enrollment station records it and the issuer keeps
// it (its one JSON form is identity/record_json.hpp). The register's Citizen (identity/register.hpp)
// holds the same person; the two functions below are the only way between them.
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "identity/person.hpp"
#include "identity/register.hpp"

namespace cccd::identity {

// DG13's date of expiry for a card that does not expire (issued from age 58 on); the record writes "none".
inline constexpr std::string_view kNoExpiryWords = "Không thời hạn";

struct EnrollmentRecord {
    Person person;               // every DG13 field (UTF-8, dates dd/mm/yyyy)
    char sex = 'F';              // MRZ sex: F or M
    std::string date_of_birth;   // YYYY-MM-DD
    std::string date_of_expiry;  // YYYY-MM-DD, or "none" (no expiry, past 60)
    Bytes photo_jpeg;
    friend bool operator==(const EnrollmentRecord&, const EnrollmentRecord&) = default;
};

// The record a registered citizen's card is made from: the register's person, sex, birth date and
// photo; the expiry as the record writes it (YYYY-MM-DD or "none"). InvalidArgument for a DG13 date
// that is not dd/mm/yyyy.
EnrollmentRecord enrollment_record_of(const Citizen& citizen);

// The register's citizen a record describes: living, its province the first three digits of the ID
// number. ParseError when the ID number disagrees with the sex, the birth year or a province code.
Citizen citizen_of(EnrollmentRecord record);

}  // namespace cccd::identity
