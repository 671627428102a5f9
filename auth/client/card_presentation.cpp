#include "auth/client/card_presentation.hpp"

#include "auth/challenge.hpp"

namespace cccd::auth::client {

CardPresentation present_card(channel::CardChannel& channel, const ChallengeOffer& offer, const std::string& can) {
    session::SessionOptions options;
    options.can = can;
    options.chip_authentication = true;
    // The card signs the challenge derived for this relying party, inside the PACE session.
    options.active_auth_challenge = offer.aa_challenge;
    CardPresentation presentation;
    presentation.read = session::read_card(channel, options);
    if (presentation.read.files.find("DG15") == presentation.read.files.end()) {
        throw ProtocolError("AA", 1, "the card has no DG15: it cannot sign a challenge, so it cannot authenticate");
    }
    if (!presentation.read.active_auth_signature) {
        std::string reason = "the card did not sign the challenge";
        for (const auto& check : presentation.read.checks) {
            if (check.name == session::kCheckActiveAuthentication) reason = check.reason;
        }
        throw ProtocolError("AA", 1, reason);
    }
    // The terminal's own AA verdict is not a gate: the server verifies the signature against the key
    // registered at issuance, which is what counts.
    presentation.request =
        build_verification_request(offer, presentation.read, *presentation.read.active_auth_signature);
    return presentation;
}

CardAuthentication authenticate_card(AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                     const std::string& relying_party_id, PresentationForm form) {
    const ChallengeOffer offer = client.request_challenge();
    // The card must sign a challenge bound to us; one derived for another party would be worthless here.
    if (offer.aa_challenge != derive_aa_challenge(offer.nonce, relying_party_id)) {
        throw ClientError("the server's challenge is not derived for the relying party \"" + relying_party_id +
                          "\": configure the relying party id the server knows");
    }
    CardPresentation presentation = present_card(channel, offer, can);
    CardAuthentication result;
    result.read = std::move(presentation.read);
    result.outcome = client.verify(form == PresentationForm::Lean ? lean_form(presentation.request) : presentation.request);
    if (!result.outcome.accepted()) return result;
    const Jwks keys = client.fetch_jwks();
    result.verified = verify_assertion(*result.outcome.assertion, keys, relying_party_id, system_clock()());
    return result;
}

}  // namespace cccd::auth::client
