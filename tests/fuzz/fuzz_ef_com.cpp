// Fuzzes the EF.COM decoder: whatever it accepts must re-encode as DER (byte for byte when it was DER) and decode to the same value.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/ef_com.hpp"
#include "card/tlv/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    cccd::lds::EfCom value;
    try {
        value = cccd::lds::decode_ef_com(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    // Outside the try: an exception from encoding a decoded value is a finding.
    cccd::Bytes again = cccd::lds::encode(value);
    // Read leniently, write strictly: DER comes back byte for byte, any other accepted form as DER.
    if (!cccd::tlv::der_problem(input) && again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_ef_com(again) == value)) __builtin_trap();
    (void)value.listed_files();
    return 0;
}
