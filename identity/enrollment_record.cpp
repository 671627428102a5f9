#include "identity/enrollment_record.hpp"

#include <utility>

#include "base/error.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"

namespace cccd::identity {

EnrollmentRecord enrollment_record_of(const Citizen& c) {
    EnrollmentRecord r;
    r.person = c.person;
    r.sex = c.sex;
    r.date_of_birth = c.date_of_birth;
    r.date_of_expiry = c.person.date_of_expiry == kNoExpiryWords ? "none" : iso_date(c.person.date_of_expiry);
    r.photo_jpeg = c.photo_jpeg;
    return r;
}

Citizen citizen_of(EnrollmentRecord r) {
    if (!id_number_agrees(r.person.personal_id, r.sex, r.date_of_birth)) {
        throw ParseError("the ID number " + r.person.personal_id +
                         " does not agree with the sex, the birth year or a province code");
    }
    Citizen c;
    c.person = std::move(r.person);
    c.sex = r.sex;
    c.date_of_birth = std::move(r.date_of_birth);
    c.province_code = c.person.personal_id.substr(0, 3);
    c.photo_jpeg = std::move(r.photo_jpeg);
    c.status = CitizenStatus::Active;
    return c;
}

}  // namespace cccd::identity
