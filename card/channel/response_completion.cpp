#include "card/channel/response_completion.hpp"

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"

namespace cccd::channel {

namespace {

constexpr std::uint8_t kSw1MoreData = 0x61;
constexpr std::uint8_t kSw1WrongLe = 0x6C;

// GET RESPONSE on the basic channel: 00 C0 00 00 Le.
Bytes get_response(std::uint8_t le) { return {0x00, 0xC0, 0x00, 0x00, le}; }

std::size_t ne_of_le_byte(std::uint8_t le) { return le == 0 ? apdu::kMaxShortNe : le; }

}  // namespace

std::optional<Bytes> with_short_le(ByteView command, std::size_t ne) {
    if (ne == 0 || ne > apdu::kMaxShortNe) return std::nullopt;
    apdu::CommandApdu parsed;
    try {
        parsed = apdu::CommandApdu::parse(command);
    } catch (const ParseError&) {
        return std::nullopt;
    }
    if (parsed.extended()) return std::nullopt;
    parsed.ne = ne;
    return parsed.encode();
}

ResponseCompletion::ResponseCompletion(ByteView command) : command_(command.begin(), command.end()) {}

std::optional<Bytes> ResponseCompletion::accept(ByteView answer) {
    if (answer.size() < 2) throw ParseError("the card answered without a status word");
    const std::uint8_t sw1 = answer[answer.size() - 2];
    const std::uint8_t sw2 = answer[answer.size() - 1];
    if (sw1 == kSw1WrongLe) {
        // Asked for the wrong amount in a GET RESPONSE round: ask again for what is there.
        if (in_get_response_) return next_round(sw2);
        if (!resent_with_right_le_) {
            if (auto again = with_short_le(command_, ne_of_le_byte(sw2))) {
                resent_with_right_le_ = true;
                return again;
            }
        }
    }
    // The data of this round joins what came before; its status word is the last one so far.
    if (!response_.empty()) response_.resize(response_.size() - 2);
    append(response_, answer);
    if (sw1 != kSw1MoreData) return std::nullopt;
    return next_round(sw2);
}

Bytes ResponseCompletion::next_round(std::uint8_t le) {
    if (++rounds_ > kMaxResponseRounds) {
        throw ProtocolError("transmit", 0, "the card kept announcing more data (61xx) past any response's size");
    }
    in_get_response_ = true;
    return get_response(le);
}

}  // namespace cccd::channel
