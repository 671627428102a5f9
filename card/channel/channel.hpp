#pragma once
// The transport under every card exchange: one command APDU out, one response APDU back. The PC/SC
// reader implements it over pcsc-lite (card/reader); tests implement it over the virtual chip or a script.
#include "base/bytes.hpp"
#include "base/error.hpp"

namespace cccd::channel {

// The card left the reader, was reset, or the reader is gone: the session is over, start a new one.
class CardRemovedError : public Error {
public:
    using Error::Error;
};

class CardChannel {
public:
    virtual ~CardChannel() = default;
    virtual Bytes transmit(ByteView command) = 0;
    // Whether the reader carries extended-length APDUs (more than 256 bytes back).
    virtual bool extended_length() const { return false; }
};

}  // namespace cccd::channel
