#pragma once
// What the transport does with a response before anyone above it sees one: the two procedures of
// ISO/IEC 7816-4 §5.3.4 (and 7816-3 §10.3.3) that T=0 cards use, and that some T=1 cards use too.
//
//   reader                                   card
//   command ──────────────────────────────>  61 xx          xx more bytes wait (00: 256 or more)
//   00 C0 00 00 xx  (GET RESPONSE) ────────>  data 61 yy     ... again, until
//   00 C0 00 00 yy ────────────────────────>  data 90 00     the final status word
//   caller gets   data || data || 90 00
//
//   command with Le ───────────────────────>  6C xx          wrong Le: xx bytes are there
//   the same command with Le = xx ─────────>  data 90 00     (once; a second 6Cxx is the answer;
//                                                            in a GET RESPONSE round: GET RESPONSE xx)
//
// GET RESPONSE is transport, not a command of the session: it is never wrapped in secure messaging;
// the data it collects is the protected response, unwrapped above as one. No I/O here: the channel
// feeds responses in and sends what comes out (SecureChannel::send is the loop).
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"

namespace cccd::channel {

// More GET RESPONSE rounds than any answer of a CCCD needs (64 KiB in 256-byte rounds, and some): a card
// that keeps saying 61xx past it is broken, and the exchange ends with a ProtocolError instead of a hang.
inline constexpr std::size_t kMaxResponseRounds = 260;

class ResponseCompletion {
public:
    // `command`: the command APDU as it went to the card (wrapped already when secure messaging is on).
    explicit ResponseCompletion(ByteView command);

    // The card's answer to the last command sent. Returns the next command to send (GET RESPONSE, or the
    // command again with the right Le), or nullopt when response() is complete. ProtocolError when the
    // more rounds than kMaxResponseRounds.
    std::optional<Bytes> accept(ByteView answer);

    // Everything collected: the data of every round and the last status word.
    const Bytes& response() const noexcept { return response_; }

private:
    Bytes next_round(std::uint8_t le);

    Bytes command_;
    Bytes response_;
    std::size_t rounds_ = 0;
    bool resent_with_right_le_ = false;
    bool in_get_response_ = false;
};

// The command again with a short Le of `ne` bytes (1..256), its data kept; nullopt when it is not a short
// command (then 6Cxx cannot be acted on and stands as the answer).
std::optional<Bytes> with_short_le(ByteView command, std::size_t ne);

}  // namespace cccd::channel
