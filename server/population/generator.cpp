#include "server/population/generator.hpp"

#include <array>
#include <cstdio>

#include "card/core/error.hpp"

namespace cccd::server {

namespace {

// Administrative unit codes (Decision 124/2004/QĐ-TTg), used as the ID number's province part; weights
// roughly follow the 2019 census (hundreds of thousands of people).
const std::vector<Province> kProvinces = {
    {"001", "Thành phố Hà Nội", 80},      {"002", "Tỉnh Hà Giang", 9},          {"004", "Tỉnh Cao Bằng", 5},
    {"006", "Tỉnh Bắc Kạn", 3},           {"008", "Tỉnh Tuyên Quang", 8},       {"010", "Tỉnh Lào Cai", 7},
    {"011", "Tỉnh Điện Biên", 6},         {"012", "Tỉnh Lai Châu", 5},          {"014", "Tỉnh Sơn La", 12},
    {"015", "Tỉnh Yên Bái", 8},           {"017", "Tỉnh Hòa Bình", 9},          {"019", "Tỉnh Thái Nguyên", 13},
    {"020", "Tỉnh Lạng Sơn", 8},          {"022", "Tỉnh Quảng Ninh", 13},       {"024", "Tỉnh Bắc Giang", 18},
    {"025", "Tỉnh Phú Thọ", 15},          {"026", "Tỉnh Vĩnh Phúc", 12},        {"027", "Tỉnh Bắc Ninh", 14},
    {"030", "Tỉnh Hải Dương", 19},        {"031", "Thành phố Hải Phòng", 20},   {"033", "Tỉnh Hưng Yên", 13},
    {"034", "Tỉnh Thái Bình", 19},        {"035", "Tỉnh Hà Nam", 9},            {"036", "Tỉnh Nam Định", 18},
    {"037", "Tỉnh Ninh Bình", 10},        {"038", "Tỉnh Thanh Hóa", 36},        {"040", "Tỉnh Nghệ An", 33},
    {"042", "Tỉnh Hà Tĩnh", 13},          {"044", "Tỉnh Quảng Bình", 9},        {"045", "Tỉnh Quảng Trị", 6},
    {"046", "Tỉnh Thừa Thiên Huế", 11},   {"048", "Thành phố Đà Nẵng", 11},     {"049", "Tỉnh Quảng Nam", 15},
    {"051", "Tỉnh Quảng Ngãi", 12},       {"052", "Tỉnh Bình Định", 15},        {"054", "Tỉnh Phú Yên", 9},
    {"056", "Tỉnh Khánh Hòa", 12},        {"058", "Tỉnh Ninh Thuận", 6},        {"060", "Tỉnh Bình Thuận", 12},
    {"062", "Tỉnh Kon Tum", 5},           {"064", "Tỉnh Gia Lai", 15},          {"066", "Tỉnh Đắk Lắk", 19},
    {"067", "Tỉnh Đắk Nông", 6},          {"068", "Tỉnh Lâm Đồng", 13},         {"070", "Tỉnh Bình Phước", 10},
    {"072", "Tỉnh Tây Ninh", 12},         {"074", "Tỉnh Bình Dương", 26},       {"075", "Tỉnh Đồng Nai", 31},
    {"077", "Tỉnh Bà Rịa - Vũng Tàu", 12}, {"079", "Thành phố Hồ Chí Minh", 90}, {"080", "Tỉnh Long An", 17},
    {"082", "Tỉnh Tiền Giang", 18},       {"083", "Tỉnh Bến Tre", 13},          {"084", "Tỉnh Trà Vinh", 10},
    {"086", "Tỉnh Vĩnh Long", 10},        {"087", "Tỉnh Đồng Tháp", 16},        {"089", "Tỉnh An Giang", 19},
    {"091", "Tỉnh Kiên Giang", 17},       {"092", "Thành phố Cần Thơ", 12},     {"093", "Tỉnh Hậu Giang", 7},
    {"094", "Tỉnh Sóc Trăng", 12},        {"095", "Tỉnh Bạc Liêu", 9},          {"096", "Tỉnh Cà Mau", 12},
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

const std::vector<Province>& provinces() { return kProvinces; }

const Province* province_by_code(std::string_view code) {
    for (const auto& p : kProvinces) {
        if (p.code == code) return &p;
    }
    return nullptr;
}

std::string id_number_prefix(std::string_view province_code, char sex, int birth_year) {
    if (province_by_code(province_code) == nullptr) throw InvalidArgument("unknown province code");
    if (birth_year < 1900 || birth_year > 2299) throw InvalidArgument("birth year out of range");
    int century = (birth_year - 1900) / 100;
    int g = century * 2 + (sex == 'F' ? 1 : 0);
    return std::string(province_code) + std::to_string(g) + two(birth_year % 100);
}

bool id_number_agrees(std::string_view id, char sex, std::string_view date_of_birth) {
    if (id.size() != 12 || date_of_birth.size() < 4) return false;
    for (char c : id) {
        if (c < '0' || c > '9') return false;
    }
    int year = std::stoi(std::string(date_of_birth.substr(0, 4)));
    try {
        return id.substr(0, 6) == id_number_prefix(id.substr(0, 3), sex, year);
    } catch (const InvalidArgument&) {
        return false;
    }
}

PopulationGenerator::PopulationGenerator(std::uint64_t seed, std::string today) : random_(seed), today_(std::move(today)) {
    if (today_.size() != 10) throw InvalidArgument("today must be YYYY-MM-DD");
    this_year_ = std::stoi(today_.substr(0, 4));
    std::vector<double> w;
    for (const auto& p : kProvinces) w.push_back(p.weight);
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

std::string PopulationGenerator::address(const Province& province, bool with_street) {
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
    const Province& registered = kProvinces[province_draw_(random_)];
    const Province& lives_in = std::bernoulli_distribution(0.8)(random_) ? registered : kProvinces[province_draw_(random_)];
    c.sex = std::bernoulli_distribution(0.5)(random_) ? 'M' : 'F';
    int age = std::uniform_int_distribution<int>(14, 90)(random_);
    int year = this_year_ - age;
    int month = std::uniform_int_distribution<int>(1, 12)(random_);
    int day = std::uniform_int_distribution<int>(1, days_in_month(year, month))(random_);
    c.date_of_birth = iso(year, month, day);
    c.province_code = std::string(registered.code);

    auto& p = c.person;
    std::string prefix = id_number_prefix(registered.code, c.sex, year);
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

    // Issued within the last four years, after the 14th birthday; valid to the birthday at 25, 40 or 60.
    int issue_year = std::max(year + 14, this_year_ - std::uniform_int_distribution<int>(0, 4)(random_));
    if (issue_year > this_year_) issue_year = this_year_;
    int issue_month = std::uniform_int_distribution<int>(1, issue_year == this_year_ ? std::stoi(today_.substr(5, 2)) : 12)(random_);
    p.date_of_issue = dmy(iso(issue_year, issue_month, std::uniform_int_distribution<int>(1, 28)(random_)));
    int age_at_issue = issue_year - year;
    int milestone = age_at_issue < 23 ? 25 : age_at_issue < 38 ? 40 : age_at_issue < 58 ? 60 : 0;
    if (milestone == 0) {
        p.date_of_expiry = "Không thời hạn";
    } else {
        int expiry_day = month == 2 && day == 29 ? 28 : day;
        p.date_of_expiry = dmy(iso(year + milestone, month, expiry_day));
    }

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
    c.status = CitizenStatus::Active;
    c.updated_at = today_ + "T00:00:00Z";
    return c;
}

}  // namespace cccd::server
