// The server's request ids, its JSON log and its request metrics, over real sockets on 127.0.0.1: every
// answer (success, 404, a limit's refusal, a handler's error) carries X-Request-Id and every JSON error
// body repeats it; each answer is one JSON log line with the route's pattern, and is counted once.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <tuple>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/http/log.hpp"
#include "server/http/metrics.hpp"
#include "server/http/server.hpp"
#include "log_capture.hpp"
#include "test_support.hpp"

namespace cccd::server::http {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using testing::ClientOptions;
using testing::TestClient;
using testing::TestPki;
using Reply = boost::beast::http::response<boost::beast::http::string_body>;

const std::regex kOwnId("[A-Za-z0-9_-]{22}");

std::string header_of(const Reply& reply, const char* name) { return std::string(reply[name]); }

// The body's error.request_id, or "(none)".
std::string body_request_id(const Reply& reply) {
    boost::system::error_code ec;
    const json::value body = json::parse(reply.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("error")) return "(none)";
    const json::value* id = body.at("error").as_object().if_contains("request_id");
    return id && id->is_string() ? std::string(id->as_string()) : "(none)";
}

std::string text_of(const json::object& line, const char* name) {
    const json::value* v = line.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : "(none)";
}

struct Observability : ::testing::Test {
    TestPki pki;
    testing::LogCapture log;
    std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>();
    std::unique_ptr<HttpsServer> server;
    std::atomic<int> slow_finished{0};

    HttpsServerOptions options(LogFormat format = LogFormat::Json) {
        HttpsServerOptions o;
        o.listen_address = "127.0.0.1";
        o.listen_port = 0;
        o.threads = 4;
        o.tls.certificate_chain_file = pki.server_pem.string();
        o.tls.private_key = load_private_key_file(pki.server_key_pem, SecretBytes(view(pki.server_key_passphrase)));
        o.shutdown_grace = 5s;
        o.limits.max_body_bytes = 1000;
        o.limits.max_header_bytes = 2048;
        o.limits.handler_timeout = 300ms;
        o.limits.read_timeout = 300ms;
        o.logger = std::make_shared<Logger>(format, log.sink());
        o.metrics = metrics;
        return o;
    }

    void start(HttpsServerOptions o) {
        Router router;
        router.add("GET", "/v1/cards/{document_number}/status", [](const Request& request) {
            Response response = Response::json(200, {{"request_id_seen", request.request_id}});
            response.actor = "station:HCM-Q1-01";
            return response;
        });
        router.add("POST", "/v1/echo", [](const Request& request) { return Response::text(200, request.body); });
        router.add("GET", "/v1/throws", [](const Request&) -> Response { throw std::runtime_error("the disk is on fire"); });
        router.add("GET", "/v1/conflict", [](const Request&) -> Response {
            throw HttpError(409, "conflict", "the card's status changed meanwhile");
        });
        router.add("GET", "/v1/slow", [this](const Request&) {
            std::this_thread::sleep_for(800ms);
            ++slow_finished;
            return Response::json(200, {{"slow", true}});
        });
        server = std::make_unique<HttpsServer>(std::move(o), std::move(router));
        server->start();
    }

    std::unique_ptr<TestClient> connect() {
        ClientOptions c;
        c.ca_file = pki.ca_pem;
        auto client = std::make_unique<TestClient>(c);
        EXPECT_FALSE(client->connect(server->port()));
        return client;
    }
};

}  // namespace

TEST(RequestIds, NewIdsAre16RandomBytesInBase64url) {
    const std::string a = new_request_id();
    const std::string b = new_request_id();
    EXPECT_TRUE(std::regex_match(a, kOwnId)) << a;
    EXPECT_NE(a, b);
    EXPECT_TRUE(is_acceptable_request_id(a)) << "a station may send back the server's own ids";
}

TEST(RequestIds, OnlyWellFormedIncomingIdsAreAdopted) {
    for (const char* good : {"8d3c1f0e-6a4b-4e59-9a3e-2f1b7c9d0a11", "q3WzK8-0_aBcDeFgHiJkLm", "01234567890123456789"})
        EXPECT_EQ(request_id_for(std::string_view(good)), good) << good;
    for (const char* bad : {"", "079303012345",                               // a personal ID number
                            "0793030123450123",                               // a card number's length
                            "kVx0Jw3Zt9Qm2Rb7Lc5Hs1Pd8Ny4Ga6Ue0Wo3Xi9Yk",      // a session token's length (43)
                            "8d3c1f0e 6a4b 4e59 9a3e 2f1b7c9d0a11", "id\r\nX-Injected: 1-000000000",
                            "TRẦN THỊ MỸ DUYÊN 0000000000", "abc/def/ghi/jkl/mno/pqr"}) {
        const std::string id = request_id_for(std::string_view(bad));
        EXPECT_NE(id, bad);
        EXPECT_TRUE(std::regex_match(id, kOwnId)) << id;
    }
    EXPECT_TRUE(std::regex_match(request_id_for(std::nullopt), kOwnId));
}

TEST(RequestIds, StampingPutsTheIdInTheHeaderAndInAJsonErrorBodyOnly) {
    Response error = Response::error(404, "not_found", "there is no resource at this path");
    EXPECT_EQ(stamp_request_id(error, "q3WzK8-0_aBcDeFgHiJkLm"), "not_found");
    EXPECT_EQ(json::parse(error.body), json::parse(R"({"error":{"code":"not_found","message":"there is no resource at this path",
                                                              "request_id":"q3WzK8-0_aBcDeFgHiJkLm"}})"));
    ASSERT_EQ(error.headers.size(), 1u);
    EXPECT_EQ(error.headers[0], (std::pair<std::string, std::string>{"X-Request-Id", "q3WzK8-0_aBcDeFgHiJkLm"}));

    Response ok = Response::json(200, {{"error", "a field of the answer, not an error"}});
    const std::string body = ok.body;
    EXPECT_EQ(stamp_request_id(ok, "q3WzK8-0_aBcDeFgHiJkLm"), "");
    EXPECT_EQ(ok.body, body);
    Response text = Response::text(503, "not json");
    EXPECT_EQ(stamp_request_id(text, "q3WzK8-0_aBcDeFgHiJkLm"), "");
    EXPECT_EQ(text.body, "not json");
}

TEST(JsonLog, EventAndRequestLinesHaveTheirFieldsAndEscapeWhatTheyCarry) {
    using namespace std::chrono;
    const auto time = system_clock::time_point(seconds(1795430147) + milliseconds(123));
    EXPECT_EQ(utc_timestamp_ms(time), "2026-11-23T10:35:47.123Z");
    EXPECT_EQ(utc_timestamp_ms(system_clock::time_point(seconds(0))), "1970-01-01T00:00:00.000Z");

    const json::value event = json::parse(json_event_line(time, LogLevel::Warning, "line\nbreak \"quoted\"", {{"request_id", "abc"}, {"level", "x"}}));
    EXPECT_EQ(event, json::parse(R"({"time":"2026-11-23T10:35:47.123Z","level":"warning","message":"line\nbreak \"quoted\"",
                                     "request_id":"abc"})"));

    RequestRecord record;
    record.time = time;
    record.request_id = "q3WzK8-0_aBcDeFgHiJkLm";
    record.method = "POST";
    record.route = "/api/v1/auth/verifications";
    record.status = 200;
    record.latency_seconds = 0.0417256;
    record.actor = "rp:bank-a";
    EXPECT_EQ(json_request_line(record),
              R"({"time":"2026-11-23T10:35:47.123Z","level":"info","event":"request","request_id":"q3WzK8-0_aBcDeFgHiJkLm",)"
              R"("method":"POST","route":"/api/v1/auth/verifications","status":200,"latency_ms":41.726,"actor":"rp:bank-a"})");
    record.status = 503;
    record.actor.clear();
    record.error_code = "handler_timeout";
    const json::value failed = json::parse(json_request_line(record));
    EXPECT_EQ(text_of(failed.as_object(), "level"), "error");
    EXPECT_TRUE(failed.at("actor").is_null());
    EXPECT_EQ(text_of(failed.as_object(), "error"), "handler_timeout");
    EXPECT_EQ(parse_log_format("json"), LogFormat::Json);
    EXPECT_EQ(parse_log_format("text"), LogFormat::Text);
    EXPECT_FALSE(parse_log_format("JSON"));
}

TEST(JsonLog, TheTextFormatWritesEventsAsBeforeAndNoRequests) {
    std::string out;
    Logger logger(LogFormat::Text, [&out](std::string_view line) { out.append(line); });
    logger.info("listening on 127.0.0.1 port 8443");
    logger.error("a handler failed: boom", {{"request_id", "abc"}});
    RequestRecord record;
    record.status = 200;
    logger.request(record);
    EXPECT_EQ(out, "cccd-server: listening on 127.0.0.1 port 8443\ncccd-server: a handler failed: boom [request_id=abc]\n");
}

// Success, 404, a handler's HttpError, a handler's exception and two limits' refusals (one before the
// header was read whole): each answer has X-Request-Id, each error body the same id.
TEST_F(Observability, EveryAnswerCarriesItsRequestIdInTheHeaderAndEveryErrorBody) {
    start(options());
    auto client = connect();
    std::set<std::string> ids;

    auto ok = client->request("GET", "/v1/cards/C01234567/status");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->result_int(), 200u);
    const std::string ok_id = header_of(*ok, "X-Request-Id");
    EXPECT_TRUE(std::regex_match(ok_id, kOwnId)) << ok_id;
    EXPECT_EQ(text_of(json::parse(ok->body()).as_object(), "request_id_seen"), ok_id) << "the handler sees the id too";
    EXPECT_EQ(body_request_id(*ok), "(none)") << "a success body is the handler's own";
    ids.insert(ok_id);

    for (const auto& [path, status, code] : std::vector<std::tuple<std::string, unsigned, std::string>>{
             {"/v1/nothing-here", 404, "not_found"}, {"/v1/conflict", 409, "conflict"}, {"/v1/throws", 500, "internal_error"}}) {
        auto reply = client->request("GET", path);
        ASSERT_TRUE(reply) << path;
        EXPECT_EQ(reply->result_int(), status);
        const std::string id = header_of(*reply, "X-Request-Id");
        EXPECT_TRUE(std::regex_match(id, kOwnId)) << path << ": " << id;
        EXPECT_EQ(body_request_id(*reply), id) << reply->body();
        EXPECT_EQ(text_of(json::parse(reply->body()).at("error").as_object(), "code"), code);
        ids.insert(id);
    }

    auto too_large = client->request("POST", "/v1/echo", std::string(1001, 'a'));
    ASSERT_TRUE(too_large);
    EXPECT_EQ(too_large->result_int(), 413u);
    EXPECT_TRUE(std::regex_match(header_of(*too_large, "X-Request-Id"), kOwnId));
    EXPECT_EQ(body_request_id(*too_large), header_of(*too_large, "X-Request-Id"));
    ids.insert(header_of(*too_large, "X-Request-Id"));

    auto second = connect();
    ASSERT_FALSE(second->write_raw("GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(3000, 'h') + "\r\n\r\n"));
    auto header_too_large = second->read_response();
    ASSERT_TRUE(header_too_large);
    EXPECT_EQ(header_too_large->result_int(), 431u);
    EXPECT_TRUE(std::regex_match(header_of(*header_too_large, "X-Request-Id"), kOwnId));
    EXPECT_EQ(body_request_id(*header_too_large), header_of(*header_too_large, "X-Request-Id"));
    ids.insert(header_of(*header_too_large, "X-Request-Id"));
    EXPECT_EQ(ids.size(), 6u) << "every request has an id of its own";
}

TEST_F(Observability, AStationsOwnRequestIdIsAnsweredAndLoggedWhenWellFormed) {
    start(options());
    auto client = connect();
    const std::string own = "8d3c1f0e-6a4b-4e59-9a3e-2f1b7c9d0a11";
    auto reply = client->request("GET", "/v1/nothing-here", {}, "application/json", {{"X-Request-Id", own}});
    ASSERT_TRUE(reply);
    EXPECT_EQ(header_of(*reply, "X-Request-Id"), own);
    EXPECT_EQ(body_request_id(*reply), own);
    // Refused by a limit after its header was read: still its own id.
    reply = client->request("POST", "/v1/echo", std::string(2000, 'a'), "application/json", {{"X-Request-Id", own}});
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->result_int(), 413u);
    EXPECT_EQ(header_of(*reply, "X-Request-Id"), own);

    auto other = connect();
    reply = other->request("GET", "/v1/nothing-here", {}, "application/json", {{"X-Request-Id", "079303012345"}});
    ASSERT_TRUE(reply);
    EXPECT_NE(header_of(*reply, "X-Request-Id"), "079303012345");
    EXPECT_TRUE(std::regex_match(header_of(*reply, "X-Request-Id"), kOwnId));
    const auto lines = log.requests(3);
    ASSERT_EQ(lines.size(), 3u) << log.text();
    EXPECT_EQ(text_of(lines[0], "request_id"), own);
    EXPECT_EQ(text_of(lines[1], "request_id"), own);
    EXPECT_EQ(log.text().find("079303012345"), std::string::npos) << log.text();
}

// One line per answer, in the order answered on one connection, with the route's pattern (never the
// path's values), the status, the latency, who the handler authenticated and the error's code.
TEST_F(Observability, TheJsonLogHasOneLinePerAnswerWithItsFields) {
    start(options());
    auto client = connect();
    std::vector<std::string> ids;
    auto remember = [&](const std::optional<Reply>& reply) {
        ASSERT_TRUE(reply);
        ids.push_back(header_of(*reply, "X-Request-Id"));
    };
    remember(client->request("GET", "/v1/cards/C01234567/status?full=1"));
    remember(client->request("GET", "/v1/nothing/C01234567"));
    remember(client->request("GET", "/v1/throws"));
    remember(client->request("POST", "/v1/echo", std::string(1001, 'a')));  // closes the connection

    const auto lines = log.requests(4);
    ASSERT_EQ(lines.size(), 4u) << log.text();
    const std::regex iso8601(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    struct Expected {
        const char* level;
        const char* method;
        const char* route;
        unsigned status;
        const char* actor;  // null: json null
        const char* error;  // null: no member
    };
    const Expected expected[] = {
        {"info", "GET", "/v1/cards/{document_number}/status", 200, "station:HCM-Q1-01", nullptr},
        {"info", "GET", "(unmatched)", 404, nullptr, "not_found"},
        {"error", "GET", "/v1/throws", 500, nullptr, "internal_error"},
        {"info", "POST", "/v1/echo", 413, nullptr, "payload_too_large"},
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json::object& line = lines[i];
        SCOPED_TRACE(json::serialize(line));
        EXPECT_TRUE(std::regex_match(text_of(line, "time"), iso8601));
        EXPECT_EQ(text_of(line, "level"), expected[i].level);
        EXPECT_EQ(text_of(line, "event"), "request");
        EXPECT_EQ(text_of(line, "request_id"), ids[i]);
        EXPECT_EQ(text_of(line, "method"), expected[i].method);
        EXPECT_EQ(text_of(line, "route"), expected[i].route);
        EXPECT_EQ(line.at("status").to_number<unsigned>(), expected[i].status);
        EXPECT_GE(line.at("latency_ms").to_number<double>(), 0.0);
        if (expected[i].actor) EXPECT_EQ(text_of(line, "actor"), expected[i].actor);
        else EXPECT_TRUE(line.at("actor").is_null());
        if (expected[i].error) EXPECT_EQ(text_of(line, "error"), expected[i].error);
        else EXPECT_FALSE(line.contains("error"));
    }
    const std::string text = log.text();
    EXPECT_EQ(text.find("C01234567"), std::string::npos) << "a path's value reached the log";
    EXPECT_EQ(text.find("full=1"), std::string::npos);
    // The handler's exception is an event of its own, with the same request id.
    EXPECT_NE(text.find(R"("message":"a handler failed: the disk is on fire","request_id":")" + ids[2] + "\""), std::string::npos) << text;
    // Every line is one JSON object.
    std::size_t start = 0, count = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        ASSERT_NE(end, std::string::npos);
        EXPECT_TRUE(json::parse(text.substr(start, end - start)).is_object());
        start = end + 1;
        ++count;
    }
    EXPECT_GE(count, 6u);  // listening, 4 requests, the handler's failure
}

TEST_F(Observability, TheTextFormatLogsNoRequests) {
    start(options(LogFormat::Text));
    auto client = connect();
    ASSERT_TRUE(client->request("GET", "/v1/cards/C01234567/status"));
    ASSERT_TRUE(client->request("GET", "/v1/throws"));
    server->stop();
    const std::string text = log.text();
    EXPECT_EQ(text.rfind("cccd-server: listening on 127.0.0.1 port ", 0), 0u) << text;
    EXPECT_NE(text.find("cccd-server: a handler failed: the disk is on fire [request_id="), std::string::npos) << text;
    EXPECT_EQ(text.find("C01234567"), std::string::npos);
    EXPECT_EQ(text.find("\"event\""), std::string::npos) << text;
}

// Each answer is counted once, by the status the client got: a handler that overran is a 503 under its
// route, and its late answer is not counted again; refusals by a limit are counted too.
TEST_F(Observability, EveryAnswerIsCountedOnceByRouteAndStatus) {
    start(options());
    auto client = connect();
    ASSERT_TRUE(client->request("GET", "/v1/cards/C01234567/status"));
    ASSERT_TRUE(client->request("GET", "/v1/cards/C07654321/status"));
    ASSERT_TRUE(client->request("GET", "/v1/nothing-here"));
    ASSERT_FALSE(client->write_raw("BREW /v1/cards/C01234567/status HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(client->read_response());
    const auto slow = client->request("GET", "/v1/slow");
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->result_int(), 503u);
    ASSERT_TRUE(client->request("POST", "/v1/echo", std::string(1001, 'a')));
    auto second = connect();
    ASSERT_FALSE(second->write_raw("GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(3000, 'h') + "\r\n\r\n"));
    ASSERT_TRUE(second->read_response());
    auto third = connect();  // a request line that never ends: 408 before anything is known of it
    ASSERT_FALSE(third->write_raw("GE"));
    const auto timed_out = third->read_response();
    ASSERT_TRUE(timed_out);
    EXPECT_EQ(timed_out->result_int(), 408u);
    log.requests(8);
    for (int i = 0; i < 100 && slow_finished.load() == 0; ++i) std::this_thread::sleep_for(20ms);
    ASSERT_EQ(slow_finished.load(), 1);

    const std::string text = metrics->render();
    for (const char* series : {
             R"x(cccd_http_requests_total{method="GET",route="/v1/cards/{document_number}/status",status="200"} 2)x",
             R"x(cccd_http_requests_total{method="GET",route="(unmatched)",status="404"} 1)x",
             R"x(cccd_http_requests_total{method="other",route="(unmatched)",status="405"} 1)x",
             R"x(cccd_http_requests_total{method="GET",route="/v1/slow",status="503"} 1)x",
             R"x(cccd_http_requests_total{method="POST",route="/v1/echo",status="413"} 1)x",
             R"x(cccd_http_requests_total{method="GET",route="(unmatched)",status="431"} 1)x",
             R"x(cccd_http_requests_total{method="(none)",route="(unread)",status="408"} 1)x",
             R"x(cccd_http_request_duration_seconds_count{method="GET",route="/v1/cards/{document_number}/status",status="200"} 2)x",
             "cccd_http_connections_open ",
             "# TYPE cccd_tls_handshakes_failed_total counter",
         })
        EXPECT_NE(text.find(series), std::string::npos) << series << "\n" << text;
    EXPECT_EQ(text.find(R"(route="/v1/slow",status="200")"), std::string::npos) << "the late answer was counted";
    EXPECT_EQ(text.find("C01234567"), std::string::npos);
}

}  // namespace cccd::server::http
