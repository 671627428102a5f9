#pragma once
// The server's log on stderr (the journal takes it), in one of two formats (`log_format`):
//
//   text (the default)  operational events as "cccd-server: <message>" lines; requests are not logged
//   json                one JSON object per line and event: operational events
//                         {"time":"2026-11-23T10:35:47.123Z","level":"info","message":"listening on ..."}
//                       and one line per answered request
//                         {"time":...,"level":"info","event":"request","request_id":"q3W...","method":"POST",
//                          "route":"/api/v1/auth/verifications","status":200,"latency_ms":41.7,
//                          "actor":"rp:bank-a"}
//
// A request line holds only what RequestRecord holds: the route's pattern (never the path, whose
// segments are card and ID numbers), a standard method or "other", the status, the latency, the request
// id and who the handler authenticated (an id, never a name, ID number, token, password or key).
// docs/observability.md.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cccd::server::http {

enum class LogFormat { Text, Json };
// "text" or "json"; nothing for anything else.
std::optional<LogFormat> parse_log_format(std::string_view name);

enum class LogLevel { Info, Warning, Error };
std::string_view level_name(LogLevel level);

// One answered request, as the log and the metrics see it (filled by the server, never by a handler).
struct RequestRecord {
    std::chrono::system_clock::time_point time;  // when the answer was written
    std::string request_id;
    std::string method;        // method_label(): one of the standard methods, "other", or "(none)" before a request line
    std::string route;         // the route's pattern, "(unmatched)" (404/405) or "(unread)" (refused before it was read)
    unsigned status = 0;
    double latency_seconds = 0;  // from the request's first byte to its answer written
    std::string actor;         // Response::actor: who the handler authenticated; empty: nobody
    std::string error_code;    // the JSON error's code for an error answer; empty otherwise
};

// Extra fields of an operational event (json: members of the line; text: not shown). Names are fixed
// words of the caller; values must never hold personal data, tokens or keys.
using LogFields = std::vector<std::pair<std::string, std::string>>;

class Logger {
public:
    // Receives one whole line, '\n' included; must not throw.
    using Sink = std::function<void(std::string_view line)>;
    // `prefix` starts each text line ("cccd-server: ").
    explicit Logger(LogFormat format, Sink sink = stderr_sink(), std::string prefix = "cccd-server: ");

    LogFormat format() const noexcept { return format_; }
    void event(LogLevel level, std::string_view message, const LogFields& fields = {}) const;
    void info(std::string_view message, const LogFields& fields = {}) const { event(LogLevel::Info, message, fields); }
    void warning(std::string_view message, const LogFields& fields = {}) const { event(LogLevel::Warning, message, fields); }
    void error(std::string_view message, const LogFields& fields = {}) const { event(LogLevel::Error, message, fields); }
    // json: the request's line (level "error" for a 5xx answer, "info" otherwise); text: nothing.
    void request(const RequestRecord& record) const;

    // Writes each line to stderr with one write(2), so lines from several threads do not interleave.
    static Sink stderr_sink();

private:
    LogFormat format_;
    Sink sink_;
    std::string prefix_;
};

// The JSON lines themselves (no '\n'), for the Logger and its tests.
std::string json_event_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view message,
                            const LogFields& fields);
std::string json_request_line(const RequestRecord& record);

// "2026-11-23T10:35:47.123Z": UTC, ISO 8601, milliseconds.
std::string utc_timestamp_ms(std::chrono::system_clock::time_point time);

}  // namespace cccd::server::http
