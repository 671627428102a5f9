#pragma once
// The virtual chip as a channel::CardChannel, in process: APDU bytes straight into VirtualChip::process.
// `cccd-vcard --sample` personalizes its card through it; tests and benchmarks read and personalize
// chips through it.
//
// It plays the reader's side of the link: whether the reader carries extended-length APDUs (the chip
// has its own flag, ChipContents::extended_length), what reached the chip (Traffic), and, for removal
// tests, a card that leaves the field after a number of commands; and a T=0 interface in front of the chip
// (set_t0: 61xx with GET RESPONSE, 6Cxx), as contact readers meet it.
#include <cstddef>
#include <optional>

#include "card/channel/channel.hpp"
#include "vcard/t0_transport.hpp"
#include "vcard/virtual_chip.hpp"

namespace cccd::vcard {

class ChipChannel : public channel::CardChannel {
public:
    explicit ChipChannel(VirtualChip& chip, bool extended_length = false)
        : chip_(chip), extended_length_(extended_length) {}
    // Not copied: its T=0 transport calls back into this very object.
    ChipChannel(const ChipChannel&) = delete;
    ChipChannel& operator=(const ChipChannel&) = delete;

    // channel::CardRemovedError once the card was pulled (pull_after); the chip's answer otherwise.
    Bytes transmit(ByteView command) override;
    bool extended_length() const override { return extended_length_; }

    // The card leaves the field once `commands` commands have reached the chip: that one and every
    // later one throw channel::CardRemovedError, and the chip sees none of them.
    void pull_after(std::size_t commands) { pull_after_ = commands; }

    // From now on the chip answers through a T=0 interface (t0_transport.hpp).
    void set_t0(bool on) { t0_ = on; }

    // What crossed the link: every command (GET RESPONSE included) and every answer.
    const channel::Traffic& traffic() const noexcept { return traffic_; }

private:
    VirtualChip& chip_;
    bool extended_length_;
    std::optional<std::size_t> pull_after_;
    bool t0_ = false;
    T0Transport t0_transport_{[this](ByteView command) { return chip_.process(command); }};
    channel::Traffic traffic_;
};

}  // namespace cccd::vcard
