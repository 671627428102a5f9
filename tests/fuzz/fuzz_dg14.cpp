// Fuzzes the DG14 decoder: whatever it accepts must re-encode to the same bytes and decode to the same value.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/security_infos.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    cccd::lds::Dg14 value;
    try {
        value = cccd::lds::decode_dg14(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    // Outside the try: an exception from encoding a decoded value is a finding.
    cccd::Bytes again = cccd::lds::encode(value);
    if (again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_dg14(again) == value)) __builtin_trap();
    for (const auto& info : value.security_infos.infos) (void)cccd::lds::oid_name(cccd::lds::protocol_of(info));
    return 0;
}
