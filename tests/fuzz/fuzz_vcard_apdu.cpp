// Fuzzes the virtual chip with sequences of command APDUs (2-byte length + APDU each), on a blank chip
// that takes personalization and on an issued, locked one: every command gets a status word, none
// crashes, and a locked chip never leaves the locked state.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "vcard/virtual_chip.hpp"

namespace {

void run(cccd::vcard::VirtualChip& chip, cccd::ByteView input) {
    std::size_t pos = 0;
    while (pos + 2 <= input.size()) {
        std::size_t length = static_cast<std::size_t>((input[pos] << 8) | input[pos + 1]) % 300;
        pos += 2;
        if (length > input.size() - pos) length = input.size() - pos;
        cccd::Bytes answer = chip.process(input.subspan(pos, length));
        if (answer.size() < 2) __builtin_trap();
        pos += length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    static const cccd::Bytes kTransportKey = cccd::from_hex("000102030405060708090A0B0C0D0E0F");
    cccd::vcard::VirtualChip blank(cccd::vcard::make_blank_chip(kTransportKey));
    run(blank, input);

    cccd::vcard::ChipContents issued;
    issued.files[0x011C] = cccd::from_hex("3114300C060A04007F0007020204020202010202010D");
    issued.files[0x011E] = cccd::from_hex("60145F0104303130375F36063034303030305C026175");
    issued.can = "123456";
    issued.mrz_information = "L898902C<369080619406236";
    cccd::vcard::VirtualChip locked(std::move(issued));
    run(locked, input);
    if (locked.life_cycle() != cccd::perso::LifeCycle::Locked) __builtin_trap();
    return 0;
}
