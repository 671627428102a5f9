// Card profiles (identity/card_profile.hpp): which profile a new card gets, and what each one requires
// of an enrollment and refuses.
#include "identity/card_profile.hpp"

#include "base/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cccd::identity {
namespace {

TEST(CardProfiles, EachHasItsOwnCodeAndIsFoundByIt) {
    std::set<std::string_view> codes;
    for (const auto& p : card_profiles()) {
        EXPECT_TRUE(codes.insert(p.code).second) << p.code;
        ASSERT_NE(card_profile_by_code(p.code), nullptr);
        EXPECT_EQ(card_profile_by_code(p.code)->id, p.id);
        EXPECT_EQ(&card_profile(p.id), &p);
    }
    EXPECT_EQ(codes, (std::set<std::string_view>{"cccd-2021", "cc-2024-u6", "cc-2024"}));
    EXPECT_EQ(card_profile_by_code("cc-2030"), nullptr);
}

TEST(CardProfiles, ANewCardGetsThe2024ProfileOfItsAgeBand) {
    const std::pair<int, std::string_view> cases[] = {{0, "cc-2024-u6"}, {5, "cc-2024-u6"}, {6, "cc-2024"},
                                                      {13, "cc-2024"},   {14, "cc-2024"},   {25, "cc-2024"},
                                                      {60, "cc-2024"},   {99, "cc-2024"}};
    for (const auto& [age, code] : cases) EXPECT_EQ(profile_for_new_card(age).code, code) << age;
}

TEST(CardProfiles, WhatEachProfilePrintsAndCarries) {
    const auto& old = card_profile(CardProfileId::Cccd2021);
    const auto& u6 = card_profile(CardProfileId::CanCuoc2024Under6);
    const auto& cc = card_profile(CardProfileId::CanCuoc2024);
    EXPECT_FALSE(old.issued_now);
    EXPECT_EQ(old.generation, CardGeneration::Cccd2021);
    EXPECT_EQ(old.qr_format, QrFormat::Cccd2021);
    EXPECT_EQ(old.qr_side, CardSide::Front);
    EXPECT_EQ(old.title_vi, "CĂN CƯỚC CÔNG DÂN");
    for (const auto* p : {&u6, &cc}) {
        EXPECT_TRUE(p->issued_now);
        EXPECT_EQ(p->generation, CardGeneration::CanCuoc2024);
        EXPECT_EQ(p->qr_format, QrFormat::CanCuoc2024);
        EXPECT_EQ(p->qr_side, CardSide::Back);
        EXPECT_EQ(p->expiry_side, CardSide::Back);
        EXPECT_EQ(p->title_vi, "CĂN CƯỚC");
        EXPECT_EQ(p->title_en, "IDENTITY CARD");
        EXPECT_TRUE(p->old_ids_in_chip);
    }
    EXPECT_EQ(u6.layout, PrintedLayout::CanCuoc2024NoPhoto);
    EXPECT_EQ(u6.dg2, Dg2Content::Absent);
    EXPECT_EQ(cc.layout, PrintedLayout::CanCuoc2024WithPhoto);
    EXPECT_EQ(cc.dg2, Dg2Content::Face);
}

TEST(CardProfiles, AChildUnderSixBringsNoBiometricsAndARepresentative) {
    const auto& u6 = card_profile(CardProfileId::CanCuoc2024Under6);
    EXPECT_TRUE(enrollment_problems(u6, {.age_at_issue = 3, .has_representative = true}).empty());
    EXPECT_EQ(enrollment_problems(u6, {.age_at_issue = 3}),
              (std::vector<std::string>{"Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)"}));
    EXPECT_EQ(enrollment_problems(u6, {.age_at_issue = 3, .has_photo = true, .has_representative = true}),
              (std::vector<std::string>{"Trẻ dưới 6 tuổi không thu nhận ảnh chân dung"}));
    EXPECT_EQ(enrollment_problems(u6, {.age_at_issue = 3, .fingerprints = 10, .has_iris = true, .has_representative = true}),
              (std::vector<std::string>{"Trẻ dưới 6 tuổi không thu nhận vân tay", "Trẻ dưới 6 tuổi không thu nhận mống mắt"}));
    EXPECT_EQ(enrollment_problems(u6, {.age_at_issue = 6, .has_representative = true}),
              (std::vector<std::string>{"Tuổi của công dân không thuộc loại thẻ Căn cước (dưới 6 tuổi)"}));
}

TEST(CardProfiles, FromSixEverythingIsCapturedAndAChildComesWithARepresentative) {
    const auto& cc = card_profile(CardProfileId::CanCuoc2024);
    const EnrollmentCapture adult{.age_at_issue = 30, .has_photo = true, .fingerprints = 10, .has_iris = true};
    EXPECT_TRUE(enrollment_problems(cc, adult).empty());
    EnrollmentCapture child = adult;
    child.age_at_issue = 10;
    EXPECT_EQ(enrollment_problems(cc, child),
              (std::vector<std::string>{"Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)"}));
    child.has_representative = true;
    EXPECT_TRUE(enrollment_problems(cc, child).empty());
    EnrollmentCapture fourteen = adult;
    fourteen.age_at_issue = 14;
    EXPECT_TRUE(enrollment_problems(cc, fourteen).empty()) << "from 14 the citizen applies alone";
    EnrollmentCapture missing = adult;
    missing.has_photo = false;
    missing.fingerprints = 9;
    missing.has_iris = false;
    EXPECT_EQ(enrollment_problems(cc, missing),
              (std::vector<std::string>{"Chưa chụp ảnh chân dung", "Chưa thu nhận đủ 10 vân tay", "Chưa thu nhận mống mắt"}));
    EXPECT_EQ(enrollment_problems(cc, {.age_at_issue = 5, .has_photo = true, .fingerprints = 10, .has_iris = true,
                                       .has_representative = true}),
              (std::vector<std::string>{"Tuổi của công dân không thuộc loại thẻ Căn cước (từ 6 tuổi)"}));
}

TEST(CardProfiles, The2021CardIsNoLongerIssued) {
    const auto problems = enrollment_problems(card_profile(CardProfileId::Cccd2021),
                                              {.age_at_issue = 30, .has_photo = true, .fingerprints = 10});
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "Thẻ Căn cước công dân (mẫu 2021) không còn được cấp từ ngày 01/07/2024");
}

TEST(CardProfiles, ACardsProfileFollowsItsDateOfIssueAndTheAgeThen) {
    struct Case {
        const char* born;
        const char* issued;
        const char* profile;
    };
    const Case cases[] = {
        {"1999-08-21", "2024-06-30", "cccd-2021"},   // the last day of the 2014 law
        {"1999-08-21", "2024-07-01", "cc-2024"},     // the first of the 2023 law
        {"2020-12-05", "2026-12-04", "cc-2024-u6"},  // the day before the sixth birthday
        {"2020-12-05", "2026-12-05", "cc-2024"},     // the sixth birthday
        {"2026-12-01", "2026-12-05", "cc-2024-u6"},  // four days old
    };
    for (const auto& c : cases) EXPECT_EQ(profile_for_card(c.born, c.issued).code, c.profile) << c.born << " " << c.issued;
    EXPECT_THROW((void)profile_for_card("2026-12-06", "2026-12-05"), InvalidArgument);
    EXPECT_THROW((void)profile_for_card("1999-02-30", "2026-12-05"), InvalidArgument);
}

}  // namespace
}  // namespace cccd::identity
