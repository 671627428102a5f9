// Fuzzes the DG13 decoder: whatever it accepts must re-encode as DER (byte for byte when it was DER) and decode to the same value.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/dg13.hpp"
#include "card/tlv/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    cccd::lds::Dg13 value;
    try {
        value = cccd::lds::decode_dg13(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    // Outside the try: an exception from encoding a decoded value is a finding.
    cccd::Bytes again = cccd::lds::encode(value);
    // Read leniently, write strictly: DER comes back byte for byte, any other accepted form as DER.
    if (!cccd::tlv::der_problem(input) && again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_dg13(again) == value)) __builtin_trap();
    for (int n = 0; n <= 17; ++n) (void)value.text(n, 1);
    return 0;
}
