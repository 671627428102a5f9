// Fuzzes the card maker's batch manifest: what parses writes back to text that parses to the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "card/perso/transport_manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto manifest = cccd::perso::parse_transport_manifest(text);
        const auto again = cccd::perso::parse_transport_manifest(cccd::perso::write_transport_manifest(manifest));
        if (again.batch != manifest.batch || again.cards.size() != manifest.cards.size()) __builtin_trap();
        for (std::size_t i = 0; i < again.cards.size(); ++i)
            if (again.cards[i].chip_serial != manifest.cards[i].chip_serial || !(again.cards[i].key == manifest.cards[i].key))
                __builtin_trap();
    } catch (const cccd::Error&) {
    }
    return 0;
}
