#include "auth/client/auth_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <boost/json.hpp>

#include "auth/challenge.hpp"
#include "base/encoding.hpp"
#include "card/lds/dg1.hpp"
#include "card/mrz/mrz.hpp"
#include "card/session/card_session.hpp"
#include "crypto/openssl.hpp"

namespace cccd::auth::client {

namespace {

namespace json = boost::json;
using net::error_of;
using net::HttpAnswer;

constexpr std::string_view kChallengesPath = "/api/v1/auth/challenges";
constexpr std::string_view kVerificationsPath = "/api/v1/auth/verifications";
constexpr std::string_view kJwksPath = "/.well-known/jwks.json";

json::object parse_object(const std::string& body, std::string_view what) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) throw ClientError(std::string(what) + ": the server's answer is not a JSON object");
    return std::move(v.as_object());
}

const json::string& string_member(const json::object& o, std::string_view name, std::string_view what) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) {
        throw ClientError(std::string(what) + ": the answer has no string \"" + std::string(name) + "\"");
    }
    return v->get_string();
}

std::string_view sv(const json::string& s) { return {s.data(), s.size()}; }

[[noreturn]] void refused(std::string_view what, const HttpAnswer& answer) {
    auto [code, message] = error_of(answer.body);
    std::string text = std::string(what) + ": the server answered HTTP " + std::to_string(answer.status);
    if (!code.empty()) text += " " + code;
    if (!message.empty()) text += " (" + message + ")";
    if (!answer.request_id.empty()) text += " [request id " + answer.request_id + "]";
    if (!code.empty() && answer.status >= 400) throw RefusedError(answer.status, code, message, text);
    throw ClientError(text);
}

}  // namespace

struct AuthClient::Impl {
    net::HttpsClient https;

    explicit Impl(const ClientOptions& o) : https(transport_options(o)) {}

    static net::HttpsClientOptions transport_options(const ClientOptions& o) {
        net::HttpsClientOptions t;
        t.server = o.server;
        t.ca_file = o.ca_file;
        t.certificate_file = o.certificate_file;
        t.key_file = o.key_file;
        t.key_passphrase = o.key_passphrase;
        t.passphrase_environment = kKeyPassphraseEnvironment;
        t.connect_timeout = o.connect_timeout;
        t.io_timeout = o.io_timeout;
        t.max_response_bytes = o.max_response_bytes;
        t.user_agent = "cccd-auth-client/1";
        return t;
    }

    HttpAnswer send(std::string_view method, std::string_view target, std::string body) {
        return https.send(method, target, std::move(body));
    }
};

AuthClient::AuthClient(ClientOptions options) : impl_(std::make_unique<Impl>(options)) {}
AuthClient::~AuthClient() = default;
AuthClient::AuthClient(AuthClient&&) noexcept = default;
AuthClient& AuthClient::operator=(AuthClient&&) noexcept = default;

std::size_t AuthClient::connections_opened() const noexcept { return impl_->https.connections_opened(); }

ChallengeOffer AuthClient::request_challenge() {
    constexpr std::string_view what = "challenge request";
    HttpAnswer answer = impl_->send("POST", kChallengesPath, {});  // no body: who asks is the TLS peer
    if (answer.status != 201 && answer.status != 200) refused(what, answer);
    json::object o = parse_object(answer.body, what);
    ChallengeOffer offer;
    offer.challenge_id = sv(string_member(o, "challenge_id", what));
    if (!is_valid_challenge_id(offer.challenge_id)) throw ClientError("challenge request: the challenge id is malformed");
    try {
        offer.nonce = base64_decode(sv(string_member(o, "nonce", what)));
        offer.aa_challenge = from_hex(sv(string_member(o, "aa_challenge", what)));
    } catch (const InvalidArgument&) {
        throw ClientError("challenge request: the nonce or the AA challenge is not well encoded");
    }
    if (offer.nonce.size() != kNonceSize || offer.aa_challenge.size() != 8) {
        throw ClientError("challenge request: the nonce must be 32 bytes and the AA challenge 8");
    }
    if (const auto* e = o.if_contains("expires_in_seconds"); e && e->is_int64() && e->get_int64() > 0) {
        offer.expires_in = std::chrono::seconds(e->get_int64());
    }
    return offer;
}

VerificationOutcome AuthClient::verify(const VerificationRequest& request) {
    return verify_json(verification_request_json(request));
}

VerificationOutcome AuthClient::verify_json(std::string body) {
    constexpr std::string_view what = "verification";
    HttpAnswer answer = impl_->send("POST", kVerificationsPath, std::move(body));
    VerificationOutcome outcome;
    outcome.http_status = answer.status;
    outcome.request_id = answer.request_id;
    if (answer.status == 200) {
        json::object o = parse_object(answer.body, what);
        outcome.assertion = std::string(sv(string_member(o, "assertion", what)));
        if (const auto* l = o.if_contains("loa"); l && l->is_string()) outcome.loa = sv(l->get_string());
        if (const auto* c = o.if_contains("chip_authenticated"); c && c->is_bool()) outcome.chip_authenticated = c->get_bool();
        return outcome;
    }
    auto [code, message] = error_of(answer.body);
    if (answer.status < 400 || code.empty()) refused(what, answer);
    outcome.error_code = std::move(code);
    outcome.error_message = std::move(message);
    return outcome;
}

Jwks AuthClient::fetch_jwks() {
    HttpAnswer answer = impl_->send("GET", kJwksPath, {});
    if (answer.status != 200) refused("JWKS", answer);
    return Jwks::parse(answer.body);
}

VerificationRequest build_verification_request(const ChallengeOffer& offer, const session::ReadResult& read,
                                               ByteView active_auth_signature) {
    auto required = [&](const char* name) -> const Bytes& {
        auto it = read.files.find(name);
        if (it == read.files.end()) throw InvalidArgument(std::string("the card read has no ") + name);
        return it->second;
    };
    auto optional = [&](const char* name) -> std::optional<Bytes> {
        auto it = read.files.find(name);
        if (it == read.files.end()) return std::nullopt;
        return it->second;
    };
    VerificationRequest r;
    r.challenge_id = offer.challenge_id;
    r.ef_sod = required("EF.SOD");
    r.dg1 = required("DG1");
    r.dg14 = required("DG14");
    r.dg15 = required("DG15");
    r.dg2 = optional("DG2");
    r.dg13 = optional("DG13");
    r.document_number = mrz::parse_td1(lds::decode_dg1(r.dg1).mrz).document_number;
    r.active_auth_signature = Bytes(active_auth_signature.begin(), active_auth_signature.end());
    r.chip_auth_public_key = read.chip_auth_public_key;
    check_verification_request(r);
    return r;
}

std::string certificate_common_name(const std::filesystem::path& certificate_file) {
    crypto::BioPtr bio(BIO_new_file(certificate_file.c_str(), "r"));
    crypto::X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!certificate) {
        ERR_clear_error();
        throw ClientError("cannot read a certificate from " + certificate_file.string());
    }
    X509_NAME* name = X509_get_subject_name(certificate.get());
    int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) throw ClientError("the certificate " + certificate_file.string() + " has no common name");
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) throw ClientError("the certificate's common name is not readable");
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return out;
}

}  // namespace cccd::auth::client
