#include "identity/card_qr.hpp"

#include "base/error.hpp"
#include "identity/text_rules.hpp"

namespace cccd::identity {
namespace {

bool all_digits(std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; }

// dd/mm/yyyy -> ddmmyyyy, strictly.
std::string wire_date(const std::string& dmy, std::string_view field) {
    if (dmy.size() != 10 || dmy[2] != '/' || dmy[5] != '/' || !all_digits(dmy.substr(0, 2)) ||
        !all_digits(dmy.substr(3, 2)) || !all_digits(dmy.substr(6, 4))) {
        throw InvalidArgument("the QR's " + std::string(field) + " must be a date dd/mm/yyyy");
    }
    return dmy.substr(0, 2) + dmy.substr(3, 2) + dmy.substr(6, 4);
}

std::string person_date(std::string_view ddmmyyyy, std::string_view field) {
    if (ddmmyyyy.size() != 8 || !all_digits(ddmmyyyy)) {
        throw ParseError("the QR's " + std::string(field) + " is not a date ddmmyyyy");
    }
    const std::string d(ddmmyyyy);
    return d.substr(0, 2) + "/" + d.substr(2, 2) + "/" + d.substr(4, 4);
}

void check_field(std::string_view value, std::string_view field) {
    if (value.find_first_of("|\r\n") != std::string_view::npos) {
        throw InvalidArgument("the QR's " + std::string(field) + " holds a '|' or a line break");
    }
}

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out.push_back(separator);
        out += item;
    }
    return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

std::string_view trimmed(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    return text;
}

bool in_range(int field) { return field >= 8 && field <= 11; }

// Lower case of the letters Vietnamese uses; anything else unchanged. Enough to compare names
// written in capitals (the card) with the same names in mixed case (the QR).
char32_t lower(char32_t c) noexcept {
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;  // À..Þ
    if (c == 0x102 || c == 0x110 || c == 0x128 || c == 0x168 || c == 0x1A0) return c + 1;  // Ă Đ Ĩ Ũ Ơ
    if (c == 0x1AF) return 0x1B0;                                                        // Ư
    if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0) return c + 1;                          // Ạ..Ỹ
    return c;
}

bool same_name(std::string_view a, std::string_view b) {
    const auto x = decode_utf8(a), y = decode_utf8(b);
    if (!x || !y || x->size() != y->size()) return a == b;
    for (std::size_t i = 0; i < x->size(); ++i) {
        if (lower((*x)[i]) != lower((*y)[i])) return false;
    }
    return true;
}

}  // namespace

CardQr card_qr_of(const Person& person, QrFormat format, bool with_parents) {
    CardQr qr;
    qr.format = format;
    qr.personal_id = person.personal_id;
    qr.old_id = person.old_id.value_or("");
    qr.full_name = person.full_name;
    qr.date_of_birth = person.date_of_birth;
    qr.sex = person.sex;
    qr.place_of_residence = person.place_of_residence;
    qr.date_of_issue = person.date_of_issue;
    if (format == QrFormat::CanCuoc2024) {
        qr.cancelled_ids = person.cancelled_ids;
        if (with_parents) {
            qr.father_name = person.father_name;
            qr.mother_name = person.mother_name;
        }
    }
    return qr;
}

std::string write_card_qr(const CardQr& qr, const QrTrailingLayout& layout) {
    if (qr.personal_id.size() != 12 || !all_digits(qr.personal_id)) {
        throw InvalidArgument("the QR's personal ID number must be 12 digits");
    }
    std::vector<std::string> fields{qr.personal_id,          qr.old_id,
                                    qr.full_name,            wire_date(qr.date_of_birth, "date of birth"),
                                    qr.sex,                  qr.place_of_residence,
                                    wire_date(qr.date_of_issue, "date of issue")};
    if (qr.format == QrFormat::CanCuoc2024) {
        fields.resize(11);
        auto place = [&](int field, const std::string& value) {
            if (in_range(field)) fields[static_cast<std::size_t>(field - 1)] = value;
        };
        for (const auto& id : qr.cancelled_ids) {
            if (id.empty() || !all_digits(id) || (id.size() != 12 && id.size() != 9)) {
                throw InvalidArgument("a cancelled ID number in the QR must be 9 or 12 digits");
            }
        }
        place(layout.cancelled_ids, join(qr.cancelled_ids, ','));
        place(layout.father_name, qr.father_name);
        place(layout.mother_name, qr.mother_name);
    }
    static constexpr std::string_view kNames[] = {"personal ID number", "old ID number", "full name", "date of birth",
                                                  "sex", "place of residence", "date of issue", "field 8", "field 9",
                                                  "field 10", "field 11"};
    for (std::size_t i = 0; i < fields.size(); ++i) check_field(fields[i], kNames[i]);
    return join(fields, '|');
}

CardQr parse_card_qr(std::string_view text, const QrTrailingLayout& layout) {
    const std::string_view line = trimmed(text);
    if (line.find_first_of("\r\n") != std::string_view::npos) throw ParseError("the QR holds more than one line");
    if (!decode_utf8(line)) throw ParseError("the QR is not UTF-8 text");
    const std::vector<std::string> fields = split(line, '|');
    CardQr qr;
    if (fields.size() == 7) {
        qr.format = QrFormat::Cccd2021;
    } else if (fields.size() == 11) {
        qr.format = QrFormat::CanCuoc2024;
    } else {
        throw ParseError("the QR has " + std::to_string(fields.size()) +
                         " fields: a CCCD's has 7 (2021) and a Căn cước's 11 (2024)");
    }
    qr.personal_id = fields[0];
    if (qr.personal_id.size() != 12 || !all_digits(qr.personal_id)) throw ParseError("the QR's personal ID number is not 12 digits");
    qr.old_id = fields[1];
    if (!qr.old_id.empty() && (qr.old_id.size() != 9 || !all_digits(qr.old_id))) {
        throw ParseError("the QR's old ID number is neither empty nor 9 digits");
    }
    qr.full_name = fields[2];
    qr.date_of_birth = person_date(fields[3], "date of birth");
    qr.sex = fields[4];
    qr.place_of_residence = fields[5];
    qr.date_of_issue = person_date(fields[6], "date of issue");
    if (qr.format == QrFormat::CanCuoc2024) {
        for (std::size_t i = 0; i < 4; ++i) qr.trailing[i] = fields[7 + i];
        auto at = [&](int field) -> std::string { return in_range(field) ? fields[static_cast<std::size_t>(field - 1)] : ""; };
        if (const std::string ids = at(layout.cancelled_ids); !ids.empty()) qr.cancelled_ids = split(ids, ',');
        qr.father_name = at(layout.father_name);
        qr.mother_name = at(layout.mother_name);
    }
    return qr;
}

std::vector<std::string> qr_disagreements(const CardQr& qr, const Person& chip) {
    std::vector<std::string> out;
    if (qr.personal_id != chip.personal_id) out.push_back("Số định danh cá nhân trong mã QR khác với trong chip");
    if (qr.old_id != chip.old_id.value_or("")) out.push_back("Số CMND cũ trong mã QR khác với trong chip");
    if (!same_name(qr.full_name, chip.full_name)) out.push_back("Họ và tên trong mã QR khác với trong chip");
    if (qr.date_of_birth != chip.date_of_birth) out.push_back("Ngày sinh trong mã QR khác với trong chip");
    if (qr.sex != chip.sex) out.push_back("Giới tính trong mã QR khác với trong chip");
    if (qr.place_of_residence != chip.place_of_residence) out.push_back("Nơi cư trú trong mã QR khác với trong chip");
    if (qr.date_of_issue != chip.date_of_issue) out.push_back("Ngày cấp trong mã QR khác với trong chip");
    // The 2021 QR has no room for cancelled numbers: only a 2024 QR can disagree about them.
    if (qr.format == QrFormat::CanCuoc2024 && qr.cancelled_ids != chip.cancelled_ids) {
        out.push_back("Số định danh đã hủy trong mã QR khác với trong chip");
    }
    if (!qr.father_name.empty() && !same_name(qr.father_name, chip.father_name)) {
        out.push_back("Họ tên cha trong mã QR khác với trong chip");
    }
    if (!qr.mother_name.empty() && !same_name(qr.mother_name, chip.mother_name)) {
        out.push_back("Họ tên mẹ trong mã QR khác với trong chip");
    }
    return out;
}

}  // namespace cccd::identity
