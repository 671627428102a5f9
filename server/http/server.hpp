#pragma once
// The HTTPS server: TLS 1.3 only, optional mutual TLS, keep-alive, limits that answer with their
// own JSON error, handlers on a pool of N threads, graceful stop.
//
//   Router router;
//   router.add("GET", "/v1/health", [](const Request&) { return Response::json(200, {{"ok", true}}); });
//   HttpsServer server(options_from_config(config, load_private_key_file(config.tls_key, passphrase)),
//                      std::move(router));
//   server.start();            // bound and serving; server.port() is the port (useful with port 0)
//   ...                        // SIGTERM/SIGINT in the caller -> server.stop()
//   server.stop();             // no new connections; in-flight requests finish up to shutdown_grace
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/http/config.hpp"
#include "server/http/log.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"
#include "server/http/tls.hpp"

namespace cccd::server::http {

// Each limit is refused with its own status and error code (docs/server-http.md):
//   body > max_body_bytes            413 payload_too_large
//   header > max_header_bytes        431 header_too_large
//   request not read in read_timeout 408 request_timeout
//   handler slower than its limit    503 handler_timeout
//   max_connections already open     503 too_many_connections (after closing, if there is one, the oldest
//                                    connection that has not begun a request: it cannot hold a slot)
//   max_connections_per_peer open    closed at once, no answer
//   not HTTP/1.x, ambiguous framing  400 malformed_request
//   no client certificate where one is required (routes not public)   403 client_certificate_required
//   requests without a client certificate beyond anonymous_requests_per_minute (per peer)  429 too_many_requests
//
// Every answer, refusals included, carries X-Request-Id (request_id_for: the client's own when well
// formed, else a new one), which every JSON error body repeats as "request_id"; each answer is then
// logged (options.logger) and counted (options.metrics) once, with its route's pattern.
struct ServerLimits {
    std::uint64_t max_body_bytes = 2u * 1024u * 1024u;
    std::uint32_t max_header_bytes = 16u * 1024u;
    std::chrono::milliseconds read_timeout{15000};
    std::chrono::milliseconds idle_timeout{60000};
    std::chrono::milliseconds write_timeout{15000};
    std::chrono::milliseconds handler_timeout{30000};
    std::uint32_t max_connections = 1000;
    // Connections from one peer address (IPv6: one /64); beyond, new ones are closed at once.
    std::uint32_t max_connections_per_peer = 64;
    // The TLS handshake, and then the first byte of the connection's first request. A connection that
    // has not begun a request yet is closed (oldest first) when a newcomer finds the server full.
    std::chrono::milliseconds handshake_timeout{5000};
    // Requests without a client certificate, per peer address (IPv6: per /64), bursts up to the same
    // number; 0 serves none. Checked before routing, public routes included.
    std::uint32_t anonymous_requests_per_minute = 120;
};

struct HttpsServerOptions {
    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 8443;
    unsigned threads = 0;                                 // 0: four per core (handlers block on commits)
    TlsOptions tls;
    ServerLimits limits;
    std::chrono::milliseconds shutdown_grace{10000};
    // Operational messages (never request contents, tokens or personal data) and, in the json format,
    // one line per answered request (log.hpp). Null: nothing is logged.
    std::shared_ptr<const Logger> logger;
    // Every answered request counted by method, route pattern and status (record_request), and the
    // connection counters, exported on each scrape. Null: not counted.
    std::shared_ptr<Metrics> metrics;
};

HttpsServerOptions options_from_config(const ServerConfig& config, SharedKey private_key);

class HttpsServer {
public:
    // Builds the TLS context (CryptoError for an unusable certificate, key or CA file); binds nothing.
    HttpsServer(HttpsServerOptions options, Router router);
    ~HttpsServer();  // stop()
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    // Binds to the configured address and port and starts the threads. Error when it cannot bind.
    void start();
    // The bound port (after start()).
    std::uint16_t port() const;
    // Stops accepting, closes idle keep-alive connections, lets requests in progress finish for up
    // to shutdown_grace, then closes what is left and joins the threads. Idempotent. Do not call it
    // from a handler.
    void stop();
    // Blocks until stop() has finished (for a main thread that waits for a signal elsewhere).
    void wait();

    struct Counters {
        std::uint64_t connections_open = 0;
        std::uint64_t connections_accepted = 0;
        std::uint64_t connections_refused = 0;  // max_connections, max_connections_per_peer
        std::uint64_t connections_evicted = 0;  // closed before their first request to make room
        std::uint64_t handshakes_failed = 0;
        std::uint64_t requests_handled = 0;     // reached a handler (or 404/405)
        std::uint64_t requests_refused = 0;     // answered by a limit, as malformed or for want of a certificate
    };
    Counters counters() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace cccd::server::http
