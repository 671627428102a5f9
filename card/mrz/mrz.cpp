#include "card/mrz/mrz.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "card/core/error.hpp"
#include "card/crypto/hash.hpp"

namespace cccd::mrz {

namespace {

struct Transliteration {
    char32_t code_point;
    const char* latin;
};

constexpr Transliteration kTable[] = {
#include "card/mrz/transliteration_table.inc"
};

bool is_mrz_char(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) noexcept { return std::all_of(s.begin(), s.end(), is_digit); }

// Decodes one UTF-8 sequence at s[i], advancing i. InvalidArgument on malformed input.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    std::uint8_t b0 = byte(i);
    std::size_t extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        extra = 1;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3;
        cp = b0 & 0x07u;
    } else {
        throw InvalidArgument("the name is not valid UTF-8 text");
    }
    if (s.size() - i <= extra) throw InvalidArgument("the name is not valid UTF-8 text");
    for (std::size_t k = 1; k <= extra; ++k) {
        std::uint8_t b = byte(i + k);
        if ((b & 0xC0) != 0x80) throw InvalidArgument("the name is not valid UTF-8 text");
        cp = (cp << 6) | (b & 0x3Fu);
    }
    static constexpr char32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        throw InvalidArgument("the name is not valid UTF-8 text");
    }
    i += extra + 1;
    return cp;
}

std::string utf8_of(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return out;
}

const char* transliterate_letter(char32_t cp) {
    auto it = std::lower_bound(std::begin(kTable), std::end(kTable), cp,
                               [](const Transliteration& t, char32_t c) { return t.code_point < c; });
    return (it != std::end(kTable) && it->code_point == cp) ? it->latin : nullptr;
}

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), '<');
    return s;
}

std::string trim_fillers(std::string_view s) {
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] == '<') --end;
    return std::string(s.substr(0, end));
}

int century_sex_digit(const Date& dob, Sex sex) {
    int century = dob.year / 100 - 19;  // 1900s -> 0, 2000s -> 1, ...
    return century * 2 + (sex == Sex::Female ? 1 : 0);
}

}  // namespace

int check_digit(std::string_view field) {
    static constexpr std::array<int, 3> kWeights = {7, 3, 1};
    int sum = 0;
    for (std::size_t i = 0; i < field.size(); ++i) {
        char c = field[i];
        int value = 0;
        if (c >= '0' && c <= '9') value = c - '0';
        else if (c >= 'A' && c <= 'Z') value = c - 'A' + 10;
        else if (c == '<') value = 0;
        else throw ParseError("MRZ: character '" + std::string(1, c) + "' is not allowed in a machine readable zone");
        sum += value * kWeights[i % 3];
    }
    return sum % 10;
}

char check_digit_char(std::string_view field) { return static_cast<char>('0' + check_digit(field)); }

bool is_valid_date(int year, int month, int day) noexcept {
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = kDays[month - 1] + ((month == 2 && leap) ? 1 : 0);
    return day <= max;
}

Date parse_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
        !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
        throw InvalidArgument("\"" + std::string(text) + "\" is not a date in the form YYYY-MM-DD");
    }
    Date d{std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(text.substr(5, 2))),
           std::stoi(std::string(text.substr(8, 2)))};
    if (!is_valid_date(d.year, d.month, d.day)) {
        throw InvalidArgument("\"" + std::string(text) + "\" is not a real calendar date");
    }
    return d;
}

std::string to_iso(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::string to_yymmdd(const Date& d) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d", d.year % 100, d.month, d.day);
    return buf;
}

MrzName transliterate_name(std::string_view utf8_full_name) {
    std::vector<std::string> parts(1);
    std::size_t i = 0;
    while (i < utf8_full_name.size()) {
        char32_t cp = next_code_point(utf8_full_name, i);
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
            parts.back().push_back(static_cast<char>(cp >= 'a' ? cp - 'a' + 'A' : cp));
        } else if (cp == ' ' || cp == '-' || cp == ',' || cp == '\t' || cp == 0xA0) {
            if (!parts.back().empty()) parts.emplace_back();
        } else if (cp == '\'' || cp == '.' || cp == 0x2019 || (cp >= 0x300 && cp <= 0x36F)) {
            // apostrophes and full stops are omitted; combining marks (NFD diacritics) are dropped
        } else if (const char* latin = transliterate_letter(cp)) {
            parts.back() += latin;
        } else {
            throw InvalidArgument("the name contains \"" + utf8_of(cp) +
                                  "\", which cannot be written in the machine readable zone");
        }
    }
    if (parts.back().empty()) parts.pop_back();
    if (parts.empty()) throw InvalidArgument("the name is empty");
    MrzName name;
    name.surname = parts.front();
    for (std::size_t k = 1; k < parts.size(); ++k) {
        if (k > 1) name.given_names.push_back('<');
        name.given_names += parts[k];
    }
    return name;
}

std::string name_field(const MrzName& name, std::size_t width) {
    std::string full = name.surname;
    if (!name.given_names.empty()) full += "<<" + name.given_names;
    if (full.size() <= width) return pad(full, width);
    // Too long: shorten the secondary identifiers from the end, then the primary one. The field ends
    // up full and its last character is a letter, which is how ICAO marks a truncated name.
    if (name.surname.size() + 3 <= width) {
        std::string out = name.surname + "<<" + name.given_names.substr(0, width - name.surname.size() - 2);
        while (out.back() == '<') out.pop_back();  // a cut between two names drops the dangling filler
        return pad(out, width);
    }
    std::string out = name.surname.substr(0, width);
    while (out.back() == '<') out.pop_back();
    return pad(out, width);
}

char sex_char(Sex s) noexcept {
    switch (s) {
        case Sex::Male: return 'M';
        case Sex::Female: return 'F';
        case Sex::Unspecified: return '<';
    }
    return '<';
}

void check_id_number(const CccdHolder& holder) {
    const std::string& id = holder.id_number;
    if (id.size() != 12 || !all_digits(id)) {
        throw InvalidArgument("the ID number must be exactly 12 digits");
    }
    if (holder.sex == Sex::Unspecified) throw InvalidArgument("the sex must be M or F");
    if (holder.date_of_birth.year < 1900 || holder.date_of_birth.year > 2399) {
        throw InvalidArgument("the year of birth must be between 1900 and 2399");
    }
    int expected = century_sex_digit(holder.date_of_birth, holder.sex);
    if (id[3] - '0' != expected) {
        throw InvalidArgument("the ID number's 4th digit (" + std::string(1, id[3]) + ") does not match a " +
                              (holder.sex == Sex::Male ? "man" : "woman") + " born in " +
                              std::to_string(holder.date_of_birth.year) + ": it should be " +
                              std::to_string(expected));
    }
    int yy = holder.date_of_birth.year % 100;
    if ((id[4] - '0') * 10 + (id[5] - '0') != yy) {
        throw InvalidArgument("the ID number's 5th and 6th digits (" + id.substr(4, 2) +
                              ") must be the last two digits of the year of birth (" + std::to_string(yy / 10) +
                              std::to_string(yy % 10) + ")");
    }
    if (holder.date_of_expiry && *holder.date_of_expiry <= holder.date_of_birth) {
        throw InvalidArgument("the date of expiry must come after the date of birth");
    }
}

Td1Lines build_cccd_td1(const CccdHolder& holder) {
    check_id_number(holder);
    const std::string& id = holder.id_number;
    Td1Lines l;
    std::string document_number = id.substr(3);
    l.line1 = "IDVNM" + document_number + check_digit_char(document_number) + id + "<<" + check_digit_char(id);
    std::string dob = to_yymmdd(holder.date_of_birth);
    std::string expiry = holder.date_of_expiry ? to_yymmdd(*holder.date_of_expiry) : "991231";
    std::string line2 = dob + check_digit_char(dob) + sex_char(holder.sex) + expiry + check_digit_char(expiry) +
                        "VNM" + std::string(11, '<');
    std::string composite = l.line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11);
    l.line2 = line2 + check_digit_char(composite);
    l.line3 = name_field(transliterate_name(holder.full_name));
    return l;
}

std::string build_cccd_mrz(std::string_view id_number, std::string_view full_name, char sex,
                           std::string_view date_of_birth, std::string_view date_of_expiry) {
    CccdHolder h;
    h.id_number = std::string(id_number);
    h.full_name = std::string(full_name);
    if (sex == 'M' || sex == 'm') h.sex = Sex::Male;
    else if (sex == 'F' || sex == 'f') h.sex = Sex::Female;
    else throw InvalidArgument("the sex must be M or F");
    h.date_of_birth = parse_iso_date(date_of_birth);
    if (date_of_expiry != "none") h.date_of_expiry = parse_iso_date(date_of_expiry);
    return build_cccd_td1(h).text();
}

bool Td1::valid() const noexcept { return failed_check() == nullptr; }

const CheckResult* Td1::failed_check() const noexcept {
    for (const auto& c : checks) {
        if (!c.ok()) return &c;
    }
    return nullptr;
}

Td1 parse_td1(std::string_view text) {
    std::string mrz;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
        if (!is_mrz_char(c)) {
            throw ParseError(std::string("MRZ: character '") + (static_cast<unsigned char>(c) < 0x20 || c == 0x7F
                                                                    ? std::string("?")
                                                                    : std::string(1, c)) +
                             "' is not allowed (only A-Z, 0-9 and <)");
        }
        mrz.push_back(c);
    }
    if (mrz.size() != 3 * kTd1LineLength) {
        throw ParseError("MRZ: a TD1 machine readable zone has 3 lines of 30 characters (90), this one has " +
                         std::to_string(mrz.size()));
    }
    Td1 t;
    t.lines = {mrz.substr(0, 30), mrz.substr(30, 30), mrz.substr(60, 30)};
    const std::string& l1 = t.lines.line1;
    const std::string& l2 = t.lines.line2;
    t.document_code = trim_fillers(l1.substr(0, 2));
    t.issuing_state = trim_fillers(l1.substr(2, 3));
    t.optional_data1 = l1.substr(15, 15);
    t.date_of_birth = l2.substr(0, 6);
    t.sex = l2[7];
    t.date_of_expiry = l2.substr(8, 6);
    t.nationality = trim_fillers(l2.substr(15, 3));
    t.optional_data2 = l2.substr(18, 11);

    // Document number: 9 characters and a check digit, or (Part 5 §4.2.4) longer numbers continue in
    // optional data 1 when the check digit position holds '<'; their check digit ends that run.
    if (l1[14] == '<' && l1[15] != '<') {
        std::size_t end = l1.find('<', 15);
        if (end == std::string::npos) end = 30;
        std::string tail = l1.substr(15, end - 15);
        std::string number = l1.substr(5, 9) + tail.substr(0, tail.size() - 1);
        t.document_number = number;
        t.checks.push_back({"document number", check_digit_char(number), tail.back()});
    } else {
        t.document_number = trim_fillers(l1.substr(5, 9));
        t.checks.push_back({"document number", check_digit_char(l1.substr(5, 9)), l1[14]});
        // The CCCD keeps the 12-digit ID, "<<" and a check digit over it in optional data 1.
        std::string_view od = std::string_view(l1).substr(15, 15);
        if (all_digits(od.substr(0, 12)) && od.substr(12, 2) == "<<" && is_digit(od[14])) {
            t.cccd_id_number = std::string(od.substr(0, 12));
            t.checks.push_back({"ID number", check_digit_char(od.substr(0, 12)), od[14]});
        }
    }
    t.checks.push_back({"date of birth", check_digit_char(t.date_of_birth), l2[6]});
    t.checks.push_back({"date of expiry", check_digit_char(t.date_of_expiry), l2[14]});
    std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11);
    t.checks.push_back({"composite", check_digit_char(composite), l2[29]});

    const std::string& l3 = t.lines.line3;
    std::size_t separator = l3.find("<<");
    if (separator == std::string::npos) {
        t.surname = trim_fillers(l3);
    } else {
        t.surname = l3.substr(0, separator);
        t.given_names = trim_fillers(l3.substr(separator + 2));
    }
    return t;
}

std::string mrz_information(std::string_view document_number, std::string_view date_of_birth_yymmdd,
                            std::string_view date_of_expiry_yymmdd) {
    std::string number(document_number);
    if (number.size() < 9) number.append(9 - number.size(), '<');
    if (date_of_birth_yymmdd.size() != 6 || date_of_expiry_yymmdd.size() != 6) {
        throw InvalidArgument("dates in MRZ_information must be YYMMDD");
    }
    return number + check_digit_char(number) + std::string(date_of_birth_yymmdd) +
           check_digit_char(date_of_birth_yymmdd) + std::string(date_of_expiry_yymmdd) +
           check_digit_char(date_of_expiry_yymmdd);
}

std::string mrz_information(const Td1& td1) {
    return mrz_information(td1.document_number, td1.date_of_birth, td1.date_of_expiry);
}

SecretBytes bac_key_seed(std::string_view mrz_info) {
    Bytes hash = crypto::sha1(view(mrz_info));
    SecretBytes seed(ByteView(hash).first(16));
    secure_wipe(hash);
    return seed;
}

std::string can_from_id_number(std::string_view id_number) {
    if (id_number.size() != 12 || !all_digits(id_number)) {
        throw InvalidArgument("the ID number must be exactly 12 digits");
    }
    return std::string(id_number.substr(6));
}

}  // namespace cccd::mrz
