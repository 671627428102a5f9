// Fuzzes the PACE and Chip Authentication message parsers (MSE:Set AT, MSE:Set KAT, General
// Authenticate commands and responses), point decoding, and a chip fed fuzz bytes at its mapping step.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/protocol/pace.hpp"
#include "crypto/ec.hpp"

using namespace cccd;
using namespace cccd::protocol;

namespace {
template <typename F>
void attempt(F&& f) {
    try {
        f();
    } catch (const Error&) {
        // Refusing bad input is the expected outcome; anything else is a finding.
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteView input(data, size);
    attempt([&] { (void)pace::decode_mse_set_at(input); });
    attempt([&] { pace::decode_empty_dynamic_data(input); });
    for (int tag = 0x80; tag <= 0x86; ++tag) {
        attempt([&] { (void)pace::decode_dynamic_data(input, static_cast<std::uint8_t>(tag)); });
    }
    attempt([&] { (void)chip_auth::decode_mse_set_at(input); });
    attempt([&] { (void)chip_auth::decode_mse_set_kat(input); });
    attempt([&] { (void)chip_auth::decode_general_authenticate(input); });

    // Point decoding on curves with even and odd coordinate widths, then ECDH with a point that passed.
    static const auto brainpool = crypto::EcGroup::by_parameter_id(13);
    static const auto p521 = crypto::EcGroup::by_parameter_id(18);
    static const Bytes scalar = from_hex("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560");
    attempt([&] { (void)brainpool.decode(input); });
    attempt([&] { (void)p521.decode(input); });
    attempt([&] { (void)crypto::ecdh_shared_secret(brainpool, scalar, input); });
    // The same bytes as a terminal's mapping key inside a General Authenticate (after a valid start).
    attempt([&] {
        pace::PaceChip chip(std::string(pace::kEcdhGmAes128), 13, "012345", "",
                            {from_hex("3F00C4D39D153F2B2A214A078D899B22"), scalar, {}});
        chip.accept_mse_set_at(pace::encode_mse_set_at({std::string(pace::kEcdhGmAes128), pace::PasswordType::Can, 13}));
        (void)chip.step1_response(from_hex("7C00"));
        (void)chip.step2_response(input);
    });
    // A terminal receiving the bytes as the chip's encrypted nonce.
    attempt([&] {
        pace::PaceTerminal terminal(std::string(pace::kEcdhGmAes128), 13, pace::PasswordType::Can, "012345",
                                    {{}, scalar, {}});
        (void)terminal.step2_command(input);
    });
    return 0;
}
