#pragma once
// Metrics in the Prometheus text exposition format (version 0.0.4) for GET /metrics: counters, gauges
// and histograms with labels, thread-safe, cheap to update from every request. Every family the server
// exports is listed in docs/observability.md.
#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "server/http/log.hpp"

namespace cccd::server::http {

using Labels = std::vector<std::pair<std::string, std::string>>;  // in the order given

class Metrics {
public:
    // Seconds; the buckets suit request latencies from a millisecond to ten seconds.
    static constexpr std::array<double, 12> kLatencyBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    // Series per family beyond which new label sets are folded into one series (every label "(other)").
    static constexpr std::size_t kDefaultMaxSeriesPerFamily = 500;
    explicit Metrics(std::size_t max_series_per_family = kDefaultMaxSeriesPerFamily)
        : max_series_per_family_(max_series_per_family) {}

    // HELP and TYPE ("counter", "gauge", "histogram"); a described family is rendered even before its
    // first sample, so a scraper (and a dashboard) sees every family from the start.
    void describe(const std::string& name, const std::string& help, const std::string& type);
    void add(const std::string& name, const Labels& labels, double amount = 1.0);   // counter
    void set(const std::string& name, const Labels& labels, double value);          // gauge
    void observe(const std::string& name, const Labels& labels, double seconds);    // histogram
    // Runs before every render(), outside the lock: for gauges measured when scraped (a store's health,
    // the audit checkpoint's age). A hook must not throw, and must not call render().
    void on_scrape(std::function<void(Metrics&)> hook);
    // The families described or updated so far, by name.
    std::vector<std::string> family_names() const;
    // Runs the scrape hooks, then renders every family.
    std::string render();

private:
    struct Histogram {
        std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct Family {
        std::string help;
        std::string type;
        std::map<std::string, double> values;          // counters and gauges: rendered labels -> value
        std::map<std::string, Histogram> histograms;   // rendered labels -> histogram
    };
    std::size_t max_series_per_family_;
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
    std::mutex hooks_mutex_;
    std::vector<std::function<void(Metrics&)>> hooks_;
};

// The method as a label: the standard methods as they are, anything else "other", so invented methods
// cannot add series (and memory) without bound.
std::string_view method_label(std::string_view method);

// The server's own families (HttpsServer describes them when it is given a Metrics):
//   cccd_http_requests_total{method, route, status}                 counter
//   cccd_http_request_duration_seconds{method, route, status}       histogram
//   cccd_http_connections_open, cccd_http_connections_refused_total, cccd_http_connections_evicted_total,
//   cccd_tls_handshakes_failed_total
void describe_http_metrics(Metrics& metrics);
// Counts one answered request in the first two.
void record_request(Metrics& metrics, const RequestRecord& record);

class Router;
// GET /metrics answering the text exposition format to a scraper that sends `Authorization: Bearer
// <token>` (Prometheus: bearer_token_file); 401 unauthenticated otherwise. The requests themselves are
// counted by the server (HttpsServerOptions::metrics). InvalidArgument for an empty token.
void add_metrics_route(Router& router, std::shared_ptr<Metrics> metrics, SecretBytes bearer_token);

// The scraper's token from `metrics_token_file`: the file's text without surrounding white space, at
// least 32 characters. InvalidArgument naming the file (never its contents) otherwise.
SecretBytes read_metrics_token_file(const std::filesystem::path& path);

// {a="x",b="y"} with Prometheus escaping (backslash, quote, newline).
std::string render_labels(const Labels& labels);

}  // namespace cccd::server::http
