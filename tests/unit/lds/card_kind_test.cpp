// The kind of a card read (card/lds/card_kind.hpp): the profile from DG13's dates, DG2 against the
// profile, every DG13 field by label (17, the cancelled ID numbers, and numbers this code does not know).
#include <gtest/gtest.h>

#include "card/lds/card_kind.hpp"

namespace cccd::lds {
namespace {

identity::Person person(const std::string& born, const std::string& issued) {
    identity::Person p;
    p.personal_id = "001223012345";
    p.full_name = "NGUYỄN MINH AN";
    p.date_of_birth = born;
    p.sex = "Nam";
    p.nationality = "Việt Nam";
    p.ethnicity = "Kinh";
    p.religion = "Không";
    p.place_of_origin = "Hà Nội";
    p.place_of_residence = "Số 25 Phố Huế, Hà Nội";
    p.date_of_issue = issued;
    p.date_of_expiry = "10/02/2037";
    p.father_name = "NGUYỄN VĂN MINH";
    p.mother_name = "PHẠM THỊ LAN";
    return p;
}

std::map<std::string, Bytes> files(const Dg13& dg13, bool with_dg2) {
    std::map<std::string, Bytes> f{{"DG13", encode(dg13)}, {"DG1", Bytes{0x61, 0x00}}};
    if (with_dg2) f["DG2"] = Bytes{0x75, 0x00};
    return f;
}

TEST(CardKind, AnUnder6CardWithoutDg2) {
    const CardKind kind = card_kind(files(make_dg13(person("10/02/2023", "10/03/2025")), false));
    ASSERT_NE(kind.profile, nullptr) << kind.problem;
    EXPECT_EQ(kind.profile->id, identity::CardProfileId::CanCuoc2024Under6);
    EXPECT_EQ(kind.profile->generation, identity::CardGeneration::CanCuoc2024);
    EXPECT_FALSE(kind.has_face);
    EXPECT_TRUE(kind.face_as_profile_says());
    // A face on an under-6 card is not what the profile says.
    EXPECT_FALSE(card_kind(files(make_dg13(person("10/02/2023", "10/03/2025")), true)).face_as_profile_says());
}

TEST(CardKind, TheGenerationFollowsTheDateOfIssue) {
    const CardKind old = card_kind(files(make_dg13(person("14/05/2003", "30/06/2024")), true));
    ASSERT_NE(old.profile, nullptr);
    EXPECT_EQ(old.profile->id, identity::CardProfileId::Cccd2021);
    const CardKind now = card_kind(files(make_dg13(person("14/05/2003", "01/07/2024")), true));
    ASSERT_NE(now.profile, nullptr);
    EXPECT_EQ(now.profile->id, identity::CardProfileId::CanCuoc2024);
    EXPECT_TRUE(now.face_as_profile_says());
    EXPECT_FALSE(card_kind(files(make_dg13(person("14/05/2003", "01/07/2024")), false)).face_as_profile_says());
}

TEST(CardKind, EveryDg13FieldByLabelIncludingCancelledIdsAndUnknownNumbers) {
    identity::Person p = person("14/05/2003", "01/07/2024");
    p.old_id = "012345678";
    p.cancelled_ids = {"001099034567", "001099034568"};
    Dg13 dg13 = make_dg13(p);
    dg13.fields.push_back(Dg13Field{18, {Dg13Text{"Nhóm máu O"}}, {}});
    const CardKind kind = card_kind(files(dg13, true));
    ASSERT_EQ(kind.fields.size(), dg13.fields.size());
    const auto line = [&](int number) {
        for (const auto& l : kind.fields)
            if (l.number == number) return l;
        ADD_FAILURE() << "no field " << number;
        return Dg13Line{};
    };
    EXPECT_EQ(line(kDg13FullName).label_vi, "Họ và tên");
    EXPECT_EQ(line(kDg13FullName).value, "NGUYỄN MINH AN");
    EXPECT_EQ(line(kDg13Parents).value, "NGUYỄN VĂN MINH; PHẠM THỊ LAN");
    EXPECT_EQ(line(kDg13OldId).value, "012345678");
    EXPECT_EQ(line(kDg13CancelledIds).label_vi, "Số định danh cá nhân đã hủy");
    EXPECT_EQ(line(kDg13CancelledIds).label_en, "Cancelled personal ID numbers");
    EXPECT_EQ(line(kDg13CancelledIds).value, "001099034567; 001099034568");
    EXPECT_EQ(line(18).label_vi, "Trường 18");
    EXPECT_EQ(line(18).label_en, "Field 18");
    EXPECT_EQ(line(18).value, "Nhóm máu O");
}

TEST(CardKind, NoDg13OrUnreadableDatesGiveNoProfileAndSayWhy) {
    EXPECT_EQ(card_kind({{"DG2", Bytes{0x75, 0x00}}}).profile, nullptr);
    EXPECT_FALSE(card_kind({{"DG2", Bytes{0x75, 0x00}}}).problem.empty());
    const CardKind bad_date = card_kind(files(make_dg13(person("2003-05-14", "01/07/2024")), true));
    EXPECT_EQ(bad_date.profile, nullptr);
    EXPECT_FALSE(bad_date.problem.empty());
    EXPECT_FALSE(bad_date.fields.empty()) << "the fields are still shown";
    EXPECT_EQ(card_kind({{"DG13", Bytes{0x6D, 0x01, 0x00}}}).profile, nullptr);
}

}  // namespace
}  // namespace cccd::lds
