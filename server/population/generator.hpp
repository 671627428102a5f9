#pragma once
// A synthetic population for tests, demos and benchmarks: realistic Vietnamese names with diacritics,
// provinces, dates and 12-digit ID numbers whose parts agree with the person (cccd-chip.md):
// PPP the province of birth registration, G the century and sex (0/1 = 1900s male/female, 2/3 = 2000s),
// YY the last two digits of the birth year, NNNNNN distinct within each PPP-G-YY group. The same seed
// gives the same people, so a benchmark at 10 M citizens is repeatable.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/model/model.hpp"

namespace cccd::server {

struct Province {
    std::string_view code;  // "079"
    std::string_view name;  // "Thành phố Hồ Chí Minh"
    unsigned weight;        // relative population, for drawing
};

// The 63 provinces and centrally-governed cities with their codes.
const std::vector<Province>& provinces();
const Province* province_by_code(std::string_view code);

// The ID number's parts, as a person's data says they must be.
std::string id_number_prefix(std::string_view province_code, char sex, int birth_year);  // "0793" + "03"
// Whether an ID number agrees with sex and birth date (YYYY-MM-DD) and names a known province.
bool id_number_agrees(std::string_view id_number, char sex, std::string_view date_of_birth);

class PopulationGenerator {
public:
    // `today` (YYYY-MM-DD) fixes ages and card dates, so output depends only on the seed and today.
    PopulationGenerator(std::uint64_t seed, std::string today);
    Citizen next();

private:
    std::string draw_name(char sex, std::string_view surname);
    std::string address(const Province& province, bool with_street);
    std::string draw_serial(const std::string& prefix);

    std::mt19937_64 random_;
    std::string today_;
    int this_year_ = 2026;
    std::discrete_distribution<std::size_t> province_draw_;
    std::discrete_distribution<std::size_t> surname_draw_;
    std::discrete_distribution<std::size_t> ethnicity_draw_;
    std::discrete_distribution<std::size_t> religion_draw_;
    std::unordered_map<std::string, std::uint32_t> issued_per_prefix_;
};

}  // namespace cccd::server
