#pragma once
// Metrics in the Prometheus text exposition format (version 0.0.4) for GET /metrics: counters and
// histograms with labels, thread-safe, cheap to update from every request.
#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/bytes.hpp"

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

    void describe(const std::string& name, const std::string& help, const std::string& type);
    void add(const std::string& name, const Labels& labels, double amount = 1.0);
    void observe(const std::string& name, const Labels& labels, double seconds);
    std::string render() const;

private:
    struct Histogram {
        std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct Family {
        std::string help;
        std::string type;
        std::map<std::string, double> counters;        // rendered labels -> value
        std::map<std::string, Histogram> histograms;   // rendered labels -> histogram
    };
    std::size_t max_series_per_family_;
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

class Router;
// GET /metrics answering the text exposition format to a scraper that sends `Authorization: Bearer
// <token>` (Prometheus: bearer_token_file); 401 unauthenticated otherwise. Describes the HTTP families
// and has the router count every request. InvalidArgument for an empty token.
void add_metrics_route(Router& router, std::shared_ptr<Metrics> metrics, SecretBytes bearer_token);

// The scraper's token from `metrics_token_file`: the file's text without surrounding white space, at
// least 32 characters. InvalidArgument naming the file (never its contents) otherwise.
SecretBytes read_metrics_token_file(const std::filesystem::path& path);

// {a="x",b="y"} with Prometheus escaping (backslash, quote, newline).
std::string render_labels(const Labels& labels);

}  // namespace cccd::server::http
