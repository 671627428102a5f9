// /metrics in the Prometheus text format: counters, gauges and histograms with escaped labels, and each
// request counted by route pattern (not by the raw path, which would carry IDs) and status.
#include "server/http/metrics.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "base/error.hpp"
#include "server/http/router.hpp"

using namespace cccd::server::http;
using cccd::SecretBytes;

namespace {

const std::string kToken = "0123456789abcdef0123456789abcdef-scraper";

SecretBytes token() { return SecretBytes(cccd::view(kToken)); }

Response get(const Router& router, const std::string& path, const std::string& authorization = {}) {
    Request r;
    r.method = "GET";
    r.target = r.path = path;
    if (!authorization.empty()) r.headers["authorization"] = authorization;
    return router.route(r);
}

// The series of one family in a rendering: its sample lines without the value.
std::set<std::string> series_of(const std::string& text, const std::string& family) {
    std::set<std::string> series;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        if (line.rfind(family + "{", 0) == 0) series.insert(line.substr(0, line.rfind(' ')));
        start = end + 1;
    }
    return series;
}

}  // namespace

TEST(Metrics, RendersCountersAndHistogramsInTheTextFormat) {
    Metrics m;
    m.describe("jobs_total", "Jobs done.", "counter");
    m.add("jobs_total", {{"kind", "a\"b"}});
    m.add("jobs_total", {{"kind", "a\"b"}}, 2);
    m.observe("latency_seconds", {{"route", "/x"}}, 0.003);
    m.observe("latency_seconds", {{"route", "/x"}}, 20.0);
    std::string text = m.render();
    EXPECT_NE(text.find("# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\n"), std::string::npos) << text;
    EXPECT_NE(text.find("jobs_total{kind=\"a\\\"b\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/x\",le=\"0.0025\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/x\",le=\"0.005\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_count{route=\"/x\"} 2\n"), std::string::npos) << text;
}

// The server counts each answer by the route's pattern (not by the raw path, which would carry IDs),
// method and status, in both families (server_test and observability_test drive it over sockets).
TEST(Metrics, ARequestIsCountedByPatternAndStatus) {
    Metrics m;
    describe_http_metrics(m);
    RequestRecord record;
    record.method = "GET";
    record.route = "/v1/cards/{card_number}";
    record.status = 200;
    record.latency_seconds = 0.003;
    record_request(m, record);
    record_request(m, record);
    record.status = 404;
    record.route = "(unmatched)";
    record_request(m, record);
    const std::string text = m.render();
    EXPECT_NE(text.find("cccd_http_requests_total{method=\"GET\",route=\"/v1/cards/{card_number}\",status=\"200\"} 2\n"),
              std::string::npos) << text;
    EXPECT_NE(text.find("cccd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/cards/{card_number}\","
                        "status=\"200\",le=\"0.005\"} 2\n"),
              std::string::npos) << text;
    EXPECT_NE(text.find("cccd_http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE cccd_http_request_duration_seconds histogram\n"), std::string::npos);
}

// Methods are counted as one of the standard ones or "other": 10,000 requests with invented methods
// (a few bytes each on the wire) used to add a series each, for good.
TEST(Metrics, InventedMethodsLeaveTheSeriesBounded) {
    Router router;
    auto metrics = std::make_shared<Metrics>();
    describe_http_metrics(*metrics);
    add_metrics_route(router, metrics, token());
    router.add("GET", "/v1/cards/{card_number}", [](const Request&) { return Response::text(200, "ok"); });
    // What the server does with each request: the method's label, the match's label, the answer's status.
    auto serve = [&](const std::string& method, const std::string& path) {
        Request r;
        r.method = method;
        r.path = path;
        const Router::Match found = router.match(method, path);
        RequestRecord record;
        record.method = std::string(method_label(method));
        record.route = Router::route_label(found);
        record.status = router.route(r).status;
        record_request(*metrics, record);
    };
    const std::size_t before = get(router, "/metrics", "Bearer " + kToken).body.size();
    for (int i = 0; i < 10000; ++i)
        serve("X" + std::to_string(i) + (i % 2 ? "-INVENTED" : ""),
              i % 3 ? "/v1/cards/0000000000000001" : "/nowhere/" + std::to_string(i));
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "get"})
        serve(method, "/v1/cards/0000000000000001");
    const std::string text = get(router, "/metrics", "Bearer " + kToken).body;
    const auto counted = series_of(text, "cccd_http_requests_total");
    EXPECT_LE(counted.size(), 15u) << text.substr(0, 4000);
    EXPECT_LE(series_of(text, "cccd_http_request_duration_seconds_count").size(), 15u);
    EXPECT_LT(text.size(), before + 32 * 1024) << "/metrics grew to " << text.size() << " bytes";
    EXPECT_TRUE(counted.count(R"x(cccd_http_requests_total{method="other",route="(unmatched)",status="404"})x")) << text.substr(0, 4000);
    EXPECT_TRUE(counted.count(R"x(cccd_http_requests_total{method="other",route="(unmatched)",status="405"})x"));
    EXPECT_TRUE(counted.count(R"x(cccd_http_requests_total{method="GET",route="/v1/cards/{card_number}",status="200"})x"));
    EXPECT_EQ(text.find("INVENTED"), std::string::npos);
    EXPECT_EQ(text.find("method=\"get\""), std::string::npos) << "methods are case-sensitive: get is not GET";
    EXPECT_EQ(text.find("0000000000000001"), std::string::npos) << "a card number leaked into the metrics";
}

// Gauges hold the last value set; scrape hooks set them just before each rendering, and a described
// family is rendered (HELP, TYPE) before its first sample.
TEST(Metrics, GaugesAreSetByScrapeHooksAndFamiliesShowBeforeTheirFirstSample) {
    Metrics m;
    m.describe("store_up", "Whether the store answers.", "gauge");
    m.describe("never_counted_total", "Nothing yet.", "counter");
    int scrapes = 0;
    bool up = true;
    m.on_scrape([&](Metrics& metrics) {
        ++scrapes;
        metrics.set("store_up", {{"store", "db"}}, up ? 1 : 0);
    });
    std::string text = m.render();
    EXPECT_EQ(scrapes, 1);
    EXPECT_NE(text.find("# TYPE store_up gauge\nstore_up{store=\"db\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# HELP never_counted_total Nothing yet.\n# TYPE never_counted_total counter\n"), std::string::npos) << text;
    up = false;
    text = m.render();
    EXPECT_EQ(scrapes, 2);
    EXPECT_NE(text.find("store_up{store=\"db\"} 0\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("store_up{store=\"db\"} 1\n"), std::string::npos) << "a gauge is set, not added to";
    const auto names = m.family_names();
    EXPECT_EQ(names, (std::vector<std::string>{"never_counted_total", "store_up"}));
}

// Whatever a caller of Metrics passes as labels, a family holds a bounded number of series: the
// excess is counted in one series whose labels are all "(other)", so totals stay right.
TEST(Metrics, SeriesPerFamilyAreCappedAndTheExcessFolded) {
    Metrics m(50);
    for (int i = 0; i < 1000; ++i) {
        m.add("jobs_total", {{"kind", "k" + std::to_string(i)}, {"outcome", "ok"}});
        m.observe("latency_seconds", {{"route", "/r" + std::to_string(i)}}, 0.002);
    }
    m.add("jobs_total", {{"kind", "k1"}, {"outcome", "ok"}});  // an existing series still counts on its own
    const std::string text = m.render();
    const auto jobs = series_of(text, "jobs_total");
    EXPECT_EQ(jobs.size(), 51u);
    EXPECT_NE(text.find("jobs_total{kind=\"(other)\",outcome=\"(other)\"} 950\n"), std::string::npos) << text;
    EXPECT_NE(text.find("jobs_total{kind=\"k1\",outcome=\"ok\"} 2\n"), std::string::npos);
    EXPECT_EQ(series_of(text, "latency_seconds_count").size(), 51u);
    EXPECT_NE(text.find("latency_seconds_count{route=\"(other)\"} 950\n"), std::string::npos) << text;
}

// /metrics answers only a scraper with the configured bearer token (compared in constant time).
TEST(Metrics, OnlyAScraperWithTheTokenReadsMetrics) {
    Router router;
    auto metrics = std::make_shared<Metrics>();
    describe_http_metrics(*metrics);
    add_metrics_route(router, metrics, token());
    for (const std::string& refused : std::vector<std::string>{"", "Bearer", "Bearer ", "Bearer wrong", "Bearer " + kToken.substr(0, 16),
                                      "Bearer " + kToken + "x", "Basic " + kToken, "bearer" + kToken}) {
        const Response response = get(router, "/metrics", refused);
        EXPECT_EQ(response.status, 401u) << refused;
        EXPECT_NE(response.body.find("\"unauthenticated\""), std::string::npos) << response.body;
        EXPECT_EQ(response.body.find("cccd_http"), std::string::npos);
        bool challenge = false;
        for (const auto& [name, value] : response.headers) challenge |= name == "WWW-Authenticate" && value.rfind("Bearer", 0) == 0;
        EXPECT_TRUE(challenge) << refused;
    }
    const Response ok = get(router, "/metrics", "Bearer " + kToken);
    EXPECT_EQ(ok.status, 200u);
    EXPECT_NE(ok.body.find("# TYPE cccd_http_requests_total counter"), std::string::npos) << ok.body;
    EXPECT_EQ(ok.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_THROW(add_metrics_route(router, std::make_shared<Metrics>(), SecretBytes{}), cccd::InvalidArgument);
}

TEST(Metrics, TheTokenFileIsReadWithoutSurroundingWhiteSpace) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("cccd-metrics-token-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "token") << "  " << kToken << "\n";
    EXPECT_TRUE(read_metrics_token_file(dir / "token") == token());
    std::ofstream(dir / "short") << "too-short-a-token\n";
    std::ofstream(dir / "empty") << "\n";
    for (const char* name : {"short", "empty", "missing"}) {
        try {
            read_metrics_token_file(dir / name);
            ADD_FAILURE() << name << " was accepted";
        } catch (const cccd::InvalidArgument& error) {
            EXPECT_NE(std::string(error.what()).find((dir / name).string()), std::string::npos) << error.what();
            EXPECT_EQ(std::string(error.what()).find("too-short"), std::string::npos) << "the file's contents were shown";
        }
    }
    fs::remove_all(dir);
}
