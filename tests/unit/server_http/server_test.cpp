// The HTTPS server over real sockets on 127.0.0.1: TLS versions, mutual TLS, limits, keep-alive,
// graceful stop, routing errors, answers held until released.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <boost/json/parse.hpp>

#include "base/error.hpp"
#include "server/http/server.hpp"
#include "test_support.hpp"

namespace cccd::server::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using testing::ClientOptions;
using testing::TestClient;
using testing::TestPki;

std::string error_code_of(const std::string& body) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(body, ec);
    if (ec || !value.is_object() || !value.as_object().contains("error")) return "(not a JSON error: " + body + ")";
    return std::string(value.at("error").at("code").as_string());
}

// A TCP connection from `source` that never starts TLS (a slowloris of the handshake).
asio::ip::tcp::socket idle_tcp(asio::io_context& io, const std::string& source, unsigned short port) {
    asio::ip::tcp::socket socket(io);
    socket.open(asio::ip::tcp::v4());
    socket.bind({asio::ip::make_address(source), 0});
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    return socket;
}

// Whether the server has closed `socket`: waits up to `wait` for the end of stream (or a reset).
bool closed_by_server(asio::ip::tcp::socket& socket, std::chrono::milliseconds wait) {
    pollfd entry{socket.native_handle(), POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(wait.count())) <= 0) return false;
    char byte = 0;
    return ::recv(socket.native_handle(), &byte, 1, MSG_DONTWAIT) <= 0;
}

// An error about the moment, as a busy database's is.
class Hiccup : public Error, public Transient {
public:
    using Error::Error;
};

struct ServerFixture : ::testing::Test {
    TestPki pki;
    std::atomic<int> handled{0};
    std::atomic<int> slow_started{0};
    std::unique_ptr<HttpsServer> server;
    // The releases of /v1/held answers, as the handlers' holds hand them over.
    std::mutex held_mutex;
    std::condition_variable held_signal;
    std::vector<Release> held;

    Release next_held() {
        std::unique_lock lock(held_mutex);
        held_signal.wait(lock, [&] { return !held.empty(); });
        Release release = std::move(held.front());
        held.erase(held.begin());
        return release;
    }

    HttpsServerOptions base_options() {
        HttpsServerOptions options;
        options.listen_address = "127.0.0.1";
        options.listen_port = 0;
        options.threads = 4;
        options.tls.certificate_chain_file = pki.server_pem.string();
        options.tls.private_key = load_private_key_file(pki.server_key_pem, SecretBytes(view(pki.server_key_passphrase)));
        options.shutdown_grace = 5s;
        return options;
    }

    Router routes() {
        Router router;
        router.add("GET", "/v1/ping", [this](const Request&) {
            ++handled;
            return Response::json(200, {{"pong", true}});
        });
        router.add("POST", "/v1/echo", [this](const Request& request) {
            ++handled;
            return Response::text(200, request.body);
        });
        router.add("GET", "/v1/whoami", [this](const Request& request) {
            ++handled;
            boost::json::object out;
            out["peer"] = request.peer_address;
            out["certificate"] = request.client_certificate ? request.client_certificate->sha256_hex : "";
            out["cn"] = request.client_certificate ? request.client_certificate->subject_common_name : "";
            out["ou"] = request.client_certificate ? request.client_certificate->subject_organizational_unit : "";
            return Response::json(200, out);
        });
        router.add("GET", "/v1/cards/{document_number}/status", [this](const Request& request) {
            ++handled;
            boost::json::object out;
            out["document_number"] = *request.path_param("document_number");
            out["full"] = request.query_param("full").value_or("");
            out["agent"] = request.header("X-Test-Agent").value_or("");
            return Response::json(200, out);
        });
        router.add("GET", "/v1/slow", [this](const Request& request) {
            ++slow_started;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(std::string(request.query_param("ms").value_or("500")))));
            ++handled;
            return Response::json(200, {{"slow", true}});
        });
        router.add("GET", "/v1/held", [this](const Request&) {
            ++handled;
            Response response = Response::json(200, {{"held", true}});
            response.hold = [this](Release release) {
                std::lock_guard lock(held_mutex);
                held.push_back(std::move(release));
                held_signal.notify_all();
            };
            return response;
        });
        router.add("GET", "/v1/throws", [this](const Request&) -> Response {
            ++handled;
            throw std::runtime_error("database unavailable");
        });
        router.add("GET", "/v1/busy", [this](const Request&) -> Response {
            ++handled;
            throw Hiccup("the database stayed busy through every retry");
        });
        router.add_public("GET", "/.well-known/jwks.json", [this](const Request&) {
            ++handled;
            return Response::json(200, {{"keys", boost::json::array{}}});
        });
        return router;
    }

    void start(HttpsServerOptions options) {
        server = std::make_unique<HttpsServer>(std::move(options), routes());
        server->start();
        ASSERT_NE(server->port(), 0);
    }

    ClientOptions client(bool with_certificate = false, bool stranger = false) {
        ClientOptions options;
        options.ca_file = pki.ca_pem;
        if (with_certificate) {
            options.certificate_file = stranger ? pki.stranger_pem : pki.client_pem;
            options.key_file = stranger ? pki.stranger_key_pem : pki.client_key_pem;
        }
        return options;
    }
};

TEST_F(ServerFixture, Tls13IsAcceptedAndTls12Refused) {
    start(base_options());
    TestClient modern(client());
    ASSERT_FALSE(modern.connect(server->port()));
    EXPECT_STREQ(SSL_get_version(modern.native()), "TLSv1.3");
    const auto response = modern.request("GET", "/v1/ping");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(response->body(), R"({"pong":true})");
    EXPECT_EQ((*response)[boost::beast::http::field::cache_control], "no-store");

    ClientOptions old = client();
    old.max_tls_version = TLS1_2_VERSION;
    TestClient legacy(old);
    EXPECT_TRUE(legacy.connect(server->port()));  // handshake fails
    EXPECT_EQ(handled.load(), 1);
}

TEST_F(ServerFixture, EncryptedKeyWithWrongPassphraseIsRefusedInWords) {
    try {
        load_private_key_file(pki.server_key_pem, SecretBytes(view(std::string("not the passphrase"))));
        FAIL() << "opened with a wrong passphrase";
    } catch (const CryptoError& error) {
        EXPECT_NE(std::string(error.what()).find("wrong passphrase"), std::string::npos);
        EXPECT_EQ(std::string(error.what()).find("not the passphrase"), std::string::npos);
    }
    EXPECT_THROW(load_private_key_file(pki.server_key_pem, SecretBytes{}), CryptoError);
}

TEST_F(ServerFixture, OptionalMutualTls) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.tls.require_client_certificate = false;
    start(std::move(options));

    TestClient anonymous(client());
    ASSERT_FALSE(anonymous.connect(server->port()));
    auto response = anonymous.request("GET", "/v1/whoami");
    ASSERT_TRUE(response);
    auto body = boost::json::parse(response->body());
    EXPECT_EQ(body.at("certificate").as_string(), "");
    EXPECT_EQ(body.at("peer").as_string(), "127.0.0.1");

    TestClient station(client(true));
    ASSERT_FALSE(station.connect(server->port()));
    response = station.request("GET", "/v1/whoami");
    ASSERT_TRUE(response);
    body = boost::json::parse(response->body());
    const auto expected = describe_certificate(pki.client_certificate.get());
    EXPECT_EQ(body.at("certificate").as_string(), expected.sha256_hex);
    EXPECT_EQ(expected.sha256_hex.size(), 64u);
    EXPECT_EQ(body.at("cn").as_string(), "HCM-Q1-01");
    EXPECT_EQ(body.at("ou").as_string(), "station");

    // A certificate from another CA: TLS 1.3 lets the client finish its side, then the server's
    // alert ends the connection before any request is handled.
    TestClient stranger(client(true, true));
    const auto handshake = stranger.connect(server->port());
    if (!handshake) {
        EXPECT_FALSE(stranger.request("GET", "/v1/whoami"));
    }
    EXPECT_EQ(handled.load(), 2);
}

// With require_client_certificate the handshake still lets a client without a certificate in (an
// invalid certificate never), so relying parties can fetch the JWKS with standard tools; every route
// not marked public then refuses it with 403 client_certificate_required before any handler runs.
TEST_F(ServerFixture, RequiredMutualTlsRefusesAnonymousCallsExceptOnPublicRoutes) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.tls.require_client_certificate = true;
    start(std::move(options));

    TestClient anonymous(client());
    ASSERT_FALSE(anonymous.connect(server->port()));
    auto response = anonymous.request("GET", "/.well-known/jwks.json");
    ASSERT_TRUE(response) << anonymous.last_error.message();
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(response->body(), R"({"keys":[]})");
    EXPECT_EQ(handled.load(), 1);
    for (const char* path : {"/v1/ping", "/v1/whoami", "/v1/nothing-here"}) {
        response = anonymous.request("GET", path);
        ASSERT_TRUE(response) << path;
        EXPECT_EQ(response->result_int(), 403u) << path;
        EXPECT_EQ(error_code_of(response->body()), "client_certificate_required") << path;
        EXPECT_TRUE(response->keep_alive()) << path;
    }
    EXPECT_EQ(handled.load(), 1);

    TestClient stranger(client(true, true));
    if (!stranger.connect(server->port())) {
        EXPECT_FALSE(stranger.request("GET", "/.well-known/jwks.json"));
    }
    EXPECT_EQ(handled.load(), 1);

    TestClient station(client(true));
    ASSERT_FALSE(station.connect(server->port()));
    response = station.request("GET", "/v1/whoami");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(boost::json::parse(response->body()).at("cn").as_string(), "HCM-Q1-01");
    response = station.request("GET", "/.well-known/jwks.json");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(handled.load(), 3);
    EXPECT_GE(server->counters().handshakes_failed, 1u);
}

// Requests without a client certificate are limited per peer address before anything is routed: beyond
// the limit they are 429 too_many_requests with Retry-After and reach no handler (whose refusals are
// audited with an fsync each). The public routes share the limit; a client with a certificate, and
// another address, are not affected.
TEST_F(ServerFixture, AnonymousRequestsBeyondTheLimitAre429BeforeAnyHandler) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.limits.anonymous_requests_per_minute = 5;
    start(std::move(options));

    TestClient anonymous(client());
    ASSERT_FALSE(anonymous.connect(server->port()));
    for (int i = 0; i < 5; ++i) {
        const auto response = anonymous.request("GET", "/v1/ping");
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(response->result_int(), 200u) << i;
    }
    EXPECT_EQ(handled.load(), 5);
    for (const char* path : {"/v1/ping", "/.well-known/jwks.json", "/v1/nothing-here"}) {
        const auto response = anonymous.request("GET", path);
        ASSERT_TRUE(response) << path;
        EXPECT_EQ(response->result_int(), 429u) << path;
        EXPECT_EQ(error_code_of(response->body()), "too_many_requests") << path;
        const auto retry_after = (*response)[boost::beast::http::field::retry_after];
        EXPECT_FALSE(retry_after.empty()) << path;
        if (!retry_after.empty()) {
            EXPECT_GE(std::stoi(std::string(retry_after)), 1) << path;
        }
    }
    TestClient again(client());  // a new connection from the same address: the same bucket
    ASSERT_FALSE(again.connect(server->port()));
    auto response = again.request("GET", "/v1/ping");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 429u);
    EXPECT_EQ(handled.load(), 5);

    TestClient station(client(true));  // same address, with a certificate
    ASSERT_FALSE(station.connect(server->port()));
    for (int i = 0; i < 20; ++i) {
        response = station.request("GET", "/v1/whoami");
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(response->result_int(), 200u) << i;
    }
    EXPECT_EQ(handled.load(), 25);

    ClientOptions elsewhere = client();
    elsewhere.source_address = "127.0.0.2";
    TestClient other_peer(elsewhere);
    ASSERT_FALSE(other_peer.connect(server->port()));
    response = other_peer.request("GET", "/v1/ping");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(handled.load(), 26);
}

TEST_F(ServerFixture, RequireWithoutClientCaIsAConfigurationError) {
    auto options = base_options();
    options.tls.require_client_certificate = true;
    EXPECT_THROW(HttpsServer(std::move(options), Router{}), InvalidArgument);
}

TEST_F(ServerFixture, KeepAliveServesSeveralRequestsOnOneConnection) {
    start(base_options());
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    for (int i = 0; i < 5; ++i) {
        const auto response = connection.request("POST", "/v1/echo", "{\"n\":" + std::to_string(i) + "}");
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(response->body(), "{\"n\":" + std::to_string(i) + "}");
        EXPECT_TRUE(response->keep_alive());
    }
    EXPECT_EQ(handled.load(), 5);
    EXPECT_EQ(server->counters().connections_accepted, 1u);
}

TEST_F(ServerFixture, PathParamsQueryAndHeadersReachTheHandler) {
    start(base_options());
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    ASSERT_FALSE(connection.write_raw("GET /v1/cards/C01234567/status?full=yes%20please&x=1 HTTP/1.1\r\n"
                                      "Host: 127.0.0.1\r\nX-Test-Agent: kiosk\r\n\r\n"));
    const auto response = connection.read_response();
    ASSERT_TRUE(response);
    const auto body = boost::json::parse(response->body());
    EXPECT_EQ(body.at("document_number").as_string(), "C01234567");
    EXPECT_EQ(body.at("full").as_string(), "yes please");
    EXPECT_EQ(body.at("agent").as_string(), "kiosk");
}

TEST_F(ServerFixture, UnknownRouteIs404AndWrongMethodIs405) {
    start(base_options());
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    auto response = connection.request("GET", "/v1/nothing-here");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 404u);
    EXPECT_EQ(error_code_of(response->body()), "not_found");
    EXPECT_EQ((*response)[boost::beast::http::field::content_type], "application/json");
    response = connection.request("DELETE", "/v1/ping");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 405u);
    EXPECT_EQ(error_code_of(response->body()), "method_not_allowed");
    EXPECT_EQ((*response)[boost::beast::http::field::allow], "GET");
    EXPECT_EQ(handled.load(), 0);
}

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t code = 0;
        if (byte < 0x80) length = 1, code = byte;
        else if ((byte & 0xE0) == 0xC0) length = 2, code = byte & 0x1F;
        else if ((byte & 0xF0) == 0xE0) length = 3, code = byte & 0x0F;
        else if ((byte & 0xF8) == 0xF0) length = 4, code = byte & 0x07;
        else return false;
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

// 404 and 405 answers say what is wrong without repeating what the client sent: a hostile path or
// method never makes the JSON body invalid UTF-8 or carry control characters.
TEST_F(ServerFixture, NotFoundAndMethodNotAllowedBodiesAreCleanUtf8) {
    start(base_options());
    const std::string long_method(200, 'X');
    const std::vector<std::pair<std::string, std::string>> hostile = {
        {"GET", "/\xff\xfe"},           {"GET", "/caf\xc3"},          {"GET", "/%FF%00%1b[31m"},
        {"GET", "/\xed\xa0\x80/x"},    {"POST", "/\xc0\xaf/etc"},    {long_method, "/v1/ping"},
        {"DELETE", "/v1/ping"},         {"BREW", "/\xf4\x90\x80\x80"}};
    for (const auto& [method, path] : hostile) {
        TestClient connection(client());
        ASSERT_FALSE(connection.connect(server->port()));
        ASSERT_FALSE(connection.write_raw(method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        const auto response = connection.read_response();
        ASSERT_TRUE(response) << path;
        EXPECT_TRUE(response->result_int() == 404u || response->result_int() == 405u) << response->result_int();
        const std::string& body = response->body();
        ASSERT_TRUE(valid_utf8(body)) << path;
        const auto parsed = boost::json::parse(body);
        const std::string message(parsed.at("error").at("message").as_string());
        for (char c : message) EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << path;
        EXPECT_EQ(body.find(path.substr(1)), std::string::npos) << "the path was echoed: " << body;
        EXPECT_EQ(body.find(long_method), std::string::npos) << "the method was echoed";
    }
    EXPECT_EQ(handled.load(), 0);
}

// A Transfer-Encoding the server cannot frame by (a final coding other than chunked, chunked twice,
// or together with Content-Length) is 400 and closes the connection: the bytes after the header
// are never taken for a request of their own (request smuggling, RFC 9112 sections 6.1 and 6.3).
TEST_F(ServerFixture, AmbiguousMessageFramingIs400AndNothingIsSmuggled) {
    start(base_options());
    const std::string smuggled = "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string chunk = "0\r\n\r\n";
    for (const std::string framing :
         {"Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: chunked, identity\r\n", "Transfer-Encoding: gzip\r\n",
          "Transfer-Encoding: identity\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
          "Transfer-Encoding: xchunked\r\nContent-Length: 0\r\n", "Content-Length: 0\r\nTransfer-Encoding: xchunked\r\n",
          "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"}) {
        TestClient connection(client());
        ASSERT_FALSE(connection.connect(server->port()));
        ASSERT_FALSE(connection.write_raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled));
        const auto response = connection.read_response();
        ASSERT_TRUE(response) << framing;
        EXPECT_EQ(response->result_int(), 400u) << framing;
        EXPECT_EQ(error_code_of(response->body()), "malformed_request") << framing;
        EXPECT_FALSE(response->keep_alive()) << framing;
        EXPECT_FALSE(connection.read_response()) << "a second answer: the smuggled request was served (" << framing << ")";
    }
    // HTTP/1.0 has no chunked coding: a Transfer-Encoding there is faulty framing too.
    TestClient old(client());
    ASSERT_FALSE(old.connect(server->port()));
    ASSERT_FALSE(old.write_raw("POST /v1/echo HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + smuggled));
    const auto response = old.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 400u);
    EXPECT_EQ(handled.load(), 0);

    // Plain chunked still works, and so does a request after it on the same connection.
    TestClient good(client());
    ASSERT_FALSE(good.connect(server->port()));
    ASSERT_FALSE(good.write_raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
                                "3\r\nabc\r\n" + chunk + smuggled));
    const auto echoed = good.read_response();
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->result_int(), 200u);
    EXPECT_EQ(echoed->body(), "abc");
    const auto pinged = good.read_response();
    ASSERT_TRUE(pinged);
    EXPECT_EQ(pinged->result_int(), 200u);
    EXPECT_EQ(handled.load(), 2);
}

TEST_F(ServerFixture, HandlerExceptionIs500WithoutDetails) {
    start(base_options());
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    const auto response = connection.request("GET", "/v1/throws");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 500u);
    EXPECT_EQ(error_code_of(response->body()), "internal_error");
    EXPECT_EQ(response->body().find("database"), std::string::npos);
}

TEST_F(ServerFixture, ATransientHandlerErrorIs503WithRetryAfterAndNoDetails) {
    start(base_options());
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    const auto response = connection.request("GET", "/v1/busy");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 503u);
    EXPECT_EQ(error_code_of(response->body()), "service_unavailable");
    EXPECT_EQ((*response)[boost::beast::http::field::retry_after], "1");
    EXPECT_EQ(response->body().find("retry"), std::string::npos);
}

TEST_F(ServerFixture, BodyOverTheLimitIs413AndNotHandled) {
    auto options = base_options();
    options.limits.max_body_bytes = 1000;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    const auto ok = connection.request("POST", "/v1/echo", std::string(1000, 'a'));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->result_int(), 200u);
    const auto response = connection.request("POST", "/v1/echo", std::string(1001, 'a'));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 413u);
    EXPECT_EQ(error_code_of(response->body()), "payload_too_large");
    EXPECT_FALSE(response->keep_alive());
    EXPECT_EQ(handled.load(), 1);

    // Chunked, so the size is only known while reading.
    TestClient chunked(client());
    ASSERT_FALSE(chunked.connect(server->port()));
    ASSERT_FALSE(chunked.write_raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "300\r\n" + std::string(0x300, 'b') + "\r\n300\r\n" + std::string(0x300, 'b') +
                                   "\r\n0\r\n\r\n"));
    const auto chunked_response = chunked.read_response();
    ASSERT_TRUE(chunked_response);
    EXPECT_EQ(chunked_response->result_int(), 413u);
    EXPECT_EQ(handled.load(), 1);
}

TEST_F(ServerFixture, HeaderOverTheLimitIs431AndNotHandled) {
    auto options = base_options();
    options.limits.max_header_bytes = 2048;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    ASSERT_FALSE(connection.write_raw("GET /v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(3000, 'h') + "\r\n\r\n"));
    const auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 431u);
    EXPECT_EQ(error_code_of(response->body()), "header_too_large");
    EXPECT_EQ(handled.load(), 0);
}

TEST_F(ServerFixture, SlowClientIs408AndNotHandled) {
    auto options = base_options();
    options.limits.read_timeout = 300ms;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    const auto begin = std::chrono::steady_clock::now();
    ASSERT_FALSE(connection.write_raw("GET /v1/ping HTTP/1.1\r\nHost: x\r\n"));  // never finishes the header
    const auto response = connection.read_response();
    const auto waited = std::chrono::steady_clock::now() - begin;
    ASSERT_TRUE(response) << connection.last_error.message();
    EXPECT_EQ(response->result_int(), 408u);
    EXPECT_EQ(error_code_of(response->body()), "request_timeout");
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 3s);
    EXPECT_EQ(handled.load(), 0);
}

TEST_F(ServerFixture, IdleKeepAliveConnectionIsClosedSilently) {
    auto options = base_options();
    options.limits.idle_timeout = 200ms;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    ASSERT_TRUE(connection.request("GET", "/v1/ping"));
    std::this_thread::sleep_for(500ms);
    EXPECT_FALSE(connection.request("GET", "/v1/ping"));  // closed without a response
    EXPECT_EQ(handled.load(), 1);
}

TEST_F(ServerFixture, SlowHandlerIs503HandlerTimeout) {
    auto options = base_options();
    options.limits.handler_timeout = 200ms;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    const auto response = connection.request("GET", "/v1/slow?ms=1000");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 503u);
    EXPECT_EQ(error_code_of(response->body()), "handler_timeout");
    // The connection stays usable, and the late handler does not disturb the next request.
    const auto next = connection.request("GET", "/v1/slow?ms=900");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->result_int(), 503u);
    const auto fast = connection.request("GET", "/v1/ping");
    ASSERT_TRUE(fast);
    EXPECT_EQ(fast->result_int(), 200u);
}

TEST_F(ServerFixture, AHeldAnswerFreesTheServerThreadAndIsSentWhenReleased) {
    auto options = base_options();
    options.threads = 1;  // the only thread must serve others while an answer is held
    start(std::move(options));
    TestClient waiting(client());
    ASSERT_FALSE(waiting.connect(server->port()));
    auto answer = std::async(std::launch::async, [&] { return waiting.request("GET", "/v1/held"); });
    Release release = next_held();
    TestClient other(client());
    ASSERT_FALSE(other.connect(server->port()));
    const auto ping = other.request("GET", "/v1/ping");
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->result_int(), 200u);
    release(nullptr);  // from this thread, as a commit thread would
    const auto response = answer.get();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(response->body(), R"({"held":true})");
    EXPECT_TRUE(response->keep_alive());
    // A release may replace the answer (the audit entry could not be written).
    answer = std::async(std::launch::async, [&] { return waiting.request("GET", "/v1/held"); });
    next_held()(std::make_unique<Response>(Response::error(503, "service_unavailable", "the database does not answer")));
    const auto replaced = answer.get();
    ASSERT_TRUE(replaced);
    EXPECT_EQ(replaced->result_int(), 503u);
    EXPECT_EQ(error_code_of(replaced->body()), "service_unavailable");
}

TEST_F(ServerFixture, AnAnswerHeldPastTheHandlerTimeLimitIs503) {
    auto options = base_options();
    options.limits.handler_timeout = 200ms;
    start(std::move(options));
    TestClient connection(client());
    ASSERT_FALSE(connection.connect(server->port()));
    auto answer = std::async(std::launch::async, [&] { return connection.request("GET", "/v1/held"); });
    Release release = next_held();
    const auto response = answer.get();  // never released in time
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 503u);
    EXPECT_EQ(error_code_of(response->body()), "handler_timeout");
    release(nullptr);  // late: it must not disturb the next request
    const auto fast = connection.request("GET", "/v1/ping");
    ASSERT_TRUE(fast);
    EXPECT_EQ(fast->result_int(), 200u);
}

TEST_F(ServerFixture, ConnectionsOverTheLimitAre503) {
    auto options = base_options();
    options.limits.max_connections = 2;
    start(std::move(options));
    TestClient first(client()), second(client()), third(client());
    ASSERT_FALSE(first.connect(server->port()));
    ASSERT_FALSE(second.connect(server->port()));
    ASSERT_TRUE(first.request("GET", "/v1/ping"));
    ASSERT_TRUE(second.request("GET", "/v1/ping"));
    ASSERT_FALSE(third.connect(server->port()));
    const auto refused = third.read_response();  // the server answers without being asked
    ASSERT_TRUE(refused) << third.last_error.message();
    EXPECT_EQ(refused->result_int(), 503u);
    EXPECT_EQ(error_code_of(refused->body()), "too_many_connections");
    EXPECT_EQ(handled.load(), 2);
    EXPECT_EQ(server->counters().connections_refused, 1u);
}

// 200 TCP connections from one address that never start TLS do not keep a station out: a connection
// that has not yet sent a request is closed to make room (oldest first) when the server is full, and
// one address holds at most max_connections_per_peer. Before, 20 such sockets kept a station out
// (503 or closed) for the 15 s read timeout.
TEST_F(ServerFixture, IdleConnectionsFromOneAddressDoNotKeepAStationOut) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.limits.max_connections = 20;
    start(std::move(options));
    asio::io_context io;
    std::vector<asio::ip::tcp::socket> idle;
    for (int i = 0; i < 200; ++i) idle.push_back(idle_tcp(io, "127.0.0.2", server->port()));

    TestClient station(client(true));
    ASSERT_FALSE(station.connect(server->port())) << "the station could not even connect";
    const auto response = station.request("GET", "/v1/whoami");
    ASSERT_TRUE(response) << station.last_error.message();
    EXPECT_EQ(response->result_int(), 200u) << response->body();
    EXPECT_GE(server->counters().connections_evicted, 1u);
    for (auto& socket : idle) EXPECT_TRUE(socket.is_open());  // the attacker held on to every socket
}

// A client that completes the TLS handshake but sends no request is no better: it is evicted the
// same way.
TEST_F(ServerFixture, ConnectionsThatNeverSendARequestAreEvictedFirst) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.limits.max_connections = 3;
    options.limits.idle_timeout = 60s;
    start(std::move(options));
    ClientOptions elsewhere = client();
    elsewhere.source_address = "127.0.0.2";
    std::vector<std::unique_ptr<TestClient>> silent;
    for (int i = 0; i < 3; ++i) {
        silent.push_back(std::make_unique<TestClient>(elsewhere));
        ASSERT_FALSE(silent.back()->connect(server->port()));
    }
    TestClient station(client(true));
    ASSERT_FALSE(station.connect(server->port()));
    const auto response = station.request("GET", "/v1/whoami");
    ASSERT_TRUE(response) << station.last_error.message();
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_EQ(server->counters().connections_evicted, 1u);
    // The station has been served: it is not evicted by the next newcomers.
    for (int i = 0; i < 3; ++i) {
        TestClient newcomer(elsewhere);
        ASSERT_FALSE(newcomer.connect(server->port()));
    }
    const auto again = station.request("GET", "/v1/ping");
    ASSERT_TRUE(again) << station.last_error.message();
    EXPECT_EQ(again->result_int(), 200u);
}

// The TLS handshake, and then a new connection's first request, have their own shorter time limit
// than a request or an idle keep-alive connection.
TEST_F(ServerFixture, AHandshakeOrFirstRequestThatNeverComesIsClosedAfterTheHandshakeTimeout) {
    auto options = base_options();
    options.limits.read_timeout = 60s;
    options.limits.idle_timeout = 60s;
    options.limits.handshake_timeout = 300ms;
    start(std::move(options));
    asio::io_context io;
    auto socket = idle_tcp(io, "127.0.0.2", server->port());
    EXPECT_TRUE(closed_by_server(socket, 10s)) << "still open after 10 s: the handshake waited for read_timeout";
    EXPECT_EQ(server->counters().handshakes_failed, 1u);

    TestClient silent(client());
    ASSERT_FALSE(silent.connect(server->port()));
    for (int i = 0; i < 500 && server->counters().connections_open > 0; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(server->counters().connections_open, 0u) << "a connection without a request waited for idle_timeout";
}

// One address holds at most max_connections_per_peer connections; beyond, the server closes new ones
// at once (no handshake), and other addresses are not affected.
TEST_F(ServerFixture, ConnectionsPerPeerAddressAreLimited) {
    auto options = base_options();
    options.tls.client_ca_file = pki.ca_pem.string();
    options.limits.max_connections_per_peer = 5;
    options.limits.handshake_timeout = 60s;
    start(std::move(options));
    asio::io_context io;
    std::vector<asio::ip::tcp::socket> sockets;
    for (int i = 0; i < 10; ++i) sockets.push_back(idle_tcp(io, "127.0.0.2", server->port()));
    for (int i = 5; i < 10; ++i) EXPECT_TRUE(closed_by_server(sockets[static_cast<std::size_t>(i)], 10s)) << i;
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(closed_by_server(sockets[static_cast<std::size_t>(i)], 0ms)) << i;
    EXPECT_EQ(server->counters().connections_refused, 5u);

    TestClient station(client(true));  // 127.0.0.1
    ASSERT_FALSE(station.connect(server->port()));
    const auto response = station.request("GET", "/v1/whoami");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
    sockets.clear();  // a slot of the address is free again once one of its connections ends
    ClientOptions elsewhere = client();
    elsewhere.source_address = "127.0.0.2";
    bool served = false;
    for (int attempt = 0; attempt < 50 && !served; ++attempt) {
        TestClient later(elsewhere);
        if (!later.connect(server->port())) {
            const auto pong = later.request("GET", "/v1/ping");
            served = pong && pong->result_int() == 200u;
        }
        if (!served) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(served);
}

TEST_F(ServerFixture, MalformedHttpIs400AndNotHandled) {
    start(base_options());
    for (const std::string garbage : {"GET /v1/ping HTTP/9.9\r\nHost: x\r\n\r\n",
                                      "G@T /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n",
                                      "GET /v1/ping HTTP/1.1\r\nBad Header\r\n\r\n",
                                      "GET v1/ping HTTP/1.1\r\nHost: x\r\n\r\n",
                                      "GET /v1/cards/C1/status?full=%zz HTTP/1.1\r\nHost: x\r\n\r\n"}) {
        TestClient connection(client());
        ASSERT_FALSE(connection.connect(server->port()));
        ASSERT_FALSE(connection.write_raw(garbage));
        const auto response = connection.read_response();
        ASSERT_TRUE(response) << garbage;
        EXPECT_EQ(response->result_int(), 400u) << garbage;
        EXPECT_EQ(error_code_of(response->body()), "malformed_request") << garbage;
    }
    EXPECT_EQ(handled.load(), 0);
}

TEST_F(ServerFixture, GracefulStopLetsAnInFlightRequestFinish) {
    start(base_options());
    TestClient idle(client());
    ASSERT_FALSE(idle.connect(server->port()));
    ASSERT_TRUE(idle.request("GET", "/v1/ping"));

    auto in_flight = std::async(std::launch::async, [&] {
        TestClient connection(client());
        if (connection.connect(server->port())) return std::optional<unsigned>{};
        const auto response = connection.request("GET", "/v1/slow?ms=700");
        return response ? std::optional<unsigned>(response->result_int()) : std::nullopt;
    });
    while (slow_started.load() == 0) std::this_thread::sleep_for(5ms);
    const auto begin = std::chrono::steady_clock::now();
    server->stop();
    const auto took = std::chrono::steady_clock::now() - begin;
    EXPECT_EQ(in_flight.get(), std::optional<unsigned>(200u));
    EXPECT_GE(took, 400ms);  // it waited for the slow handler ...
    EXPECT_LT(took, 4s);     // ... not for the grace period or the idle connection
    EXPECT_FALSE(idle.request("GET", "/v1/ping"));  // the idle keep-alive connection was closed
    TestClient late(client());
    EXPECT_TRUE(late.connect(server->port()));      // nobody listens any more
}

TEST_F(ServerFixture, StopAfterGraceClosesWhatIsLeft) {
    auto options = base_options();
    options.shutdown_grace = 200ms;
    start(std::move(options));
    auto in_flight = std::async(std::launch::async, [&] {
        TestClient connection(client());
        if (connection.connect(server->port())) return false;
        return connection.request("GET", "/v1/slow?ms=1500").has_value();
    });
    while (slow_started.load() == 0) std::this_thread::sleep_for(5ms);
    server->stop();  // returns once the handler thread is done, but the connection was closed at 200 ms
    EXPECT_FALSE(in_flight.get());
}

TEST_F(ServerFixture, ListenOnAnUnusableAddressSaysSo) {
    auto options = base_options();
    options.listen_address = "localhost";
    HttpsServer bad(std::move(options), Router{});
    EXPECT_THROW(bad.start(), InvalidArgument);
}

}  // namespace
}  // namespace cccd::server::http
