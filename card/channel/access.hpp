#pragma once
// Access control over a SecureChannel: the I/O loops around the sans-I/O terminal steps of
// card/protocol, written once for the reader session and the personalization pipeline.
//
//   run_pace   MSE:Set AT (C1 A4)                              step 0
//              GENERAL AUTHENTICATE x4 (chained, last unchained) steps 1-4
//              T_IC checked, secure messaging started with the session keys
//   run_bac    GET CHALLENGE                                   step 1
//              MUTUAL AUTHENTICATE                             step 2
//              the chip's answer checked, 3DES secure messaging started
//
// A refusal by the card is a value: which step, which status word. The caller words it (a reader blames
// the CAN or the MRZ, an issuer the transport key), because only the caller knows what was typed in.
#include <cstdint>

#include "card/channel/secure_channel.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/pace.hpp"

namespace cccd::channel {

struct AccessOutcome {
    enum class Kind {
        Opened,     // secure messaging runs on the channel
        Refused,    // the card answered `status_word` to the command of `step`
        Unproven,   // PACE: every step answered, but the chip's token T_IC did not check out
    };
    Kind kind = Kind::Opened;
    int step = 0;
    std::uint16_t status_word = apdu::sw::kOk;

    bool opened() const noexcept { return kind == Kind::Opened; }
    // PACE: the card refused the way a wrong password shows, with 6300 at any step or anything but 9000
    // at the last General Authenticate (where the chip checks the terminal's token).
    bool wrong_password() const noexcept;
};

inline constexpr int kPaceLastStep = 4;

// Runs PACE with `terminal` (built with the protocol, parameters and password): on success the channel
// is secure. ProtocolError from the terminal steps when the card's data is malformed.
AccessOutcome run_pace(SecureChannel& channel, protocol::pace::PaceTerminal& terminal);

// Runs BAC with the access keys of the MRZ (fresh RND.IFD and K.IFD): on success the channel is secure.
// ProtocolError("BAC", 2, ...) when the chip's answer does not prove it knows the keys.
AccessOutcome run_bac(SecureChannel& channel, const protocol::bac::AccessKeys& keys);

}  // namespace cccd::channel
