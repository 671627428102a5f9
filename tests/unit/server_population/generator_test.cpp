// The synthetic population: ID numbers that agree with each person (the rule itself is tested in
// tests/unit/identity), distinct IDs, repeatable output,
// realistic fields, and population files that read back to the same citizens.
#include "server/population/generator.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "base/error.hpp"
#include "card/lds/dg13.hpp"
#include "card/mrz/mrz.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"
#include "identity/validity.hpp"
#include "server/population/population_file.hpp"

using namespace cccd;
using namespace cccd::server;

TEST(Population, GeneratedPeopleAreConsistentDistinctAndRepeatable) {
    PopulationGenerator a(42, "2026-11-23");
    PopulationGenerator b(42, "2026-11-23");
    std::set<std::string> ids;
    std::set<std::string> cancelled;
    std::set<std::string> provinces_seen;
    int with_diacritics = 0;
    int with_old_id = 0;
    for (int i = 0; i < 20000; ++i) {
        Citizen c = a.next();
        Citizen again = b.next();
        ASSERT_EQ(c, again) << "the same seed must give the same people";
        ASSERT_TRUE(identity::id_number_agrees(c.person.personal_id, c.sex, c.date_of_birth)) << c.person.personal_id;
        ASSERT_TRUE(ids.insert(c.person.personal_id).second) << "duplicate ID " << c.person.personal_id;
        EXPECT_EQ(c.province_code, c.person.personal_id.substr(0, 3));
        provinces_seen.insert(c.province_code);
        const auto born = *identity::parse_iso_day(c.date_of_birth);
        const int age = identity::age_on(born, *identity::parse_iso_day("2026-11-23"));
        ASSERT_GE(age, 14) << c.date_of_birth;  // completed years, not the difference of the years
        EXPECT_LE(age, 91);
        // The card was issued from the 14th birthday on, and not after today.
        const std::string issued_on = identity::iso_date(c.person.date_of_issue);
        ASSERT_GE(issued_on, identity::iso_day(identity::birthday_in(born, born.year() + std::chrono::years(14))))
            << c.date_of_birth << " issued " << issued_on;
        ASSERT_LE(issued_on, "2026-11-23");
        // Every citizen can be issued a new card today, and its record fits the profile.
        identity::EnrollmentRecord renewal = identity::new_card_record(c, "2026-11-23");
        renewal.photo_jpeg = Bytes{0xFF, 0xD8, 0xFF, 0xD9};
        ASSERT_EQ(identity::record_profile_problems(renewal), std::vector<std::string>{}) << c.date_of_birth;
        // The MRZ can be built from every generated person.
        std::string expiry = c.person.date_of_expiry == "Không thời hạn"
                                 ? "none"
                                 : c.person.date_of_expiry.substr(6, 4) + "-" + c.person.date_of_expiry.substr(3, 2) + "-" +
                                       c.person.date_of_expiry.substr(0, 2);
        ASSERT_NO_THROW(mrz::build_cccd_mrz(c.person.personal_id, c.person.full_name, c.sex, c.date_of_birth, expiry))
            << c.person.personal_id << " " << c.date_of_birth << " " << expiry;
        // The expiry is the validity rule's for the generation issued on that day.
        const std::string issued = identity::iso_date(c.person.date_of_issue);
        const auto generation = issued < identity::kCanCuocFirstIssueDay ? identity::CardGeneration::Cccd2021
                                                                          : identity::CardGeneration::CanCuoc2024;
        ASSERT_EQ(expiry, identity::record_expiry(identity::card_validity(generation, c.date_of_birth, issued)))
            << c.date_of_birth << " issued " << issued;
        // A small share had an ID number cancelled: 12 digits of their own group, never theirs now.
        for (const auto& id : c.person.cancelled_ids) {
            ASSERT_EQ(id.size(), 12u);
            ASSERT_NE(id, c.person.personal_id);
            ASSERT_TRUE(identity::id_number_agrees(id, c.sex, c.date_of_birth)) << id;
            ASSERT_TRUE(cancelled.insert(id).second) << "cancelled twice: " << id;
        }
        if (c.person.old_id) ++with_old_id;
        if (c.person.full_name.find("\xE1\xBB") != std::string::npos || c.person.full_name.find("\xC3") != std::string::npos) {
            ++with_diacritics;
        }
    }
    EXPECT_GT(provinces_seen.size(), 55u);
    EXPECT_GT(cancelled.size(), 100u);  // about 1 in 100
    EXPECT_LT(cancelled.size(), 400u);
    for (const auto& id : cancelled) EXPECT_FALSE(ids.contains(id)) << "a cancelled number is someone's ID: " << id;
    EXPECT_GT(with_old_id, 2000);
    EXPECT_GT(with_diacritics, 15000);
    PopulationGenerator other(43, "2026-11-23");
    EXPECT_NE(other.next(), PopulationGenerator(42, "2026-11-23").next());
}

TEST(Population, AFileReadsBackToTheSameCitizens) {
    auto path = std::filesystem::temp_directory_path() / ("cccd-population-" + std::to_string(::getpid()) + ".jsonl");
    write_generated_population(path, 2500, 7, "2026-11-23");
    PopulationGenerator expected(7, "2026-11-23");
    std::size_t seen = 0;
    std::size_t batches = 0;
    read_population_file(path, 1000, [&](std::vector<Citizen>&& batch) {
        ++batches;
        for (auto& c : batch) {
            Citizen e = expected.next();
            e.updated_at.clear();
            c.updated_at.clear();
            ASSERT_EQ(c, e);
            ++seen;
        }
    });
    EXPECT_EQ(seen, 2500u);
    EXPECT_EQ(batches, 3u);
    std::filesystem::remove(path);
}

TEST(Population, ABadLineIsNamedAndStopsTheImport) {
    auto path = std::filesystem::temp_directory_path() / ("cccd-population-bad-" + std::to_string(::getpid()) + ".jsonl");
    {
        PopulationGenerator g(1, "2026-11-23");
        std::ofstream out(path);
        out << to_jsonl(g.next()) << "\n" << to_jsonl(g.next()) << "\n";
        Citizen liar = g.next();
        liar.sex = liar.sex == 'M' ? 'F' : 'M';  // the ID's sex digit now disagrees
        liar.person.sex = liar.sex == 'M' ? "Nam" : "Nữ";
        out << to_jsonl(liar) << "\n" << to_jsonl(g.next()) << "\n";
    }
    std::size_t delivered = 0;
    try {
        read_population_file(path, 100, [&](std::vector<Citizen>&& b) { delivered += b.size(); });
        FAIL() << "a disagreeing ID number was accepted";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
    }
    EXPECT_EQ(delivered, 0u);
    std::filesystem::remove(path);
}
