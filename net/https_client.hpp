#pragma once
// The HTTPS client the relying-party library (auth/client) and the enrollment station (station/) share:
// TLS 1.3 only, the server certificate verified against a CA file and the configured host (an IP
// address is matched against the certificate's IP SANs), an optional client certificate (mutual TLS),
// one keep-alive connection reused across calls, connect and I/O timeouts. When a reused connection
// turns out to have been closed by the server while idle, the request is sent once more on a fresh
// connection (only then: a request whose answer was lost midway is never sent twice by this layer).
//
// Thread-safety: none. A client owns one connection; use one per thread.
// Nothing here logs; error messages name hosts, paths and HTTP statuses, never keys, passphrases,
// tokens or bodies.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"

namespace cccd::net {

// The server could not be reached or spoken to: connection refused, TLS handshake refused (unknown
// CA, wrong host), timeout, a malformed answer.
class ClientError : public Error {
public:
    using Error::Error;
};

// "https://127.0.0.1:8443", "https://[::1]:8443", "https://auth.example.vn" (port 443).
struct ServerAddress {
    std::string host;  // an IP address (no brackets) or a DNS name
    std::uint16_t port = 443;
};
// InvalidArgument for anything but https://host[:port] with an optional trailing "/".
ServerAddress parse_server_url(std::string_view url);

struct HttpsClientOptions {
    ServerAddress server{"127.0.0.1", 443};
    std::filesystem::path ca_file;           // PEM: the CA(s) the server certificate must chain to
    std::filesystem::path certificate_file;  // PEM: the client certificate (chain); empty: none
    std::filesystem::path key_file;          // PEM: its private key, possibly encrypted (PKCS#8)
    SecretBytes key_passphrase;              // when empty, the variable passphrase_environment names
    std::string passphrase_environment;      // e.g. "CCCD_RP_KEY_PASSPHRASE"; empty: none
    std::chrono::milliseconds connect_timeout{5000};  // TCP connect and TLS handshake
    std::chrono::milliseconds io_timeout{15000};      // each request written and its answer read
    std::size_t max_response_bytes = 1024 * 1024;
    std::string user_agent = "cccd-client/1";
};

struct HttpAnswer {
    unsigned status = 0;
    std::string body;
    // The id the server logged the request under: its X-Request-Id answer header, which is the id this
    // client sent unless the server refused that one and made its own. Shown with a refusal, it finds the
    // request in the server's log.
    std::string request_id;
};

// {"error": {"code", "message"}} of a refusal, when the body has that form; empty strings otherwise.
std::pair<std::string, std::string> error_of(const std::string& body);

class HttpsClient {
public:
    // Loads the CA, certificate and key (ClientError naming the file, in words: a wrong passphrase
    // says so without showing it). Connects lazily, on the first request.
    explicit HttpsClient(HttpsClientOptions options);
    ~HttpsClient();
    HttpsClient(HttpsClient&&) noexcept;
    HttpsClient& operator=(HttpsClient&&) noexcept;

    // One request; a JSON body when `body` is not empty. ClientError when no answer came. Each request
    // carries an X-Request-Id of its own (16 random bytes, base64url) unless `headers` gives one; a
    // request sent again on a fresh connection keeps it.
    HttpAnswer send(std::string_view method, std::string_view target, std::string body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

    // Drops the connection (the next request opens a new one).
    void disconnect() noexcept;
    // Connections opened so far (keep-alive makes this 1 for a run of calls).
    std::size_t connections_opened() const noexcept;
    std::string where() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cccd::net
