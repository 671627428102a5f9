// The enrollment record's validation (perso::validate), which the station, its queue, the issuance API
// and personalization all apply: real calendar dates, names and text fields by the identity rules.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/perso/card_files.hpp"
#include "tests/fixtures/sample_card.hpp"

using namespace cccd;

namespace {

identity::EnrollmentRecord valid_record() {
    Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
    jpeg.resize(2000, 0x5A);
    append(jpeg, from_hex("FFD9"));
    return fixtures::enrollment_record(fixtures::sample_citizen(), jpeg);
}

}  // namespace

TEST(EnrollmentValidation, DatesMustBeRealCalendarDates) {
    EXPECT_NO_THROW(perso::validate(valid_record()));
    identity::EnrollmentRecord r = valid_record();
    r.date_of_birth = "1999-02-30";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
    r = valid_record();
    r.date_of_birth = "2004-02-29";  // a leap year
    r.person.personal_id.replace(4, 2, "04");  // the ID number's year of birth agrees (identity::id_number_agrees)
    EXPECT_NO_THROW(perso::validate(r));
    r = valid_record();
    r.date_of_expiry = "2031-04-31";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
    r = valid_record();
    r.person.date_of_issue = "31/06/2021";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
}

TEST(EnrollmentValidation, NamesAndTextFieldsFollowTheRules) {
    using namespace std::string_literals;
    identity::EnrollmentRecord r = valid_record();
    r.person.full_name = "Nguyễn\0Văn An"s;
    EXPECT_THROW(perso::validate(r), InvalidArgument);
    r = valid_record();
    r.person.full_name = "Nguyễn Văn \u202EnA";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
    r = valid_record();
    r.person.mother_name = "Lê Thị \x1b[2JHoa";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
    r = valid_record();
    r.person.place_of_residence = "Số 1\aPhố Huế";
    EXPECT_THROW(perso::validate(r), InvalidArgument);
}
