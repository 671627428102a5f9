#include "vcard/t0_transport.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"

namespace cccd::vcard {

namespace {

constexpr std::uint8_t kInsGetResponse = 0xC0;

Bytes status(std::uint16_t sw) { return {static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)}; }
Bytes status(std::uint8_t sw1, std::size_t sw2) { return {sw1, static_cast<std::uint8_t>(sw2 & 0xFF)}; }

}  // namespace

void T0Transport::reset() noexcept {
    waiting_.clear();
    waiting_status_.clear();
}

Bytes T0Transport::exchange(ByteView command) {
    if (command.size() == 5 && command[1] == kInsGetResponse && command[2] == 0 && command[3] == 0) {
        return get_response(command);
    }
    reset();  // any other command drops an answer nobody fetched
    apdu::CommandApdu parsed;
    try {
        parsed = apdu::CommandApdu::parse(command);
    } catch (const ParseError&) {
        return chip_(command);  // the chip words its own refusal
    }
    Bytes answer = chip_(command);
    if (answer.size() <= 2) return answer;
    const std::size_t data_size = answer.size() - 2;
    if (!parsed.data.empty()) {
        // A body went out without Le: the answer waits for GET RESPONSE.
        waiting_.assign(answer.begin(), answer.end() - 2);
        waiting_status_.assign(answer.end() - 2, answer.end());
        return status(0x61, std::min(data_size, apdu::kMaxShortNe));
    }
    if (parsed.ne && *parsed.ne != data_size) return status(0x6C, data_size);
    return answer;
}

Bytes T0Transport::get_response(ByteView command) {
    if (waiting_.empty()) return status(apdu::sw::kConditionsNotSatisfied);
    const std::size_t asked = command[4] == 0 ? apdu::kMaxShortNe : command[4];  // at most 256
    if (asked > waiting_.size()) return status(0x6C, waiting_.size());
    const auto end_of_round = waiting_.begin() + static_cast<std::ptrdiff_t>(asked);
    Bytes out(waiting_.begin(), end_of_round);
    waiting_.erase(waiting_.begin(), end_of_round);
    if (!waiting_.empty()) {
        append(out, status(0x61, std::min(waiting_.size(), apdu::kMaxShortNe)));
    } else {
        append(out, waiting_status_);
        waiting_status_.clear();
    }
    return out;
}

}  // namespace cccd::vcard
