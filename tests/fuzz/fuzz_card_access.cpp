// Fuzzes the EF.CardAccess decoder: whatever it accepts must re-encode to the same bytes and decode to the same value.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/security_infos.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    cccd::lds::CardAccess value;
    try {
        value = cccd::lds::decode_card_access(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    // Outside the try: an exception from encoding a decoded value is a finding.
    cccd::Bytes again = cccd::lds::encode(value);
    if (again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_card_access(again) == value)) __builtin_trap();
    for (const auto& info : value.security_infos.infos) (void)cccd::lds::security_info_type_name(info);
    return 0;
}
