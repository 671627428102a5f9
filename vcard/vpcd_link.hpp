#pragma once
// The link between a virtual chip and the vpcd reader driver of the real pcscd (vsmartcard's
// protocol, see shared/reference/virtual-reader.md): the card connects to vpcd over TCP; every message
// is a 2-byte big-endian length and a payload. One-byte payloads are control messages (00 power off,
// 01 power on, 02 reset, 04 get ATR); longer ones are command APDUs, answered with a response APDU.
// Closing the socket is "card removed". Loopback only.
#include <cstdint>
#include <functional>
#include <string>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace cccd::vcard {

// The socket went away (vpcd or pcscd stopped, or the card was pulled on purpose).
class LinkClosedError : public Error, public Transient {
public:
    using Error::Error;
};

// An ATR for a contactless ICAO card per PC/SC Part 3: 3B 8n 80 01, historical bytes, TCK.
Bytes contactless_atr(ByteView historical_bytes);
// An ATR for a contact card that speaks T=0 only (ISO/IEC 7816-3 §8.2): 3B 6n 00 00 (TB1, TC1, no TD1, so
// no other protocol and no TCK), historical bytes. pcscd then connects with T=0.
Bytes contact_t0_atr(ByteView historical_bytes);

class VpcdLink {
public:
    // Connects to vpcd at host:port; host must be 127.0.0.1 or ::1.
    VpcdLink(const std::string& host, std::uint16_t port);
    ~VpcdLink();
    VpcdLink(const VpcdLink&) = delete;
    VpcdLink& operator=(const VpcdLink&) = delete;

    struct Handlers {
        std::function<void()> power_off;
        std::function<void()> power_on;
        std::function<void()> reset;
        std::function<Bytes()> atr;
        std::function<Bytes(ByteView)> apdu;
    };
    // Serves messages until the link closes (LinkClosedError) or `stop` returns true between messages.
    void serve(const Handlers& handlers, const std::function<bool()>& stop = {});
    // Closes the socket: vpcd sees the card removed.
    void close() noexcept;

private:
    Bytes read_message();
    void write_message(ByteView payload);
    int fd_ = -1;
};

}  // namespace cccd::vcard
