#pragma once
// The enrollment record: who a card is for, as the enrollment station records it and the issuer keeps
// it (its one JSON form is identity/record_json.hpp). The register's Citizen (identity/register.hpp)
// holds the same person; the two functions below are the only way between them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "identity/card_profile.hpp"
#include "identity/person.hpp"
#include "identity/register.hpp"

namespace cccd::identity {

// DG13's date of expiry for a card that does not expire (issued from age 58 on); the record writes "none".
inline constexpr std::string_view kNoExpiryWords = "Không thời hạn";

// Who applies for a child (Law 26/2023/QH15 Art. 23(2)): required below the profile's
// representative_below_age (identity/card_profile.hpp). Kept with the enrollment, not on the chip.
struct Representative {
    std::string personal_id;   // 12 digits
    std::string full_name;
    std::string relationship;  // in the officer's words: "Cha", "Mẹ", "Người giám hộ"
    friend bool operator==(const Representative&, const Representative&) = default;
};

struct EnrollmentRecord {
    Person person;               // every DG13 field (UTF-8, dates dd/mm/yyyy)
    char sex = 'F';              // MRZ sex: F or M
    std::string date_of_birth;   // YYYY-MM-DD
    std::string date_of_expiry;  // YYYY-MM-DD, or "none" (no expiry, past 60)
    Bytes photo_jpeg;            // empty for a profile without a photo (under 6)
    // The card profile's code ("cc-2024"); empty: the one the dates give (profile_of).
    std::string card_profile;
    std::optional<Representative> representative;
    friend bool operator==(const EnrollmentRecord&, const EnrollmentRecord&) = default;
};

// The record's profile: the one it names, else the one its dates give (profile_for_card).
// InvalidArgument for an unknown code or malformed dates.
const CardProfile& profile_of(const EnrollmentRecord& record);

// What does not fit the record's profile, in the officer's Vietnamese, one line each; empty when all fits:
//   a named profile that is unknown, or not the one the dates give (the age band; the 2021 CCCD only
//   before 1 July 2024); an expiry other than the validity rule's (identity/validity.hpp); a photo
//   where the profile takes none or none where it needs one; below the profile's representative age,
//   no representative, or one with a malformed ID number, the holder's own, or no name or
//   relationship; a cancelled ID number that is not 12 digits or is the holder's current one.
// The record's other rules (names, text, the ID number against sex and birth) are card/perso's validate.
std::vector<std::string> record_profile_problems(const EnrollmentRecord& record);

// The record a registered citizen's card is made from: the register's person, sex, birth date and
// photo; the expiry as the record writes it (YYYY-MM-DD or "none"). InvalidArgument for a DG13 date
// that is not dd/mm/yyyy.
EnrollmentRecord enrollment_record_of(const Citizen& citizen);

// The record of a new card for a registered citizen, issued on `date_of_issue` (YYYY-MM-DD): the
// register's person with that date of issue, the profile its dates give, the expiry by the validity
// rule and no card serial (the server allocates one). A child's representative is the caller's to add.
// InvalidArgument for a malformed date or one before the birth.
EnrollmentRecord new_card_record(const Citizen& citizen, std::string_view date_of_issue);

// The register's citizen a record describes: living, its province the first three digits of the ID
// number. ParseError when the ID number disagrees with the sex, the birth year or a province code.
Citizen citizen_of(EnrollmentRecord record);

}  // namespace cccd::identity
