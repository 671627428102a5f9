#include "card/channel/secure_channel.hpp"

#include "base/error.hpp"
#include "card/channel/response_completion.hpp"

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
    apdu::ResponseApdu response = apdu::ResponseApdu::parse(transmit_completed(raw));
    if (!sm_) return response;
    try {
        return sm_->unwrap(response);
    } catch (const SecureMessagingError&) {
        end();
        throw;
    }
}

Bytes SecureChannel::transmit_completed(ByteView command) {
    ResponseCompletion completion(command);
    std::optional<Bytes> next = Bytes(command.begin(), command.end());
    while (next) {
        ++traffic_.apdus;
        traffic_.bytes_sent += next->size();
        Bytes answer = transport_.transmit(*next);
        traffic_.bytes_received += answer.size();
        next = completion.accept(answer);
    }
    return completion.response();
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
