// Fuzzes the DG14 decoder: whatever it accepts must re-encode as DER (byte for byte when it was DER, the SET in DER order) to the same entries.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/security_infos.hpp"
#include "card/tlv/tlv.hpp"

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
    // Read leniently, write strictly: DER comes back byte for byte, any other accepted form as DER.
    if (!cccd::tlv::der_problem(input) && again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    // The SET comes back in DER order: the same number of entries, and a stable encoding.
    const cccd::lds::Dg14 back = cccd::lds::decode_dg14(again);
    if (back.security_infos.infos.size() != value.security_infos.infos.size() || cccd::lds::encode(back) != again) __builtin_trap();
    for (const auto& info : value.security_infos.infos) (void)cccd::lds::oid_name(cccd::lds::protocol_of(info));
    return 0;
}
