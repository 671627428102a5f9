#include "server/http/server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "base/error.hpp"
#include "crypto/openssl.hpp"
#include "server/http/rate_limiter.hpp"

namespace cccd::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds close_linger{500};  // how long a closing connection drains input

using TlsStream = asio::ssl::stream<tcp::socket>;

asio::ssl::context make_tls_context(const TlsOptions& tls) {
    asio::ssl::context context(asio::ssl::context::tls_server);
    SSL_CTX* native = context.native_handle();
    // TLS 1.3 only: no downgrade to 1.2 cipher suites or renegotiation.
    crypto::check(SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) == 1, "SSL_CTX_set_min_proto_version");
    crypto::check(SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1, "SSL_CTX_set_max_proto_version");
    SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(native, tls.certificate_chain_file.c_str()) != 1)
        crypto::throw_openssl_error("cannot use the TLS certificate chain " + tls.certificate_chain_file);
    if (!tls.private_key) throw InvalidArgument("the TLS options have no private key");
    if (SSL_CTX_use_PrivateKey(native, tls.private_key.get()) != 1 || SSL_CTX_check_private_key(native) != 1)
        crypto::throw_openssl_error("the TLS private key does not belong to " + tls.certificate_chain_file);
    static const unsigned char session_context[] = "cccd-server";
    SSL_CTX_set_session_id_context(native, session_context, sizeof session_context - 1);
    if (!tls.client_ca_file.empty()) {
        if (SSL_CTX_load_verify_locations(native, tls.client_ca_file.c_str(), nullptr) != 1)
            crypto::throw_openssl_error("cannot read the client CA bundle " + tls.client_ca_file);
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str());
        if (!names) crypto::throw_openssl_error("no CA certificate in " + tls.client_ca_file);
        SSL_CTX_set_client_CA_list(native, names);  // takes ownership
        // Client certificates must be fit for client authentication (EKU clientAuth when present).
        SSL_CTX_set_purpose(native, X509_PURPOSE_SSL_CLIENT);
        SSL_CTX_set_verify_depth(native, 4);
        // A certificate is asked for and, when sent, must verify; a client without one still completes
        // the handshake even with require_client_certificate, so the public routes (the JWKS, health)
        // answer standard tools. Every other route then refuses it per request (admission_refusal).
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
    } else if (tls.require_client_certificate) {
        throw InvalidArgument("require_client_certificate needs a client CA bundle");
    }
    return context;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

// "/a/b?x=1&y=%20" -> path "/a/b", query {x: 1, y: " "}; false for a broken escape.
bool split_target(std::string_view target, Request& request) {
    const auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question == std::string_view::npos) return true;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        auto name = percent_decode(pair.substr(0, equals), true);
        auto value = percent_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), true);
        if (!name || !value) return false;
        request.query.insert_or_assign(std::move(*name), std::move(*value));
    }
    return true;
}

// The address a peer's limits are kept under: IPv4 as it is (also mapped into IPv6); IPv6 by its /64
// prefix, the block one subscriber is usually given, so rotating addresses within it gains nothing.
std::string peer_key(const asio::ip::address& address) {
    if (address.is_v4()) return address.to_string();
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), std::uint8_t{0});
    return asio::ip::address_v6(bytes).to_string() + "/64";
}

// Why a request's body length is ambiguous, or nothing. Beast takes a Transfer-Encoding whose final
// coding is not chunked ("xchunked", "chunked, gzip") as "no body", so the body would be parsed as
// the next request. RFC 9112 section 6.1: such a request, and any Transfer-Encoding in HTTP/1.0, is
// answered 400 and the connection closed; section 6.3: Transfer-Encoding with Content-Length too.
// Only "chunked" itself is accepted: the server decodes no other coding.
std::optional<std::string> framing_problem(const bhttp::request_parser<bhttp::string_body>::value_type& header) {
    std::vector<std::string> codings;
    for (const auto& field : header) {
        if (field.name() != bhttp::field::transfer_encoding) continue;
        std::string_view rest = field.value();
        while (true) {
            const auto comma = rest.find(',');
            std::string_view coding = rest.substr(0, comma);
            while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
            while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
            if (!coding.empty()) codings.push_back(lower(coding));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    const bool has_transfer_encoding = header.find(bhttp::field::transfer_encoding) != header.end();
    if (!has_transfer_encoding) return std::nullopt;
    if (header.version() < 11) return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
    if (header.find(bhttp::field::content_length) != header.end())
        return "a request may not carry both Transfer-Encoding and Content-Length";
    if (codings != std::vector<std::string>{"chunked"})
        return "the only Transfer-Encoding accepted is chunked, once";
    return std::nullopt;
}

// One request as the log and the metrics will see it, known before its answer: its id, method label,
// route label and when its first byte arrived.
struct Exchange {
    std::string request_id;
    std::string method = "(none)";
    std::string route = "(unread)";
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace

// One TLS connection. Everything except the handler itself runs on `strand`.
struct Connection : std::enable_shared_from_this<Connection> {
    enum class State { Handshake, Idle, Reading, Handling, Writing, Closing };

    // `socket` was accepted on a strand of its own; the timers share that strand.
    Connection(tcp::socket socket, asio::ssl::context& context)
        : stream(std::move(socket), context), timer(stream.get_executor()), handler_timer(stream.get_executor()) {}

    TlsStream stream;
    asio::steady_timer timer;          // the deadline of the current I/O step
    asio::steady_timer handler_timer;  // the handler's time limit
    std::uint64_t timer_generation = 0;
    bool timed_out = false;
    State state = State::Handshake;
    std::uint64_t id = 0;
    std::string peer;                   // peer_key() of the remote address, set before serving
    const void* current_job = nullptr;  // the handler run the handler_timer is waiting for

    // Arms the I/O deadline: when it passes, pending socket operations are cancelled and timed_out set.
    void arm(std::chrono::milliseconds duration) {
        timed_out = false;
        const std::uint64_t generation = ++timer_generation;
        timer.expires_after(duration);
        timer.async_wait([self = shared_from_this(), generation](error_code ec) {
            if (ec || generation != self->timer_generation) return;
            self->timed_out = true;
            error_code ignored;
            self->stream.next_layer().cancel(ignored);
        });
    }
    void disarm() {
        ++timer_generation;
        timer.cancel();
    }
    void close_socket() {
        disarm();
        error_code ignored;
        stream.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
        stream.next_layer().close(ignored);
    }
};

// Completion handlers refer to the Impl by raw pointer: stop() joins every thread that could run
// them before the Impl can go away, and handlers that never ran are destroyed with the io_context.
struct HttpsServer::Impl {
    HttpsServerOptions options;
    Router router;
    asio::ssl::context tls_context;
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    tcp::acceptor acceptor{asio::make_strand(io)};
    std::uint16_t bound_port = 0;
    std::vector<std::thread> threads;

    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, std::weak_ptr<Connection>> connections;  // those holding a slot, by age
    std::set<std::uint64_t> awaiting_first_request;                   // of those, the ones that may be evicted
    std::unordered_map<std::string, std::uint32_t> connections_per_peer;  // open connections by peer_key
    std::uint64_t next_connection_id = 0;
    std::uint64_t refusing = 0;
    bool started = false;
    bool stopped = false;
    bool finished = false;  // stop() has joined the threads
    std::atomic<bool> stopping{false};

    std::atomic<std::uint64_t> accepted{0}, refused{0}, evicted{0}, handshakes_failed{0}, handled{0}, limited{0};
    RateLimiter anonymous_requests;  // per peer_key: requests without a client certificate

    Impl(HttpsServerOptions opts, Router r)
        : options(std::move(opts)), router(std::move(r)), tls_context(make_tls_context(options.tls)) {}

    void log(LogLevel level, std::string_view message, const LogFields& fields = {}) const {
        if (options.logger) options.logger->event(level, message, fields);
    }

    // The exchange of a request as far as its parser got: the request line's method and route and the
    // header's X-Request-Id when they were read (a limit may stop the parser within the header: a
    // Content-Length over max_body_bytes is refused as soon as it is read), else "(none)", "(unread)"
    // and a new id. Labels only: the method and route are reduced to bounded values.
    Exchange exchange_of(const bhttp::request_parser<bhttp::string_body>& parser, std::chrono::steady_clock::time_point first_byte) const {
        Exchange exchange;
        exchange.started = first_byte;
        const auto& header = parser.get();
        const auto incoming = header.find("X-Request-Id");
        exchange.request_id = request_id_for(incoming == header.end() ? std::nullopt : std::optional<std::string_view>(incoming->value()));
        const std::string_view method = header.method_string();
        const std::string_view target = header.target();
        if (method.empty() || target.empty()) return exchange;  // the request line itself was not read
        exchange.method = std::string(method_label(method));
        Request probe;
        if (target.front() == '/' && split_target(target, probe))
            exchange.route = Router::route_label(router.match(method, probe.path));
        return exchange;
    }

    // ---- accepting ----
    asio::awaitable<void> accept_loop() {
        while (!stopping) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), nothrow_awaitable);
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) break;
                log(LogLevel::Warning, "accept failed: " + ec.message());
                continue;
            }
            error_code endpoint_error;
            const tcp::endpoint remote = socket.remote_endpoint(endpoint_error);
            if (endpoint_error) {  // already gone
                socket.close(endpoint_error);
                continue;
            }
            auto connection = std::make_shared<Connection>(tcp::socket(std::move(socket)), tls_context);
            connection->peer = peer_key(remote.address());
            bool over_limit = false;
            std::shared_ptr<Connection> evicted_connection;
            {
                std::lock_guard lock(mutex);
                // One address gets no more of the server than its share: closed at once, no handshake.
                const auto same_peer = connections_per_peer.find(connection->peer);
                if (same_peer != connections_per_peer.end() && same_peer->second >= options.limits.max_connections_per_peer) {
                    connection->close_socket();
                    ++refused;
                    continue;
                }
                // Full: a connection that has not begun a request (still in its handshake, or silent since)
                // gives its slot up, the oldest first, so idle sockets cannot keep real clients out.
                if (connections.size() >= options.limits.max_connections && !awaiting_first_request.empty())
                    evicted_connection = evict_oldest_awaiting();
                over_limit = connections.size() >= options.limits.max_connections;
                if (over_limit) {
                    // Refusals are bounded too: beyond that many, the socket is just closed.
                    if (refusing >= options.limits.max_connections) {
                        connection->close_socket();
                        ++refused;
                        continue;
                    }
                    ++refusing;
                } else {
                    connection->id = ++next_connection_id;
                    connections.emplace(connection->id, connection);
                    awaiting_first_request.insert(connection->id);
                    ++connections_per_peer[connection->peer];
                }
            }
            if (evicted_connection) {
                asio::post(evicted_connection->stream.get_executor(), [evicted_connection] { evicted_connection->close_socket(); });
            }
            ++accepted;
            Impl* self = this;
            auto executor = connection->stream.get_executor();
            if (over_limit) {
                ++refused;
                asio::co_spawn(executor, refuse(connection), [self](std::exception_ptr) {
                    std::lock_guard lock(self->mutex);
                    --self->refusing;
                });
            } else {
                asio::co_spawn(executor, serve(connection),
                               [self, id = connection->id, peer = connection->peer](std::exception_ptr error) {
                                   if (error) self->log(LogLevel::Error, "a connection ended on an unexpected exception");
                                   std::lock_guard lock(self->mutex);
                                   self->release(id, peer);
                                   self->changed.notify_all();
                               });
            }
        }
    }

    // Takes the oldest connection that has not begun a request out of the count (mutex held); the
    // caller closes it on its strand. Nothing when it is already ending.
    std::shared_ptr<Connection> evict_oldest_awaiting() {
        const auto oldest = awaiting_first_request.begin();
        const std::uint64_t id = *oldest;
        awaiting_first_request.erase(oldest);
        std::shared_ptr<Connection> connection;
        if (const auto it = connections.find(id); it != connections.end()) {
            connection = it->second.lock();
            connections.erase(it);
        }
        ++evicted;
        return connection;
    }

    // The first bytes of a connection's first request arrived: it keeps its slot from now on. False
    // when it was evicted meanwhile (mutex taken here).
    bool begin_first_request(const Connection& connection) {
        std::lock_guard lock(mutex);
        return awaiting_first_request.erase(connection.id) == 1;
    }

    // A connection has ended (mutex held).
    void release(std::uint64_t id, const std::string& peer) {
        connections.erase(id);
        awaiting_first_request.erase(id);
        if (const auto it = connections_per_peer.find(peer); it != connections_per_peer.end() && --it->second == 0)
            connections_per_peer.erase(it);
    }

    // ---- one connection ----
    asio::awaitable<bool> handshake(const std::shared_ptr<Connection>& connection) {
        connection->arm(options.limits.handshake_timeout);
        auto [ec] = co_await connection->stream.async_handshake(asio::ssl::stream_base::server, nothrow_awaitable);
        connection->disarm();
        if (ec) {
            ++handshakes_failed;
            connection->close_socket();
            co_return false;
        }
        co_return true;
    }

    asio::awaitable<void> refuse(std::shared_ptr<Connection> connection) {
        // (Awaiting into a named value: GCC 12 miscompiles some co_await inside conditions.)
        const bool secured = co_await handshake(connection);
        if (!secured) co_return;
        ++limited;
        Response refusal = Response::error(503, "too_many_connections",
                                           "the server is at its connection limit; try again shortly");
        Exchange exchange;
        exchange.request_id = new_request_id();
        co_await send_and_close(connection, std::move(refusal), 11, exchange);
    }

    asio::awaitable<void> serve(std::shared_ptr<Connection> connection) {
        if (stopping) {
            connection->close_socket();
            co_return;
        }
        const bool secured = co_await handshake(connection);
        if (!secured) co_return;
        std::optional<ClientCertificate> certificate;
        SSL* ssl = connection->stream.native_handle();
        if (X509* peer = SSL_get0_peer_certificate(ssl); peer && SSL_get_verify_result(ssl) == X509_V_OK)
            certificate = describe_certificate(peer);
        error_code endpoint_error;
        const tcp::endpoint peer = connection->stream.next_layer().remote_endpoint(endpoint_error);

        beast::flat_buffer buffer;
        bool first_request = true;
        while (true) {
            // Wait for the first bytes of the next request (idle keep-alive); stop() may cancel this.
            // A new connection's first request must come as promptly as its handshake.
            connection->state = Connection::State::Idle;
            if (stopping) break;
            if (buffer.size() == 0) {
                connection->arm(first_request ? options.limits.handshake_timeout : options.limits.idle_timeout);
                auto [ec, n] = co_await connection->stream.async_read_some(buffer.prepare(4096), nothrow_awaitable);
                if (ec) break;  // closed, idle too long, evicted or stopping: nothing was asked, nothing to answer
                buffer.commit(n);
            }
            const auto first_byte = std::chrono::steady_clock::now();  // the request's first byte is here
            if (first_request) {
                first_request = false;
                if (!begin_first_request(*connection)) break;  // evicted just now to make room
            }
            connection->state = Connection::State::Reading;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(options.limits.max_header_bytes);
            parser.body_limit(options.limits.max_body_bytes);
            connection->arm(options.limits.read_timeout);
            auto [header_error, header_bytes] =
                co_await bhttp::async_read_header(connection->stream, buffer, parser, nothrow_awaitable);
            if (!header_error) {
                // The body's length must be beyond doubt before a byte of it is read (request smuggling).
                if (auto problem = framing_problem(parser.get())) {
                    connection->disarm();
                    ++limited;
                    co_await send_and_close(connection, Response::error(400, "malformed_request", *problem),
                                            parser.get().version(), exchange_of(parser, first_byte));
                    co_return;
                }
            }
            error_code read_error = header_error;
            if (!read_error) {
                auto [body_error, body_bytes] = co_await bhttp::async_read(connection->stream, buffer, parser, nothrow_awaitable);
                read_error = body_error;
            }
            connection->disarm();
            if (read_error) {
                if (auto refusal = refusal_for(read_error, connection->timed_out)) {
                    ++limited;
                    co_await send_and_close(connection, *refusal, 11, exchange_of(parser, first_byte));
                } else {
                    connection->close_socket();
                }
                co_return;
            }
            Exchange exchange = exchange_of(parser, first_byte);
            bhttp::request<bhttp::string_body> message = parser.release();

            Request request;
            request.method = std::string(message.method_string());
            request.target = std::string(message.target());
            if (request.target.empty() || request.target.front() != '/' || !split_target(request.target, request)) {
                ++limited;
                exchange.route = "(unmatched)";
                Response refusal = Response::error(400, "malformed_request", "the request target is not a valid path");
                co_await send_and_close(connection, std::move(refusal), message.version(), exchange);
                co_return;
            }
            for (const auto& field : message) {
                std::string name = lower(field.name_string());
                auto [it, inserted] = request.headers.try_emplace(std::move(name), std::string(field.value()));
                if (!inserted) it->second += ", " + std::string(field.value());
            }
            request.body = std::move(message.body());
            request.client_certificate = certificate;
            if (!endpoint_error) {
                request.peer_address = peer.address().to_string();
                request.peer_port = peer.port();
            }
            request.request_id = exchange.request_id;
            Router::Match found = router.match(request.method, request.path);

            connection->state = Connection::State::Handling;
            Response response = co_await run_handler(connection, std::move(request), std::move(found));
            const bool keep_alive = message.keep_alive() && !stopping;
            connection->state = Connection::State::Writing;
            const bool written = co_await answer(connection, std::move(response), message.version(), keep_alive, exchange);
            if (!written) co_return;
            if (!keep_alive) break;
        }
        co_await close_gracefully(connection);
    }

    // The JSON error a failed read deserves, or nothing when the client simply went away.
    std::optional<Response> refusal_for(const error_code& ec, bool timed_out) const {
        if (timed_out)
            return Response::error(408, "request_timeout", "the request was not received within " +
                                                               std::to_string(options.limits.read_timeout.count()) + " ms");
        if (ec == bhttp::error::body_limit)
            return Response::error(413, "payload_too_large", "the request body is larger than " +
                                                                 std::to_string(options.limits.max_body_bytes) + " bytes");
        if (ec == bhttp::error::header_limit)
            return Response::error(431, "header_too_large", "the request header is larger than " +
                                                                std::to_string(options.limits.max_header_bytes) + " bytes");
        if (ec.category() == make_error_code(bhttp::error::end_of_stream).category() && ec != bhttp::error::end_of_stream &&
            ec != bhttp::error::partial_message)
            return Response::error(400, "malformed_request", "the request is not valid HTTP/1.1 (" + ec.message() + ")");
        return std::nullopt;
    }

    // Runs the handler on the pool, racing it against the handler time limit.
    asio::awaitable<Response> run_handler(std::shared_ptr<Connection> connection, Request request, Router::Match found) {
        struct Job {
            Request request;
            Router::Match found;
            std::optional<Response> response;
        };
        const std::string request_id = request.request_id;
        auto job = std::make_shared<Job>(Job{std::move(request), std::move(found), std::nullopt});
        Impl* self = this;
        connection->current_job = job.get();
        connection->handler_timer.expires_after(options.limits.handler_timeout);
        // Hands the answer to the connection's strand, from whichever thread has it.
        auto deliver = [job, connection](Response response) {
            asio::post(connection->stream.get_executor(), [job, connection, response = std::move(response)]() mutable {
                job->response = std::move(response);
                // A handler that answers after its time limit must not wake the next request's wait.
                if (connection->current_job == job.get()) connection->handler_timer.cancel();
            });
        };
        asio::post(io, [self, job, connection, deliver] {
            Response response = self->call(job->request, std::move(job->found), connection->peer);
            if (!response.hold) {
                deliver(std::move(response));
                return;
            }
            // A held answer: this thread goes back to the pool; release sends it later.
            const auto hold = std::move(response.hold);
            response.hold = nullptr;
            auto held = std::make_shared<Response>(std::move(response));
            try {
                hold([deliver, held](std::unique_ptr<Response> replacement) {
                    deliver(replacement ? std::move(*replacement) : std::move(*held));
                });
            } catch (const std::exception& error) {
                self->log(LogLevel::Error, std::string("a handler's held answer failed: ") + error.what(), {});
                deliver(Response::error(500, "internal_error", "the server could not complete the request"));
            }
        });
        co_await connection->handler_timer.async_wait(nothrow_awaitable);
        connection->current_job = nullptr;
        if (job->response) co_return std::move(*job->response);
        log(LogLevel::Error, "a handler did not answer within its time limit", {{"request_id", request_id}});
        co_return Response::error(503, "handler_timeout", "the server did not complete the request within " +
                                                              std::to_string(options.limits.handler_timeout.count()) + " ms");
    }

    // Why a request may not reach its route, checked before anything is routed; nothing when it may.
    // Requests without a client certificate are limited per peer first: handlers audit each refusal
    // with an fsync, so an anonymous flood must not reach them. Public routes share that limit.
    std::optional<Response> admission_refusal(const Request& request, const Router::Match& found, const std::string& peer) {
        if (request.client_certificate) return std::nullopt;
        const std::uint32_t limit = options.limits.anonymous_requests_per_minute;
        if (!anonymous_requests.allow(peer, limit)) {
            Response refusal = Response::error(429, "too_many_requests",
                                               "too many requests without a client certificate from this address: "
                                               "try again later");
            const std::uint32_t wait = std::max<std::uint32_t>(anonymous_requests.retry_after_seconds(peer, limit), 1);
            refusal.headers.emplace_back("Retry-After", std::to_string(wait));
            return refusal;
        }
        if (options.tls.require_client_certificate && !found.is_public)
            return Response::error(403, "client_certificate_required",
                                   "this call needs a client certificate from the service's CA; only public "
                                   "routes such as the JWKS and the health checks answer without one");
        return std::nullopt;
    }

    Response call(Request& request, Router::Match match, const std::string& peer) {
        bool admitted = true;
        const Router::Admission admit = [this, &admitted, &peer](const Request& r, const Router::Match& found) {
            std::optional<Response> refusal = admission_refusal(r, found, peer);
            admitted = !refusal;
            return refusal;
        };
        try {
            Response response = router.route(request, std::move(match), admit);
            ++(admitted ? handled : limited);
            return response;
        } catch (const std::exception& error) {
            if (is_transient(error)) {
                // About the moment (a busy database): the caller may send the same request again.
                ++handled;
                Response busy = Response::error(503, "service_unavailable", "the server is busy: try again in a moment");
                busy.headers.emplace_back("Retry-After", "1");
                return busy;
            }
            log(LogLevel::Error, std::string("a handler failed: ") + error.what(), {{"request_id", request.request_id}});
        } catch (...) {
            log(LogLevel::Error, "a handler failed with a non-standard exception", {{"request_id", request.request_id}});
        }
        ++handled;
        return Response::error(500, "internal_error", "the server could not complete the request");
    }

    // Writes an answer with its request id, then logs and counts it (also when the client has gone).
    asio::awaitable<bool> answer(const std::shared_ptr<Connection>& connection, Response response, unsigned version,
                                 bool keep_alive, const Exchange& exchange) {
        RequestRecord record;
        record.request_id = exchange.request_id;
        record.method = exchange.method;
        record.route = exchange.route;
        record.error_code = stamp_request_id(response, exchange.request_id);
        const bool written = co_await write(connection, response, version, keep_alive);
        record.time = std::chrono::system_clock::now();
        record.status = response.status;
        record.latency_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - exchange.started).count();
        record.actor = std::move(response.actor);
        if (options.logger) options.logger->request(record);
        if (options.metrics) record_request(*options.metrics, record);
        co_return written;
    }

    asio::awaitable<bool> write(const std::shared_ptr<Connection>& connection, const Response& response,
                                unsigned version, bool keep_alive) {
        bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
        message.set(bhttp::field::content_type, response.content_type);
        message.set(bhttp::field::cache_control, "no-store");
        message.set("X-Content-Type-Options", "nosniff");
        message.set(bhttp::field::strict_transport_security, "max-age=31536000");
        for (const auto& [name, value] : response.headers) message.set(name, value);
        message.body() = response.body;
        message.keep_alive(keep_alive);
        message.prepare_payload();
        connection->arm(options.limits.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(connection->stream, message, nothrow_awaitable);
        connection->disarm();
        if (ec) {
            connection->close_socket();
            co_return false;
        }
        co_return true;
    }

    // Answers a refused request and ends the connection, reading what the client still sends for a
    // moment so the kernel does not reset the connection before the answer is read.
    asio::awaitable<void> send_and_close(std::shared_ptr<Connection> connection, Response response, unsigned version,
                                         Exchange exchange) {
        connection->state = Connection::State::Writing;
        const bool written = co_await answer(connection, std::move(response), version, false, exchange);
        if (!written) co_return;
        connection->state = Connection::State::Closing;
        connection->arm(close_linger);
        std::array<char, 4096> scratch{};
        while (true) {
            auto [ec, n] = co_await connection->stream.async_read_some(asio::buffer(scratch), nothrow_awaitable);
            if (ec) break;
        }
        co_await close_gracefully(connection);
    }

    asio::awaitable<void> close_gracefully(std::shared_ptr<Connection> connection) {
        connection->state = Connection::State::Closing;
        if (connection->stream.next_layer().is_open()) {
            connection->arm(close_linger);
            co_await connection->stream.async_shutdown(nothrow_awaitable);
        }
        connection->close_socket();
    }

    // ---- stopping ----
    void for_each_connection(const std::function<void(Connection&)>& action) {
        std::vector<std::shared_ptr<Connection>> live;
        {
            std::lock_guard lock(mutex);
            for (auto& [id, weak] : connections)
                if (auto connection = weak.lock()) live.push_back(std::move(connection));
        }
        for (auto& connection : live)
            asio::post(connection->stream.get_executor(), [connection, action] { action(*connection); });
    }
};

HttpsServerOptions options_from_config(const ServerConfig& config, SharedKey private_key) {
    HttpsServerOptions options;
    options.listen_address = config.listen_address;
    options.listen_port = config.listen_port;
    options.threads = config.threads;
    options.tls.certificate_chain_file = config.tls_certificate;
    options.tls.private_key = std::move(private_key);
    options.tls.client_ca_file = config.tls_client_ca;
    options.tls.require_client_certificate = config.require_client_certificate;
    options.limits.max_body_bytes = config.max_body_bytes;
    options.limits.max_header_bytes = config.max_header_bytes;
    options.limits.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
    options.limits.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
    options.limits.write_timeout = std::chrono::milliseconds(config.write_timeout_ms);
    options.limits.handler_timeout = std::chrono::milliseconds(config.handler_timeout_ms);
    options.limits.max_connections = config.max_connections;
    options.limits.max_connections_per_peer = config.max_connections_per_peer;
    options.limits.handshake_timeout = std::chrono::milliseconds(config.handshake_timeout_ms);
    options.limits.anonymous_requests_per_minute = config.anonymous_requests_per_minute;
    options.shutdown_grace = std::chrono::milliseconds(config.shutdown_grace_ms);
    return options;
}

HttpsServer::HttpsServer(HttpsServerOptions options, Router router)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(router))) {
    if (const auto& metrics = impl_->options.metrics) {
        describe_http_metrics(*metrics);
        metrics->on_scrape([weak = std::weak_ptr<Impl>(impl_)](Metrics& m) {
            const auto impl = weak.lock();
            if (!impl) return;
            std::size_t open = 0;
            {
                std::lock_guard lock(impl->mutex);
                open = impl->connections.size();
            }
            m.set("cccd_http_connections_open", {}, static_cast<double>(open));
            m.set("cccd_http_connections_refused_total", {}, static_cast<double>(impl->refused.load()));
            m.set("cccd_http_connections_evicted_total", {}, static_cast<double>(impl->evicted.load()));
            m.set("cccd_tls_handshakes_failed_total", {}, static_cast<double>(impl->handshakes_failed.load()));
        });
    }
}

HttpsServer::~HttpsServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; stop() only fails on thread errors at exit.
    }
}

void HttpsServer::start() {
    Impl& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        if (impl.started) throw InvalidArgument("the server is already started");
        impl.started = true;
    }
    error_code ec;
    const auto address = asio::ip::make_address(impl.options.listen_address, ec);
    if (ec) throw InvalidArgument("listen address '" + impl.options.listen_address + "' is not an IP address");
    const tcp::endpoint endpoint(address, impl.options.listen_port);
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) impl.acceptor.bind(endpoint, ec);
    if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error("cannot listen on " + impl.options.listen_address + " port " +
                    std::to_string(impl.options.listen_port) + ": " + ec.message());
    impl.bound_port = impl.acceptor.local_endpoint().port();

    impl.work.emplace(asio::make_work_guard(impl.io));
    asio::co_spawn(impl.acceptor.get_executor(), impl.accept_loop(), [](std::exception_ptr) {});
    // Handlers block on the database (a commit waits for its fsync), so the pool is wider than the cores.
    unsigned count = impl.options.threads ? impl.options.threads : 4 * std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < count; ++i)
        impl.threads.emplace_back([&impl] {
            while (true) {
                try {
                    impl.io.run();
                    return;
                } catch (const std::exception& error) {
                    impl.log(LogLevel::Error, std::string("unexpected exception on a server thread: ") + error.what());
                }
            }
        });
    impl.log(LogLevel::Info, "listening on " + impl.options.listen_address + " port " + std::to_string(impl.bound_port));
}

std::uint16_t HttpsServer::port() const { return impl_->bound_port; }

void HttpsServer::stop() {
    Impl& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        if (!impl.started || impl.stopped) return;
        impl.stopped = true;
    }
    impl.stopping = true;
    asio::post(impl.acceptor.get_executor(), [&impl] {
        error_code ignored;
        impl.acceptor.close(ignored);
    });
    // Idle keep-alive connections have nothing in flight: close them now.
    impl.for_each_connection([](Connection& connection) {
        if (connection.state == Connection::State::Idle || connection.state == Connection::State::Handshake) {
            error_code ignored;
            connection.stream.next_layer().cancel(ignored);
        }
    });
    {
        std::unique_lock lock(impl.mutex);
        impl.changed.wait_for(lock, impl.options.shutdown_grace, [&impl] { return impl.connections.empty(); });
    }
    // Past the grace period: close whatever is left.
    impl.for_each_connection([](Connection& connection) { connection.close_socket(); });
    {
        std::unique_lock lock(impl.mutex);
        impl.changed.wait_for(lock, std::chrono::seconds(2), [&impl] { return impl.connections.empty(); });
    }
    impl.work.reset();
    impl.io.stop();
    for (auto& thread : impl.threads)
        if (thread.joinable()) thread.join();
    impl.log(LogLevel::Info, "stopped");
    std::lock_guard lock(impl.mutex);
    impl.finished = true;
    impl.changed.notify_all();
}

void HttpsServer::wait() {
    Impl& impl = *impl_;
    std::unique_lock lock(impl.mutex);
    impl.changed.wait(lock, [&impl] { return impl.finished; });
}

HttpsServer::Counters HttpsServer::counters() const {
    Counters counters;
    {
        std::lock_guard lock(impl_->mutex);
        counters.connections_open = impl_->connections.size();
    }
    counters.connections_accepted = impl_->accepted;
    counters.connections_refused = impl_->refused;
    counters.connections_evicted = impl_->evicted;
    counters.handshakes_failed = impl_->handshakes_failed;
    counters.requests_handled = impl_->handled;
    counters.requests_refused = impl_->limited;
    return counters;
}

}  // namespace cccd::server::http
