#pragma once
// The machine readable zone of the CCCD (ICAO 9303 Part 3 and Part 5, TD1: three lines of 30):
// check digits, dates, Vietnamese name transliteration, building and parsing, and what the MRZ gives
// the chip: the BAC/PACE key seed (MRZ_information) and the CAN.
//
// The CCCD's TD1 (see shared/reference/cccd-chip.md):
//   IDVNM<last 9 digits of the ID><c><12-digit ID><<<c over the ID>
//   <YYMMDD birth><c><M|F><YYMMDD expiry><c>VNM<<<<<<<<<<<<composite c>
//   <SURNAME><<<GIVEN<NAMES><<<...
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::mrz {

inline constexpr std::size_t kTd1LineLength = 30;

// ICAO 9303 Part 3 §4.9: weights 7-3-1, '<' = 0, A-Z = 10..35. ParseError on any other character.
int check_digit(std::string_view field);
char check_digit_char(std::string_view field);

// A calendar date.
struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    friend bool operator==(const Date&, const Date&) = default;
    friend auto operator<=>(const Date&, const Date&) = default;
};

bool is_valid_date(int year, int month, int day) noexcept;
// "YYYY-MM-DD"; InvalidArgument when it is not a real date.
Date parse_iso_date(std::string_view text);
std::string to_iso(const Date& d);
// The MRZ form YYMMDD (years 0 to 9999).
std::string to_yymmdd(const Date& d);
// YYMMDD back to a date. The MRZ drops the century, so the caller says which hundred years it falls
// in: the year is the one in [first_year, first_year + 99] ending in YY (for a CCCD the ID number's
// century digit gives it; for a date of birth, first_year = this year - 99). ParseError when the text
// is not six digits or not a real date.
Date from_yymmdd(std::string_view yymmdd, int first_year);

// "Nguyễn Văn Đức" (UTF-8, NFC or NFD) -> surname "NGUYEN", given names "VAN<DUC". The first word is
// the surname (Vietnamese order), the other words the given names. Diacritics (precomposed letters
// and combining marks U+0300..U+036F) are dropped, Đ/đ become D, letters are upper-cased; spaces and
// commas separate words; a hyphen joins two components of one word with '<' ("Nguyễn-Trần Văn An"
// -> "NGUYEN<TRAN<<VAN<AN", as ICAO writes SMITH-JONES as SMITH<JONES); apostrophes and full stops
// are omitted. InvalidArgument names the one character that cannot be written in the MRZ (with its
// U+ code), or says the text is not UTF-8 or holds no letter.
struct MrzName {
    std::string surname;      // primary identifier, components joined by '<'
    std::string given_names;  // secondary identifier, components joined by '<'
};
MrzName transliterate_name(std::string_view utf8_full_name);

// The name field of `width` characters (30 for TD1, 39 for TD3): SURNAME<<GIVEN<NAMES padded with '<'.
// A name too long is truncated as ICAO 9303 Part 5 §4.2.2.3 / §4.2.3 (Part 4 for TD3) require:
// - the given names are cut from the end, keeping "<<" and at least the first given name's initial;
// - a surname too long for that is cut to width - 3 to leave room for "<<" and that initial;
// - the field of a truncated name is full and ends on a letter (position 30), which is how a reader
//   knows truncation may have occurred: when a cut falls on a separator, the component before it
//   gives up its last letter so the next component's initial can end the field.
// InvalidArgument when the name holds characters outside A-Z and '<', or width < 4.
std::string name_field(const MrzName& name, std::size_t width = kTd1LineLength);

enum class Sex { Male, Female, Unspecified };
char sex_char(Sex s) noexcept;  // 'M', 'F', '<'

// What the CCCD's MRZ is built from.
struct CccdHolder {
    std::string id_number;  // 12 digits: PPP G YY NNNNNN
    std::string full_name;  // UTF-8 with diacritics
    Sex sex = Sex::Unspecified;
    Date date_of_birth;
    std::optional<Date> date_of_expiry;  // none past 60: the MRZ carries 991231
};

// Checks the 12-digit ID agrees with the holder by the one rule of identity/id_number.hpp
// (province, century and sex, year of birth), and that an expiry comes after the birth.
// InvalidArgument in the officer's words otherwise.
void check_id_number(const CccdHolder& holder);

struct Td1Lines {
    std::string line1, line2, line3;
    std::string text() const { return line1 + line2 + line3; }  // 90 characters
};

// Builds the three lines; refuses inconsistent input (see check_id_number) with InvalidArgument.
Td1Lines build_cccd_td1(const CccdHolder& holder);

// Convenience for fixtures and tools: sex 'M'/'F', dates "YYYY-MM-DD", expiry "none" allowed.
std::string build_cccd_mrz(std::string_view id_number, std::string_view full_name, char sex,
                           std::string_view date_of_birth, std::string_view date_of_expiry);

// One check digit of a parsed MRZ.
struct CheckResult {
    std::string name;  // "document number", "date of birth", "date of expiry", "ID number", "composite"
    char expected = '0';  // computed from the data
    char found = '0';     // printed in the MRZ
    bool ok() const noexcept { return expected == found; }
};

// A parsed TD1 with every field as printed (fillers kept) and the result of every check digit.
struct Td1 {
    Td1Lines lines;
    std::string document_code;    // "ID"
    std::string issuing_state;    // "VNM"
    std::string document_number;  // without trailing fillers
    std::string optional_data1;   // as printed, 15 characters
    std::string date_of_birth;    // YYMMDD
    char sex = '<';
    std::string date_of_expiry;   // YYMMDD
    std::string nationality;
    std::string optional_data2;   // 11 characters
    std::string surname;
    std::string given_names;      // with '<' between names
    std::optional<std::string> cccd_id_number;  // the 12 digits, when optional data 1 has the CCCD form
    std::vector<CheckResult> checks;

    bool valid() const noexcept;
    const CheckResult* failed_check() const noexcept;  // the first failing one
};

// Accepts 90 characters, or three lines of 30 separated by whitespace (newlines, CR, spaces, tabs;
// leading and trailing whitespace ignored). ParseError when the text is not a TD1 MRZ (length, line
// lengths, characters outside A-Z, 0-9 and '<'); check digit failures are reported in Td1::checks,
// not thrown. The document number check covers both the 9-character field (a shorter number is
// filled with '<') and the long form of Part 5 note j (the rest of the number in optional data 1).
Td1 parse_td1(std::string_view text);

// MRZ_information = document number (padded to 9 with '<') + check, birth + check, expiry + check
// (ICAO 9303 Part 11 §9.7.2). For a TD1 with a document number longer than 9, the whole number.
// InvalidArgument when the number is empty or not MRZ characters, or a date is not six digits.
std::string mrz_information(std::string_view document_number, std::string_view date_of_birth_yymmdd,
                            std::string_view date_of_expiry_yymmdd);
std::string mrz_information(const Td1& td1);

// Kseed = the first 16 bytes of SHA-1(MRZ_information): the BAC key seed (and PACE's MRZ password
// hashes the same string in full).
SecretBytes bac_key_seed(std::string_view mrz_information);

// The CCCD's CAN: the last 6 digits of the 12-digit ID.
std::string can_from_id_number(std::string_view id_number);

}  // namespace cccd::mrz
