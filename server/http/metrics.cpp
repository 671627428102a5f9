#include "server/http/metrics.hpp"

#include "server/http/router.hpp"

#include <charconv>
#include <sstream>

namespace cccd::server::http {

namespace {

std::string escape(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out.push_back(c);
    }
    return out;
}

// The shortest text that reads back as the same double ("0.0025", not "0.0025000000000000001").
std::string number(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

// `inner` labels plus one more, for histogram buckets.
std::string with_label(const std::string& rendered, const std::string& name, const std::string& value) {
    std::string extra = name + "=\"" + value + "\"";
    if (rendered.empty()) return "{" + extra + "}";
    return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string render_labels(const Labels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out += ",";
        out += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
    }
    return out + "}";
}

void Metrics::describe(const std::string& name, const std::string& help, const std::string& type) {
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    f.help = help;
    f.type = type;
}

void Metrics::add(const std::string& name, const Labels& labels, double amount) {
    std::string key = render_labels(labels);
    std::lock_guard lock(mutex_);
    families_[name].counters[key] += amount;
}

void Metrics::observe(const std::string& name, const Labels& labels, double seconds) {
    std::string key = render_labels(labels);
    std::lock_guard lock(mutex_);
    Histogram& h = families_[name].histograms[key];
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, f] : families_) {
        if (!f.help.empty()) out << "# HELP " << name << " " << f.help << "\n";
        if (!f.type.empty()) out << "# TYPE " << name << " " << f.type << "\n";
        for (const auto& [labels, value] : f.counters) out << name << labels << " " << number(value) << "\n";
        for (const auto& [labels, h] : f.histograms) {
            for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
                out << name << "_bucket" << with_label(labels, "le", number(kLatencyBuckets[i])) << " " << h.buckets[i] << "\n";
            }
            out << name << "_bucket" << with_label(labels, "le", "+Inf") << " " << h.count << "\n";
            out << name << "_sum" << labels << " " << number(h.sum) << "\n";
            out << name << "_count" << labels << " " << h.count << "\n";
        }
    }
    return out.str();
}

void add_metrics_route(Router& router, std::shared_ptr<Metrics> metrics) {
    metrics->describe("cccd_http_requests_total", "HTTP requests by method, route and status.", "counter");
    metrics->describe("cccd_http_request_duration_seconds", "HTTP request latency by method and route.", "histogram");
    router.set_metrics(metrics);
    router.add("GET", "/metrics", [metrics](const Request&) {
        return Response::text(200, metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace cccd::server::http
