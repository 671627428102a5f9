#pragma once
// The relying party's side of CCCD authentication (docs/authentication.md, "The client library"):
// an HTTPS client for the server's challenge, verification and JWKS endpoints, and the helpers that
// turn a card read into the verification request.
//
//   AuthClient client(options);                        // mutual TLS with the relying party's certificate
//   ChallengeOffer offer = client.request_challenge(); // POST /api/v1/auth/challenges
//   ... the card signs offer.aa_challenge (present_card in card_presentation.hpp) ...
//   VerificationOutcome outcome = client.verify(build_verification_request(offer, read, signature));
//   Jwks keys = client.fetch_jwks();                   // GET /.well-known/jwks.json
//   verify_assertion(*outcome.assertion, keys, relying_party_id, now);
//
// Transport: net::HttpsClient (TLS 1.3 only, the server certificate checked against a CA file and the
// host, one keep-alive connection, timeouts, one resend only when an idle connection was found closed).
//
// Thread-safety: none. An AuthClient owns one connection; use one client per thread.
// Nothing here logs; error messages name hosts, paths and HTTP statuses, never keys, passphrases,
// tokens or card data.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/assertion.hpp"
#include "auth/request.hpp"
#include "base/bytes.hpp"
#include "base/error.hpp"
#include "net/https_client.hpp"

namespace cccd::session {
struct ReadResult;
}

namespace cccd::auth::client {

// The server could not be reached or spoken to: connection refused, TLS handshake refused (unknown
// CA, wrong host), timeout, a malformed answer, or an unexpected HTTP status outside the documented
// refusals.
using ClientError = net::ClientError;

// The server answered with one of its documented refusals ({"error": {"code", "message"}}), e.g.
// 403 relying_party_unknown or 429 rate_limited for a challenge request.
class RefusedError : public ClientError {
public:
    RefusedError(unsigned http_status, std::string code, std::string server_message, const std::string& what)
        : ClientError(what), http_status_(http_status), code_(std::move(code)), server_message_(std::move(server_message)) {}
    unsigned http_status() const noexcept { return http_status_; }
    const std::string& code() const noexcept { return code_; }
    const std::string& server_message() const noexcept { return server_message_; }

private:
    unsigned http_status_;
    std::string code_;
    std::string server_message_;
};

using net::parse_server_url;
using net::ServerAddress;

// The environment variable the client key's passphrase is read from when none is configured.
inline constexpr const char* kKeyPassphraseEnvironment = "CCCD_RP_KEY_PASSPHRASE";

struct ClientOptions {
    ServerAddress server{"127.0.0.1", 443};
    std::filesystem::path ca_file;           // PEM: the CA(s) the server certificate must chain to
    std::filesystem::path certificate_file;  // PEM: the relying party's client certificate (chain)
    std::filesystem::path key_file;          // PEM: its private key, possibly encrypted (PKCS#8)
    // The key's passphrase; when empty, CCCD_RP_KEY_PASSPHRASE (if set) is used.
    SecretBytes key_passphrase;
    std::chrono::milliseconds connect_timeout{5000};  // TCP connect and TLS handshake
    std::chrono::milliseconds io_timeout{15000};      // each request written and its answer read
    std::size_t max_response_bytes = 1024 * 1024;     // an assertion with a photo stays far below
};

// What POST /api/v1/auth/challenges answers.
struct ChallengeOffer {
    std::string challenge_id;
    Bytes nonce;         // 32 bytes
    Bytes aa_challenge;  // the 8 bytes the card must sign: derive_aa_challenge(nonce, relying party id)
    std::chrono::seconds expires_in{0};
};

// What POST /api/v1/auth/verifications answered: an assertion (200) or the server's refusal.
struct VerificationOutcome {
    unsigned http_status = 0;
    std::optional<std::string> assertion;  // the JWS, when accepted
    std::string loa;                       // "high" | "substantial", when accepted
    bool chip_authenticated = false;
    std::string error_code;     // e.g. "aa_signature_invalid", "card_revoked", "rate_limited"
    std::string error_message;  // the server's words
    std::string request_id;     // what the server logged the call under (X-Request-Id): quote it in a report

    bool accepted() const noexcept { return assertion.has_value(); }
};

class AuthClient {
public:
    // Loads the CA, certificate and key (ClientError naming the file, in words: a wrong passphrase
    // says so without showing it). Connects lazily, on the first call.
    explicit AuthClient(ClientOptions options);
    ~AuthClient();
    AuthClient(AuthClient&&) noexcept;
    AuthClient& operator=(AuthClient&&) noexcept;
    AuthClient(const AuthClient&) = delete;
    AuthClient& operator=(const AuthClient&) = delete;

    // RefusedError for the server's refusal (its code and words); ClientError for a transport failure
    // or a malformed offer.
    ChallengeOffer request_challenge();
    // A refusal is a VerificationOutcome, not an exception; ClientError only when there is no answer
    // to report (transport failure, a status or body outside the contract).
    VerificationOutcome verify(const VerificationRequest& request);
    // The same with the body already serialised (verification_request_json), for a terminal that
    // prepares it ahead or forwards it.
    VerificationOutcome verify_json(std::string body);
    // AssertionError when the body is not a JWKS; RefusedError/ClientError as request_challenge.
    Jwks fetch_jwks();

    // Connections opened so far (keep-alive makes this 1 for a run of calls).
    std::size_t connections_opened() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The request for `offer` from what the terminal read: EF.SOD, DG1, DG14, DG15 (required), DG2 and
// DG13 when read, the document number from DG1's MRZ, the card's signature over offer.aa_challenge,
// and the Chip Authentication key when CA passed. InvalidArgument when a required file is missing,
// ParseError when DG1 holds no TD1 MRZ. Checked against RequestLimits (AuthFailure as the server would).
VerificationRequest build_verification_request(const ChallengeOffer& offer, const session::ReadResult& read,
                                               ByteView active_auth_signature);

// The subject common name of the first certificate in a PEM file (a relying party's id is its
// certificate's CN); ClientError when the file holds no certificate.
std::string certificate_common_name(const std::filesystem::path& certificate_file);

}  // namespace cccd::auth::client
