#include "server/http/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace cccd::server::http {

std::optional<LogFormat> parse_log_format(std::string_view name) {
    if (name == "text") return LogFormat::Text;
    if (name == "json") return LogFormat::Json;
    return std::nullopt;
}

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

std::string utc_timestamp_ms(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto since_epoch = time.time_since_epoch();
    const auto whole = floor<seconds>(since_epoch);
    const auto millis = duration_cast<milliseconds>(since_epoch - whole).count();
    const std::time_t t = static_cast<std::time_t>(whole.count());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
    return std::string(text, n) + fraction;
}

std::string json_event_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view message,
                            const LogFields& fields) {
    boost::json::object line;
    line["time"] = utc_timestamp_ms(time);
    line["level"] = level_name(level);
    line["message"] = message;
    // The line's own members win over a field of the same name.
    for (const auto& [name, value] : fields) line.emplace(name, value);
    return boost::json::serialize(line);
}

namespace {

// ,"name":"value" with JSON escaping.
void append_string(std::string& out, std::string_view name, std::string_view value) {
    out += ",\"";
    out += name;
    out += "\":";
    out += boost::json::serialize(boost::json::string(value));
}

}  // namespace

// Written member by member: the order is fixed, and latency_ms reads 41.726 rather than 4.1726E1.
std::string json_request_line(const RequestRecord& record) {
    std::string out = "{\"time\":\"" + utc_timestamp_ms(record.time) + "\"";
    append_string(out, "level", level_name(record.status >= 500 ? LogLevel::Error : LogLevel::Info));
    append_string(out, "event", "request");
    append_string(out, "request_id", record.request_id);
    append_string(out, "method", record.method);
    append_string(out, "route", record.route);
    out += ",\"status\":" + std::to_string(record.status);
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.3f", std::max(record.latency_seconds, 0.0) * 1000.0);
    out += ",\"latency_ms\":";
    out += latency;
    if (record.actor.empty()) out += ",\"actor\":null";
    else append_string(out, "actor", record.actor);
    if (!record.error_code.empty()) append_string(out, "error", record.error_code);
    return out + "}";
}

Logger::Logger(LogFormat format, Sink sink, std::string prefix)
    : format_(format), sink_(std::move(sink)), prefix_(std::move(prefix)) {}

void Logger::event(LogLevel level, std::string_view message, const LogFields& fields) const {
    if (!sink_) return;
    if (format_ == LogFormat::Json) {
        sink_(json_event_line(std::chrono::system_clock::now(), level, message, fields) + "\n");
        return;
    }
    std::string line = prefix_;
    line.append(message);
    if (!fields.empty()) {
        line += " [";
        for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? " " : "") + fields[i].first + "=" + fields[i].second;
        line += "]";
    }
    sink_(line + "\n");
}

void Logger::request(const RequestRecord& record) const {
    if (format_ != LogFormat::Json || !sink_) return;
    sink_(json_request_line(record) + "\n");
}

Logger::Sink Logger::stderr_sink() {
    return [](std::string_view line) {
        // One write per line (stderr is unbuffered; a line below PIPE_BUF reaches a pipe whole).
        std::size_t done = 0;
        while (done < line.size()) {
            const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            done += static_cast<std::size_t>(n);
        }
    };
}

}  // namespace cccd::server::http
