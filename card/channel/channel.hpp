#pragma once
// The transport under every card exchange: one command APDU out, one response APDU back. The PC/SC
// reader implements it over pcsc-lite (card/reader), the virtual chip in process (vcard::ChipChannel);
// tests also play scripts through it. Everything above it talks to the card through a SecureChannel
// (card/channel/secure_channel.hpp).
#include <cstddef>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace cccd::channel {

// The card left the reader, was reset, or the reader is gone: the session is over, start a new one.
class CardRemovedError : public Error, public Transient {
public:
    using Error::Error;
};

class CardChannel {
public:
    virtual ~CardChannel() = default;
    virtual Bytes transmit(ByteView command) = 0;
    // Whether the reader carries extended-length APDUs (more than 256 bytes back).
    virtual bool extended_length() const { return false; }
    // How many data bytes one response may carry: 256 with short APDUs, up to 65536 with extended length,
    // less where the reader says its buffer is smaller.
    virtual std::size_t max_response_data() const { return extended_length() ? 65536 : 256; }
};

// What crossed a channel: command APDUs and the bytes of commands and responses as transmitted.
struct Traffic {
    std::size_t apdus = 0;
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;

    Traffic operator-(const Traffic& earlier) const {
        return {apdus - earlier.apdus, bytes_sent - earlier.bytes_sent, bytes_received - earlier.bytes_received};
    }
};

}  // namespace cccd::channel
