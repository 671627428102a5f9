#include "auth/client/card_presentation.hpp"

namespace cccd::auth::client {

CardPresentation present_card(session::CardChannel& channel, const ChallengeOffer& offer, const std::string& can) {
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
            if (check.name == "Active Authentication") reason = check.reason;
        }
        throw ProtocolError("AA", 1, reason);
    }
    // The terminal's own AA verdict is not a gate: the server verifies the signature against the key
    // registered at issuance, which is what counts.
    presentation.request =
        build_verification_request(offer, presentation.read, *presentation.read.active_auth_signature);
    return presentation;
}

}  // namespace cccd::auth::client
