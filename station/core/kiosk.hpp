#pragma once
// The citizen kiosk's work: the citizen taps the card and types the 6-digit CAN; the kiosk, a relying
// party of the authentication API (its own client certificate from the relying-party CA), runs the
// challenge-response and shows who the server says the holder is. Nothing is kept afterwards.
//
// Configuration (JSON): {"server", "server_ca", "certificate", "key", "relying_party_id" (default: the
// certificate's CN), "reader" (default: the first), "idle_seconds" (clear the screen after, default 30)}.
// The key's passphrase, if any: CCCD_RP_KEY_PASSPHRASE.
//
// A tap ends with a code (KioskCode), never with words: the window and the headless mode say it in
// the citizen's language (station/words, through Qt's translation).
#include <array>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "auth/client/card_presentation.hpp"
#include "card/lds/card_kind.hpp"
#include "station/core/speech.hpp"

namespace cccd::station {

struct KioskConfig {
    std::string server;
    std::filesystem::path server_ca, certificate, key;
    std::string relying_party_id;
    std::string reader;
    std::chrono::seconds idle{30};
    // "spoken_prompts": "yes": the kiosk also says its instructions and each result aloud (espeak-ng,
    // speech.hpp), for citizens who cannot read the screen; never the holder's name or numbers.
    // "voice": espeak-ng's voice for the prompts (default "vi").
    bool spoken_prompts = false;
    SpeechOptions speech;
};

KioskConfig load_kiosk_config(const std::filesystem::path& file);
auth::client::ClientOptions kiosk_client_options(const KioskConfig& config);

// What a tap ended with. Retriable codes: the citizen tries again (the card placed again and held
// still, the CAN typed again, a moment later). Fatal codes: the same tap gets the same answer; the
// citizen needs a person (the card's issuer, or the kiosk's staff).
enum class KioskCode {
    Accepted,
    // Retriable
    CanMalformed,       // the CAN is not 6 digits
    WrongCan,           // the card refused the CAN (a blank card, never issued, answers the same)
    NoCard,             // no card in the reader when the tap began
    CardRemoved,        // the card left the reader during the read
    CardUnreadable,     // the read failed: a protocol step, secure messaging, a malformed file
    ServerUnreachable,  // no answer from the server: network, TLS, timeout, an answer outside the contract
    ServerBusy,         // the server asked to come back later (too_many_requests, service_unavailable)
    ChallengeExpired,   // the server's challenge ran out or was used up before the card signed it
    // Fatal
    CardUnknown,        // card_unknown: not a registered card, or not the EF.SOD it was issued with
    CardNotGenuine,     // data_group_mismatch, aa_signature_invalid, chip_auth_mismatch
    CardNotIssued,      // card_not_issued: the card was never activated
    CardSuspended,      // card_suspended
    CardRevoked,        // card_revoked
    CardReplaced,       // card_replaced: a newer card of the same citizen was activated (a renewal)
    CardLost,           // card_lost
    CardExpired,        // card_expired
    CitizenNotActive,   // citizen_not_active
    ServerRefused,      // any other refusal (the kiosk itself: relying_party_unknown, input_invalid, ...)
    AnswerInvalid,      // an accepted assertion that does not verify against the server's keys
    ReaderMissing,      // no reader, or the PC/SC service (pcscd) is not running
    KioskMisconfigured, // the kiosk's certificate, key or CA file cannot be loaded
    InternalError,      // never returned by this file: a front end's code for an exception that escaped a tap
};

// Every code, in declaration order (tests and the translation check walk it).
inline constexpr std::array kKioskCodes{
    KioskCode::Accepted,      KioskCode::CanMalformed,      KioskCode::WrongCan,         KioskCode::NoCard,
    KioskCode::CardRemoved,   KioskCode::CardUnreadable,    KioskCode::ServerUnreachable, KioskCode::ServerBusy,
    KioskCode::ChallengeExpired, KioskCode::CardUnknown,    KioskCode::CardNotGenuine,   KioskCode::CardNotIssued,
    KioskCode::CardSuspended, KioskCode::CardRevoked,       KioskCode::CardReplaced,     KioskCode::CardLost,         KioskCode::CardExpired,
    KioskCode::CitizenNotActive, KioskCode::ServerRefused,  KioskCode::AnswerInvalid,    KioskCode::ReaderMissing,
    KioskCode::KioskMisconfigured, KioskCode::InternalError};

// "accepted", "wrong_can", "card_removed", ...: stable, for scripts (cccd-kiosk --headless --json).
std::string_view to_string(KioskCode code) noexcept;
bool retriable(KioskCode code) noexcept;

// The code for one of the authentication API's refusal codes (docs/authentication.md, "Error codes",
// and the HTTP-level too_many_requests / service_unavailable); ServerRefused for any other.
KioskCode kiosk_code_of_refusal(std::string_view server_code) noexcept;

struct KioskOutcome {
    KioskCode code = KioskCode::InternalError;
    std::string server_code;          // the server's refusal code, when the server refused
    std::string detail;               // for logs only, never shown to the citizen: what failed, in English
    std::string name;                 // from the server's assertion (its scopes), when accepted
    std::string date_of_birth;        // the same, as people read dates: dd/mm/yyyy
    Bytes photo_jpeg;                 // from the card's DG2 (already verified by the server); none under 6
    lds::CardKind card;               // the card's profile (from DG13's dates), DG2, DG13's fields, when accepted
    std::string assertion;            // the JWS, when accepted
    std::string loa;
    bool accepted() const noexcept { return code == KioskCode::Accepted; }
};

// The one place a tap's failure becomes a code. `card_connected`: the card had been reached (a card
// missing after that was lifted; a client error after that is the network). Rethrows what is not a
// cccd::Error (a programming error must not reach the citizen as a card problem).
KioskOutcome kiosk_outcome_of(const std::exception_ptr& failure, bool card_connected);

// One tap: the whole challenge-response with the card in `channel`. Card and server problems become an
// outcome code (never an exception), except a programming error.
KioskOutcome authenticate_at_kiosk(auth::client::AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                   const std::string& relying_party_id);

// One tap with the card in a PC/SC reader (`reader`, else the configuration's, else the first), in one
// reader transaction. The kiosk's files that cannot be loaded, no reader, no card, pcscd down: codes
// too (KioskMisconfigured, ReaderMissing, NoCard). Only a programming error throws.
KioskOutcome tap_card(const KioskConfig& config, const std::string& can, const std::string& reader = {});

}  // namespace cccd::station
