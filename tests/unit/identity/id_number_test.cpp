// The one rule of the 12-digit ID number (PPP G YY NNNNNN), table-driven: provinces, centuries from
// 1900 to 2399, sexes, years; and the prefix the generator builds from a person's data.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "identity/id_number.hpp"

namespace cccd::identity {
namespace {

struct Case {
    const char* id;
    char sex;
    int year;
    bool agrees;
    const char* why;
};

constexpr Case kCases[] = {
    {"079303012345", 'F', 2003, true, "Hồ Chí Minh, a woman born in 2003"},
    {"001085000001", 'M', 1985, true, "Hà Nội, a man born in 1985"},
    {"001199000001", 'F', 1999, true, "a woman of the 1900s"},
    {"048210000001", 'M', 2010, true, "a man of the 2000s"},
    {"096400000001", 'M', 2100, true, "the 2100s: G 4/5"},
    {"096799000001", 'F', 2299, true, "the 2200s: G 6/7"},
    {"096800000001", 'M', 2300, true, "the 2300s: G 8/9 (the generator once stopped at 2299)"},
    {"096999000001", 'F', 2399, true, "the last year the digit can say"},
    {"003085000001", 'M', 1985, false, "003 is no province"},
    {"000085000001", 'M', 1985, false, "000 is no province"},
    {"099085000001", 'M', 1985, false, "099 is no province"},
    {"079303012345", 'M', 2003, false, "G says a woman"},
    {"079203012345", 'F', 2003, false, "G says a man"},
    {"079103012345", 'F', 2003, false, "G says the 1900s"},
    {"079303012345", 'F', 2004, false, "YY says 2003"},
    {"079303012345", 'F', 1903, false, "G says the 2000s"},
    {"001085000001", 'M', 1899, false, "before 1900"},
    {"001085000001", 'M', 2400, false, "after 2399"},
    {"079303012345", 'X', 2003, false, "no such sex"},
    {"07930301234X", 'F', 2003, false, "a letter"},
    {"07930301234", 'F', 2003, false, "11 digits"},
    {"0793030123456", 'F', 2003, false, "13 digits"},
    {"", 'F', 2003, false, "empty"},
};

TEST(IdNumber, TheRuleTable) {
    for (const Case& c : kCases) {
        const auto problem = id_number_problem(c.id, c.sex, c.year);
        EXPECT_EQ(!problem.has_value(), c.agrees) << c.id << " " << c.sex << " " << c.year << ": " << c.why
                                                  << (problem ? " -> " + *problem : std::string());
        EXPECT_EQ(id_number_agrees(c.id, c.sex, c.year), c.agrees) << c.why;
        EXPECT_EQ(id_number_agrees(c.id, c.sex, std::to_string(c.year) + "-06-30"), c.agrees) << c.why;
    }
}

TEST(IdNumber, TheMessageSaysWhichDigitAndWhatItShouldBe) {
    EXPECT_EQ(*id_number_problem("079203012345", 'F', 2003),
              "the ID number's 4th digit (2) does not match a woman born in 2003: it should be 3");
    EXPECT_EQ(*id_number_problem("079304012345", 'F', 2003),
              "the ID number's 5th and 6th digits (04) must be the last two digits of the year of birth (03)");
    EXPECT_NE(id_number_problem("003085000001", 'M', 1985)->find("(003) are not a province code"), std::string::npos);
}

TEST(IdNumber, ThePrefixAPersonsDataGives) {
    EXPECT_EQ(id_number_prefix("079", 'F', 2003), "079303");
    EXPECT_EQ(id_number_prefix("001", 'M', 1985), "001085");
    EXPECT_EQ(id_number_prefix("096", 'F', 2399), "096999");
    EXPECT_THROW(id_number_prefix("003", 'M', 1990), InvalidArgument);
    EXPECT_THROW(id_number_prefix("001", 'M', 2400), InvalidArgument);
    EXPECT_THROW(id_number_prefix("001", 'U', 1990), InvalidArgument);
    for (const auto& province : province_codes()) {
        const std::string id = id_number_prefix(province.code, 'M', 1990) + "000001";
        EXPECT_TRUE(id_number_agrees(id, 'M', 1990)) << id;
    }
    EXPECT_EQ(province_codes().size(), 63u);
    EXPECT_EQ(province_by_code("079")->name, "Thành phố Hồ Chí Minh");
    EXPECT_EQ(province_by_code("003"), nullptr);
}

}  // namespace
}  // namespace cccd::identity
