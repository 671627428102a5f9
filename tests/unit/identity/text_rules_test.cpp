// What the register accepts as a person's name and as free text: the letters of Vietnamese in NFC,
// never control, direction-changing or invisible characters.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "identity/text_rules.hpp"

using namespace cccd;
using identity::person_name_problem;
using identity::text_field_problem;

TEST(PersonName, VietnameseNamesWithTheirDiacriticsPass) {
    for (const char* name : {"Nguyễn Văn An", "TRẦN THỊ MỸ DUYÊN", "Đặng Thuỳ Trâm", "Ông Ích Khiêm", "Phạm Ưng",
                             "Nguyễn-Trần Văn An", "H'Hen Niê", "Ksor Y Wang", "Lò Văn Giàng", "Ơn Ứng Ỹ"}) {
        EXPECT_EQ(person_name_problem(name, "the full name"), std::nullopt) << name;
    }
}

TEST(PersonName, ControlBidiAndInvisibleCharactersAreRefused) {
    using namespace std::string_literals;
    for (const std::string& name : {"Nguyễn\0Văn"s, "Nguyễn\aVăn"s, "Nguyễn \x1b[31mVăn"s, "Nguyễn \u202EnăV"s,
                                    "Nguyễn\u200BVăn"s, "Nguyễn \u2066Văn\u2069"s, "Nguyễn\x7FVăn"s, "Nguyễn \xC2\x85Văn"s}) {
        const auto problem = person_name_problem(name, "the full name");
        ASSERT_TRUE(problem.has_value());
        EXPECT_NE(problem->find("the full name"), std::string::npos) << *problem;
        EXPECT_EQ(problem->find("Nguy"), std::string::npos) << "the value is personal data: " << *problem;
    }
}

TEST(PersonName, OnlyLettersSpacesHyphensAndApostrophesInTheirPlaces) {
    for (const char* name : {"Nguyễn Văn 2", "Nguyễn, Văn", "Nguyễn.Văn", " Nguyễn Văn", "Nguyễn Văn ", "Nguyễn  Văn",
                             "-Nguyễn", "Nguyễn- Văn", "'An", "Mật khẩu cán bộ 2026!", "Иван", "王"}) {
        EXPECT_NE(person_name_problem(name, "the full name"), std::nullopt) << name;
    }
    EXPECT_NE(person_name_problem("", "the full name"), std::nullopt);
    EXPECT_NE(person_name_problem(std::string(101, 'a'), "the full name"), std::nullopt);
}

TEST(PersonName, DecomposedLettersAreRefusedAsNotNfc) {
    // "Nguyễn" as e + U+0302 + U+0303: the same name on screen, other bytes on the chip.
    const auto problem = person_name_problem("Nguye\xCC\x82\xCC\x83n", "the full name");
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find("NFC"), std::string::npos) << *problem;
}

TEST(TextField, InvalidUtf8AndControlsAreRefusedOrdinaryTextPasses) {
    EXPECT_EQ(text_field_problem("Số 12, đường Lê Lợi, P. Bến Nghé, Q.1, TP. Hồ Chí Minh", "the place of residence"), std::nullopt);
    EXPECT_EQ(text_field_problem("", "the religion"), std::nullopt);
    for (const char* text : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "a\tb", "a\nb", "Số 12 \u202E"}) {
        EXPECT_NE(text_field_problem(text, "the place of residence"), std::nullopt) << text;
    }
}

