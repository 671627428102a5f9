#pragma once
// The verification pipeline: from a relying party's request to a signed assertion, or to exactly one
// refusal code. The order is fixed (docs/authentication.md, "The pipeline"):
//   1 bounded input          input_invalid
//   2 relying party          relying_party_unknown       (before the challenge: an unknown caller burns nothing)
//   3 challenge              challenge_unknown (also a replay), challenge_wrong_party, challenge_expired
//   4 card registry          card_unknown
//   5 EF.SOD                 sod_mismatch (pinned digest differs), sod_not_pinned_and_pa_failed;
//                            lean form: card_unknown (no card with that key), sod_not_pinned_and_pa_failed
//   6 data groups            data_group_mismatch         (none in the lean form)
//   7 Active Authentication  aa_signature_invalid        (with the key registered at issuance)
//   8 Chip Authentication    chip_auth_mismatch          (only when the terminal reports it)
//   9 card status            card_not_issued, card_suspended, card_revoked, card_lost, card_expired,
//                            card_replaced
//  10 citizen status         citizen_not_active
//  11 assertion
// Status comes after the cryptography on purpose: whether a card is revoked is told only to whoever
// holds that card, never to anyone who merely knows a document number.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "auth/assertion.hpp"
#include "auth/challenge.hpp"
#include "auth/challenge_store.hpp"
#include "auth/errors.hpp"
#include "auth/key_cache.hpp"
#include "auth/registry.hpp"
#include "auth/request.hpp"
#include "card/pa/trust_store.hpp"

namespace cccd::auth {

inline constexpr std::string_view kLoaHigh = "high";                // AA over the SOD pinned at issuance
inline constexpr std::string_view kLoaSubstantial = "substantial";  // AA over a SOD that passed full PA

struct VerificationResult {
    std::optional<AuthError> error;  // nothing when accepted
    std::string reason;              // words for logs: never personal data
    std::string assertion;           // the JWS, when accepted
    std::string card_number;         // the registry's card, once known (an audit subject, not a name)
    std::string loa;
    bool chip_authenticated = false;
    bool ok() const noexcept { return !error.has_value(); }
};

struct PipelineOptions {
    std::chrono::seconds challenge_lifetime = kDefaultChallengeLifetime;
};

class VerificationPipeline {
public:
    // Every reference must outlive the pipeline. `trust` may be null: then cards without a pinned SOD
    // are refused (sod_not_pinned_and_pa_failed). Thread-safe when the parts are.
    VerificationPipeline(ChallengeStore& challenges, CardRegistry& registry, const RelyingPartyDirectory& parties,
                         const AssertionSigner& signer, const pa::TrustStore* trust, Clock clock = system_clock(),
                         PipelineOptions options = {});

    // A fresh challenge for the relying party, stored. AuthFailure(RelyingPartyUnknown) for a party the
    // directory does not know; ChallengeStoreError when the store fails.
    Challenge issue_challenge(std::string_view relying_party_id);

    // `relying_party_id` is who the server authenticated as the caller, never a field of the body.
    // A refusal is a result, not an exception; ChallengeStoreError and StorageError (the server's own
    // failures) pass through.
    VerificationResult verify(std::string_view relying_party_id, const VerificationRequest& request);
    // The same from the JSON body (parse_verification_request first).
    VerificationResult verify_json(std::string_view relying_party_id, std::string_view json);
    // The same for a caller the server has just looked up itself (the API, by its client certificate),
    // saving a second directory read; an inactive party is still refused.
    VerificationResult verify_json(const RelyingParty& party, std::string_view json);

    // The Active Authentication keys decoded so far (hits and misses, for metrics and tests).
    const ActiveAuthKeyCache& active_auth_keys() const noexcept { return aa_keys_; }

private:
    ChallengeStore& challenges_;
    CardRegistry& registry_;
    const RelyingPartyDirectory& parties_;
    const AssertionSigner& signer_;
    const pa::TrustStore* trust_;
    Clock clock_;
    PipelineOptions options_;
    ActiveAuthKeyCache aa_keys_;

    // Steps 1 to 11 for `known`, or for the party the directory finds by `relying_party_id` when null.
    VerificationResult run(std::string_view relying_party_id, const RelyingParty* known, const VerificationRequest& request);
    VerificationResult parse_and_run(std::string_view relying_party_id, const RelyingParty* known, std::string_view json);
};

// ---- the pure steps, exposed for tests and for the server's own checks ----

// The card's registry status as a refusal, or nothing for an issued card within its validity (valid
// through its expiry day, UTC).
std::optional<AuthError> card_status_error(const identity::Card& card, Instant now);

// The attributes `party` may see, from the registry's citizen record (the server's truth, not the
// card's DG13): name, date_of_birth (YYYY-MM-DD), sex (F/M), personal_id, address (place of
// residence), photo (base64 JPEG, left out when none), nationality, age_over_18 (on `now`'s date).
boost::json::object scoped_attributes(const identity::Citizen& citizen, const RelyingParty& party, Instant now);

}  // namespace cccd::auth
