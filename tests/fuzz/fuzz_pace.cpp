// Fuzzes the PACE and Chip Authentication message parsers and a chip fed fuzz bytes at every step.
#include <cstddef>
#include <cstdint>

#include "card/core/error.hpp"
#include "card/crypto/ec.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/protocol/pace.hpp"

using namespace cccd;
using namespace cccd::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteView input(data, size);
    try {
        (void)pace::decode_mse_set_at(input);
    } catch (const Error&) {
    }
    for (int tag = 0x80; tag <= 0x86; ++tag) {
        try {
            (void)pace::decode_dynamic_data(input, static_cast<std::uint8_t>(tag));
        } catch (const Error&) {
        }
    }
    try {
        (void)chip_auth::decode_mse_set_at(input);
    } catch (const Error&) {
    }
    try {
        (void)chip_auth::decode_mse_set_kat(input);
    } catch (const Error&) {
    }
    try {
        static const auto group = crypto::EcGroup::by_parameter_id(13);
        (void)group.decode(input);
    } catch (const Error&) {
    }
    // A chip that receives the fuzz bytes as the terminal's mapping key (after a valid start).
    try {
        pace::PaceChip chip(std::string(pace::kEcdhGmAes128), 13, "012345", "",
                            {from_hex("3F00C4D39D153F2B2A214A078D899B22"),
                             from_hex("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"), {}});
        chip.accept_mse_set_at(pace::encode_mse_set_at({std::string(pace::kEcdhGmAes128), pace::PasswordType::Can, 13}));
        (void)chip.step1_response(from_hex("7C00"));
        (void)chip.step2_response(input);
    } catch (const Error&) {
    }
    return 0;
}
