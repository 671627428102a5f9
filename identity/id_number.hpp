#pragma once
// The 12-digit personal identification number (số định danh cá nhân), one rule for every part that
// checks or makes one: the MRZ builder, the station's form and offline queue, the issuance API,
// population files and the synthetic population generator (shared/reference/cccd-chip.md):
//
//   PPP G YY NNNNNN
//   PPP     the province where the birth was registered: one of the 63 codes below (Decision
//           124/2004/QĐ-TTg). Numbers keep these codes after the 2025 merger into 34 provinces.
//   G       the century and sex: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s,
//           8/9 = 2300s (Circular 07/2016/TT-BCA), so a year of birth from 1900 to 2399
//   YY      the last two digits of the year of birth
//   NNNNNN  a serial number; there is no check digit
//
// Assumption: the codes given to births registered abroad are not public, so this project refuses
// them until they are known (docs/server.md).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cccd::identity {

struct ProvinceCode {
    std::string_view code;  // "079"
    std::string_view name;  // "Thành phố Hồ Chí Minh"
};

// The 63 provinces and centrally-governed cities, in code order.
std::span<const ProvinceCode> province_codes() noexcept;
const ProvinceCode* province_by_code(std::string_view code) noexcept;

inline constexpr int kFirstBirthYear = 1900;
inline constexpr int kLastBirthYear = 2399;

// G for a person of this sex ('M' or 'F') born in this year; nothing outside 1900..2399 or for another sex.
std::optional<int> century_sex_digit(char sex, int birth_year) noexcept;

// PPP G YY as a person's data says they must be ("079" 'F' 2003 -> "079303"). InvalidArgument for an
// unknown province, a sex other than M or F, or a year outside 1900..2399.
std::string id_number_prefix(std::string_view province_code, char sex, int birth_year);

// Why `id_number` cannot be the number of a person of this sex born in this year, in the officer's
// words (naming the digit that disagrees and what it should be); nothing when it can.
std::optional<std::string> id_number_problem(std::string_view id_number, char sex, int birth_year);
inline bool id_number_agrees(std::string_view id_number, char sex, int birth_year) {
    return !id_number_problem(id_number, sex, birth_year);
}
// The same with the date of birth as YYYY-MM-DD (only its year counts); false when it has no year.
bool id_number_agrees(std::string_view id_number, char sex, std::string_view date_of_birth);

}  // namespace cccd::identity
