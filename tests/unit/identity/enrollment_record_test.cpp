// The enrollment record's one JSON form and the only way between a record and the register's citizen.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/record_json.hpp"

namespace cccd::identity {
namespace {

EnrollmentRecord duyen() {
    EnrollmentRecord r;
    r.person.personal_id = "079303012345";
    r.person.full_name = "TRẦN THỊ MỸ DUYÊN";
    r.person.sex = "Nữ";
    r.person.date_of_birth = "14/05/2003";
    r.person.nationality = "Việt Nam";
    r.person.ethnicity = "Kinh";
    r.person.religion = "Không";
    r.person.place_of_origin = "Phường 1, Quận 3, TP. Hồ Chí Minh";
    r.person.place_of_residence = "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh";
    r.person.date_of_issue = "01/07/2021";
    r.person.date_of_expiry = "14/05/2028";
    r.person.mother_name = "NGUYỄN THỊ LAN";
    r.person.old_id = "025123456";
    r.sex = 'F';
    r.date_of_birth = "2003-05-14";
    r.date_of_expiry = "2028-05-14";
    return r;
}

TEST(RecordJson, WhatIsWrittenReadsBackToTheSameRecord) {
    const EnrollmentRecord record = duyen();
    EXPECT_EQ(parse_enrollment_record(to_json(record)), record);
}

TEST(RecordJson, TheProfileTheRepresentativeAndCancelledNumbersReadBack) {
    EnrollmentRecord record = duyen();
    record.card_profile = "cc-2024-u6";
    record.representative = Representative{"079180000123", "TRẦN VĂN BA", "Cha"};
    record.person.cancelled_ids = {"079303099999", "001303000001"};
    const std::string json = to_json(record);
    EXPECT_NE(json.find(R"("representative":{"personal_id":"079180000123","full_name":"TRẦN VĂN BA","relationship":"Cha"})"),
              std::string::npos) << json;
    EXPECT_NE(json.find(R"("cancelled_ids":["079303099999","001303000001"])"), std::string::npos) << json;
    EXPECT_EQ(parse_enrollment_record(json), record);
    // None of them is written when absent, and a record without them reads back without them.
    const std::string plain = to_json(duyen());
    for (const char* key : {"card_profile", "representative", "cancelled_ids"})
        EXPECT_EQ(plain.find(key), std::string::npos) << key;
}

TEST(RecordJson, ARepresentativeOrCancelledNumbersOfTheWrongShapeAreRefused) {
    std::string json = to_json(duyen());
    json.pop_back();  // the closing brace
    for (const char* tail : {R"(,"representative":"Cha"})", R"(,"representative":{"name":"X"}})",
                             R"(,"cancelled_ids":"079303099999"})", R"(,"cancelled_ids":[79303099999]})",
                             R"(,"card_profile":7})"}) {
        EXPECT_THROW((void)parse_enrollment_record(json + tail), ParseError) << tail;
    }
}

TEST(RecordJson, ARecordWithoutExpiryIsWrittenNoneAndReadAsTheWordsDg13Carries) {
    EnrollmentRecord record = duyen();
    record.date_of_expiry = "none";
    record.person.date_of_expiry = std::string(kNoExpiryWords);
    const std::string json = to_json(record);
    EXPECT_NE(json.find("\"date_of_expiry\":\"none\""), std::string::npos);
    EXPECT_EQ(parse_enrollment_record(json), record);
}

TEST(RecordJson, AnUnknownKeyAMissingFieldOrAWrongTypeIsRefusedByName) {
    std::string json = to_json(duyen());
    std::string typo = json;
    typo.replace(typo.find("\"religion\""), 10, "\"relegion\"");
    try {
        (void)parse_enrollment_record(typo);
        FAIL() << "a misspelt key was accepted";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("relegion"), std::string::npos);
    }
    EXPECT_THROW((void)parse_enrollment_record(R"({"personal_id":"079303012345"})"), ParseError);
    EXPECT_THROW((void)parse_enrollment_record(R"({"personal_id":79303012345})"), ParseError);
    EXPECT_THROW((void)parse_enrollment_record("[1,2]"), ParseError);
    EXPECT_THROW((void)parse_enrollment_record("{"), ParseError);
    EXPECT_THROW((void)parse_enrollment_record(std::string(64 * 1024 + 1, ' ')), ParseError);
}

TEST(RecordJson, IsoDateTurnsADg13DateAroundAndRefusesAnythingElse) {
    EXPECT_EQ(iso_date("14/05/2003"), "2003-05-14");
    EXPECT_THROW((void)iso_date("2003-05-14"), InvalidArgument);
    EXPECT_THROW((void)iso_date("14.05.2003"), InvalidArgument);
    EXPECT_THROW((void)iso_date("4/5/2003"), InvalidArgument);
}

TEST(EnrollmentRecord, ACitizenAndItsRecordGoEachIntoTheOtherUnchanged) {
    const Citizen citizen = citizen_of(duyen());
    EXPECT_EQ(citizen.province_code, "079");
    EXPECT_EQ(citizen.status, CitizenStatus::Active);
    EXPECT_EQ(citizen.date_of_birth, "2003-05-14");
    EXPECT_EQ(enrollment_record_of(citizen), duyen());
    EXPECT_EQ(citizen_of(enrollment_record_of(citizen)), citizen);
}

TEST(EnrollmentRecord, ACitizenWithoutExpiryGetsARecordThatSaysNone) {
    Citizen citizen = citizen_of(duyen());
    citizen.person.date_of_expiry = std::string(kNoExpiryWords);
    EXPECT_EQ(enrollment_record_of(citizen).date_of_expiry, "none");
    citizen.person.date_of_expiry = "2028-05-14";  // not a DG13 date
    EXPECT_THROW((void)enrollment_record_of(citizen), InvalidArgument);
}

TEST(EnrollmentRecord, ARecordWhoseIdNumberDisagreesIsNoCitizen) {
    EnrollmentRecord male = duyen();
    male.sex = 'M';  // the century-sex digit 3 says female
    EXPECT_THROW((void)citizen_of(male), ParseError);
    EnrollmentRecord older = duyen();
    older.date_of_birth = "1993-05-14";  // the digits 03 say 2003
    EXPECT_THROW((void)citizen_of(older), ParseError);
    EnrollmentRecord nowhere = duyen();
    nowhere.person.personal_id = "999303012345";  // no province 999
    EXPECT_THROW((void)citizen_of(nowhere), ParseError);
}

// ---- the record against its profile ----

// A child born 10/03/2022, enrolled 05/12/2026 (4 years old), applied for by the mother.
EnrollmentRecord child() {
    EnrollmentRecord r = duyen();
    r.person.personal_id = "079322001234";
    r.person.full_name = "TRẦN MINH AN";
    r.person.date_of_birth = "10/03/2022";
    r.person.date_of_issue = "05/12/2026";
    r.person.date_of_expiry = "10/03/2036";
    r.person.old_id.reset();
    r.date_of_birth = "2022-03-10";
    r.date_of_expiry = "2036-03-10";  // 14
    r.representative = Representative{"079180000123", "NGUYỄN THỊ LAN", "Mẹ"};
    return r;
}

// Duyên renews on 05/12/2026 at 23: valid to 25, two years away at most, so to 40.
EnrollmentRecord adult() {
    EnrollmentRecord r = duyen();
    r.person.date_of_issue = "05/12/2026";
    r.date_of_expiry = "2043-05-14";
    r.person.date_of_expiry = "14/05/2043";
    r.photo_jpeg = Bytes{0xFF, 0xD8, 0xFF, 0xD9};
    return r;
}

TEST(RecordProfile, ANewCardForARegisteredCitizenFitsItsProfile) {
    // Duyên's 2021 card from the register, renewed on 05/12/2026 at 23: a Căn cước to her 40th birthday.
    Citizen citizen = citizen_of(duyen());
    citizen.person.card_serial = "0000000000000042";
    EnrollmentRecord renewed = new_card_record(citizen, "2026-12-05");
    EXPECT_EQ(renewed.card_profile, "cc-2024");
    EXPECT_EQ(renewed.person.date_of_issue, "05/12/2026");
    EXPECT_EQ(renewed.date_of_expiry, "2043-05-14");
    EXPECT_EQ(renewed.person.date_of_expiry, "14/05/2043");
    EXPECT_FALSE(renewed.person.card_serial.has_value());
    renewed.photo_jpeg = Bytes{0xFF, 0xD8, 0xFF, 0xD9};
    EXPECT_EQ(record_profile_problems(renewed), std::vector<std::string>{});
    // Everything else is the register's.
    EXPECT_EQ(renewed.person.full_name, citizen.person.full_name);
    EXPECT_EQ(renewed.person.old_id, citizen.person.old_id);
    EXPECT_THROW((void)new_card_record(citizen, "05/12/2026"), InvalidArgument);
    EXPECT_THROW((void)new_card_record(citizen, "2001-01-01"), InvalidArgument);  // before the birth
}

TEST(RecordProfile, TheProfileComesFromTheDatesUnlessTheRecordNamesOne) {
    EXPECT_EQ(profile_of(child()).code, "cc-2024-u6");
    EXPECT_EQ(profile_of(adult()).code, "cc-2024");
    EXPECT_EQ(profile_of(duyen()).code, "cccd-2021");  // issued 01/07/2021
    EnrollmentRecord named = adult();
    named.card_profile = "cccd-2021";
    EXPECT_EQ(profile_of(named).code, "cccd-2021");
    named.card_profile = "cc-2030";
    EXPECT_THROW((void)profile_of(named), InvalidArgument);
}

TEST(RecordProfile, ARecordThatFitsItsProfileHasNoProblems) {
    EXPECT_EQ(record_profile_problems(child()), std::vector<std::string>{});
    EXPECT_EQ(record_profile_problems(adult()), std::vector<std::string>{});
    EnrollmentRecord old = duyen();
    old.photo_jpeg = Bytes{0xFF, 0xD8, 0xFF, 0xD9};
    EXPECT_EQ(record_profile_problems(old), std::vector<std::string>{});  // a 2021 card as it was issued
    EnrollmentRecord teen = adult();
    teen.representative = Representative{"079180000123", "TRẦN VĂN BA", "Cha"};  // allowed from 14 on
    EXPECT_EQ(record_profile_problems(teen), std::vector<std::string>{});
}

TEST(RecordProfile, EachMisfitIsSaidOnItsOwnLine) {
    struct Case {
        const char* what;
        std::function<void(EnrollmentRecord&)> change;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {"a child without a representative", [](EnrollmentRecord& r) { r.representative.reset(); },
         "Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)"},
        {"a photo of a child under 6", [](EnrollmentRecord& r) { r.photo_jpeg = Bytes{0xFF, 0xD8}; },
         "Thẻ Căn cước (dưới 6 tuổi) không có ảnh chân dung"},
        {"a representative's short ID number", [](EnrollmentRecord& r) { r.representative->personal_id = "07918000012"; },
         "Số định danh của người đại diện phải có 12 chữ số"},
        {"the child as its own representative", [](EnrollmentRecord& r) { r.representative->personal_id = r.person.personal_id; },
         "Người đại diện không thể là chính người được cấp thẻ"},
        {"no representative's name", [](EnrollmentRecord& r) { r.representative->full_name.clear(); },
         "Thiếu họ tên người đại diện"},
        {"no relationship", [](EnrollmentRecord& r) { r.representative->relationship.clear(); },
         "Thiếu quan hệ của người đại diện với người được cấp thẻ"},
        {"an expiry the rule does not give", [](EnrollmentRecord& r) { r.date_of_expiry = "2036-03-09"; },
         "Ngày hết hạn phải là 10/03/2036 theo quy định về thời hạn thẻ"},
        {"the adult profile named for a child", [](EnrollmentRecord& r) { r.card_profile = "cc-2024"; },
         "Loại thẻ Căn cước (từ 6 tuổi) không đúng với tuổi và ngày cấp (phải là Căn cước (dưới 6 tuổi))"},
        {"the 2021 card named today", [](EnrollmentRecord& r) { r.card_profile = "cccd-2021"; },
         "Loại thẻ Căn cước công dân (mẫu 2021) không đúng với tuổi và ngày cấp (phải là Căn cước (dưới 6 tuổi))"},
        {"an unknown profile", [](EnrollmentRecord& r) { r.card_profile = "cc-2030"; }, "Loại thẻ \"cc-2030\" không có"},
        {"a cancelled number of 11 digits", [](EnrollmentRecord& r) { r.person.cancelled_ids = {"07932200123"}; },
         "Số định danh đã hủy \"07932200123\" phải có 12 chữ số"},
        {"the current number as cancelled", [](EnrollmentRecord& r) { r.person.cancelled_ids = {r.person.personal_id}; },
         "Số định danh đã hủy không thể là số định danh hiện tại"},
        {"an issue before the birth", [](EnrollmentRecord& r) { r.person.date_of_issue = "01/01/2020"; },
         "Ngày sinh hoặc ngày cấp không hợp lệ"},
    };
    for (const auto& c : cases) {
        EnrollmentRecord r = child();
        c.change(r);
        EXPECT_EQ(record_profile_problems(r), std::vector<std::string>{c.expected}) << c.what;
    }
    EnrollmentRecord faceless = adult();
    faceless.photo_jpeg.clear();
    EXPECT_EQ(record_profile_problems(faceless), std::vector<std::string>{"Chưa có ảnh chân dung"});
    EnrollmentRecord never_expires = adult();
    never_expires.date_of_expiry = "none";
    EXPECT_EQ(record_profile_problems(never_expires),
              std::vector<std::string>{"Ngày hết hạn phải là 14/05/2043 theo quy định về thời hạn thẻ"});
}

}  // namespace
}  // namespace cccd::identity
