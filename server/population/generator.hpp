#pragma once
// A synthetic population for tests, demos and benchmarks: realistic Vietnamese names with diacritics,
// provinces, dates and 12-digit ID numbers whose parts agree with the person (cccd-chip.md):
// the rule of identity/id_number.hpp, with NNNNNN distinct within each PPP-G-YY group. Most born before
// 2000 held a 9-digit CMND (old_id); about 1 in 100 had a personal ID number cancelled (cancelled_ids,
// a number of their own group that nobody holds). The same seed gives the same people, so a benchmark
// at 10 M citizens is repeatable.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identity/id_number.hpp"
#include "server/model/model.hpp"

namespace cccd::server {

class PopulationGenerator {
public:
    // `today` (YYYY-MM-DD) fixes ages and card dates, so output depends only on the seed and today.
    PopulationGenerator(std::uint64_t seed, std::string today);
    Citizen next();

private:
    std::string draw_name(char sex, std::string_view surname);
    std::string address(const identity::ProvinceCode& province, bool with_street);
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
