// Fuzzes secure messaging with fixed keys: a terminal unwrapping the bytes as a card's response, and a
// card unwrapping them as a terminal's command, for both the 3DES (BAC) and the AES (PACE) suites.
// Wrong MACs and malformed objects must end in SecureMessagingError, never in a crash.
//
// The 3DES sessions use the ICAO 9303 Part 11 App. D keys at each SSC of its three exchanges, so the
// seed APDUs (tests/fuzz/corpus/sm_unwrap) pass the MAC check and reach decryption and unpadding.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"
#include "card/sm/secure_messaging.hpp"

namespace {

using cccd::Bytes;
using cccd::SecretBytes;
using cccd::from_hex;
using cccd::sm::SecureMessaging;

SecureMessaging tdes_session(std::uint8_t ssc_last_byte) {
    Bytes ssc = from_hex("887022120C06C200");
    ssc.back() = ssc_last_byte;
    return SecureMessaging::tdes(SecretBytes(from_hex("979EC13B1CBFE9DCD01AB0FED307EAE5")),
                                 SecretBytes(from_hex("F1CB1F1FB5ADF208806B89DC579DC1F8")), ssc);
}

SecureMessaging aes_session() {
    return SecureMessaging::aes(SecretBytes(from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F")),
                                SecretBytes(from_hex("FE251C7858B356B24514B3BD5F4297D1")));
}

void as_response(SecureMessaging session, cccd::ByteView input) {
    try {
        auto plain = session.unwrap(cccd::apdu::ResponseApdu::parse(input));
        (void)plain.encode();
    } catch (const cccd::Error&) {
    }
    // Whatever happened, a closed session must refuse further use with our exception only.
    try {
        (void)session.wrap(cccd::apdu::select_file(0x011E));
    } catch (const cccd::Error&) {
    }
}

void as_command(SecureMessaging session, cccd::ByteView input) {
    try {
        auto plain = session.unwrap_command(cccd::apdu::CommandApdu::parse(input));
        (void)plain.encode();
        (void)session.wrap_response(cccd::apdu::ResponseApdu{plain.data, 0x9000});
    } catch (const cccd::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    // App. D: the commands are MACed at SSC ..27, ..29, ..2B and the answers at ..28, ..2A, ..2C.
    for (std::uint8_t step : {std::uint8_t{0}, std::uint8_t{2}, std::uint8_t{4}}) {
        as_response(tdes_session(static_cast<std::uint8_t>(0x27 + step)), input);
        as_command(tdes_session(static_cast<std::uint8_t>(0x26 + step)), input);
    }
    as_response(aes_session(), input);
    as_command(aes_session(), input);
    return 0;
}
