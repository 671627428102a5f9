#pragma once
// The card side of an authentication: read the card with PACE-CAN and have it sign the challenge
// derived for this relying party (INTERNAL AUTHENTICATE inside the same secure messaging session),
// then build what the relying party posts.
#include <optional>
#include <string>

#include "auth/assertion.hpp"

#include "auth/client/auth_client.hpp"
#include "card/session/card_session.hpp"

namespace cccd::auth::client {

struct CardPresentation {
    session::ReadResult read;      // every file read and the terminal's own verdicts
    VerificationRequest request;   // ready for AuthClient::verify
};

// Runs the session on `channel` (the caller holds any reader transaction). `can` is the 6-digit CAN.
// session::AccessDeniedError for a wrong CAN; CardRemovedError/ProtocolError from the card;
// ProtocolError("AA", ...) when the card has no DG15 or refused to sign the challenge.
CardPresentation present_card(channel::CardChannel& channel, const ChallengeOffer& offer, const std::string& can);

// The whole flow a relying party (or a kiosk) runs with a card: a challenge, checked to be derived for
// `relying_party_id`; the card read and signing it; the verification posted; on acceptance the
// assertion checked against the server's JWKS. A refusal is an outcome (verified empty).
struct CardAuthentication {
    VerificationOutcome outcome;
    std::optional<VerifiedAssertion> verified;  // when accepted and the assertion verifies
    session::ReadResult read;                   // what the terminal read (for display: DG1, DG2, DG13)
};
// ClientError/RefusedError from the server; session::AccessDeniedError for a wrong CAN; CardRemovedError,
// ProtocolError from the card; AssertionError when an accepted assertion does not verify;
// ClientError when the challenge is not derived for `relying_party_id` (a misconfigured id).
// `form` Lean posts only DG15 and the signature: enough for every card this system issued (its SOD
// was pinned), refused with card_unknown or sod_not_pinned_and_pa_failed for one it did not.
CardAuthentication authenticate_card(AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                     const std::string& relying_party_id,
                                     PresentationForm form = PresentationForm::Full);

}  // namespace cccd::auth::client
