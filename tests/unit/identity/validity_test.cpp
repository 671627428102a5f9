// The validity rule (identity/validity.hpp) on its boundaries: the day before and the day of each
// renewal age, the two-year window on both sides, the ages past which a card is for life, birthdays
// on 29 February, and the 2021 rule kept for old cards.
#include "identity/validity.hpp"

#include <gtest/gtest.h>

#include <string>

#include "base/error.hpp"
#include "identity/enrollment_record.hpp"

namespace cccd::identity {
namespace {

using G = CardGeneration;

struct Case {
    G generation;
    const char* born;
    const char* issued;
    const char* expires;  // YYYY-MM-DD or "none"
    int renewal_age;      // 0: for life
    int skipped_age;      // 0: none skipped
    const char* why;
};

const Case kCases[] = {
    // 2024: 14, 25, 40, 60
    {G::CanCuoc2024, "2024-07-01", "2024-07-01", "2038-07-01", 14, 0, "a newborn's card runs to 14"},
    {G::CanCuoc2024, "2019-03-20", "2024-09-10", "2033-03-20", 14, 0, "under 6, no photo: to 14 too"},
    {G::CanCuoc2024, "2012-03-15", "2024-03-14", "2026-03-15", 14, 0, "the day before 12: two years and a day before 14"},
    {G::CanCuoc2024, "2012-03-15", "2024-03-15", "2037-03-15", 25, 14, "the 12th birthday: within two years of 14"},
    {G::CanCuoc2024, "2010-06-01", "2024-05-31", "2035-06-01", 25, 14, "the day before 14"},
    {G::CanCuoc2024, "2010-06-01", "2024-06-01", "2035-06-01", 25, 0, "the 14th birthday itself: renewed at 14"},
    {G::CanCuoc2024, "2003-05-14", "2024-07-01", "2028-05-14", 25, 0, "21: to 25"},
    {G::CanCuoc2024, "2001-09-02", "2024-09-01", "2026-09-02", 25, 0, "the day before 23"},
    {G::CanCuoc2024, "2001-09-02", "2024-09-02", "2041-09-02", 40, 25, "the 23rd birthday: within two years of 25"},
    {G::CanCuoc2024, "1999-08-22", "2024-08-21", "2039-08-22", 40, 25, "the day before 25"},
    {G::CanCuoc2024, "1999-08-21", "2024-08-21", "2039-08-21", 40, 0, "the 25th birthday itself"},
    {G::CanCuoc2024, "1986-12-31", "2024-12-30", "2026-12-31", 40, 0, "the day before 38"},
    {G::CanCuoc2024, "1986-12-31", "2024-12-31", "2046-12-31", 60, 40, "the 38th birthday: within two years of 40"},
    {G::CanCuoc2024, "1985-05-10", "2023-05-09", "2025-05-10", 40, 0, "37: to 40"},
    {G::CanCuoc2024, "1985-05-10", "2024-07-01", "2045-05-10", 60, 40, "39: to 60 (the reference's worked example)"},
    {G::CanCuoc2024, "1984-02-10", "2024-02-10", "2044-02-10", 60, 0, "the 40th birthday itself"},
    {G::CanCuoc2024, "1985-05-10", "2043-05-09", "2045-05-10", 60, 0, "the day before 58"},
    {G::CanCuoc2024, "1985-05-10", "2043-05-10", "none", 0, 60, "the 58th birthday: for life"},
    {G::CanCuoc2024, "1965-01-20", "2024-07-01", "none", 0, 60, "59: for life"},
    {G::CanCuoc2024, "1964-07-01", "2024-07-01", "none", 0, 0, "the 60th birthday itself: for life"},
    {G::CanCuoc2024, "1944-04-04", "2024-07-01", "none", 0, 0, "80: for life"},
    {G::CanCuoc2024, "2000-12-31", "2023-12-30", "2025-12-31", 25, 0, "born on 31 December, the day before 23"},
    {G::CanCuoc2024, "2000-12-31", "2023-12-31", "2040-12-31", 40, 25, "born on 31 December, the 23rd birthday"},
    {G::CanCuoc2024, "2001-01-01", "2023-12-31", "2026-01-01", 25, 0, "born on 1 January, the last day of age 22"},
    // 29 February: the birthday of a common year is 1 March
    {G::CanCuoc2024, "2004-02-29", "2024-07-01", "2029-03-01", 25, 0, "born on 29 February, expiring in a common year"},
    {G::CanCuoc2024, "2000-02-29", "2024-07-01", "2040-02-29", 40, 25, "born on 29 February, expiring in a leap year"},
    {G::CanCuoc2024, "2000-02-29", "2023-02-28", "2025-03-01", 25, 0, "29 February: still 22 on 28 February"},
    {G::CanCuoc2024, "2000-02-29", "2023-03-01", "2040-02-29", 40, 25, "29 February: 23 on 1 March"},
    {G::CanCuoc2024, "1964-02-29", "2022-02-28", "2024-02-29", 60, 0, "29 February: still 57 on 28 February of a common year"},
    {G::CanCuoc2024, "1966-02-28", "2024-02-28", "none", 0, 60, "28 February: 58 that day"},
    // 2021: 25, 40, 60 (reading and renewing old cards)
    {G::Cccd2021, "2003-05-14", "2021-07-01", "2028-05-14", 25, 0, "the sample card's own expiry"},
    {G::Cccd2021, "2011-01-01", "2021-06-01", "2036-01-01", 25, 0, "no renewal at 14 under the 2014 law"},
    {G::Cccd2021, "2009-04-30", "2021-05-01", "2034-04-30", 25, 0, "12: no two-year window before 14 either"},
    {G::Cccd2021, "1998-10-10", "2021-10-10", "2038-10-10", 40, 25, "the 23rd birthday"},
    {G::Cccd2021, "1964-03-03", "2021-03-02", "2024-03-03", 60, 0, "56: to 60"},
    {G::Cccd2021, "1963-03-03", "2021-03-02", "2023-03-03", 60, 0, "the day before 58"},
    {G::Cccd2021, "1963-03-03", "2021-03-03", "none", 0, 60, "the 58th birthday"},
};

TEST(CardValidity, EveryBoundaryOfTheTable) {
    EXPECT_GE(std::size(kCases), 30u);
    for (const Case& c : kCases) {
        SCOPED_TRACE(std::string(c.why) + " (born " + c.born + ", issued " + c.issued + ")");
        const CardValidity v = card_validity(c.generation, c.born, c.issued);
        EXPECT_EQ(record_expiry(v), c.expires);
        EXPECT_EQ(v.renewal_age.value_or(0), c.renewal_age);
        EXPECT_EQ(v.skipped_age.value_or(0), c.skipped_age);
        EXPECT_EQ(v.for_life(), std::string(c.expires) == "none");
    }
}

TEST(CardValidity, AgeAtIssueCountsTheBirthdayAsReached) {
    EXPECT_EQ(card_validity(G::CanCuoc2024, "1999-08-21", "2024-08-20").age_at_issue, 24);
    EXPECT_EQ(card_validity(G::CanCuoc2024, "1999-08-21", "2024-08-21").age_at_issue, 25);
    EXPECT_EQ(card_validity(G::CanCuoc2024, "2024-07-01", "2024-07-01").age_at_issue, 0);
}

TEST(CardValidity, PrintsAsDg13AndTheCardFaceDo) {
    EXPECT_EQ(printed_expiry(card_validity(G::CanCuoc2024, "2003-05-14", "2024-07-01")), "14/05/2028");
    EXPECT_EQ(printed_expiry(card_validity(G::CanCuoc2024, "1944-04-04", "2024-07-01")), std::string(kNoExpiryWords));
    EXPECT_EQ(record_expiry(card_validity(G::CanCuoc2024, "1944-04-04", "2024-07-01")), "none");
}

TEST(CardValidity, RefusesAnIssueBeforeBirthAndDatesThatAreNotDates) {
    EXPECT_THROW(card_validity(G::CanCuoc2024, "2024-07-02", "2024-07-01"), InvalidArgument);
    EXPECT_THROW(card_validity(G::CanCuoc2024, "2023-02-29", "2024-07-01"), InvalidArgument);
    EXPECT_THROW(card_validity(G::CanCuoc2024, "2003-05-14", "01/07/2024"), InvalidArgument);
    EXPECT_THROW(card_validity(G::CanCuoc2024, "2003-5-14", "2024-07-01"), InvalidArgument);
    EXPECT_THROW(card_validity(G::CanCuoc2024, "2003-05-1x", "2024-07-01"), InvalidArgument);
}

TEST(CardValidity, TheRenewalAgesOfEachGeneration) {
    const auto a2024 = renewal_ages(G::CanCuoc2024);
    const auto a2021 = renewal_ages(G::Cccd2021);
    EXPECT_EQ(std::vector<int>(a2024.begin(), a2024.end()), (std::vector<int>{14, 25, 40, 60}));
    EXPECT_EQ(std::vector<int>(a2021.begin(), a2021.end()), (std::vector<int>{25, 40, 60}));
}

TEST(CalendarDays, ParseAndWriteIsoAndVietnameseDates) {
    const auto day = parse_iso_day("2024-02-29");
    ASSERT_TRUE(day);
    EXPECT_EQ(iso_day(*day), "2024-02-29");
    EXPECT_EQ(vietnamese_day(*day), "29/02/2024");
    EXPECT_FALSE(parse_iso_day("2023-02-29"));
    EXPECT_FALSE(parse_iso_day("2024-13-01"));
    EXPECT_FALSE(parse_iso_day("2024-00-10"));
    EXPECT_FALSE(parse_iso_day(""));
    EXPECT_FALSE(parse_iso_day("2024-02-2a"));
    EXPECT_FALSE(parse_iso_day("+024-02-20"));
}

}  // namespace
}  // namespace cccd::identity
