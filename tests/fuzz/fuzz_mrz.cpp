// Fuzzes the TD1 parser and the name transliteration with arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "card/core/error.hpp"
#include "card/mrz/mrz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto td1 = cccd::mrz::parse_td1(text);
        // A parsed MRZ always yields its checks and an MRZ_information of 24+ characters.
        if (td1.checks.size() < 4) __builtin_trap();
        (void)cccd::mrz::mrz_information(td1);
    } catch (const cccd::Error&) {
    }
    try {
        auto name = cccd::mrz::transliterate_name(text);
        auto field = cccd::mrz::name_field(name);
        if (field.size() != cccd::mrz::kTd1LineLength) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    return 0;
}
