// Fuzzes the DG15 decoder and the public key description (OpenSSL's d2i_PUBKEY behind RAII).
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/dg15.hpp"
#include "card/tlv/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    cccd::lds::Dg15 value;
    try {
        value = cccd::lds::decode_dg15(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    cccd::Bytes again = cccd::lds::encode(value);
    // Read leniently, write strictly: DER comes back byte for byte, any other accepted form as DER.
    if (!cccd::tlv::der_problem(input) && again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_dg15(again) == value)) __builtin_trap();
    try {
        (void)cccd::lds::describe_public_key(value.public_key_info).summary();
    } catch (const cccd::Error&) {
    }
    return 0;
}
