#include "auth/errors.hpp"

#include <array>
#include <utility>

namespace cccd::auth {
namespace {

constexpr std::array<std::pair<AuthError, std::string_view>, 18> kCodes{{
    {AuthError::InputInvalid, "input_invalid"},
    {AuthError::RelyingPartyUnknown, "relying_party_unknown"},
    {AuthError::ChallengeUnknown, "challenge_unknown"},
    {AuthError::ChallengeExpired, "challenge_expired"},
    {AuthError::ChallengeWrongParty, "challenge_wrong_party"},
    {AuthError::CardUnknown, "card_unknown"},
    {AuthError::SodMismatch, "sod_mismatch"},
    {AuthError::SodNotPinnedAndPaFailed, "sod_not_pinned_and_pa_failed"},
    {AuthError::DataGroupMismatch, "data_group_mismatch"},
    {AuthError::AaSignatureInvalid, "aa_signature_invalid"},
    {AuthError::ChipAuthMismatch, "chip_auth_mismatch"},
    {AuthError::CardNotIssued, "card_not_issued"},
    {AuthError::CardSuspended, "card_suspended"},
    {AuthError::CardRevoked, "card_revoked"},
    {AuthError::CardLost, "card_lost"},
    {AuthError::CardExpired, "card_expired"},
    {AuthError::CardReplaced, "card_replaced"},
    {AuthError::CitizenNotActive, "citizen_not_active"},
}};

}  // namespace

std::string_view to_string(AuthError error) noexcept {
    for (const auto& [value, code] : kCodes) {
        if (value == error) return code;
    }
    return "internal";
}

std::optional<AuthError> auth_error_from(std::string_view code) noexcept {
    for (const auto& [value, text] : kCodes) {
        if (text == code) return value;
    }
    return std::nullopt;
}

namespace {

bool reveals_registration(AuthError error) noexcept {
    return error == AuthError::CardUnknown || error == AuthError::SodMismatch || error == AuthError::SodNotPinnedAndPaFailed;
}

}  // namespace

std::string_view relying_party_code(AuthError error) noexcept {
    return reveals_registration(error) ? to_string(AuthError::CardUnknown) : to_string(error);
}

std::string relying_party_message(AuthError error, const std::string& reason) {
    if (reveals_registration(error)) return "this card is not registered, or its EF.SOD is not the one it was issued with";
    return reason;
}

AuthFailure::AuthFailure(AuthError code, const std::string& reason)
    : Error(std::string(to_string(code)) + ": " + reason), code_(code) {}

}  // namespace cccd::auth
