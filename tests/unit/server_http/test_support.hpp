#pragma once
// Test certificates made on the spot with OpenSSL (EC P-256) and a small Beast HTTPS client. Servers
// in these tests listen on 127.0.0.1, port 0 only.
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "crypto/openssl.hpp"

namespace cccd::server::http::testing {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

inline void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

inline crypto::PKeyPtr new_ec_key() {
    crypto::PKeyPtr key(EVP_EC_gen("P-256"));
    require(key != nullptr, "EVP_EC_gen");
    return key;
}

inline void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    require(extension != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
}

// A certificate for `key`, signed by `issuer_key` (self-signed when issuer is null).
inline crypto::X509Ptr make_certificate(EVP_PKEY* key, const std::string& common_name, const std::string& unit,
                                        X509* issuer, EVP_PKEY* issuer_key, bool is_ca, bool server) {
    crypto::X509Ptr certificate(X509_new());
    X509_set_version(certificate.get(), 2);
    static long serial = 1;
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), ++serial);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600L * 24 * 30);
    X509_set_pubkey(certificate.get(), key);
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
    if (!unit.empty())
        X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(unit.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
    X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509* issuer_for_extensions = issuer ? issuer : certificate.get();
    if (is_ca) {
        add_extension(certificate.get(), issuer_for_extensions, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_extension(certificate.get(), issuer_for_extensions, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(certificate.get(), issuer_for_extensions, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(certificate.get(), issuer_for_extensions, NID_key_usage, "critical,digitalSignature");
        add_extension(certificate.get(), issuer_for_extensions, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
        if (server) add_extension(certificate.get(), issuer_for_extensions, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    }
    add_extension(certificate.get(), issuer_for_extensions, NID_subject_key_identifier, "hash");
    require(X509_sign(certificate.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return certificate;
}

inline void write_certificate(const fs::path& path, X509* certificate) {
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "w"));
    require(bio && PEM_write_bio_X509(bio.get(), certificate) == 1, "PEM_write_bio_X509");
}

inline void write_key(const fs::path& path, EVP_PKEY* key, const std::string& passphrase = {}) {
    crypto::BioPtr bio(BIO_new_file(path.c_str(), "w"));
    require(bio != nullptr, "BIO_new_file");
    const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
    require(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher, passphrase.empty() ? nullptr : passphrase.c_str(),
                                          static_cast<int>(passphrase.size()), nullptr, nullptr) == 1,
            "PEM_write_bio_PKCS8PrivateKey");
}

// A service CA, a server certificate for 127.0.0.1 (key encrypted), a station client certificate
// from the CA, and a client certificate from an unrelated CA.
struct TestPki {
    fs::path dir;
    fs::path ca_pem, server_pem, server_key_pem, client_pem, client_key_pem, stranger_pem, stranger_key_pem;
    std::string server_key_passphrase = "server key passphrase";
    crypto::X509Ptr client_certificate;

    TestPki() {
        std::string pattern = (fs::temp_directory_path() / "cccd-http-test-XXXXXX").string();
        require(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
        dir = pattern;
        auto ca_key = new_ec_key();
        auto ca = make_certificate(ca_key.get(), "CCCD Test Service CA", "", nullptr, nullptr, true, false);
        auto server_key = new_ec_key();
        auto server = make_certificate(server_key.get(), "localhost", "", ca.get(), ca_key.get(), false, true);
        auto client_key = new_ec_key();
        client_certificate = make_certificate(client_key.get(), "HCM-Q1-01", "station", ca.get(), ca_key.get(), false, false);
        auto stranger_ca_key = new_ec_key();
        auto stranger_ca = make_certificate(stranger_ca_key.get(), "Stranger CA", "", nullptr, nullptr, true, false);
        auto stranger_key = new_ec_key();
        auto stranger = make_certificate(stranger_key.get(), "HCM-Q1-01", "station", stranger_ca.get(),
                                         stranger_ca_key.get(), false, false);
        ca_pem = dir / "ca.pem";
        server_pem = dir / "server.pem";
        server_key_pem = dir / "server.key.pem";
        client_pem = dir / "client.pem";
        client_key_pem = dir / "client.key.pem";
        stranger_pem = dir / "stranger.pem";
        stranger_key_pem = dir / "stranger.key.pem";
        write_certificate(ca_pem, ca.get());
        write_certificate(server_pem, server.get());
        write_key(server_key_pem, server_key.get(), server_key_passphrase);
        write_certificate(client_pem, client_certificate.get());
        write_key(client_key_pem, client_key.get());
        write_certificate(stranger_pem, stranger.get());
        write_key(stranger_key_pem, stranger_key.get());
    }
    ~TestPki() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    TestPki(const TestPki&) = delete;
    TestPki& operator=(const TestPki&) = delete;
};

struct ClientOptions {
    int max_tls_version = TLS1_3_VERSION;
    fs::path ca_file;                 // verify the server against this
    fs::path certificate_file, key_file;
    std::string source_address;       // bind to this loopback address first (127.0.0.2: another peer)
};

// A blocking HTTPS client over Beast. Every failure is an error_code, never an exception.
class TestClient {
public:
    explicit TestClient(const ClientOptions& options)
        : context_(asio::ssl::context::tls_client), source_address_(options.source_address) {
        SSL_CTX* native = context_.native_handle();
        SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
        SSL_CTX_set_max_proto_version(native, options.max_tls_version);
        context_.set_verify_mode(asio::ssl::verify_peer);
        context_.load_verify_file(options.ca_file.string());
        if (!options.certificate_file.empty()) {
            context_.use_certificate_file(options.certificate_file.string(), asio::ssl::context::pem);
            context_.use_private_key_file(options.key_file.string(), asio::ssl::context::pem);
        }
        stream_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(io_, context_);
    }

    boost::system::error_code connect(unsigned short port) {
        boost::system::error_code ec;
        if (!source_address_.empty()) {
            stream_->next_layer().open(asio::ip::tcp::v4(), ec);
            if (!ec) stream_->next_layer().bind({asio::ip::make_address(source_address_), 0}, ec);
            if (ec) return ec;
        }
        stream_->next_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        if (ec) return ec;
        // A receive timeout so a server bug fails the test instead of hanging it.
        timeval timeout{10, 0};
        ::setsockopt(stream_->next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        stream_->handshake(asio::ssl::stream_base::client, ec);
        return ec;
    }

    boost::system::error_code write_raw(const std::string& bytes) {
        boost::system::error_code ec;
        asio::write(*stream_, asio::buffer(bytes), ec);
        return ec;
    }

    // Sends one request and reads one response; nullopt when the connection failed.
    std::optional<bhttp::response<bhttp::string_body>> request(
        const std::string& method, const std::string& target, const std::string& body = {},
        const std::string& content_type = "application/json",
        const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        bhttp::request<bhttp::string_body> message{bhttp::string_to_verb(method), target, 11};
        message.set(bhttp::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers) message.set(name, value);
        if (!body.empty()) message.set(bhttp::field::content_type, content_type);
        message.body() = body;
        message.prepare_payload();
        boost::system::error_code ec;
        bhttp::write(*stream_, message, ec);
        if (ec) return std::nullopt;
        return read_response();
    }

    std::optional<bhttp::response<bhttp::string_body>> read_response() {
        bhttp::response<bhttp::string_body> response;
        boost::system::error_code ec;
        bhttp::read(*stream_, buffer_, response, ec);
        if (ec) {
            last_error = ec;
            return std::nullopt;
        }
        return response;
    }

    SSL* native() { return stream_->native_handle(); }
    boost::system::error_code last_error;

private:
    asio::io_context io_;
    asio::ssl::context context_;
    std::string source_address_;
    std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> stream_;
    boost::beast::flat_buffer buffer_;
};

}  // namespace cccd::server::http::testing
