#include "vcard/chip_channel.hpp"

namespace cccd::vcard {

Bytes ChipChannel::transmit(ByteView command) {
    if (pull_after_ && traffic_.apdus >= *pull_after_) throw channel::CardRemovedError("the card was removed");
    ++traffic_.apdus;
    traffic_.bytes_sent += command.size();
    Bytes response = t0_ ? t0_transport_.exchange(command) : chip_.process(command);
    traffic_.bytes_received += response.size();
    return response;
}

}  // namespace cccd::vcard
