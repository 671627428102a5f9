#include "card/mrz/mrz.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "identity/id_number.hpp"

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

// "文" (U+6587) for a visible character, U+0007 alone for a control character, so an error message
// names the character without echoing invisible bytes.
std::string describe_code_point(char32_t cp) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x200B && cp <= 0x200F) ||
                   (cp >= 0x2028 && cp <= 0x202E) || cp == 0xFEFF;
    if (control) return code;
    return "\"" + utf8_of(cp) + "\" (" + code + ")";
}

bool is_letter(char c) noexcept { return c >= 'A' && c <= 'Z'; }

std::vector<std::string> split_components(std::string_view s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('<', start);
        if (end == std::string_view::npos) end = s.size();
        if (end > start) parts.emplace_back(s.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string join_components(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out.push_back('<');
        out += p;
    }
    return out;
}

// The components of one identifier, cut to at most n characters so that the result ends on a letter.
// A plain cut is kept when it ends on a letter; when it ends on a separator, the last kept component
// that has a letter to spare gives it up so the next component's initial can take the last position.
// Only when every kept component is a single letter does the result stay one short.
std::string fit_components(std::vector<std::string> parts, std::size_t n) {
    std::string joined = join_components(parts);
    if (joined.size() <= n) return joined;
    std::string cut = joined.substr(0, n);
    if (is_letter(cut.back())) return cut;
    char next_initial = joined[n];
    std::vector<std::string> kept = split_components(cut);
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
        if (it->size() >= 2) {
            it->pop_back();
            return join_components(kept) + '<' + next_initial;
        }
    }
    return join_components(kept);
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
        else {
            auto byte = static_cast<unsigned char>(c);
            char shown[32];
            if (byte > 0x20 && byte < 0x7F) std::snprintf(shown, sizeof shown, "'%c'", c);
            else std::snprintf(shown, sizeof shown, "byte 0x%02X", static_cast<unsigned>(byte));
            throw ParseError(std::string("MRZ: ") + shown + " is not allowed in a machine readable zone (only A-Z, 0-9 and <)");
        }
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
    // The messages leave the date out: it is usually a date of birth.
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
        !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
        throw InvalidArgument("a date must be written YYYY-MM-DD");
    }
    Date d{std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(text.substr(5, 2))),
           std::stoi(std::string(text.substr(8, 2)))};
    if (!is_valid_date(d.year, d.month, d.day)) throw InvalidArgument("the date is not a real calendar date");
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

Date from_yymmdd(std::string_view yymmdd, int first_year) {
    if (yymmdd.size() != 6 || !all_digits(yymmdd)) throw ParseError("MRZ: a date must be six digits, YYMMDD");
    if (first_year < 0 || first_year > 9900) throw InvalidArgument("the first year of a date window must be 0 to 9900");
    auto two = [&](std::size_t at) { return (yymmdd[at] - '0') * 10 + (yymmdd[at + 1] - '0'); };
    int yy = two(0);
    int year = first_year - first_year % 100 + yy;
    if (year < first_year) year += 100;
    Date d{year, two(2), two(4)};
    if (!is_valid_date(d.year, d.month, d.day)) {
        throw ParseError("MRZ: a date's YYMMDD is not a real calendar date");  // the date itself is personal data
    }
    return d;
}

MrzName transliterate_name(std::string_view utf8_full_name) {
    // Words are separated by spaces and commas; a hyphen inside a word starts a new component of the
    // same word, written as '<'.
    std::vector<std::string> words;
    std::string word;
    bool hyphen_pending = false;
    auto end_word = [&] {
        if (!word.empty()) words.push_back(word);
        word.clear();
        hyphen_pending = false;
    };
    auto add_letters = [&](std::string_view letters) {
        if (hyphen_pending && !word.empty()) word.push_back('<');
        hyphen_pending = false;
        word += letters;
    };
    std::size_t i = 0;
    while (i < utf8_full_name.size()) {
        char32_t cp = next_code_point(utf8_full_name, i);
        if (cp >= 'A' && cp <= 'Z') {
            add_letters(std::string(1, static_cast<char>(cp)));
        } else if (cp >= 'a' && cp <= 'z') {
            add_letters(std::string(1, static_cast<char>(cp - 'a' + 'A')));
        } else if (cp == ' ' || cp == ',' || cp == '\t' || cp == 0xA0 || cp == 0x3000) {
            end_word();
        } else if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
            hyphen_pending = true;
        } else if (cp == '\'' || cp == '.' || cp == 0x2019 || cp == 0x02BC || (cp >= 0x300 && cp <= 0x36F)) {
            // apostrophes and full stops are omitted; combining marks (NFD diacritics) are dropped
        } else if (const char* latin = transliterate_letter(cp)) {
            add_letters(latin);
        } else {
            throw InvalidArgument("the name contains " + describe_code_point(cp) +
                                  ", which cannot be written in the machine readable zone");
        }
    }
    end_word();
    if (words.empty()) throw InvalidArgument("the name has no letter to write in the machine readable zone");
    MrzName name;
    name.surname = words.front();
    for (std::size_t k = 1; k < words.size(); ++k) {
        if (k > 1) name.given_names.push_back('<');
        name.given_names += words[k];
    }
    return name;
}

std::string name_field(const MrzName& name, std::size_t width) {
    if (width < 4) throw InvalidArgument("a name field needs at least 4 characters");
    for (const std::string* part : {&name.surname, &name.given_names}) {
        if (!std::all_of(part->begin(), part->end(), [](char c) { return is_letter(c) || c == '<'; })) {
            throw InvalidArgument("a name in the MRZ is written with A-Z and '<' only");
        }
    }
    std::vector<std::string> primary = split_components(name.surname);
    std::vector<std::string> secondary = split_components(name.given_names);
    std::string surname = join_components(primary);
    std::string given = join_components(secondary);
    std::string full = given.empty() ? surname : surname + "<<" + given;
    if (full.size() <= width) return pad(full, width);
    if (secondary.empty()) return pad(fit_components(primary, width), width);
    // Part 5: the surname keeps at most width - 3 characters so that "<<" and the first given name's
    // initial always fit; whatever room is left goes to the given names, cut from the end.
    if (surname.size() + 3 > width) surname = fit_components(primary, width - 3);
    std::string out = surname + "<<" + fit_components(secondary, width - surname.size() - 2);
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
    if (holder.sex == Sex::Unspecified) throw InvalidArgument("the sex must be M or F");
    if (auto problem = identity::id_number_problem(holder.id_number, sex_char(holder.sex), holder.date_of_birth.year))
        throw InvalidArgument(*problem);
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
    try {
        h.date_of_birth = parse_iso_date(date_of_birth);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(std::string("date of birth: ") + e.what());
    }
    if (date_of_expiry != "none") {
        try {
            h.date_of_expiry = parse_iso_date(date_of_expiry);
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(std::string("date of expiry: ") + e.what() + " (or none)");
        }
    }
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
    // Split on whitespace into lines, refusing any character an MRZ cannot hold.
    std::vector<std::string> lines;
    bool in_line = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
            in_line = false;
            continue;
        }
        if (!is_mrz_char(c)) {
            auto byte = static_cast<unsigned char>(c);
            std::string shown;
            if (byte > 0x20 && byte < 0x7F) {
                shown = std::string("'") + c + "'";
            } else {
                char hex[16];
                std::snprintf(hex, sizeof hex, "byte 0x%02X", byte);
                shown = hex;
            }
            throw ParseError("MRZ: " + shown + " at offset " + std::to_string(i) +
                             " is not allowed (an MRZ holds only A-Z, 0-9 and <)");
        }
        if (!in_line) lines.emplace_back();
        in_line = true;
        lines.back().push_back(c);
        if (lines.back().size() > 3 * kTd1LineLength) {
            throw ParseError("MRZ: a TD1 machine readable zone has 3 lines of 30 characters; a line here is longer than 90");
        }
        if (lines.size() > 3) {
            throw ParseError("MRZ: a TD1 machine readable zone has 3 lines of 30 characters; this text has more than 3");
        }
    }
    std::string mrz;
    for (const auto& l : lines) mrz += l;
    bool one_string = lines.size() == 1 && mrz.size() == 3 * kTd1LineLength;
    bool three_lines = lines.size() == 3 && std::all_of(lines.begin(), lines.end(), [](const std::string& l) {
                           return l.size() == kTd1LineLength;
                       });
    if (!one_string && !three_lines) {
        std::string shape;
        for (const auto& l : lines) shape += (shape.empty() ? "" : ", ") + std::to_string(l.size());
        throw ParseError("MRZ: a TD1 machine readable zone is 90 characters, or 3 lines of 30; this one has " +
                         (lines.empty() ? std::string("none")
                                        : std::to_string(lines.size()) + (lines.size() == 1 ? " line" : " lines") +
                                              " of " + shape));
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
    if (document_number.empty() || !std::all_of(document_number.begin(), document_number.end(), is_mrz_char)) {
        throw InvalidArgument("the document number for MRZ_information must be A-Z, 0-9 and < only");
    }
    if (date_of_birth_yymmdd.size() != 6 || date_of_expiry_yymmdd.size() != 6 || !all_digits(date_of_birth_yymmdd) ||
        !all_digits(date_of_expiry_yymmdd)) {
        throw InvalidArgument("dates in MRZ_information must be six digits, YYMMDD");
    }
    std::string number(document_number);
    if (number.size() < 9) number.append(9 - number.size(), '<');
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
