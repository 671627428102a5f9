// The enrollment record's one JSON form and the only way between a record and the register's citizen.
#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace cccd::identity
