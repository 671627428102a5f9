// Fuzzes the command and response APDU parsers: what parses must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    try {
        auto command = cccd::apdu::CommandApdu::parse(input);
        if (command.encode() != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    try {
        auto response = cccd::apdu::ResponseApdu::parse(input);
        (void)cccd::apdu::describe_status_word(response.sw);
        if (response.encode() != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    return 0;
}
