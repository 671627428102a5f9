#include "station/core/kiosk.hpp"

#include <boost/json.hpp>

#include "auth/assertion.hpp"
#include "auth/errors.hpp"
#include "card/lds/dg2.hpp"
#include "card/reader/pcsc.hpp"
#include "identity/validity.hpp"
#include "station/core/station_config.hpp"

namespace cccd::station {

namespace json = boost::json;

KioskConfig load_kiosk_config(const std::filesystem::path& file) {
    auto s = read_settings(file, "kiosk", {"server", "server_ca", "certificate", "key", "relying_party_id", "reader", "idle_seconds",
                            "spoken_prompts", "voice"},
                           {"server_ca", "certificate", "key"}, {"server", "server_ca", "certificate", "key"});
    KioskConfig c;
    c.server = s["server"];
    c.server_ca = s["server_ca"];
    c.certificate = s["certificate"];
    c.key = s["key"];
    c.relying_party_id = s["relying_party_id"].empty() ? auth::client::certificate_common_name(c.certificate) : s["relying_party_id"];
    auth::check_relying_party_id(c.relying_party_id);
    c.reader = s["reader"];
    if (!s["idle_seconds"].empty()) {
        const std::string& text = s["idle_seconds"];
        if (text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 5)
            throw InvalidArgument("the kiosk configuration " + file.string() + ": \"idle_seconds\" is a number of seconds, at least 5");
        c.idle = std::chrono::seconds(std::stoi(text));
    }
    const std::string& spoken = s["spoken_prompts"];
    if (spoken != "" && spoken != "yes" && spoken != "no")
        throw InvalidArgument("the kiosk configuration " + file.string() + ": \"spoken_prompts\" is \"yes\" or \"no\"");
    c.spoken_prompts = spoken == "yes";
    if (!s["voice"].empty()) {
        if (s["voice"].find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
            throw InvalidArgument("the kiosk configuration " + file.string() + ": \"voice\" is an espeak-ng voice such as \"vi\"");
        c.speech.voice = s["voice"];
    }
    return c;
}

auth::client::ClientOptions kiosk_client_options(const KioskConfig& config) {
    auth::client::ClientOptions o;
    o.server = auth::client::parse_server_url(config.server);
    o.ca_file = config.server_ca;
    o.certificate_file = config.certificate;
    o.key_file = config.key;
    return o;
}

std::string_view to_string(KioskCode code) noexcept {
    switch (code) {
        case KioskCode::Accepted: return "accepted";
        case KioskCode::CanMalformed: return "can_malformed";
        case KioskCode::WrongCan: return "wrong_can";
        case KioskCode::NoCard: return "no_card";
        case KioskCode::CardRemoved: return "card_removed";
        case KioskCode::CardUnreadable: return "card_unreadable";
        case KioskCode::ServerUnreachable: return "server_unreachable";
        case KioskCode::ServerBusy: return "server_busy";
        case KioskCode::ChallengeExpired: return "challenge_expired";
        case KioskCode::CardUnknown: return "card_unknown";
        case KioskCode::CardNotGenuine: return "card_not_genuine";
        case KioskCode::CardNotIssued: return "card_not_issued";
        case KioskCode::CardSuspended: return "card_suspended";
        case KioskCode::CardRevoked: return "card_revoked";
        case KioskCode::CardReplaced: return "card_replaced";
        case KioskCode::CardLost: return "card_lost";
        case KioskCode::CardExpired: return "card_expired";
        case KioskCode::CitizenNotActive: return "citizen_not_active";
        case KioskCode::ServerRefused: return "server_refused";
        case KioskCode::AnswerInvalid: return "answer_invalid";
        case KioskCode::ReaderMissing: return "reader_missing";
        case KioskCode::KioskMisconfigured: return "kiosk_misconfigured";
        case KioskCode::InternalError: return "internal_error";
    }
    return "internal_error";
}

bool retriable(KioskCode code) noexcept {
    switch (code) {
        case KioskCode::CanMalformed:
        case KioskCode::WrongCan:
        case KioskCode::NoCard:
        case KioskCode::CardRemoved:
        case KioskCode::CardUnreadable:
        case KioskCode::ServerUnreachable:
        case KioskCode::ServerBusy:
        case KioskCode::ChallengeExpired: return true;
        default: return false;
    }
}

KioskCode kiosk_code_of_refusal(std::string_view server_code) noexcept {
    if (server_code == "too_many_requests" || server_code == "service_unavailable") return KioskCode::ServerBusy;
    const std::optional<auth::AuthError> error = auth::auth_error_from(server_code);
    if (!error) return KioskCode::ServerRefused;
    switch (*error) {
        case auth::AuthError::ChallengeUnknown:
        case auth::AuthError::ChallengeExpired: return KioskCode::ChallengeExpired;
        case auth::AuthError::CardUnknown:
        case auth::AuthError::SodMismatch:
        case auth::AuthError::SodNotPinnedAndPaFailed: return KioskCode::CardUnknown;
        case auth::AuthError::DataGroupMismatch:
        case auth::AuthError::AaSignatureInvalid:
        case auth::AuthError::ChipAuthMismatch: return KioskCode::CardNotGenuine;
        case auth::AuthError::CardNotIssued: return KioskCode::CardNotIssued;
        case auth::AuthError::CardSuspended: return KioskCode::CardSuspended;
        case auth::AuthError::CardRevoked: return KioskCode::CardRevoked;
        case auth::AuthError::CardReplaced: return KioskCode::CardReplaced;
        case auth::AuthError::CardLost: return KioskCode::CardLost;
        case auth::AuthError::CardExpired: return KioskCode::CardExpired;
        case auth::AuthError::CitizenNotActive: return KioskCode::CitizenNotActive;
        case auth::AuthError::InputInvalid:
        case auth::AuthError::RelyingPartyUnknown:
        case auth::AuthError::ChallengeWrongParty: return KioskCode::ServerRefused;
    }
    return KioskCode::ServerRefused;
}

namespace {

KioskOutcome outcome(KioskCode code, std::string detail = {}, std::string server_code = {}) {
    KioskOutcome out;
    out.code = code;
    out.detail = std::move(detail);
    out.server_code = std::move(server_code);
    return out;
}

bool well_formed_can(const std::string& can) { return can.size() == 6 && can.find_first_not_of("0123456789") == std::string::npos; }

std::string claim(const json::object& claims, std::string_view scope) {
    const json::value* attributes = claims.if_contains("attributes");
    const json::value* v = attributes != nullptr && attributes->is_object() ? attributes->as_object().if_contains(scope)
                                                                             : claims.if_contains(scope);
    return v != nullptr && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}

// The challenge-response with a connected card and a well-formed CAN; failures throw.
KioskOutcome authenticate(auth::client::AuthClient& client, channel::CardChannel& channel, const std::string& can,
                          const std::string& relying_party_id) {
    auth::client::CardAuthentication result = auth::client::authenticate_card(client, channel, can, relying_party_id);
    if (!result.outcome.accepted()) {
        return outcome(kiosk_code_of_refusal(result.outcome.error_code), result.outcome.error_message, result.outcome.error_code);
    }
    KioskOutcome out = outcome(KioskCode::Accepted);
    out.assertion = *result.outcome.assertion;
    out.loa = result.outcome.loa;
    out.name = claim(result.verified->claims, "name");
    // The assertion writes YYYY-MM-DD; the citizen reads dd/mm/yyyy.
    const std::string born = claim(result.verified->claims, "date_of_birth");
    const auto day = identity::parse_iso_day(born);
    out.date_of_birth = day ? identity::vietnamese_day(*day) : born;
    out.card = lds::card_kind(result.read.files);
    if (auto dg2 = result.read.files.find("DG2"); dg2 != result.read.files.end()) {
        try {
            out.photo_jpeg = lds::first_face_record(lds::decode_dg2(dg2->second)).faces.at(0).image;
        } catch (const std::exception&) {
            // No picture to show; the result stands.
        }
    }
    return out;
}

}  // namespace

KioskOutcome kiosk_outcome_of(const std::exception_ptr& failure, bool card_connected) {
    try {
        std::rethrow_exception(failure);
    } catch (const session::AccessDeniedError& e) {
        return outcome(KioskCode::WrongCan, e.what());
    } catch (const channel::CardRemovedError& e) {
        return outcome(card_connected ? KioskCode::CardRemoved : KioskCode::NoCard, e.what());
    } catch (const auth::client::RefusedError& e) {
        return outcome(kiosk_code_of_refusal(e.code()), e.what(), e.code());
    } catch (const auth::client::ClientError& e) {
        // Before the card: only the client's files were loaded, nothing was sent yet.
        return outcome(card_connected ? KioskCode::ServerUnreachable : KioskCode::KioskMisconfigured, e.what());
    } catch (const auth::AssertionError& e) {
        return outcome(KioskCode::AnswerInvalid, e.what());
    } catch (const reader::ReaderServiceError& e) {
        return outcome(KioskCode::ReaderMissing, e.what());
    } catch (const reader::ReaderError& e) {
        return outcome(card_connected ? KioskCode::CardUnreadable : KioskCode::ReaderMissing, e.what());
    } catch (const Error& e) {
        return outcome(card_connected ? KioskCode::CardUnreadable : KioskCode::KioskMisconfigured, e.what());
    }
}

KioskOutcome authenticate_at_kiosk(auth::client::AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                   const std::string& relying_party_id) {
    if (!well_formed_can(can)) return outcome(KioskCode::CanMalformed);
    try {
        return authenticate(client, channel, can, relying_party_id);
    } catch (...) {
        return kiosk_outcome_of(std::current_exception(), true);
    }
}

KioskOutcome tap_card(const KioskConfig& config, const std::string& can, const std::string& reader) {
    if (!well_formed_can(can)) return outcome(KioskCode::CanMalformed);
    bool connected = false;
    try {
        auth::client::AuthClient client(kiosk_client_options(config));
        reader::PcscContext context;
        reader::PcscCard card(context, context.reader_or_first(reader.empty() ? config.reader : reader));
        reader::Transaction transaction(card);
        connected = true;
        return authenticate(client, card, can, config.relying_party_id);
    } catch (...) {
        return kiosk_outcome_of(std::current_exception(), connected);
    }
}

}  // namespace cccd::station
