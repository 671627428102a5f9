#pragma once
// cccd-server's configuration: a JSON file of flat keys, then environment overrides
// CCCD_SERVER_<KEY> (key upper-cased: listen_port -> CCCD_SERVER_LISTEN_PORT), then validation.
// Secrets are never in it: key passphrases come from the environment at start-up (docs/server-http.md)
// and describe() hides anything that may carry a password.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace cccd::server::http {

struct ServerConfig {
    // network
    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 8443;           // 0: any free port (tests)
    std::uint32_t threads = 0;                  // 0: 4 x std::thread::hardware_concurrency()
    // TLS
    std::string tls_certificate;                // PEM: server certificate, then its chain
    std::string tls_key;                        // PEM private key, may be encrypted (CCCD_TLS_KEY_PASSPHRASE)
    std::string tls_client_ca;                  // PEM bundle of CAs for client certificates; empty: no mTLS
    bool require_client_certificate = false;
    // registration (cccd-server admin station add / rp add): the CA each kind of client certificate must come from
    std::string station_ca;                     // PEM: the service CA, which issues the stations' certificates
    std::string relying_party_ca;               // PEM: the relying-party CA, which issues the relying parties'
    // limits
    std::uint64_t max_body_bytes = 2u * 1024u * 1024u;
    std::uint32_t max_header_bytes = 16u * 1024u;
    std::uint32_t handshake_timeout_ms = 5000;  // TLS handshake, then the first byte of the first request
    std::uint32_t read_timeout_ms = 15000;      // one whole request once it has begun
    std::uint32_t idle_timeout_ms = 60000;      // keep-alive: waiting for the next request
    std::uint32_t write_timeout_ms = 15000;     // one whole response
    std::uint32_t handler_timeout_ms = 30000;   // a handler's answer, else 503 handler_timeout
    std::uint32_t max_connections = 1000;
    std::uint32_t max_connections_per_peer = 64;  // per peer address (IPv6: per /64)
    std::uint32_t anonymous_requests_per_minute = 120;  // per peer address, without a client certificate; beyond: 429
    std::uint32_t shutdown_grace_ms = 10000;    // in-flight requests may finish for this long on stop()
    // monitoring
    std::string log_format = "text";            // text (as ever) | json: one JSON line per event and request (log.hpp)
    std::string metrics_token_file;             // the scraper's bearer token for GET /metrics; empty: not served
    // storage
    std::string database_kind = "sqlcipher";    // sqlcipher | postgresql
    std::string database_path;                  // sqlcipher: the database file
    std::string database_connection_string;     // postgresql: libpq conninfo (may hold a password: hidden)
    std::string database_key_file;              // sqlcipher: file holding the database key
    // postgresql: the role that owns the tables and runs the migrations (`admin init` only; may hold a
    // password: hidden), and the role the service connects as, which may only INSERT and SELECT the
    // audit tables (`admin init` creates it and grants it what it needs). Empty: one role for both.
    std::string database_owner_connection_string;
    std::string database_service_role;
    // signing
    std::string ds_key;                         // Document Signer key: pkcs11: URI or encrypted key file
    std::string ds_certificate;                 // its certificate (PEM or DER)
    // issuance: also issue the 2021 CCCD (no longer issued since 1 July 2024), for demonstrations and
    // tests that need a 2021 card to renew; logged as a warning at start-up
    bool issuance_legacy_cccd_2021 = false;
    std::string audit_signing_key_file;         // sealed Ed25519 key file (server/security/ed25519.hpp)
    std::uint32_t audit_checkpoint_entries = 1000;  // sign a checkpoint every N entries ...
    std::uint32_t audit_checkpoint_seconds = 300;   // ... or after this long, whichever comes first
    std::string audit_checkpoint_log;           // append-only JSON lines file: each checkpoint as it is signed
    // authentication API (docs/authentication.md); served only when assertion_key_file is set
    std::string challenge_store = "memory";     // memory (one process) | redis (several servers share it)
    std::string redis_address;                  // redis: host:port ("127.0.0.1:6379")
    std::string assertion_key_file;             // sealed Ed25519 key file (CCCD_ASSERTION_KEY_PASSPHRASE)
    std::string assertion_retired_public_keys;  // comma-separated files of retired public keys (JWKS)
    std::string pairwise_secret_file;           // 32 bytes as hex: keys the pairwise subjects
    std::string issuer;                         // the assertions' iss, e.g. "https://id.cccd.vn"
    std::uint32_t challenge_seconds = 120;      // a challenge's lifetime

    // The retired public key files, one per comma-separated entry (blanks trimmed).
    std::vector<std::string> retired_public_key_files() const;
    // redis_address split into host and port; nothing when malformed.
    std::optional<std::pair<std::string, std::uint16_t>> redis_endpoint() const;

    // "key = value" lines for logs and `--print-config`, secrets replaced by "(set, not shown)".
    std::string describe() const;
    // The same as (key, shown value) pairs, in documentation order (the json log's configuration event).
    std::vector<std::pair<std::string, std::string>> described() const;
};

// Every problem found, one per line, each naming the key (and the file or variable it came from).
class ConfigError : public Error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const noexcept { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Reads a variable; the default is std::getenv. Tests pass their own.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
Environment process_environment();

// The keys, in documentation order, and the variable that overrides each.
std::vector<std::string> config_keys();
std::string environment_variable_for(std::string_view key);   // "CCCD_SERVER_LISTEN_PORT"

// Defaults <- JSON text (`source_name` in messages) <- environment; not validated.
ServerConfig parse_server_config(std::string_view json_text, std::string_view source_name, const Environment& environment);
// Reads the file, parses, applies the environment, validates. ConfigError lists everything wrong.
ServerConfig load_server_config(const std::filesystem::path& file, const Environment& environment = process_environment());

// Problems with a parsed configuration (empty when it is usable); validate() throws ConfigError.
std::vector<std::string> validation_problems(const ServerConfig& config);
void validate(const ServerConfig& config);

}  // namespace cccd::server::http
