#pragma once
// The chip behind a T=0 contact interface (ISO/IEC 7816-3 §10.3.3, 7816-4 §5.3.4), the way contact
// readers in the field meet it: a command with a body carries no Le on T=0, so the card announces its
// answer with 61xx and hands it out on GET RESPONSE; a command without a body whose Le does not match
// what the card has is answered 6Cxx (the right Le), and the reader asks again. An extended-length
// command (which an APDU-level reader carries over T=0 with ENVELOPE) reaches the chip, which takes it
// or answers 6700 as it would on T=1; a long answer then comes out in GET RESPONSE rounds of 256 bytes.
//
//   reader                                   T0Transport                   chip
//   case 4 command ───────────────────────>  ──────────────────────────>  answer (data, SW)
//                  <───────────────────────  61 xx (the data waits)
//   00 C0 00 00 xx ───────────────────────>  data, then 61 yy or the chip's SW
//   case 2 command, Le ≠ the data's size ─>  ──────────────────────────>  answer
//                  <───────────────────────  6C nn  (the answer is dropped; the reader asks again)
//
// cccd-vcard --t0 puts it between the vpcd link and the chip; ChipChannel can too (set_t0).
#include <functional>

#include "base/bytes.hpp"

namespace cccd::vcard {

class T0Transport {
public:
    // `chip`: one command APDU in, the chip's response APDU out (VirtualChip::process).
    explicit T0Transport(std::function<Bytes(ByteView)> chip) : chip_(std::move(chip)) {}

    Bytes exchange(ByteView command);
    // Power off, power on or reset: an answer still waiting is gone.
    void reset() noexcept;

private:
    Bytes get_response(ByteView command);

    std::function<Bytes(ByteView)> chip_;
    Bytes waiting_;         // data of the last answer not handed out yet
    Bytes waiting_status_;  // its status word, once the data is all out
};

}  // namespace cccd::vcard
