// /metrics in the Prometheus text format: counters and histograms with escaped labels, and the router
// counting each request by route pattern (not by the raw path, which would carry IDs) and status.
#include "server/http/metrics.hpp"

#include <gtest/gtest.h>

#include "server/http/router.hpp"

using namespace cccd::server::http;

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

TEST(Metrics, TheRouterCountsByPatternAndStatus) {
    Router router;
    auto metrics = std::make_shared<Metrics>();
    add_metrics_route(router, metrics);
    router.add("GET", "/v1/cards/{card_number}", [](const Request&) { return Response::text(200, "ok"); });
    for (const char* path : {"/v1/cards/0000000000000001", "/v1/cards/0000000000000002", "/nowhere"}) {
        Request r;
        r.method = "GET";
        r.path = path;
        router.route(r);
    }
    std::string text = metrics->render();
    EXPECT_NE(text.find("cccd_http_requests_total{method=\"GET\",route=\"/v1/cards/{card_number}\",status=\"200\"} 2"),
              std::string::npos) << text;
    EXPECT_NE(text.find("status=\"404\"} 1"), std::string::npos) << text;
    EXPECT_EQ(text.find("0000000000000001"), std::string::npos) << "a card number leaked into the metrics";
}
