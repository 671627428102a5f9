#pragma once
// The QR code printed on the card: one line of UTF-8, fields separated by '|', empty fields kept (an
// empty field is "||", never dropped: every later field would shift). shared/reference/can-cuoc-2024.md §4.
//
//   2021 CCCD (front), 7 fields        2024 Căn cước (back, 18 x 18 mm), 11 fields
//    1 personal ID number, 12 digits    1-7 the same fields in the same order
//    2 old CMND number, 9 digits or ""  8-11 four more, empty on every adult card seen so far
//    3 full name, mixed case with diacritics ("Nguyễn Văn An", not as printed in capitals)
//    4 date of birth, ddmmyyyy
//    5 sex, "Nam" / "Nữ"
//    6 place of residence
//    7 date of issue, ddmmyyyy
//   There is no expiry in either.
//
// Fields 8 to 11 are not documented anywhere public. The law lists for the 2024 QR, besides fields
// 1-7, the cancelled personal ID number(s) and the parents' names (for some children: the condition
// is cut off in every source); Decree 58/2026 puts the cancelled numbers there from 15 March 2026.
// Which trailing field holds what is therefore an assumption, kept in QrTrailingLayout and documented
// in docs/card-profiles.md; a parser keeps the four trailing fields as read, whatever they hold.
//
// Read leniently, write strictly: the parser takes 7 or 11 fields, a UTF-8 byte order mark, a trailing
// newline and spaces around the line; the writer refuses a '|' or a line break inside a field.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/person.hpp"

namespace cccd::identity {

enum class QrFormat {
    Cccd2021 = 7,     // 7 fields
    CanCuoc2024 = 11  // 11 fields
};

// Where the 2024 QR's trailing fields put what the law lists (field numbers 8..11; 0: not written).
// The default is this project's assumption: 8 the cancelled personal ID numbers (comma-separated),
// 9 the father's name, 10 the mother's name, 11 unused.
struct QrTrailingLayout {
    int cancelled_ids = 8;
    int father_name = 9;
    int mother_name = 10;
};

struct CardQr {
    QrFormat format = QrFormat::CanCuoc2024;
    std::string personal_id;
    std::string old_id;              // "" when none
    std::string full_name;
    std::string date_of_birth;       // dd/mm/yyyy, as Person keeps dates
    std::string sex;
    std::string place_of_residence;
    std::string date_of_issue;       // dd/mm/yyyy
    // 2024 only, as the layout places them:
    std::vector<std::string> cancelled_ids;
    std::string father_name;
    std::string mother_name;
    // 2024 only: fields 8..11 exactly as read (the parser fills them; the writer ignores them).
    std::array<std::string, 4> trailing;
    friend bool operator==(const CardQr&, const CardQr&) = default;
};

// The QR of a person's card in `format`. Parents' names are written only when `with_parents`
// (the profile says for which holders); the cancelled numbers (person.cancelled_ids) always, when
// there are any and the format has room for them (2024).
CardQr card_qr_of(const Person& person, QrFormat format, bool with_parents = false);

// The line to encode. InvalidArgument when a field holds '|' or a line break, a date is not
// dd/mm/yyyy, or the personal ID is not 12 digits.
std::string write_card_qr(const CardQr& qr, const QrTrailingLayout& layout = {});

// ParseError naming the field for anything but 7 or 11 fields, a personal ID that is not 12 digits,
// an old ID that is neither empty nor 9 digits, or a date that is not ddmmyyyy.
CardQr parse_card_qr(std::string_view text, const QrTrailingLayout& layout = {});

// Where the QR and the chip's person disagree, one line per field in the officer's words (Vietnamese);
// empty when they agree. Names are compared without regard to case (the QR writes them mixed case).
std::vector<std::string> qr_disagreements(const CardQr& qr, const Person& chip);

}  // namespace cccd::identity
