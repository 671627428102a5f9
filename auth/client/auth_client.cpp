#include "auth/client/auth_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>

#include "auth/challenge.hpp"
#include "card/crypto/openssl.hpp"
#include "card/lds/dg1.hpp"
#include "card/mrz/mrz.hpp"
#include "card/session/card_session.hpp"
#include "server/security/sodium.hpp"

namespace cccd::auth::client {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view kChallengesPath = "/api/v1/auth/challenges";
constexpr std::string_view kVerificationsPath = "/api/v1/auth/verifications";
constexpr std::string_view kJwksPath = "/.well-known/jwks.json";

// OpenSSL's first queued reason, for messages in words.
std::string openssl_reason() {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "no further detail";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

bool is_ip_address(const std::string& host) {
    boost::system::error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
    const auto* passphrase = static_cast<const SecretBytes*>(user);
    if (passphrase == nullptr || passphrase->empty() || static_cast<int>(passphrase->size()) > size) return -1;
    std::memcpy(buffer, passphrase->data(), passphrase->size());
    return static_cast<int>(passphrase->size());
}

SecretBytes passphrase_or_environment(const SecretBytes& configured) {
    if (!configured.empty()) return configured;
    const char* value = std::getenv(kKeyPassphraseEnvironment);
    if (value == nullptr) return {};
    return SecretBytes(ByteView(reinterpret_cast<const std::uint8_t*>(value), std::strlen(value)));
}

crypto::PKeyPtr load_private_key(const std::filesystem::path& path, const SecretBytes& passphrase) {
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw ClientError("cannot open the client key " + path.string() + ": the file cannot be read");
    crypto::PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback,
                                                const_cast<SecretBytes*>(&passphrase)));
    if (!key) {
        ERR_clear_error();
        throw ClientError("cannot open the client key " + path.string() +
                          (passphrase.empty() ? ": it is not a PEM private key, or it is encrypted and " +
                                                    std::string(kKeyPassphraseEnvironment) + " is not set"
                                              : ": wrong passphrase, or not a PEM private key"));
    }
    return key;
}

asio::ssl::context make_tls_context(const ClientOptions& o) {
    asio::ssl::context context(asio::ssl::context::tls_client);
    SSL_CTX* native = context.native_handle();
    // TLS 1.3 only, as the server.
    SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION);
    if (o.ca_file.empty()) throw ClientError("no CA file: the server certificate cannot be verified without one");
    if (SSL_CTX_load_verify_locations(native, o.ca_file.c_str(), nullptr) != 1) {
        throw ClientError("cannot load the CA file " + o.ca_file.string() + ": " + openssl_reason());
    }
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
    if (o.certificate_file.empty() != o.key_file.empty()) {
        throw ClientError("a client certificate needs its key, and a key its certificate");
    }
    if (!o.certificate_file.empty()) {
        if (SSL_CTX_use_certificate_chain_file(native, o.certificate_file.c_str()) != 1) {
            throw ClientError("cannot load the client certificate " + o.certificate_file.string() + ": " +
                              openssl_reason());
        }
        crypto::PKeyPtr key = load_private_key(o.key_file, passphrase_or_environment(o.key_passphrase));
        if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
            ERR_clear_error();
            throw ClientError("the client key " + o.key_file.string() + " does not belong to the certificate " +
                              o.certificate_file.string());
        }
    }
    return context;
}

struct HttpAnswer {
    unsigned status = 0;
    std::string body;
};

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

// {"error": {"code", "message"}} when the body has that form.
std::pair<std::string, std::string> error_of(const std::string& body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    const json::value* e = v.as_object().if_contains("error");
    if (e == nullptr || !e->is_object()) return {};
    std::pair<std::string, std::string> out;
    if (const auto* c = e->as_object().if_contains("code"); c && c->is_string()) out.first = sv(c->get_string());
    if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) out.second = sv(m->get_string());
    return out;
}

[[noreturn]] void refused(std::string_view what, const HttpAnswer& answer) {
    auto [code, message] = error_of(answer.body);
    std::string text = std::string(what) + ": the server answered HTTP " + std::to_string(answer.status);
    if (!code.empty()) text += " " + code;
    if (!message.empty()) text += " (" + message + ")";
    if (!code.empty() && answer.status >= 400) throw RefusedError(answer.status, code, message, text);
    throw ClientError(text);
}

}  // namespace

struct AuthClient::Impl {
    ClientOptions options;
    asio::io_context io;
    asio::ssl::context tls;
    std::unique_ptr<Stream> stream;
    beast::flat_buffer buffer;
    std::size_t connections = 0;

    explicit Impl(ClientOptions o) : options(std::move(o)), tls(make_tls_context(options)) {
        // The passphrase was used to load the key; do not keep it around.
        options.key_passphrase = SecretBytes();
    }

    std::string where() const {
        const auto& s = options.server;
        return (s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host) + ":" + std::to_string(s.port);
    }

    // Runs the queued asynchronous operations to completion (every one has a deadline).
    void run() {
        io.restart();
        io.run();
    }

    void close() {
        if (stream) {
            boost::system::error_code ignored;
            beast::get_lowest_layer(*stream).socket().close(ignored);
        }
        stream.reset();
        buffer.clear();
    }

    void connect() {
        close();
        const auto& server = options.server;
        auto fresh = std::make_unique<Stream>(io, tls);
        SSL* ssl = fresh->native_handle();
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        if (is_ip_address(server.host)) {
            X509_VERIFY_PARAM_set1_ip_asc(param, server.host.c_str());
        } else {
            X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            X509_VERIFY_PARAM_set1_host(param, server.host.c_str(), 0);
            // SNI; SSL_set_tlsext_host_name is a macro with a C cast.
            SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(server.host.c_str()));
        }

        boost::system::error_code ec;
        tcp::resolver resolver(io);
        tcp::resolver::results_type endpoints;
        resolver.async_resolve(server.host, std::to_string(server.port),
                               [&](boost::system::error_code e, tcp::resolver::results_type r) {
                                   ec = e;
                                   endpoints = std::move(r);
                               });
        run();
        if (ec) throw ClientError("cannot resolve " + server.host + ": " + ec.message());

        auto& tcp_stream = beast::get_lowest_layer(*fresh);
        tcp_stream.expires_after(options.connect_timeout);
        tcp_stream.async_connect(endpoints, [&](boost::system::error_code e, const tcp::endpoint&) { ec = e; });
        run();
        if (ec == beast::error::timeout) throw ClientError("cannot connect to " + where() + ": timed out");
        if (ec) throw ClientError("cannot connect to " + where() + ": " + ec.message());

        tcp_stream.expires_after(options.connect_timeout);
        fresh->async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code e) { ec = e; });
        run();
        if (ec) {
            long verify = SSL_get_verify_result(ssl);
            std::string reason = ec == beast::error::timeout ? "timed out"
                                 : verify != X509_V_OK
                                     ? std::string("the server certificate is not trusted: ") +
                                           X509_verify_cert_error_string(verify)
                                     : ec.message();
            ERR_clear_error();
            throw ClientError("TLS handshake with " + where() + " failed: " + reason);
        }
        stream = std::move(fresh);
        ++connections;
    }

    // One exchange on the current connection; false when the connection was found closed before any
    // answer came (the server dropped an idle keep-alive connection).
    bool exchange(const bhttp::request<bhttp::string_body>& request, HttpAnswer& answer) {
        auto& tcp_stream = beast::get_lowest_layer(*stream);
        boost::system::error_code ec;
        tcp_stream.expires_after(options.io_timeout);
        bhttp::async_write(*stream, request, [&](boost::system::error_code e, std::size_t) { ec = e; });
        run();
        if (ec == beast::error::timeout) throw ClientError("sending to " + where() + " timed out");
        if (ec) return false;

        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(options.max_response_bytes);
        tcp_stream.expires_after(options.io_timeout);
        bhttp::async_read(*stream, buffer, parser, [&](boost::system::error_code e, std::size_t) { ec = e; });
        run();
        if (ec == beast::error::timeout) throw ClientError("no answer from " + where() + " in time");
        if (ec) {
            bool nothing_read = !parser.got_some();
            bool dropped = ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                           ec == asio::error::connection_reset || ec == asio::ssl::error::stream_truncated ||
                           ec == asio::error::broken_pipe;
            if (nothing_read && dropped) return false;
            throw ClientError("cannot read the answer of " + where() + ": " + ec.message());
        }
        auto response = parser.release();
        answer.status = response.result_int();
        answer.body = std::move(response.body());
        if (!response.keep_alive()) close();
        ERR_clear_error();
        return true;
    }

    HttpAnswer send(bhttp::verb method, std::string_view target, std::string body) {
        bhttp::request<bhttp::string_body> request{method, target, 11};
        request.set(bhttp::field::host, where());
        request.set(bhttp::field::user_agent, "cccd-auth-client/1");
        request.set(bhttp::field::accept, "application/json");
        request.keep_alive(true);
        if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
        request.body() = std::move(body);
        request.prepare_payload();

        try {
            HttpAnswer answer;
            bool reused = stream != nullptr;
            if (!reused) connect();
            if (exchange(request, answer)) return answer;
            if (!reused) throw ClientError("the connection to " + where() + " closed before an answer");
            // The kept-alive connection was gone: once more on a fresh one.
            connect();
            if (exchange(request, answer)) return answer;
            throw ClientError("the connection to " + where() + " closed before an answer");
        } catch (...) {
            close();  // never reuse a connection left in an unknown state (a timeout mid-answer)
            throw;
        }
    }
};

AuthClient::AuthClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
AuthClient::~AuthClient() = default;
AuthClient::AuthClient(AuthClient&&) noexcept = default;
AuthClient& AuthClient::operator=(AuthClient&&) noexcept = default;

std::size_t AuthClient::connections_opened() const noexcept { return impl_->connections; }

ChallengeOffer AuthClient::request_challenge() {
    constexpr std::string_view what = "challenge request";
    HttpAnswer answer = impl_->send(bhttp::verb::post, kChallengesPath, {});  // no body: who asks is the TLS peer
    if (answer.status != 201 && answer.status != 200) refused(what, answer);
    json::object o = parse_object(answer.body, what);
    ChallengeOffer offer;
    offer.challenge_id = sv(string_member(o, "challenge_id", what));
    if (!is_valid_challenge_id(offer.challenge_id)) throw ClientError("challenge request: the challenge id is malformed");
    try {
        offer.nonce = server::security::base64_decode(sv(string_member(o, "nonce", what)));
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
    HttpAnswer answer = impl_->send(bhttp::verb::post, kVerificationsPath, std::move(body));
    VerificationOutcome outcome;
    outcome.http_status = answer.status;
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
    HttpAnswer answer = impl_->send(bhttp::verb::get, kJwksPath, {});
    if (answer.status != 200) refused("JWKS", answer);
    return Jwks::parse(answer.body);
}

ServerAddress parse_server_url(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    auto bad = [&](const std::string& why) -> InvalidArgument {
        return InvalidArgument("the server URL must look like https://127.0.0.1:8443: " + why);
    };
    if (url.substr(0, scheme.size()) != scheme) throw bad("it does not start with https://");
    std::string_view rest = url.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.find('/') != std::string_view::npos || rest.find('@') != std::string_view::npos) {
        throw bad("no path or user name is allowed");
    }
    ServerAddress address;
    std::string_view port_text;
    if (!rest.empty() && rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos) throw bad("an IPv6 address needs its closing ]");
        address.host = std::string(rest.substr(1, close - 1));
        std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') throw bad("unexpected text after the address");
            port_text = after.substr(1);
            if (port_text.empty()) throw bad("the port is empty");
        }
    } else {
        auto colon = rest.find(':');
        address.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = rest.substr(colon + 1);
            if (port_text.empty()) throw bad("the port is empty");
        }
    }
    if (address.host.empty()) throw bad("the host is empty");
    if (!port_text.empty()) {
        if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string_view::npos) {
            throw bad("the port is not a number");
        }
        unsigned long port = std::stoul(std::string(port_text));
        if (port == 0 || port > 65535) throw bad("the port is out of range");
        address.port = static_cast<std::uint16_t>(port);
    }
    return address;
}

std::string verification_request_json(const VerificationRequest& r) {
    using server::security::base64_encode;
    json::object files;
    files["EF.SOD"] = base64_encode(r.ef_sod);
    files["DG1"] = base64_encode(r.dg1);
    files["DG14"] = base64_encode(r.dg14);
    files["DG15"] = base64_encode(r.dg15);
    if (r.dg2) files["DG2"] = base64_encode(*r.dg2);
    if (r.dg13) files["DG13"] = base64_encode(*r.dg13);
    json::object body;
    body["challenge_id"] = r.challenge_id;
    body["document_number"] = r.document_number;
    body["files"] = std::move(files);
    body["active_auth_signature"] = base64_encode(r.active_auth_signature);
    if (r.chip_auth_public_key) {
        body["chip_authentication"] = json::object{{"public_key", base64_encode(*r.chip_auth_public_key)}};
    }
    return json::serialize(body);
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
