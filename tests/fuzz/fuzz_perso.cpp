// Fuzzes the chip-side decoders of the personalization commands: what decodes must re-encode to the
// same command data.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/perso/commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    try {
        auto spec = cccd::perso::decode_create_file(input);
        if (cccd::perso::decode_create_file(cccd::perso::create_file(spec).data) != spec) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    try {
        auto key = cccd::perso::decode_key_spec(input);
        auto again = cccd::perso::generate_key_pair(cccd::perso::KeyReference::ActiveAuthentication, key);
        if (cccd::perso::decode_key_spec(again.data) != key) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    try {
        auto update = cccd::perso::decode_update_binary_odd(input);
        (void)cccd::apdu::update_binary(update.offset, update.data);
    } catch (const cccd::Error&) {
    }
    return 0;
}
