#pragma once
// Why an authentication was refused: one code per failure, in the order the pipeline checks them
// (docs/authentication.md, "Error codes"). The strings are stable: relying parties and the audit log
// see them, so they never change once published.
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace cccd::auth {

enum class AuthError {
    InputInvalid,             // a field missing, too long, malformed, unknown; oversized or malformed JSON
    RelyingPartyUnknown,      // the caller is not a registered relying party
    ChallengeUnknown,         // never issued, already used (replay) or long gone
    ChallengeExpired,         // issued, but its lifetime is over
    ChallengeWrongParty,      // issued to another relying party
    CardUnknown,              // no card in the registry carries this document number
    SodMismatch,              // EF.SOD is not the one pinned at issuance for any card with this number
    SodNotPinnedAndPaFailed,  // the card has no pinned SOD and Passive Authentication failed
    DataGroupMismatch,        // a data group does not hash to what the SOD lists, or is not listed
    AaSignatureInvalid,       // the Active Authentication signature does not verify with the registered key
    ChipAuthMismatch,         // the Chip Authentication key the terminal reports is not the registered one
    CardNotIssued,            // the card was never activated (still being personalized)
    CardSuspended,
    CardRevoked,
    CardLost,
    CardExpired,
    CardReplaced,             // a newer card of the same holder was activated (a renewal): this one is no longer valid
    CitizenNotActive,         // the holder is not an active citizen of the register
};

// "input_invalid", "relying_party_unknown", "challenge_unknown", ...
std::string_view to_string(AuthError error) noexcept;
std::optional<AuthError> auth_error_from(std::string_view code) noexcept;

// What a relying party is told. The audit log keeps the precise code; the answer must not tell a
// caller whether a document number has a registered card: "no card with this number"
// (card_unknown), "a card, but not this EF.SOD" (sod_mismatch) and "an unpinned card whose Passive
// Authentication failed" are one answer, card_unknown, with one message.
std::string_view relying_party_code(AuthError error) noexcept;
// The message that goes with relying_party_code: `reason` itself, or the one shared message.
std::string relying_party_message(AuthError error, const std::string& reason);

// A refusal: the code and a short reason in words that never contains personal data or key material.
class AuthFailure : public Error {
public:
    AuthFailure(AuthError code, const std::string& reason);
    AuthError code() const noexcept { return code_; }

private:
    AuthError code_;
};

}  // namespace cccd::auth
