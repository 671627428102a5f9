#pragma once
// The citizen kiosk's work: the citizen taps the card and types the 6-digit CAN; the kiosk, a relying
// party of the authentication API (its own client certificate from the relying-party CA), runs the
// challenge-response and shows who the server says the holder is. Nothing is kept afterwards.
//
// Configuration (JSON): {"server", "server_ca", "certificate", "key", "relying_party_id" (default: the
// certificate's CN), "reader" (default: the first), "idle_seconds" (clear the screen after, default 30)}.
// The key's passphrase, if any: CCCD_RP_KEY_PASSPHRASE.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "auth/client/card_presentation.hpp"

namespace cccd::station {

struct KioskConfig {
    std::string server;
    std::filesystem::path server_ca, certificate, key;
    std::string relying_party_id;
    std::string reader;
    std::chrono::seconds idle{30};
};

KioskConfig load_kiosk_config(const std::filesystem::path& file);
auth::client::ClientOptions kiosk_client_options(const KioskConfig& config);

// What the kiosk shows after a tap, in the citizen's words.
struct KioskOutcome {
    bool accepted = false;
    std::string headline;             // "Xác thực thành công" / why not
    std::string name, date_of_birth;  // from the server's assertion (its scopes), when accepted
    Bytes photo_jpeg;                 // from the card's DG2 (already verified by the server)
    std::string assertion;            // the JWS, when accepted
    std::string loa;
};

// One tap: the whole challenge-response with the card in `channel`. Card and server problems become an
// outcome with words for the citizen (never an exception), except a programming error.
KioskOutcome authenticate_at_kiosk(auth::client::AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                   const std::string& relying_party_id);

// One tap with the card in a PC/SC reader (`reader`, else the configuration's, else the first), in one
// reader transaction. No reader, no card or pcscd down throw as the reader layer does; everything
// after that is an outcome, as above.
KioskOutcome tap_card(const KioskConfig& config, const std::string& can, const std::string& reader = {});

}  // namespace cccd::station
