// Fuzzes the identity text rules with arbitrary bytes: decoding never reads past the input, what
// decodes re-encodes to the same bytes (shortest form only), and every name the register accepts can
// be written in the MRZ (the card needs it there).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "card/mrz/mrz.hpp"
#include "identity/text_rules.hpp"

namespace {

std::string encode_utf8(const std::u32string& points) {
    std::string out;
    for (char32_t c : points) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto points = cccd::identity::decode_utf8(text); points && encode_utf8(*points) != text) __builtin_trap();
    (void)cccd::identity::text_field_problem(text, "the field");
    if (!cccd::identity::person_name_problem(text, "the full name")) {
        try {
            const auto name = cccd::mrz::transliterate_name(text);
            if (name.surname.empty()) __builtin_trap();
        } catch (const cccd::Error&) {
            __builtin_trap();  // an accepted name the MRZ cannot hold
        }
    }
    return 0;
}
