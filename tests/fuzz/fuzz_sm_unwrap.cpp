// Fuzzes secure messaging with fixed keys: a terminal unwrapping the bytes as a card's response, and a
// card unwrapping them as a terminal's command, for both the 3DES (BAC) and the AES (PACE) suites.
// Wrong MACs must end in SecureMessagingError, never in a crash.
#include <cstddef>
#include <cstdint>

#include "card/apdu/apdu.hpp"
#include "card/core/error.hpp"
#include "card/sm/secure_messaging.hpp"

namespace {
cccd::sm::SecureMessaging session(bool aes) {
    using cccd::SecretBytes;
    using cccd::from_hex;
    if (aes) {
        return cccd::sm::SecureMessaging::aes(SecretBytes(from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F")),
                                              SecretBytes(from_hex("FE251C7858B356B24514B3BD5F4297D1")));
    }
    return cccd::sm::SecureMessaging::tdes(SecretBytes(from_hex("979EC13B1CBFE9DCD01AB0FED307EAE5")),
                                           SecretBytes(from_hex("F1CB1F1FB5ADF208806B89DC579DC1F8")),
                                           from_hex("887022120C06C227"));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    for (bool aes : {false, true}) {
        try {
            auto terminal = session(aes);
            (void)terminal.unwrap(cccd::apdu::ResponseApdu::parse(input));
        } catch (const cccd::Error&) {
        }
        try {
            auto card = session(aes);
            auto command = cccd::apdu::CommandApdu::parse(input);
            auto plain = card.unwrap_command(command);
            (void)card.wrap_response(cccd::apdu::ResponseApdu{plain.data, 0x9000});
        } catch (const cccd::Error&) {
        }
    }
    return 0;
}
