// The enrollment record's validation (perso::validate), which the station, its queue, the issuance API
// and personalization all apply: real calendar dates, names and text fields by the identity rules, and
// the card profile's rules (identity::record_profile_problems), the photo required or refused among them.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/perso/card_files.hpp"
#include "tests/fixtures/profile_records.hpp"
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
    r.date_of_expiry = "2029-03-01";           // the 25th birthday in a common year (validity.hpp, assumption A1)
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

namespace {

Bytes small_jpeg() {
    Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
    jpeg.resize(2000, 0x5A);
    append(jpeg, from_hex("FFD9"));
    return jpeg;
}

std::string refusal_of(const identity::EnrollmentRecord& r) {
    try {
        perso::validate(r);
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(EnrollmentValidation, ThePhotoIsRequiredOrRefusedAsTheProfileSays) {
    // cccd-2021 and cc-2024 take a photo; cc-2024-u6 none.
    identity::EnrollmentRecord adult = valid_record();
    EXPECT_EQ(refusal_of(adult), "");
    adult.photo_jpeg.clear();
    EXPECT_EQ(refusal_of(adult), "Chưa có ảnh chân dung");
    identity::EnrollmentRecord renewal = fixtures::renewal_2024_record(small_jpeg());
    EXPECT_EQ(refusal_of(renewal), "");
    renewal.photo_jpeg.clear();
    EXPECT_EQ(refusal_of(renewal), "Chưa có ảnh chân dung");

    identity::EnrollmentRecord child = fixtures::child_under_6_record();
    EXPECT_EQ(refusal_of(child), "") << "a child under 6 is enrolled without a photo";
    child.photo_jpeg = small_jpeg();
    EXPECT_EQ(refusal_of(child), "Thẻ Căn cước (dưới 6 tuổi) không có ảnh chân dung");
}

TEST(EnrollmentValidation, EveryProfileProblemIsSaidJoinedBySemicolons) {
    identity::EnrollmentRecord child = fixtures::child_under_6_record();
    child.representative.reset();
    child.date_of_expiry = "2035-03-10";
    child.person.cancelled_ids = {"12345"};
    EXPECT_EQ(refusal_of(child),
              "Ngày hết hạn phải là 10/03/2036 theo quy định về thời hạn thẻ; "
              "Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ); "
              "Số định danh đã hủy \"12345\" phải có 12 chữ số");
    // A profile the dates do not give: the 2021 card named for a card issued in 2025.
    identity::EnrollmentRecord renewal = fixtures::renewal_2024_record(small_jpeg());
    renewal.card_profile = "cccd-2021";
    EXPECT_NE(refusal_of(renewal).find("không đúng với tuổi và ngày cấp"), std::string::npos) << refusal_of(renewal);
    renewal.card_profile = "cc-2030";
    EXPECT_EQ(refusal_of(renewal), "Loại thẻ \"cc-2030\" không có");
}

TEST(EnrollmentValidation, TheRulesOfTheRecordItselfComeFirstAndThePhotoLast) {
    // A malformed ID number is said in the record's own words before any profile rule.
    identity::EnrollmentRecord child = fixtures::child_under_6_record();
    child.person.personal_id = "0793220004";
    child.representative.reset();
    EXPECT_EQ(refusal_of(child), "the ID number must have 12 digits");
    // A photo where one belongs is still checked as a JPEG of at most 20 KB.
    identity::EnrollmentRecord adult = valid_record();
    adult.photo_jpeg = from_hex("89504E470D0A1A0A");
    EXPECT_EQ(refusal_of(adult), "the photo is not a JPEG file");
}
