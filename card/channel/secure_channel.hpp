#pragma once
// The one place where a card session's commands cross the transport. A SecureChannel starts plain (to
// read EF.CardAccess and run PACE or BAC); once access control opened secure messaging it owns that
// state — the session keys and the send sequence counter of card/sm — and wraps every command and
// unwraps every response. Chip Authentication replaces the keys (start() again).
//
//   caller ──send(plain)──> SecureChannel ──wrap──> CardChannel::transmit ──> card
//   caller <──plain─────── SecureChannel <─unwrap── response             <──
//                                            (61xx and 6Cxx completed first: response_completion.hpp)
//
// The first response that fails its check (a wrong MAC, missing or malformed secure messaging objects,
// 6987/6988 from the card) ENDS the session: the keys are wiped, the exception is passed on, and every
// later send() throws SecureMessagingError without transmitting anything. Start a new session (a new
// SecureChannel over the same CardChannel) to talk to the card again.
#include <optional>

#include "base/bytes.hpp"
#include "card/apdu/apdu.hpp"
#include "card/channel/channel.hpp"
#include "card/sm/secure_messaging.hpp"

namespace cccd::channel {

class SecureChannel {
public:
    explicit SecureChannel(CardChannel& transport) : transport_(transport) {}
    SecureChannel(const SecureChannel&) = delete;
    SecureChannel& operator=(const SecureChannel&) = delete;

    // One command out, its response back: wrapped and unwrapped when secure messaging is on. The
    // transport's errors (CardRemovedError, ...) pass through; SecureMessagingError ends the session.
    apdu::ResponseApdu send(const apdu::CommandApdu& command);

    // Secure messaging from the next command on, with these keys and their send sequence counter
    // (after PACE, BAC or Chip Authentication). SecureMessagingError once the session has ended.
    void start(sm::SecureMessaging session);

    bool secure() const noexcept { return sm_.has_value(); }
    // True once a response failed its check: nothing more is sent through this channel.
    bool ended() const noexcept { return ended_; }
    // The send sequence counter of the open session (empty while plain or after the end).
    ByteView send_sequence_counter() const noexcept { return sm_ ? sm_->ssc() : ByteView{}; }
    bool extended_length() const { return transport_.extended_length(); }
    std::size_t max_response_data() const { return transport_.max_response_data(); }
    // Everything this channel transmitted, as the transport saw it.
    const Traffic& traffic() const noexcept { return traffic_; }

private:
    // One command to the card and its whole response, GET RESPONSE rounds and a resend for 6Cxx included.
    Bytes transmit_completed(ByteView command);
    void end() noexcept;

    CardChannel& transport_;
    std::optional<sm::SecureMessaging> sm_;
    bool ended_ = false;
    Traffic traffic_;
};

}  // namespace cccd::channel
