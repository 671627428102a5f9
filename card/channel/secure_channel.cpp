#include "card/channel/secure_channel.hpp"

#include "base/error.hpp"

namespace cccd::channel {

namespace {

[[noreturn]] void throw_ended() {
    throw SecureMessagingError(
        "secure messaging ended when a response of the card failed its check: nothing more is sent in this "
        "session; start a new one");
}

}  // namespace

apdu::ResponseApdu SecureChannel::send(const apdu::CommandApdu& command) {
    if (ended_) throw_ended();
    Bytes raw = sm_ ? sm_->wrap(command).encode() : command.encode();
    ++traffic_.apdus;
    traffic_.bytes_sent += raw.size();
    Bytes answer = transport_.transmit(raw);
    traffic_.bytes_received += answer.size();
    apdu::ResponseApdu response = apdu::ResponseApdu::parse(answer);
    if (!sm_) return response;
    try {
        return sm_->unwrap(response);
    } catch (const SecureMessagingError&) {
        end();
        throw;
    }
}

void SecureChannel::start(sm::SecureMessaging session) {
    if (ended_) throw_ended();
    sm_ = std::move(session);
}

void SecureChannel::end() noexcept {
    ended_ = true;
    if (sm_) sm_->close();
    sm_.reset();
}

}  // namespace cccd::channel
