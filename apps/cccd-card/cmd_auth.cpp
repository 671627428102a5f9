// cccd-card auth: authenticate a citizen with the card in a reader, as a relying party does: a challenge
// from the server, the card read with PACE-CAN and signing the challenge derived for this relying
// party, the verification posted, and the assertion checked locally against the server's JWKS.
#include <iostream>
#include <memory>

#include <boost/json.hpp>

#include "apps/cccd-card/commands.hpp"
#include "auth/assertion.hpp"
#include "auth/challenge.hpp"
#include "auth/client/auth_client.hpp"
#include "auth/client/card_presentation.hpp"
#include "auth/errors.hpp"
#include "base/error.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"

namespace cccd::tool {

namespace {

namespace json = boost::json;
namespace client = auth::client;

struct AuthOptions {
    std::string reader;
    std::string can;
    std::string server;
    std::string ca_file;
    std::string client_certificate;
    std::string client_key;
    std::string relying_party_id;
    bool json = false;
    bool lean = false;
};

// A claim for the terminal: text as is, the photo only by its size (it is long and binary).
std::string claim_text(const std::string& name, const json::value& v) {
    if (name == "photo" && v.is_string()) return "<JPEG, " + std::to_string(v.get_string().size()) + " base64 characters>";
    if (v.is_string()) return std::string(v.get_string().data(), v.get_string().size());
    return json::serialize(v);
}

int refused(const AuthOptions& o, unsigned status, const std::string& code, const std::string& message) {
    if (status >= 500) {  // the server could not decide (storage or challenge store down): retry later
        std::cerr << "cccd-card auth: the server cannot verify now: " << code << " (HTTP " << status << "): " << message
                  << "\n";
        return kExitCardError;
    }
    if (o.json) {
        json::object out{{"accepted", false},
                         {"http_status", status},
                         {"error", json::object{{"code", code}, {"message", message}}}};
        std::cout << json::serialize(out) << "\n";
    } else {
        std::cout << "Refused by the server: " << code << " (HTTP " << status << "): " << message << "\n";
    }
    return kExitCheckFailed;
}

int run_auth(const AuthOptions& o) {
    if (o.can.size() != 6 || o.can.find_first_not_of("0123456789") != std::string::npos) {
        std::cerr << "cccd-card auth: the CAN is 6 digits (the last 6 of the ID number)\n";
        return kExitUsage;
    }
    client::ClientOptions options;
    options.server = client::parse_server_url(o.server);
    options.ca_file = o.ca_file;
    options.certificate_file = o.client_certificate;
    options.key_file = o.client_key;  // its passphrase, if any, from CCCD_RP_KEY_PASSPHRASE
    // The relying party is whom the server authenticates: by default the client certificate's CN.
    const std::string relying_party_id =
        o.relying_party_id.empty() ? client::certificate_common_name(o.client_certificate) : o.relying_party_id;
    auth::check_relying_party_id(relying_party_id);
    client::AuthClient auth_client(std::move(options));

    reader::PcscContext context;
    std::string name = context.reader_or_first(o.reader);
    reader::PcscCard card(context, name);
    client::CardAuthentication authentication;
    {
        // The whole session in one transaction: no other program's APDUs between ours.
        reader::Transaction transaction(card);
        if (!o.json) std::cerr << "  reading the card in " << name << "\n";
        try {
            authentication = client::authenticate_card(auth_client, card, o.can, relying_party_id,
                                                       o.lean ? auth::PresentationForm::Lean : auth::PresentationForm::Full);
        } catch (const InvalidArgument& e) {  // a required file missing: not a CCCD that can authenticate
            std::cerr << "cccd-card auth: the card cannot authenticate: " << e.what() << "\n";
            return kExitCardError;
        } catch (const ParseError& e) {
            std::cerr << "cccd-card auth: the card cannot authenticate: " << e.what() << "\n";
            return kExitCardError;
        } catch (const auth::AuthFailure& e) {  // files over the request's limits
            std::cerr << "cccd-card auth: the card cannot authenticate: " << e.what() << "\n";
            return kExitCardError;
        } catch (const auth::AssertionError& e) {
            std::cerr << "cccd-card auth: the server accepted the card but its assertion does not verify: " << e.what() << "\n";
            return kExitCheckFailed;
        }
    }
    const client::VerificationOutcome& outcome = authentication.outcome;
    if (!outcome.accepted()) return refused(o, outcome.http_status, outcome.error_code, outcome.error_message);
    const auth::VerifiedAssertion& verified = *authentication.verified;

    if (o.json) {
        json::object out{{"accepted", true},
                         {"loa", outcome.loa},
                         {"chip_authenticated", outcome.chip_authenticated},
                         {"kid", verified.kid},
                         {"claims", verified.claims},
                         {"assertion", *outcome.assertion}};
        std::cout << json::serialize(out) << "\n";
    } else {
        std::cout << "Accepted: level of assurance " << outcome.loa << ", Chip Authentication "
                  << (outcome.chip_authenticated ? "reported" : "not reported") << "; the assertion verifies with key "
                  << verified.kid << ".\n";
        for (const auto& [claim, value] : verified.claims) {
            std::cout << "  " << std::string(claim) << ": " << claim_text(std::string(claim), value) << "\n";
        }
    }
    return kExitOk;
}

int guarded_auth(const AuthOptions& o) {
    try {
        return run_auth(o);
    } catch (const client::RefusedError& e) {
        return refused(o, e.http_status(), e.code(), e.server_message());
    } catch (const client::ClientError& e) {
        std::cerr << "cccd-card auth: " << e.what() << "\n";
        return kExitCardError;
    } catch (const session::AccessDeniedError& e) {
        std::cerr << "cccd-card auth: " << e.what() << "\n";
        return kExitCheckFailed;
    } catch (const channel::CardRemovedError& e) {
        std::cerr << "cccd-card auth: " << e.what() << ". Place the card again and retry (with a new challenge).\n";
        return kExitCardError;
    } catch (const reader::ReaderServiceError& e) {
        std::cerr << "cccd-card auth: " << e.what() << "\n";
        return kExitCardError;
    } catch (const reader::ReaderError& e) {
        std::cerr << "cccd-card auth: " << e.what() << "\n";
        return kExitCardError;
    } catch (const ProtocolError& e) {
        std::cerr << "cccd-card auth: the card: " << e.what() << "\n";
        return kExitCardError;
    } catch (const SecureMessagingError& e) {
        std::cerr << "cccd-card auth: the card: " << e.what() << "\n";
        return kExitCardError;
    }
}

}  // namespace

void add_auth_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<AuthOptions>();
    auto* auth = app.add_subcommand("auth", "Authenticate the card in a reader against the server, as a relying party");
    auth->add_option("--reader", options->reader, "Reader name (default: the first reader)");
    auth->add_option("--can", options->can, "The 6-digit CAN (the last 6 digits of the ID number)")->required();
    auth->add_option("--server", options->server, "The server, e.g. https://127.0.0.1:8443")->required();
    auth->add_option("--ca", options->ca_file, "PEM: the CA the server certificate must chain to")->required();
    auth->add_option("--client-cert", options->client_certificate, "PEM: the relying party's client certificate")->required();
    auth->add_option("--client-key", options->client_key,
                     "PEM: its private key (if encrypted, the passphrase comes from CCCD_RP_KEY_PASSPHRASE)")
        ->required();
    auth->add_option("--rp-id", options->relying_party_id,
                     "The relying party id the server knows (default: the client certificate's CN)");
    auth->add_flag("--lean", options->lean,
                   "Post only DG15 and the signature (the lean form: enough for a card this system issued)");
    auth->add_flag("--json", options->json, "Print the outcome, the claims and the raw assertion (JWS) as JSON");
    auth->footer(
        "Exit codes: 0 accepted and the assertion verifies, 1 refused (the server's code and words), a wrong CAN,\n"
        "or an assertion that does not verify, 2 usage error, 5 no reader, no card, card removed, the card\n"
        "misbehaved, or the server unreachable or unable to decide (connection, TLS, timeout, HTTP 5xx, unexpected answer).");
    auth->callback([options, &exit_code] { exit_code = guarded_auth(*options); });
}

}  // namespace cccd::tool
