#include "server/population/generator.hpp"

#include <array>
#include <cstdio>

#include "base/error.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"
#include "identity/validity.hpp"

namespace cccd::server {

namespace {

// Relative population of each province, in the order of identity::province_codes(), roughly after the
// 2019 census (hundreds of thousands of people): where the generator registers births.
constexpr std::array<unsigned, 63> kProvinceWeights = {
    80, 9, 5, 3, 8, 7, 6, 5, 12, 8, 9, 13,
    8, 13, 18, 15, 12, 14, 19, 20, 13, 19, 9, 18,
    10, 36, 33, 13, 9, 6, 11, 11, 15, 12, 15, 9,
    12, 6, 12, 5, 15, 19, 6, 13, 10, 12, 26, 31,
    12, 90, 17, 18, 13, 10, 10, 16, 19, 17, 12, 7,
    12, 9, 12,
};

struct Weighted {
    std::string_view text;
    unsigned weight;
};

// Family names by frequency; names are stored upper case, as the card prints them.
constexpr std::array<Weighted, 16> kSurnames{{{"NGUYỄN", 380}, {"TRẦN", 110}, {"LÊ", 95}, {"PHẠM", 70},
                                              {"HOÀNG", 30},  {"HUỲNH", 21},  {"PHAN", 45}, {"VŨ", 20},
                                              {"VÕ", 19},     {"ĐẶNG", 21},   {"BÙI", 20},  {"ĐỖ", 14},
                                              {"HỒ", 13},     {"NGÔ", 13},    {"DƯƠNG", 10}, {"LÝ", 5}}};
constexpr std::array<std::string_view, 8> kMaleMiddle{"VĂN", "HỮU", "ĐỨC", "MINH", "QUANG", "THÀNH", "CÔNG", "XUÂN"};
constexpr std::array<std::string_view, 8> kFemaleMiddle{"THỊ", "NGỌC", "THU", "THANH", "MỸ", "KIM", "HỒNG", "BẢO"};
constexpr std::array<std::string_view, 24> kMaleGiven{"AN",   "BẢO",  "CƯỜNG", "DŨNG",  "ĐỨC",   "HẢI",  "HIẾU",  "HÙNG",
                                                      "HUY",  "KHANG", "KHOA", "LONG",  "MINH",  "NAM",  "NGHĨA", "PHÚC",
                                                      "QUÂN", "SƠN",  "THẮNG", "THỊNH", "TRUNG", "TUẤN", "VIỆT",  "VINH"};
constexpr std::array<std::string_view, 24> kFemaleGiven{"ANH",  "CHI",  "DUNG",  "DUYÊN", "GIANG", "HÀ",   "HẠNH", "HƯƠNG",
                                                        "LAN",  "LINH", "LOAN",  "MAI",   "MY",    "NGÂN", "NGỌC", "NHUNG",
                                                        "OANH", "PHƯƠNG", "QUYÊN", "THẢO", "TRANG", "TRINH", "UYÊN", "YẾN"};
constexpr std::array<Weighted, 8> kEthnicities{{{"Kinh", 853}, {"Tày", 19}, {"Thái", 18}, {"Mường", 15},
                                                {"Khmer", 13}, {"Hoa", 8}, {"Nùng", 11}, {"H'Mông", 13}}};
constexpr std::array<Weighted, 6> kReligions{{{"Không", 860}, {"Phật giáo", 48}, {"Công giáo", 61}, {"Cao Đài", 6},
                                              {"Phật giáo Hòa Hảo", 10}, {"Tin Lành", 10}}};
constexpr std::array<std::string_view, 12> kStreets{"Lê Lợi",     "Trần Hưng Đạo", "Nguyễn Huệ",  "Hai Bà Trưng",
                                                    "Lý Thường Kiệt", "Phan Chu Trinh", "Quang Trung", "Nguyễn Trãi",
                                                    "Hùng Vương", "Lê Duẩn",       "Điện Biên Phủ", "Võ Thị Sáu"};
constexpr std::array<std::string_view, 10> kPlaces{"An Phú",  "Bình Minh", "Hòa Bình", "Tân Tiến", "Phú Lợi",
                                                   "Đông Hòa", "Thạnh Mỹ",  "Vĩnh Phúc", "Long Hưng", "Quang Trung"};
constexpr std::array<std::string_view, 4> kFeatures{"Nốt ruồi C:2cm trên sau mép phải", "Sẹo chấm C:1cm dưới trước mắt trái",
                                                    "Nốt ruồi C:1,5cm dưới sau cánh mũi trái", "Sẹo chấm C:3cm trên trước đầu mày phải"};

template <std::size_t N>
std::discrete_distribution<std::size_t> weights_of(const std::array<Weighted, N>& table) {
    std::vector<double> w;
    for (const auto& e : table) w.push_back(e.weight);
    return std::discrete_distribution<std::size_t>(w.begin(), w.end());
}

template <typename Table>
std::string_view pick(const Table& table, std::mt19937_64& random) {
    std::uniform_int_distribution<std::size_t> d(0, table.size() - 1);
    return table[d(random)];
}

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string iso(int y, int m, int d) { return std::to_string(y) + "-" + two(m) + "-" + two(d); }
std::string dmy(const std::string& iso_date) {
    return iso_date.substr(8, 2) + "/" + iso_date.substr(5, 2) + "/" + iso_date.substr(0, 4);
}

}  // namespace

PopulationGenerator::PopulationGenerator(std::uint64_t seed, std::string today) : random_(seed), today_(std::move(today)) {
    if (today_.size() != 10) throw InvalidArgument("today must be YYYY-MM-DD");
    this_year_ = std::stoi(today_.substr(0, 4));
    std::vector<double> w;
    for (unsigned weight : kProvinceWeights) w.push_back(weight);
    province_draw_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
    surname_draw_ = weights_of(kSurnames);
    ethnicity_draw_ = weights_of(kEthnicities);
    religion_draw_ = weights_of(kReligions);
}

std::string PopulationGenerator::draw_name(char sex, std::string_view surname) {
    std::string name(surname);
    name += " ";
    name += sex == 'M' ? pick(kMaleMiddle, random_) : pick(kFemaleMiddle, random_);
    name += " ";
    name += sex == 'M' ? pick(kMaleGiven, random_) : pick(kFemaleGiven, random_);
    return name;
}

std::string PopulationGenerator::address(const identity::ProvinceCode& province, bool with_street) {
    std::string out;
    if (with_street) {
        out = "Số " + std::to_string(std::uniform_int_distribution<int>(1, 250)(random_)) + " Đường " +
              std::string(pick(kStreets, random_)) + ", ";
    }
    bool city = province.name.rfind("Thành phố", 0) == 0;
    out += (city ? "Phường " : "Xã ") + std::string(pick(kPlaces, random_)) + ", ";
    out += (city ? "Quận " : "Huyện ") + std::string(pick(kPlaces, random_)) + ", ";
    out += std::string(province.name);
    return out;
}

// Distinct 6-digit serials within a PPP-G-YY group: the k-th person gets a fixed odd multiple of k,
// a permutation of 000000..999999.
std::string PopulationGenerator::draw_serial(const std::string& prefix) {
    std::uint32_t k = issued_per_prefix_[prefix]++;
    if (k >= 1'000'000) throw InvalidArgument("more than a million people in one ID group");
    std::uint64_t serial = (static_cast<std::uint64_t>(k) * 738'157 + 104'729) % 1'000'000;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06u", static_cast<unsigned>(serial));
    return buf;
}

Citizen PopulationGenerator::next() {
    Citizen c;
    const auto provinces = identity::province_codes();
    const identity::ProvinceCode& registered = provinces[province_draw_(random_)];
    const identity::ProvinceCode& lives_in =
        std::bernoulli_distribution(0.8)(random_) ? registered : provinces[province_draw_(random_)];
    c.sex = std::bernoulli_distribution(0.5)(random_) ? 'M' : 'F';
    int age = std::uniform_int_distribution<int>(14, 90)(random_);
    int year = this_year_ - age;
    int month = std::uniform_int_distribution<int>(1, 12)(random_);
    int day = std::uniform_int_distribution<int>(1, days_in_month(year, month))(random_);
    // `age` completed years today: a birthday later in the year moves the birth a year back, so no one
    // is 13 (every generated citizen holds a card issued from the 14th birthday on).
    if (iso(this_year_, month, std::min(day, days_in_month(this_year_, month))) > today_) {
        --year;
        day = std::min(day, days_in_month(year, month));
    }
    c.date_of_birth = iso(year, month, day);
    c.province_code = std::string(registered.code);

    auto& p = c.person;
    std::string prefix = identity::id_number_prefix(registered.code, c.sex, year);
    p.personal_id = prefix + draw_serial(prefix);
    std::string_view surname = kSurnames[surname_draw_(random_)].text;
    p.full_name = draw_name(c.sex, surname);
    p.date_of_birth = dmy(c.date_of_birth);
    p.sex = c.sex == 'M' ? "Nam" : "Nữ";
    p.nationality = "Việt Nam";
    p.ethnicity = std::string(kEthnicities[ethnicity_draw_(random_)].text);
    p.religion = std::string(kReligions[religion_draw_(random_)].text);
    p.place_of_origin = address(registered, false);
    p.place_of_residence = address(lives_in, true);
    p.identifying_features = std::string(pick(kFeatures, random_));

    // Issued within the last four years, after the 14th birthday; valid as identity/validity.hpp says for
    // the generation issued that day (the 2021 CCCD before 1 July 2024, the Căn cước from then on).
    int issue_year = std::max(year + 14, this_year_ - std::uniform_int_distribution<int>(0, 4)(random_));
    if (issue_year > this_year_) issue_year = this_year_;
    int issue_month = std::uniform_int_distribution<int>(1, issue_year == this_year_ ? std::stoi(today_.substr(5, 2)) : 12)(random_);
    std::string issued = iso(issue_year, issue_month, std::uniform_int_distribution<int>(1, 28)(random_));
    // Never before the 14th birthday, never after today.
    const std::string fourteenth = identity::iso_day(identity::birthday_in(*identity::parse_iso_day(c.date_of_birth),
                                                                          std::chrono::year(year + 14)));
    issued = std::min(std::max(issued, fourteenth), today_);
    p.date_of_issue = dmy(issued);
    const auto generation = issued < identity::kCanCuocFirstIssueDay ? identity::CardGeneration::Cccd2021
                                                                      : identity::CardGeneration::CanCuoc2024;
    p.date_of_expiry = identity::printed_expiry(identity::card_validity(generation, c.date_of_birth, issued));

    std::string father = draw_name('M', surname);
    std::string mother = draw_name('F', kSurnames[surname_draw_(random_)].text);
    p.father_name = father;
    p.mother_name = mother;
    if (age >= 25 && std::bernoulli_distribution(0.6)(random_)) {
        p.spouse_name = draw_name(c.sex == 'M' ? 'F' : 'M', kSurnames[surname_draw_(random_)].text);
    }
    if (year < 2000 && std::bernoulli_distribution(0.7)(random_)) {
        char old_id[16];
        std::snprintf(old_id, sizeof old_id, "%09llu",
                      static_cast<unsigned long long>(std::uniform_int_distribution<std::uint64_t>(0, 999'999'999)(random_)));
        p.old_id = old_id;
    }
    // About 1 in 100 had an ID number cancelled (Decree 58/2026 puts it in the QR, the chip and the
    // register): a number of the same group that the group's permutation never gives anyone else.
    if (std::bernoulli_distribution(0.01)(random_)) p.cancelled_ids.push_back(prefix + draw_serial(prefix));
    c.status = CitizenStatus::Active;
    c.updated_at = today_ + "T00:00:00Z";
    return c;
}

}  // namespace cccd::server
