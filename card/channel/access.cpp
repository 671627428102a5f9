#include "card/channel/access.hpp"

#include "crypto/random.hpp"

namespace cccd::channel {

namespace {

namespace pace = protocol::pace;
namespace bac = protocol::bac;

constexpr std::uint8_t kMseSetAtPace = 0xC1;  // P1 of MSE:Set AT for mutual authentication (PACE)

AccessOutcome refused(int step, std::uint16_t status_word) {
    return {AccessOutcome::Kind::Refused, step, status_word};
}

}  // namespace

bool AccessOutcome::wrong_password() const noexcept {
    return kind == Kind::Refused &&
           (status_word == apdu::sw::kAuthenticationFailed || (step == kPaceLastStep && status_word != apdu::sw::kOk));
}

AccessOutcome run_pace(SecureChannel& channel, pace::PaceTerminal& terminal) {
    apdu::ResponseApdu mse = channel.send(apdu::mse_set_at(kMseSetAtPace, pace::encode_mse_set_at(terminal.mse_set_at())));
    if (!mse.ok()) return refused(0, mse.sw);
    // Each step's command data comes from the chip's answer to the step before.
    Bytes answer;
    for (int step = 1; step <= kPaceLastStep; ++step) {
        Bytes data = step == 1   ? terminal.step1_command()
                     : step == 2 ? terminal.step2_command(answer)
                     : step == 3 ? terminal.step3_command(answer)
                                 : terminal.step4_command(answer);
        apdu::ResponseApdu r = channel.send(apdu::general_authenticate(data, step < kPaceLastStep));
        if (!r.ok()) return refused(step, r.sw);
        answer = std::move(r.data);
    }
    pace::SessionKeys keys;
    try {
        keys = terminal.finish(answer);
    } catch (const ProtocolError&) {
        return {AccessOutcome::Kind::Unproven, kPaceLastStep, apdu::sw::kOk};
    }
    channel.start(keys.open());
    return {};
}

AccessOutcome run_bac(SecureChannel& channel, const bac::AccessKeys& keys) {
    apdu::ResponseApdu challenge = channel.send(apdu::get_challenge());
    if (!challenge.ok()) return refused(1, challenge.sw);
    Bytes rnd_ifd = crypto::random_bytes(bac::kNonceSize);
    SecretBytes k_ifd(crypto::random_bytes(bac::kKeyMaterialSize));
    apdu::ResponseApdu r = channel.send(
        apdu::mutual_authenticate(bac::terminal_authentication_data(keys, challenge.data, rnd_ifd, k_ifd.view())));
    if (!r.ok()) return refused(2, r.sw);
    channel.start(bac::terminal_complete(keys, challenge.data, rnd_ifd, k_ifd.view(), r.data).open());
    return {};
}

}  // namespace cccd::channel
