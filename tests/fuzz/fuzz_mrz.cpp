// Fuzzes the TD1 parser, the name transliteration and truncation, and YYMMDD dates with arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "card/mrz/mrz.hpp"

namespace {

bool is_mrz_text(const std::string& s) {
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<')) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto td1 = cccd::mrz::parse_td1(text);
        // A parsed MRZ has three lines of 30, four or five checks, and an MRZ_information.
        if (td1.lines.text().size() != 90 || !is_mrz_text(td1.lines.text())) __builtin_trap();
        if (td1.checks.size() < 4 || td1.checks.size() > 5) __builtin_trap();
        (void)cccd::mrz::mrz_information(td1);
        (void)cccd::mrz::from_yymmdd(td1.date_of_birth, 1900);
    } catch (const cccd::Error&) {
    }
    try {
        auto name = cccd::mrz::transliterate_name(text);
        if (name.surname.empty() || !is_mrz_text(name.surname) || !is_mrz_text(name.given_names)) __builtin_trap();
        for (std::size_t width : {cccd::mrz::kTd1LineLength, std::size_t{39}, std::size_t{4}}) {
            auto field = cccd::mrz::name_field(name, width);
            if (field.size() != width || !is_mrz_text(field)) __builtin_trap();
            // Whatever was cut, the surname's first letter and the field's start agree.
            if (field[0] != name.surname[0]) __builtin_trap();
        }
    } catch (const cccd::Error&) {
    }
    return 0;
}
