#include "server/http/metrics.hpp"

#include "server/http/router.hpp"

#include <cctype>
#include <charconv>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/hash.hpp"

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

// The same label names, every value "(other)": where a family's series beyond its cap are counted.
Labels folded(const Labels& labels) {
    Labels out;
    for (const auto& [name, value] : labels) out.emplace_back(name, "(other)");
    return out;
}

// `series[key]`, or the folded series when `key` would be one series too many for the family.
template <typename Series>
typename Series::mapped_type& series_for(Series& series, std::string key, const Labels& labels, std::size_t cap) {
    if (series.size() >= cap && series.find(key) == series.end()) key = render_labels(folded(labels));
    return series[key];
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
    series_for(families_[name].values, std::move(key), labels, max_series_per_family_) += amount;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
    std::string key = render_labels(labels);
    std::lock_guard lock(mutex_);
    series_for(families_[name].values, std::move(key), labels, max_series_per_family_) = value;
}

void Metrics::on_scrape(std::function<void(Metrics&)> hook) {
    std::lock_guard lock(hooks_mutex_);
    hooks_.push_back(std::move(hook));
}

std::vector<std::string> Metrics::family_names() const {
    std::vector<std::string> names;
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : families_) names.push_back(name);
    return names;
}

void Metrics::observe(const std::string& name, const Labels& labels, double seconds) {
    std::string key = render_labels(labels);
    std::lock_guard lock(mutex_);
    Histogram& h = series_for(families_[name].histograms, std::move(key), labels, max_series_per_family_);
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render() {
    std::vector<std::function<void(Metrics&)>> hooks;
    {
        std::lock_guard lock(hooks_mutex_);
        hooks = hooks_;
    }
    for (const auto& hook : hooks) hook(*this);
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, f] : families_) {
        if (!f.help.empty()) out << "# HELP " << name << " " << f.help << "\n";
        if (!f.type.empty()) out << "# TYPE " << name << " " << f.type << "\n";
        for (const auto& [labels, value] : f.values) out << name << labels << " " << number(value) << "\n";
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

SecretBytes read_metrics_token_file(const std::filesystem::path& path) {
    constexpr std::size_t minimum = 32;
    Bytes text;
    try {
        text = read_file(path);
    } catch (const Error&) {
        throw InvalidArgument("cannot read metrics_token_file " + path.string());
    }
    auto blank = [](std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t first = 0;
    std::size_t last = text.size();
    while (first < last && blank(text[first])) ++first;
    while (last > first && blank(text[last - 1])) --last;
    SecretBytes token(ByteView(text).subspan(first, last - first));
    secure_wipe(text);
    if (token.size() < minimum)
        throw InvalidArgument("metrics_token_file " + path.string() + " must hold a token of at least " +
                              std::to_string(minimum) + " characters (e.g. from openssl rand -hex 32)");
    return token;
}

std::string_view method_label(std::string_view method) {
    static constexpr std::string_view standard[] = {"GET",    "HEAD",    "POST",  "PUT",  "DELETE",
                                                    "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    for (std::string_view known : standard)
        if (method == known) return known;
    return "other";
}

void describe_http_metrics(Metrics& metrics) {
    metrics.describe("cccd_http_requests_total", "HTTP requests answered, by method, route pattern and status.", "counter");
    metrics.describe("cccd_http_request_duration_seconds",
                     "HTTP request latency from the first byte to the answer written, by method, route pattern and status.",
                     "histogram");
    metrics.describe("cccd_http_connections_open", "TLS connections open now.", "gauge");
    metrics.describe("cccd_http_connections_refused_total",
                     "Connections closed at once: max_connections or max_connections_per_peer reached.", "counter");
    metrics.describe("cccd_http_connections_evicted_total",
                     "Connections closed before their first request to make room for a newcomer.", "counter");
    metrics.describe("cccd_tls_handshakes_failed_total", "TLS handshakes that failed or timed out.", "counter");
}

void record_request(Metrics& metrics, const RequestRecord& record) {
    const std::string status = std::to_string(record.status);
    metrics.add("cccd_http_requests_total", {{"method", record.method}, {"route", record.route}, {"status", status}});
    metrics.observe("cccd_http_request_duration_seconds", {{"method", record.method}, {"route", record.route}, {"status", status}},
                    record.latency_seconds);
}

void add_metrics_route(Router& router, std::shared_ptr<Metrics> metrics, SecretBytes bearer_token) {
    if (bearer_token.empty()) throw InvalidArgument("the /metrics bearer token is empty");
    // Compared as SHA-256 digests: equal lengths, constant time, and the token's length is not told either.
    auto expected = std::make_shared<const Bytes>(crypto::sha256(bearer_token.view()));
    // Public: the scraper authenticates with its token, not with a client certificate.
    router.add_public("GET", "/metrics", [metrics, expected](const Request& request) {
        constexpr std::string_view scheme = "bearer ";
        const std::string_view authorization = request.header("authorization").value_or("");
        bool scheme_ok = authorization.size() > scheme.size();
        for (std::size_t i = 0; scheme_ok && i < scheme.size(); ++i)
            scheme_ok = std::tolower(static_cast<unsigned char>(authorization[i])) == scheme[i];
        const std::string_view presented = scheme_ok ? authorization.substr(scheme.size()) : std::string_view{};
        if (!scheme_ok || !constant_time_equal(crypto::sha256(view(presented)), *expected)) {
            Response refusal = Response::error(401, "unauthenticated", "/metrics needs the scraper's bearer token");
            refusal.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"cccd-server metrics\"");
            return refusal;
        }
        return Response::text(200, metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace cccd::server::http
