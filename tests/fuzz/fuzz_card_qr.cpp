// Fuzzes the card QR parser (identity/card_qr.hpp) with arbitrary text: it answers a CardQr or a
// ParseError, and whatever it reads writes back to a line it reads again to the same fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "identity/card_qr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    cccd::identity::CardQr qr;
    try {
        qr = cccd::identity::parse_card_qr(text);
    } catch (const cccd::ParseError&) {
        return 0;
    }
    std::string line;
    try {
        line = cccd::identity::write_card_qr(qr);
    } catch (const cccd::InvalidArgument&) {
        // A cancelled number the layout read from the unknown trailing fields need not be one the
        // writer accepts; nothing else may be refused.
        if (qr.cancelled_ids.empty()) __builtin_trap();
        return 0;
    }
    cccd::identity::CardQr again = cccd::identity::parse_card_qr(line);
    again.trailing = qr.trailing;  // the writer places only what the layout names
    if (again.personal_id != qr.personal_id || again.full_name != qr.full_name || again.date_of_issue != qr.date_of_issue ||
        again.place_of_residence != qr.place_of_residence || again.cancelled_ids != qr.cancelled_ids ||
        again.father_name != qr.father_name || again.format != qr.format) {
        __builtin_trap();
    }
    return 0;
}
