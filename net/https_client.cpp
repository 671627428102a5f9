#include "net/https_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

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

#include "base/encoding.hpp"
#include "base/environment.hpp"
#include "crypto/openssl.hpp"
#include "crypto/random.hpp"

namespace cccd::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

// The header both sides log a request under (docs/server-http.md, "Request ids").
constexpr std::string_view kRequestIdHeader = "X-Request-Id";

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

SecretBytes passphrase_or_environment(const SecretBytes& configured, const std::string& variable) {
    if (!configured.empty() || variable.empty()) return configured;
    return take_secret_from_environment(variable).value_or(SecretBytes{});
}

crypto::PKeyPtr load_private_key(const std::filesystem::path& path, const SecretBytes& passphrase,
                                 const std::string& variable) {
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw ClientError("cannot open the client key " + path.string() + ": the file cannot be read");
    crypto::PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback,
                                                const_cast<SecretBytes*>(&passphrase)));
    if (!key) {
        ERR_clear_error();
        throw ClientError("cannot open the client key " + path.string() +
                          (passphrase.empty() ? ": it is not a PEM private key, or it is encrypted and " +
                                                    (variable.empty() ? std::string("no passphrase was given") : variable + " is not set")
                                              : ": wrong passphrase, or not a PEM private key"));
    }
    return key;
}

asio::ssl::context make_tls_context(const HttpsClientOptions& o) {
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
        crypto::PKeyPtr key = load_private_key(o.key_file, passphrase_or_environment(o.key_passphrase, o.passphrase_environment),
                                               o.passphrase_environment);
        if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
            ERR_clear_error();
            throw ClientError("the client key " + o.key_file.string() + " does not belong to the certificate " +
                              o.certificate_file.string());
        }
    }
    return context;
}

}  // namespace

std::pair<std::string, std::string> error_of(const std::string& body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    const json::value* e = v.as_object().if_contains("error");
    if (e == nullptr || !e->is_object()) return {};
    std::pair<std::string, std::string> out;
    if (const auto* c = e->as_object().if_contains("code"); c && c->is_string()) out.first = c->get_string().c_str();
    if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) out.second = m->get_string().c_str();
    return out;
}

struct HttpsClient::Impl {
    HttpsClientOptions options;
    asio::io_context io;
    asio::ssl::context tls;
    std::unique_ptr<Stream> stream;
    beast::flat_buffer buffer;
    std::size_t connections = 0;

    explicit Impl(HttpsClientOptions o) : options(std::move(o)), tls(make_tls_context(options)) {
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
        const auto echoed = response.find(kRequestIdHeader);
        answer.request_id = echoed != response.end() && !echoed->value().empty() ? std::string(echoed->value())
                                                                                 : std::string(request[kRequestIdHeader]);
        if (!response.keep_alive()) close();
        ERR_clear_error();
        return true;
    }

    HttpAnswer send(bhttp::verb method, std::string_view target, std::string body,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
        bhttp::request<bhttp::string_body> request{method, target, 11};
        request.set(bhttp::field::host, where());
        request.set(bhttp::field::user_agent, options.user_agent);
        for (const auto& [name, value] : headers) request.set(name, value);
        if (request[kRequestIdHeader].empty()) request.set(kRequestIdHeader, base64url_encode(crypto::random_bytes(16)));
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

HttpsClient::HttpsClient(HttpsClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

HttpAnswer HttpsClient::send(std::string_view method, std::string_view target, std::string body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
    const bhttp::verb verb = bhttp::string_to_verb(method);
    if (verb == bhttp::verb::unknown) throw InvalidArgument("unknown HTTP method " + std::string(method));
    return impl_->send(verb, target, std::move(body), headers);
}

void HttpsClient::disconnect() noexcept { impl_->close(); }
std::size_t HttpsClient::connections_opened() const noexcept { return impl_->connections; }
std::string HttpsClient::where() const { return impl_->where(); }

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

}  // namespace cccd::net
