// Fuzzes the card image decoder (a file that may be damaged or planted): what decodes must encode
// back to the same bytes, and nothing may crash or hang.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "vcard/card_image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    try {
        auto contents = cccd::vcard::decode_card_image(input);
        auto again = cccd::vcard::decode_card_image(cccd::vcard::encode_card_image(contents).view());
        if (again.files != contents.files || again.can != contents.can || again.life_cycle != contents.life_cycle) {
            __builtin_trap();
        }
    } catch (const cccd::Error&) {
    }
    return 0;
}
