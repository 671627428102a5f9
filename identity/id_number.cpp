#include "identity/id_number.hpp"

#include <algorithm>
#include <array>

#include "base/error.hpp"

namespace cccd::identity {

namespace {

// Administrative unit codes of Decision 124/2004/QĐ-TTg, as the ID number's first three digits.
constexpr std::array<ProvinceCode, 63> kProvinces = {{
    {"001", "Thành phố Hà Nội"},
    {"002", "Tỉnh Hà Giang"},
    {"004", "Tỉnh Cao Bằng"},
    {"006", "Tỉnh Bắc Kạn"},
    {"008", "Tỉnh Tuyên Quang"},
    {"010", "Tỉnh Lào Cai"},
    {"011", "Tỉnh Điện Biên"},
    {"012", "Tỉnh Lai Châu"},
    {"014", "Tỉnh Sơn La"},
    {"015", "Tỉnh Yên Bái"},
    {"017", "Tỉnh Hòa Bình"},
    {"019", "Tỉnh Thái Nguyên"},
    {"020", "Tỉnh Lạng Sơn"},
    {"022", "Tỉnh Quảng Ninh"},
    {"024", "Tỉnh Bắc Giang"},
    {"025", "Tỉnh Phú Thọ"},
    {"026", "Tỉnh Vĩnh Phúc"},
    {"027", "Tỉnh Bắc Ninh"},
    {"030", "Tỉnh Hải Dương"},
    {"031", "Thành phố Hải Phòng"},
    {"033", "Tỉnh Hưng Yên"},
    {"034", "Tỉnh Thái Bình"},
    {"035", "Tỉnh Hà Nam"},
    {"036", "Tỉnh Nam Định"},
    {"037", "Tỉnh Ninh Bình"},
    {"038", "Tỉnh Thanh Hóa"},
    {"040", "Tỉnh Nghệ An"},
    {"042", "Tỉnh Hà Tĩnh"},
    {"044", "Tỉnh Quảng Bình"},
    {"045", "Tỉnh Quảng Trị"},
    {"046", "Tỉnh Thừa Thiên Huế"},
    {"048", "Thành phố Đà Nẵng"},
    {"049", "Tỉnh Quảng Nam"},
    {"051", "Tỉnh Quảng Ngãi"},
    {"052", "Tỉnh Bình Định"},
    {"054", "Tỉnh Phú Yên"},
    {"056", "Tỉnh Khánh Hòa"},
    {"058", "Tỉnh Ninh Thuận"},
    {"060", "Tỉnh Bình Thuận"},
    {"062", "Tỉnh Kon Tum"},
    {"064", "Tỉnh Gia Lai"},
    {"066", "Tỉnh Đắk Lắk"},
    {"067", "Tỉnh Đắk Nông"},
    {"068", "Tỉnh Lâm Đồng"},
    {"070", "Tỉnh Bình Phước"},
    {"072", "Tỉnh Tây Ninh"},
    {"074", "Tỉnh Bình Dương"},
    {"075", "Tỉnh Đồng Nai"},
    {"077", "Tỉnh Bà Rịa - Vũng Tàu"},
    {"079", "Thành phố Hồ Chí Minh"},
    {"080", "Tỉnh Long An"},
    {"082", "Tỉnh Tiền Giang"},
    {"083", "Tỉnh Bến Tre"},
    {"084", "Tỉnh Trà Vinh"},
    {"086", "Tỉnh Vĩnh Long"},
    {"087", "Tỉnh Đồng Tháp"},
    {"089", "Tỉnh An Giang"},
    {"091", "Tỉnh Kiên Giang"},
    {"092", "Thành phố Cần Thơ"},
    {"093", "Tỉnh Hậu Giang"},
    {"094", "Tỉnh Sóc Trăng"},
    {"095", "Tỉnh Bạc Liêu"},
    {"096", "Tỉnh Cà Mau"},
}};

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string two_digits(int value) { return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)}; }

}  // namespace

std::span<const ProvinceCode> province_codes() noexcept { return kProvinces; }

const ProvinceCode* province_by_code(std::string_view code) noexcept {
    const auto found = std::find_if(kProvinces.begin(), kProvinces.end(), [&](const ProvinceCode& p) { return p.code == code; });
    return found == kProvinces.end() ? nullptr : &*found;
}

std::optional<int> century_sex_digit(char sex, int birth_year) noexcept {
    if ((sex != 'M' && sex != 'F') || birth_year < kFirstBirthYear || birth_year > kLastBirthYear) return std::nullopt;
    return (birth_year / 100 - 19) * 2 + (sex == 'F' ? 1 : 0);
}

std::string id_number_prefix(std::string_view province_code, char sex, int birth_year) {
    if (province_by_code(province_code) == nullptr) throw InvalidArgument("unknown province code");
    const auto g = century_sex_digit(sex, birth_year);
    if (!g) throw InvalidArgument("the sex must be M or F and the year of birth between 1900 and 2399");
    return std::string(province_code) + static_cast<char>('0' + *g) + two_digits(birth_year % 100);
}

std::optional<std::string> id_number_problem(std::string_view id, char sex, int birth_year) {
    if (id.size() != 12 || !all_digits(id)) return "the ID number must be exactly 12 digits";
    if (sex != 'M' && sex != 'F') return "the sex must be M or F";
    if (birth_year < kFirstBirthYear || birth_year > kLastBirthYear) return "the year of birth must be between 1900 and 2399";
    if (province_by_code(id.substr(0, 3)) == nullptr)
        return "the ID number's first three digits (" + std::string(id.substr(0, 3)) + ") are not a province code";
    const int expected = *century_sex_digit(sex, birth_year);
    if (id[3] - '0' != expected) {
        return "the ID number's 4th digit (" + std::string(1, id[3]) + ") does not match a " +
               (sex == 'M' ? "man" : "woman") + " born in " + std::to_string(birth_year) + ": it should be " +
               std::to_string(expected);
    }
    if (id.substr(4, 2) != two_digits(birth_year % 100)) {
        return "the ID number's 5th and 6th digits (" + std::string(id.substr(4, 2)) +
               ") must be the last two digits of the year of birth (" + two_digits(birth_year % 100) + ")";
    }
    return std::nullopt;
}

bool id_number_agrees(std::string_view id_number, char sex, std::string_view date_of_birth) {
    if (date_of_birth.size() < 4 || !all_digits(date_of_birth.substr(0, 4))) return false;
    const int year = (date_of_birth[0] - '0') * 1000 + (date_of_birth[1] - '0') * 100 + (date_of_birth[2] - '0') * 10 +
                     (date_of_birth[3] - '0');
    return id_number_agrees(id_number, sex, year);
}

}  // namespace cccd::identity
