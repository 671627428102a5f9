#pragma once
// The card side of an authentication: read the card with PACE-CAN and have it sign the challenge
// derived for this relying party (INTERNAL AUTHENTICATE inside the same secure messaging session),
// then build what the relying party posts.
#include <string>

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
CardPresentation present_card(session::CardChannel& channel, const ChallengeOffer& offer, const std::string& can);

}  // namespace cccd::auth::client
